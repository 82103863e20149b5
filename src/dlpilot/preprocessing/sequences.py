"""Signals: N×C×L float32, standardized per channel with training statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch

from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.data.dataset import Inputs
from dlpilot.preprocessing.base import STATE_VERSION, Preparer


class SequencePreparer(Preparer):
    """Signals as N×C×L float32, standardized per channel."""

    kind = "sequence"

    def __init__(self, shape: Sequence[int]) -> None:
        self.shape = shape

    def fit(self, x: Inputs) -> SequencePreparer:
        self.shape_ = tuple(int(s) for s in self.shape)
        arr = self._signals(x).astype(np.float64)
        mean = arr.mean(axis=(0, 2))
        std = arr.std(axis=(0, 2))
        self.mean_ = mean
        self.std_ = np.where(std > 0, std, 1.0)
        return self

    @property
    def input_shape(self) -> tuple[int, ...]:
        self._check_fitted("mean_")
        return self.shape_

    @property
    def raw_shape(self) -> tuple[int, ...]:
        self._check_fitted("mean_")
        return tuple(self.shape_)

    def transform(self, x: Any) -> torch.Tensor:
        self._check_fitted("mean_")
        arr = self._signals(x).astype(np.float32)
        out = (arr - self.mean_[None, :, None]) / self.std_[None, :, None]
        return torch.from_numpy(np.ascontiguousarray(out, dtype=np.float32))

    def _signals(self, x: Any) -> np.ndarray:
        arr = np.asarray(x)
        if arr.ndim == 2:
            arr = arr[:, None, :]
        if arr.ndim != 3 or tuple(arr.shape[1:]) != tuple(self.shape_):
            raise DataError(
                msg(
                    "Sequence inputs have shape {shape} per sample, but the model expects "
                    "{expected} (channels × length). Give signals of that shape.",
                    shape=str(tuple(arr.shape[1:])),
                    expected=str(tuple(self.shape_)),
                )
            )
        if arr.dtype.kind not in "biuf":
            raise DataError(
                msg("Sequence inputs must be numeric, got dtype {dtype}.", dtype=str(arr.dtype))
            )
        return arr

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check_fitted("mean_")
        meta = {"kind": self.kind, "version": STATE_VERSION, "shape": list(self.shape_)}
        return meta, {"mean": self.mean_.copy(), "std": self.std_.copy()}

    @classmethod
    def _from_state(
        cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> SequencePreparer:
        prep = cls(shape=[int(s) for s in meta["shape"]])
        prep.shape_ = tuple(int(s) for s in meta["shape"])
        prep.mean_ = np.asarray(arrays["mean"], dtype=np.float64)
        prep.std_ = np.asarray(arrays["std"], dtype=np.float64)
        return prep

    def __repr__(self) -> str:
        return f"SequencePreparer(shape={tuple(self.shape)})"
