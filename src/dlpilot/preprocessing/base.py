"""The base of every fitted preparation, and the registry that rebuilds one from its saved state.

A preparer is fitted on a training split and turns raw inputs into the tensor a network
reads. Its fitted state is plain data (JSON-able values and NumPy arrays), so a model
bundle saves it without pickle; ``Preparer.from_state`` picks the class by the state's
``kind``, which each subclass registers by defining it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import torch

from dlpilot.core.enums import ColumnKind
from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.data.dataset import Inputs

# Written into every saved state; raised when a change would make an older dlpilot misread one.
STATE_VERSION = 1

_KINDS: dict[str, type[Preparer]] = {}


class Preparer:
    """Fitted on a training split; turns raw inputs into a tensor the network reads.

    ``fit`` returns self; what it learned ends in ``_``. ``state()`` is plain data.
    A subclass that sets ``kind`` is registered under it, so ``from_state`` finds it.
    """

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            return
        other = _KINDS.get(cls.kind)
        if other is not None and (other.__module__, other.__qualname__) != (
            cls.__module__,
            cls.__qualname__,
        ):
            raise TypeError(
                f"Preparation kind {cls.kind!r} of {cls.__qualname__} is already registered by "
                f"{other.__module__}.{other.__qualname__}; give the new preparer its own kind."
            )
        _KINDS[cls.kind] = cls

    def fit(self, x: Inputs) -> Preparer:
        raise NotImplementedError

    def transform(self, x: Any) -> torch.Tensor:
        raise NotImplementedError

    @property
    def input_shape(self) -> tuple[int, ...]:
        raise NotImplementedError

    @property
    def vocab_size(self) -> int | None:
        return None

    def pixel_stats(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Images: the per-channel mean and std the inputs were standardised with, as on 0–1
        pixels (a pretrained backbone undoes them). Other inputs: None."""
        return None

    def id_tokens(self) -> list[str] | None:
        """Text: the token each input id stands for, "[PAD]" and "[UNK]" for the reserved ids
        (a pretrained backbone reads the words through its own vocabulary). Others: None."""
        return None

    # --- what the model reads (the bundle's input schema) --------------------------------------

    def input_columns(
        self, column_kinds: Mapping[str, ColumnKind] | None = None
    ) -> tuple[tuple[str, ColumnKind], ...]:
        """The columns it reads, in training order, each with its kind; empty for arrays.

        ``column_kinds`` are the loader's types; where given they win over the fitted ones.
        """
        del column_kinds
        return ()

    @property
    def raw_shape(self) -> tuple[int, ...]:
        """One raw sample's shape: (C, H, W) for images, (C, L) for signals, (F,) for tables."""
        return (len(self.input_columns()),)

    def unknown_categories(self, x: Any) -> dict[str, dict[str, int]]:
        """Per categorical column it reads: the values of ``x`` it has no level for, each with
        its row count, in sorted order (missing values are a level). Empty without categories."""
        del x
        return {}

    # --- saved state -----------------------------------------------------------------------------

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        raise NotImplementedError

    @classmethod
    def from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Preparer:
        """Rebuild a fitted preparer from `state()`'s JSON values and arrays."""
        kind = meta.get("kind")
        if kind not in _KINDS:
            raise DataError(
                msg(
                    "Unknown preparation kind {kind!r} in saved state; expected one of "
                    "{kinds}. The bundle may come from another dlpilot version.",
                    kind=kind,
                    kinds=sorted(_KINDS),
                )
            )
        return _KINDS[kind]._from_state(meta, arrays)

    @classmethod
    def _from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Preparer:
        raise NotImplementedError

    def _check_fitted(self, attr: str) -> None:
        if not hasattr(self, attr):
            raise RuntimeError(f"{type(self).__name__} is not fitted yet; call fit first.")
