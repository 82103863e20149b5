"""NumPy ``.npz`` sources with ``x``, ``y`` and optionally ``x_test``, ``y_test``."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from dlpilot.core.enums import Modality
from dlpilot.core.errors import DataError, SourceNotFoundError
from dlpilot.core.messages import Text, msg
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data.dataset import Dataset
from dlpilot.data.shape_evidence import neighbour_correlation

# A 3-D array whose second axis is at most this long, and shorter than its
# third, is read as channels × length (a multichannel sequence).
MAX_SEQUENCE_CHANNELS = 8
# Otherwise the data decide. A multichannel series is smooth along time (neighbouring steps
# correlate at least SMOOTH_AXIS_CORRELATION) and much less so across its channels (sensors,
# MFCC coefficients: under ANISOTROPY times that); images are about as smooth along both
# axes (sklearn's 8×8 digits: 0.44 and 0.30), and stay the default when no axis is smooth.
SMOOTH_AXIS_CORRELATION = 0.5
ANISOTROPY = 0.5


def load_npz(path: str | Path, *, name: str | None = None) -> Dataset:
    path = Path(path)
    if not path.exists():
        raise SourceNotFoundError(
            msg("File '{path}' not found. Check the path and try again.", path=str(path))
        )
    if path.stat().st_size == 0:
        raise DataError(
            msg(
                "File '{path}' is empty. Save arrays with numpy.savez(path, x=..., y=...).",
                path=str(path),
            )
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(
            msg(
                "Cannot read '{path}' as a NumPy .npz file ({error}). Save it with "
                "numpy.savez(path, x=..., y=...); object arrays are not accepted.",
                path=str(path),
                error=str(exc),
            )
        ) from None
    missing = [k for k in ("x", "y") if k not in arrays]
    if missing:
        raise DataError(
            msg(
                "'{path}' lacks array(s) {missing}; it holds {arrays}. Save inputs as 'x' and "
                "targets as 'y' (and optionally 'x_test', 'y_test').",
                path=str(path),
                missing=missing,
                arrays=sorted(arrays),
            )
        )
    if ("x_test" in arrays) != ("y_test" in arrays):
        raise DataError(
            msg(
                "'{path}' has only one of 'x_test' and 'y_test'. Save both or neither.",
                path=str(path),
            )
        )
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
    x_raw = np.asarray(x)
    x, hint, evidence = orient_array(x_raw, name)
    y = _targets(np.asarray(y), "y", name)
    test = None
    if x_test is not None and y_test is not None:
        x_test = orient_like(np.asarray(x_test), x_raw, name)
        if x_test.shape[1:] != x.shape[1:]:
            raise DataError(
                msg(
                    "'{name}': x_test has shape {test_shape} per sample but x has {shape}. Give "
                    "both the same shape.",
                    name=name,
                    test_shape=str(x_test.shape[1:]),
                    shape=str(x.shape[1:]),
                )
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
        modality_evidence=evidence,
        test=test,
    )


def _targets(y: np.ndarray, key: str, name: str) -> np.ndarray:
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim not in (1, 2):
        raise DataError(
            msg(
                "'{name}': {key} must be 1-D (or 2-D for several targets), got {shape}.",
                name=name,
                key=key,
                shape=str(y.shape),
            )
        )
    if y.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(y).reshape(len(y), -1).all(axis=1))
        if len(bad):
            raise DataError(
                msg(
                    "'{name}': {key} has NaN or infinite values at rows {rows}. Drop or fix "
                    "those samples.",
                    name=name,
                    key=key,
                    rows=str(bad[:5].tolist()),
                )
            )
    return y


def orient_array(x: np.ndarray, name: str) -> tuple[np.ndarray, Modality | None, Text]:
    """Bring an input array to N×F, N×C×L (sequences) or N×C×H×W (images).

    Returns the array, what its shape and content say about the modality (if anything),
    and that evidence in words.
    """
    _check_numeric(x, name)
    if x.ndim == 2:
        return x, None, ""
    if x.ndim == 3:
        how, modality, evidence = _read_3d(x)
        return _apply(x, how), modality, evidence
    if x.ndim == 4:
        x = _channels_first(x)
        shape = "×".join(str(s) for s in x.shape[1:])
        return (
            x,
            Modality.IMAGE,
            msg("a 4-D array: images of {shape} (channels × height × width)", shape=shape),
        )
    raise DataError(
        msg(
            "'{name}': x has {ndim} dimensions {shape}; expected N×F (table or sequence), N×H×W "
            "or N×H×W×C / N×C×H×W (images).",
            name=name,
            ndim=x.ndim,
            shape=str(x.shape),
        )
    )


def orient_like(x: np.ndarray, train: np.ndarray, name: str) -> np.ndarray:
    """Orient a test array as its training array was, whatever its own content would say."""
    _check_numeric(x, name)
    if x.ndim == 3 and train.ndim == 3:
        return _apply(x, _read_3d(train)[0])
    if x.ndim == 4:
        return _channels_first(x)
    return x


def _check_numeric(x: np.ndarray, name: str) -> None:
    if x.dtype.kind not in "biuf":
        raise DataError(
            msg(
                "'{name}': x must be numeric, got dtype {dtype}. Convert it to numbers.",
                name=name,
                dtype=str(x.dtype),
            )
        )


def _channels_first(x: np.ndarray) -> np.ndarray:
    if x.shape[-1] in (1, 3, 4) and x.shape[1] not in (1, 3, 4):
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    return x


def _apply(x: np.ndarray, how: str) -> np.ndarray:
    if how == "transpose":
        return np.ascontiguousarray(x.transpose(0, 2, 1))
    if how == "image":
        return x[:, None, :, :]
    return x


def _read_3d(x: np.ndarray) -> tuple[str, Modality, Text]:
    """N×A×B: a multichannel sequence (either way round) or grey images, by evidence."""
    _n, a, b = x.shape
    if a <= MAX_SEQUENCE_CHANNELS < b:
        return (
            "keep",
            Modality.SEQUENCE,
            msg(
                "{channels} channels × {steps} steps: a short axis beside a long one",
                channels=a,
                steps=b,
            ),
        )
    if b <= MAX_SEQUENCE_CHANNELS < a:
        return (
            "transpose",
            Modality.SEQUENCE,
            msg(
                "{channels} channels × {steps} steps (read transposed): a short axis beside a "
                "long one",
                channels=b,
                steps=a,
            ),
        )
    smooth_a = neighbour_correlation(x, axis=1)
    smooth_b = neighbour_correlation(x, axis=2)
    numbers = msg(
        "neighbour correlation {smooth_a:.2f} along the {a}-long axis, {smooth_b:.2f} along the "
        "{b}-long one",
        smooth_a=smooth_a,
        a=a,
        smooth_b=smooth_b,
        b=b,
    )
    rough, smooth = sorted((smooth_a, smooth_b))
    if smooth < SMOOTH_AXIS_CORRELATION or rough >= ANISOTROPY * smooth:
        return (
            "image",
            Modality.IMAGE,
            msg(
                "{a}×{b} grey images: no axis is smooth while the other is not ({numbers})",
                a=a,
                b=b,
                numbers=numbers,
            ),
        )
    if smooth_b >= smooth_a:
        return (
            "keep",
            Modality.SEQUENCE,
            msg(
                "{channels} channels × {steps} steps: smooth along time only, not an image "
                "({numbers})",
                channels=a,
                steps=b,
                numbers=numbers,
            ),
        )
    return (
        "transpose",
        Modality.SEQUENCE,
        msg(
            "{channels} channels × {steps} steps (read transposed): smooth along time only, not "
            "an image ({numbers})",
            channels=b,
            steps=a,
            numbers=numbers,
        ),
    )
