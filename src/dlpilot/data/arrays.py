"""NumPy ``.npz`` sources with ``x``, ``y`` and optionally ``x_test``, ``y_test``."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from dlpilot.core.enums import Modality
from dlpilot.core.errors import DataError, SourceNotFoundError
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data.dataset import Dataset

# A 3-D array whose second axis is at most this long, and shorter than its
# third, is read as channels × length (a multichannel sequence).
MAX_SEQUENCE_CHANNELS = 8


def load_npz(path: str | Path, *, name: str | None = None) -> Dataset:
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError(f"File '{path}' not found. Check the path and try again.")
    if path.stat().st_size == 0:
        raise DataError(
            f"File '{path}' is empty. Save arrays with numpy.savez(path, x=..., y=...)."
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(
            f"Cannot read '{path}' as a NumPy .npz file ({exc}). Save it with "
            "numpy.savez(path, x=..., y=...); object arrays are not accepted."
        ) from None
    missing = [k for k in ("x", "y") if k not in arrays]
    if missing:
        raise DataError(
            f"'{path}' lacks array(s) {missing}; it holds {sorted(arrays)}. Save inputs as 'x' "
            "and targets as 'y' (and optionally 'x_test', 'y_test')."
        )
    if ("x_test" in arrays) != ("y_test" in arrays):
        raise DataError(f"'{path}' has only one of 'x_test' and 'y_test'. Save both or neither.")
    dataset = arrays_to_dataset(
        arrays["x"],
        arrays["y"],
        x_test=arrays.get("x_test"),
        y_test=arrays.get("y_test"),
        name=path.name,
        source=str(path),
    )
    return dataset if name is None else replace(dataset, name=name)


def arrays_to_dataset(
    x: np.ndarray,
    y: np.ndarray,
    *,
    name: str,
    source: str,
    x_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
) -> Dataset:
    """Arrays in memory, read as an ``.npz`` source's are: ``x`` oriented to N×F, N×C×L or
    N×C×H×W, ``y`` checked, and an official test split (``x_test``, ``y_test``) sealed."""
    x, hint = orient_array(np.asarray(x), name)
    y = _targets(np.asarray(y), "y", name)
    test = None
    if x_test is not None and y_test is not None:
        x_test, _ = orient_array(np.asarray(x_test), name)
        if x_test.shape[1:] != x.shape[1:]:
            raise DataError(
                f"'{name}': x_test has shape {x_test.shape[1:]} per sample but x has "
                f"{x.shape[1:]}. Give both the same shape."
            )
        test = SealedTestSet(
            x_test, _targets(np.asarray(y_test), "y_test", name), origin="official"
        )
    n_targets = 1 if y.ndim == 1 else y.shape[1]
    names = ("y",) if n_targets == 1 else tuple(f"y{i}" for i in range(n_targets))
    return Dataset(
        name=name,
        source=source,
        x=x,
        y=y,
        target_names=names,
        modality_hint=hint,
        test=test,
    )


def _targets(y: np.ndarray, key: str, name: str) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim not in (1, 2):
        raise DataError(f"'{name}': {key} must be 1-D (or 2-D for several targets), got {y.shape}.")
    if y.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(y).reshape(len(y), -1).all(axis=1))
        if len(bad):
            raise DataError(
                f"'{name}': {key} has NaN or infinite values at rows {bad[:5].tolist()}. Drop or "
                "fix those samples."
            )
    return y


def orient_array(x: np.ndarray, name: str) -> tuple[np.ndarray, Modality | None]:
    """Bring an input array to N×F, N×C×L (sequences) or N×C×H×W (images).

    Returns the array and what its shape says about the modality, if anything.
    """
    if x.dtype.kind not in "biuf":
        raise DataError(f"'{name}': x must be numeric, got dtype {x.dtype}. Convert it to numbers.")
    if x.ndim == 2:
        return x, None
    if x.ndim == 3:
        _n, a, b = x.shape
        if a <= MAX_SEQUENCE_CHANNELS < b:
            return x, Modality.SEQUENCE
        if b <= MAX_SEQUENCE_CHANNELS < a:
            return np.ascontiguousarray(x.transpose(0, 2, 1)), Modality.SEQUENCE
        return x[:, None, :, :], Modality.IMAGE
    if x.ndim == 4:
        if x.shape[-1] in (1, 3, 4) and x.shape[1] not in (1, 3, 4):
            x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
        return x, Modality.IMAGE
    raise DataError(
        f"'{name}': x has {x.ndim} dimensions {x.shape}; expected N×F (table or sequence), "
        "N×H×W or N×H×W×C / N×C×H×W (images)."
    )
