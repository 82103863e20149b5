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
from dlpilot.core.messages import Msg, Text, msg
from dlpilot.core.records import Decision, Finding
from dlpilot.data.dataset import Dataset, ImageFiles
from dlpilot.data.images import scan_headers
from dlpilot.data.shape_evidence import (
    column_scale_spread,
    neighbour_correlation,
    row_autocorrelation,
)

STAGE = "define"  # what these find is stage 0's (define.py)

# Flat arrays are read as 1-D signals when neighbouring columns correlate this
# much more than distant ones do ...
SEQUENCE_MIN_COLUMNS = 16
SEQUENCE_LOCALITY_GAP = 0.3
# ... or when, over at least this many columns, neighbours nearly copy each other: a long
# smooth signal (spectra, slow sensor series) correlates with itself far along too, so the
# gap alone misses it (a 100×1460 UCR set was read as a table that way).
SMOOTH_SIGNAL_MIN_COLUMNS = 32
SMOOTH_SIGNAL_CORRELATION = 0.8
# ... or when the columns share one scale and each row repeats or persists along itself
# (median autocorrelation at some lag up to an eighth of the row): the UCR sets score 0.89–1.00,
# tables and bags of words about 0, and tables of mixed units fail the scale test (their
# columns' standard deviations spread over 50–5,000×; the series sets' under 6×).
ROW_AUTOCORRELATION = 0.8
MAX_COLUMN_SCALE_SPREAD = 10.0


def choose_modality(
    dataset: Dataset, override: Modality | None, decisions: list[Decision]
) -> Modality:
    inferred, why = _infer_modality(dataset)
    if override is not None:
        _check_modality_fits(dataset, override)
        if override is not inferred:
            decisions.append(
                Decision(
                    what=msg("modality {modality} (overridden)", modality=override),
                    why=msg(
                        "asked for with --modality; the data alone suggested {inferred} ({why})",
                        inferred=inferred,
                        why=why,
                    ),
                )
            )
            return override
    decisions.append(Decision(what=msg("modality {modality}", modality=inferred), why=why))
    return inferred


def _infer_modality(dataset: Dataset) -> tuple[Modality, Text]:
    x = dataset.x
    if isinstance(x, ImageFiles):
        return Modality.IMAGE, msg("an image folder of {n} files", n=len(x))
    if isinstance(x, pd.DataFrame):
        text = [c for c, k in dataset.column_kinds.items() if k is ColumnKind.TEXT]
        if text:
            return Modality.TEXT, msg(
                "column(s) {columns} hold free text (several words per value)", columns=text
            )
        return Modality.TABULAR, msg("a table of {n} typed columns", n=x.shape[1])
    if dataset.modality_hint is not None:
        shape = "×".join(str(s) for s in x.shape[1:])
        return (
            dataset.modality_hint,
            dataset.modality_evidence
            or msg(
                "the source gives {modality} data of shape {shape}",
                modality=dataset.modality_hint,
                shape=shape,
            ),
        )
    if x.ndim == 2:
        evidence = _sequence_evidence(x)
        if evidence is not None:
            return Modality.SEQUENCE, evidence
    return Modality.TABULAR, msg("a flat array of {n} features per sample", n=x.shape[1])


def _sequence_evidence(x: np.ndarray) -> Msg | None:
    """Why a flat array reads as one signal per row, or None when it does not."""
    n, f = x.shape
    if f < SEQUENCE_MIN_COLUMNS or n < 10:
        return None
    near = neighbour_correlation(x, axis=1)
    far = neighbour_correlation(x, axis=1, lag=max(2, f // 4))
    numbers = msg(
        "neighbouring columns correlate {near:.2f}, columns {apart} apart {far:.2f}",
        near=near,
        apart=max(2, f // 4),
        far=far,
    )
    if near - far >= SEQUENCE_LOCALITY_GAP:
        return msg(
            "{f} columns that behave like one signal: neighbouring columns correlate far more "
            "than distant ones ({numbers})",
            f=f,
            numbers=numbers,
        )
    if f < SMOOTH_SIGNAL_MIN_COLUMNS:
        return None
    if near >= SMOOTH_SIGNAL_CORRELATION:
        return msg(
            "{f} columns of one smooth signal: neighbours nearly copy each other ({numbers})",
            f=f,
            numbers=numbers,
        )
    spread = column_scale_spread(x)
    lag, r = row_autocorrelation(x, max_lag=max(1, f // 8))
    if spread <= MAX_COLUMN_SCALE_SPREAD and r >= ROW_AUTOCORRELATION:
        return msg(
            "{f} columns on one scale (their spreads within {spread:.1f}×) whose rows repeat "
            "along themselves: median autocorrelation {r:.2f} at lag {lag}",
            f=f,
            spread=spread,
            r=r,
            lag=lag,
        )
    return None


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
            msg(
                "--modality {modality} does not fit this source ({kind} of shape "
                "{shape}). Leave --modality out to infer it.",
                modality=modality,
                kind=type(x).__name__,
                shape=str(getattr(x, "shape", len(x))),
            )
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
                    what=msg("read each row as a {side}×{side} grey image", side=side),
                    why=msg(
                        "{n} features is a perfect square and --modality image was asked for",
                        n=x.shape[1],
                    ),
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
                evidence=msg(
                    "{n_sizes} different sizes among {n} images: "
                    "{n_common} are {width}×{height}, the smallest is {small_w}×{small_h}, "
                    "the largest {large_w}×{large_h}",
                    n_sizes=len(size_counts),
                    n=len(files),
                    n_common=n_common,
                    width=width,
                    height=height,
                    small_w=smallest[0],
                    small_h=smallest[1],
                    large_w=largest[0],
                    large_h=largest[1],
                ),
                action=msg(
                    "all images are resized to {width}×{height}; low-resolution images upscaled "
                    "this way can differ in distribution from the rest",
                    width=width,
                    height=height,
                ),
            )
        )
    if len(mode_counts) > 1:
        findings.append(
            Finding(
                code=FindingCode.MIXED_IMAGE_SIZES,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=msg(
                    "images come in several colour modes: {modes}", modes=str(dict(mode_counts))
                ),
                action=msg("all images are converted to grey")
                if grey
                else msg("all images are converted to RGB"),
            )
        )
    decisions.append(
        Decision(
            what=msg(
                "image shape {channels}×{height}×{width}",
                channels=channels,
                height=height,
                width=width,
            ),
            why=msg(
                "the most common size ({n_common} of {n} images) and grey modes {modes}",
                n_common=n_common,
                n=len(files),
                modes=sorted(mode_counts),
            )
            if grey
            else msg(
                "the most common size ({n_common} of {n} images) and colour modes {modes}",
                n_common=n_common,
                n=len(files),
                modes=sorted(mode_counts),
            ),
            numbers={"width": width, "height": height, "channels": channels},
        )
    )
    return (channels, height, width)
