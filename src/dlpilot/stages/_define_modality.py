"""Stage 0's evidence for the modality, and the shape every sample will have.

An image folder, a typed table (text when a column holds free text), or an array:
a flat one reads as a signal when neighbouring columns correlate far more than
distant ones. Image folders are scanned for their sizes and colour modes.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from dlpilot.core.enums import ColumnKind, FindingCode, Modality, Severity
from dlpilot.core.errors import ConfigError
from dlpilot.core.records import Decision, Finding
from dlpilot.data.dataset import Dataset, ImageFiles
from dlpilot.data.images import scan_headers

STAGE = "define"  # what these find is stage 0's (define.py)

# Flat arrays are read as 1-D signals when neighbouring columns correlate this
# much more than distant ones do.
SEQUENCE_MIN_COLUMNS = 16
SEQUENCE_LOCALITY_GAP = 0.3


def choose_modality(
    dataset: Dataset, override: Modality | None, decisions: list[Decision]
) -> Modality:
    inferred, why = _infer_modality(dataset)
    if override is not None:
        _check_modality_fits(dataset, override)
        if override is not inferred:
            decisions.append(
                Decision(
                    what=f"modality {override} (overridden)",
                    why=f"asked for with --modality; the data alone suggested {inferred} ({why})",
                )
            )
            return override
    decisions.append(Decision(what=f"modality {inferred}", why=why))
    return inferred


def _infer_modality(dataset: Dataset) -> tuple[Modality, str]:
    x = dataset.x
    if isinstance(x, ImageFiles):
        return Modality.IMAGE, f"an image folder of {len(x)} files"
    if isinstance(x, pd.DataFrame):
        text = [c for c, k in dataset.column_kinds.items() if k is ColumnKind.TEXT]
        if text:
            return Modality.TEXT, f"column(s) {text} hold free text (several words per value)"
        return Modality.TABULAR, f"a table of {x.shape[1]} typed columns"
    if dataset.modality_hint is not None:
        shape = "×".join(str(s) for s in x.shape[1:])
        return (
            dataset.modality_hint,
            f"the source gives {dataset.modality_hint} data of shape {shape}",
        )
    if x.ndim == 2 and _looks_sequential(x):
        return Modality.SEQUENCE, (
            f"{x.shape[1]} columns that behave like one signal: neighbouring columns correlate "
            "far more than distant ones"
        )
    return Modality.TABULAR, f"a flat array of {x.shape[1]} features per sample"


def _looks_sequential(x: np.ndarray) -> bool:
    n, f = x.shape
    if f < SEQUENCE_MIN_COLUMNS or n < 10:
        return False
    sample = x[: min(n, 2000)].astype(float)
    std = sample.std(axis=0)
    sample = (sample - sample.mean(axis=0)) / np.where(std > 0, std, 1.0)

    def mean_corr(lag: int) -> float:
        return float(np.mean(np.sum(sample[:, :-lag] * sample[:, lag:], axis=0) / len(sample)))

    return mean_corr(1) - mean_corr(max(2, f // 4)) >= SEQUENCE_LOCALITY_GAP


def _check_modality_fits(dataset: Dataset, modality: Modality) -> None:
    x = dataset.x
    ok = {
        Modality.IMAGE: isinstance(x, ImageFiles)
        or (
            isinstance(x, np.ndarray)
            and (
                x.ndim == 4 or (x.ndim == 2 and _square_side(x.shape[1]) is not None) or x.ndim == 3
            )
        ),
        Modality.SEQUENCE: isinstance(x, np.ndarray) and x.ndim in (2, 3),
        Modality.TABULAR: isinstance(x, (pd.DataFrame, np.ndarray)),
        Modality.TEXT: isinstance(x, pd.DataFrame),
    }[modality]
    if not ok:
        raise ConfigError(
            f"--modality {modality} does not fit this source ({type(x).__name__} of shape "
            f"{getattr(x, 'shape', len(x))}). Leave --modality out to infer it."
        )


def _square_side(n: int) -> int | None:
    side = round(n**0.5)
    return side if side * side == n and side >= 4 else None


def array_shape(
    dataset: Dataset, modality: Modality, decisions: list[Decision], findings: list[Finding]
) -> tuple[int, ...]:
    x = dataset.x
    if isinstance(x, ImageFiles):
        return _image_folder_shape(x, decisions, findings)
    assert isinstance(x, np.ndarray)
    if modality is Modality.IMAGE:
        if x.ndim == 2:
            side = _square_side(x.shape[1])
            decisions.append(
                Decision(
                    what=f"read each row as a {side}×{side} grey image",
                    why=f"{x.shape[1]} features is a perfect square and --modality image was asked for",
                )
            )
            return (1, side, side)
        if x.ndim == 3:
            return (1, *x.shape[1:])
        return tuple(int(s) for s in x.shape[1:])
    if modality is Modality.SEQUENCE:
        return (1, x.shape[1]) if x.ndim == 2 else tuple(int(s) for s in x.shape[1:])
    return (int(np.prod(x.shape[1:])),)


def _image_folder_shape(
    files: ImageFiles, decisions: list[Decision], findings: list[Finding]
) -> tuple[int, ...]:
    sizes, modes = scan_headers(files)
    size_counts = Counter(map(tuple, sizes.tolist()))
    (width, height), n_common = size_counts.most_common(1)[0]
    mode_counts = Counter(modes.tolist())
    grey = set(mode_counts) <= {"1", "L", "LA", "I", "I;16", "F"}
    channels = 1 if grey else 3
    if len(size_counts) > 1:
        smallest = min(size_counts, key=lambda s: s[0] * s[1])
        largest = max(size_counts, key=lambda s: s[0] * s[1])
        findings.append(
            Finding(
                code=FindingCode.MIXED_IMAGE_SIZES,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=(
                    f"{len(size_counts)} different sizes among {len(files)} images: "
                    f"{n_common} are {width}×{height}, the smallest is {smallest[0]}×{smallest[1]}, "
                    f"the largest {largest[0]}×{largest[1]}"
                ),
                action=(
                    f"all images are resized to {width}×{height}; low-resolution images upscaled "
                    "this way can differ in distribution from the rest"
                ),
            )
        )
    if len(mode_counts) > 1:
        findings.append(
            Finding(
                code=FindingCode.MIXED_IMAGE_SIZES,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=f"images come in several colour modes: {dict(mode_counts)}",
                action=f"all images are converted to {'grey' if grey else 'RGB'}",
            )
        )
    decisions.append(
        Decision(
            what=f"image shape {channels}×{height}×{width}",
            why=(
                f"the most common size ({n_common} of {len(files)} images) and "
                f"{'grey' if grey else 'colour'} modes {sorted(mode_counts)}"
            ),
            numbers={"width": width, "height": height, "channels": channels},
        )
    )
    return (channels, height, width)
