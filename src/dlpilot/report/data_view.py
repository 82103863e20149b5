"""data_view.json: what the report shows of the data, written while the workflow holds it.

The report is rendered from the run directory alone, so the few things it shows
of the raw data are saved here once, from the development set (training and
validation data; the sealed test set is never read): a handful of samples per
class (images as small PNGs, signals as short series, texts as snippets), a
per-feature summary of a table, and the target's distribution for regression.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dlpilot.core.enums import ColumnKind, Modality, Task
from dlpilot.core.numbers import finite_or_none
from dlpilot.core.records import ProblemSpec
from dlpilot.core.rundir import DATA_VIEW_FILE, NETWORK_VIEW_FILE
from dlpilot.data.dataset import Dataset, ImageFiles, table_view, take
from dlpilot.report.summary import _clean

SAMPLES_PER_CLASS = 6
MAX_CLASSES_SHOWN = 12
SAMPLES_WITHOUT_CLASSES = 12
THUMBNAIL_SIDE = 96
SERIES_POINTS = 256
TEXT_CHARS = 240
MAX_FEATURES = 40
SUMMARY_ROWS = 20_000
TARGET_BINS = 30
MAX_TARGETS_SHOWN = 4


def write_data_view(
    run_dir: str | Path, development: Dataset, spec: ProblemSpec, *, seed: int = 0
) -> Path:
    """Write ``data_view.json`` from the development set; returns its path."""
    rng = np.random.default_rng(seed)
    view: dict[str, Any] = {"n_development": development.n_samples}
    samples = _samples(development, spec, rng)
    if samples is not None:
        view["samples"] = samples
    if spec.modality is Modality.TABULAR:
        view["features"] = _feature_summary(development, spec, rng)
    if spec.task.is_regression:
        view["target"] = _target_histograms(development, spec)
    return _write_json(Path(run_dir) / DATA_VIEW_FILE, view)


def _write_json(path: Path, view: dict[str, Any]) -> Path:
    """Write ``view`` atomically (a reader never sees half a file); NaN becomes null."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(_clean(view), allow_nan=False))
    os.replace(tmp, path)
    return path


# --- samples ---------------------------------------------------------------------------


def _samples(dataset: Dataset, spec: ProblemSpec, rng: np.random.Generator) -> dict | None:
    kind = {
        Modality.IMAGE: "image",
        Modality.SEQUENCE: "sequence",
        Modality.TEXT: "text",
    }.get(spec.modality)
    if kind is None:
        return None
    value_range = _pixel_range(dataset.x) if kind == "image" else None
    groups = []
    for label, idx in _sample_indices(dataset, spec, rng):
        items = [_sample_item(dataset, spec, int(i), kind, value_range) for i in idx]
        groups.append({"label": label, "items": [it for it in items if it is not None]})
    out: dict[str, Any] = {"kind": kind, "groups": groups}
    if value_range is not None:
        out["value_range"] = list(value_range)
    return out


def _pixel_range(x: Any) -> tuple[float, float] | None:
    """The range the images are drawn on: 0–255 for 8-bit pixels, else the data's own minimum
    and maximum (one range for every sample, so they compare; 0–16 digits are not black)."""
    if isinstance(x, ImageFiles):
        return (0.0, 255.0)
    a = x.to_numpy() if isinstance(x, pd.DataFrame) else np.asarray(x)
    if a.dtype == np.uint8:
        return (0.0, 255.0)
    a = a.astype(np.float64, copy=False)
    finite = a[np.isfinite(a)]
    if finite.size == 0:
        return None
    return (float(finite.min()), float(finite.max()))


def _sample_indices(
    dataset: Dataset, spec: ProblemSpec, rng: np.random.Generator
) -> list[tuple[str, np.ndarray]]:
    """(label, row indices) per class for classification; one group of captioned rows otherwise."""
    y = np.asarray(dataset.y)
    if spec.task.is_classification:
        labels = np.array([str(v) for v in y.reshape(len(y), -1)[:, 0]])
        out = []
        for name in list(spec.class_names)[:MAX_CLASSES_SHOWN]:
            rows = np.flatnonzero(labels == name)
            if len(rows):
                pick = rng.choice(rows, min(SAMPLES_PER_CLASS, len(rows)), replace=False)
                out.append((name, np.sort(pick)))
        return out
    n = min(SAMPLES_WITHOUT_CLASSES, len(y))
    return [("", np.sort(rng.choice(len(y), n, replace=False)))]


def _sample_item(
    dataset: Dataset,
    spec: ProblemSpec,
    i: int,
    kind: str,
    value_range: tuple[float, float] | None = None,
) -> dict | None:
    item: dict[str, Any] = {}
    if not spec.task.is_classification:
        item["caption"] = _caption(np.asarray(dataset.y)[i], spec)
    if kind == "image":
        png = _thumbnail_png(_image_hwc(dataset.x, i, spec), value_range)
        if png is None:
            return None
        item["png"] = png
    elif kind == "sequence":
        item["series"] = _series(dataset.x, i)
    else:
        item["text"] = _text(dataset.x, i, spec)
    return item


def _caption(y: Any, spec: ProblemSpec) -> str:
    values = np.asarray(y).reshape(-1)
    if spec.task is Task.MULTILABEL:
        on = [n for n, v in zip(spec.class_names or spec.target_names, values, strict=False) if v]
        return ", ".join(on) or "(no label)"
    return ", ".join(f"{float(v):.4g}" for v in values[:MAX_TARGETS_SHOWN])


def _image_hwc(x: Any, i: int, spec: ProblemSpec) -> np.ndarray:
    """Image ``i`` as H×W×C, raw (not normalized), whatever form the inputs take."""
    if isinstance(x, ImageFiles):
        return x.read(i)
    frame = isinstance(x, pd.DataFrame)
    row = x.iloc[i].to_numpy(dtype=np.float64) if frame else np.asarray(x[i])
    shape = tuple(spec.input_shape)
    if row.ndim == 1 and len(shape) == 3 and row.size == int(np.prod(shape)):
        return np.moveaxis(row.reshape(shape), 0, -1)
    if row.ndim == 1:
        side = math.isqrt(row.size)
        return row[: side * side].reshape(side, side, 1)
    if row.ndim == 2:
        return row[:, :, None]
    if row.shape[0] in (1, 3, 4) and row.shape[-1] not in (1, 3, 4):
        return np.moveaxis(row, 0, -1)
    return row


def _thumbnail_png(arr: np.ndarray, value_range: tuple[float, float] | None = None) -> str | None:
    """A base64 PNG no larger than THUMBNAIL_SIDE; values other than 8-bit pixels are drawn
    from ``value_range`` (low: black, high: white), or from the image's own range."""
    from PIL import Image

    a = np.asarray(arr)
    if a.ndim != 3 or a.size == 0:
        return None
    if a.shape[-1] not in (1, 3, 4):
        a = a[..., :1]
    if a.shape[-1] == 4:
        a = a[..., :3]
    if a.dtype != np.uint8:
        a = a.astype(np.float64)
        finite = a[np.isfinite(a)]
        if finite.size == 0:
            return None
        low, high = value_range or (float(finite.min()), float(finite.max()))
        a = (np.nan_to_num(a, nan=low) - low) / ((high - low) or 1.0) * 255
        a = np.clip(a, 0, 255).round().astype(np.uint8)
    img = Image.fromarray(a[..., 0] if a.shape[-1] == 1 else a)
    if max(img.size) > THUMBNAIL_SIDE:
        img.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _series(x: Any, i: int) -> list[list[float]]:
    """Up to 3 channels of signal ``i``, thinned to about SERIES_POINTS points."""
    row = np.asarray(table_view(x).iloc[i] if isinstance(x, pd.DataFrame) else x[i], dtype=float)
    row = row.reshape(1, -1) if row.ndim == 1 else row.reshape(row.shape[0], -1)
    step = max(1, math.ceil(row.shape[1] / SERIES_POINTS))
    return [[finite_or_none(v, digits=None) for v in channel[::step]] for channel in row[:3]]


def _text(x: Any, i: int, spec: ProblemSpec) -> str:
    if isinstance(x, pd.DataFrame):
        cols = [c for c in spec.feature_columns if c in x.columns] or list(x.columns)
        text = " · ".join(str(v) for v in x.iloc[i][cols].tolist())
    else:
        text = str(np.asarray(x[i]))
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"


# --- tables ----------------------------------------------------------------------------


def _feature_summary(dataset: Dataset, spec: ProblemSpec, rng: np.random.Generator) -> dict:
    """Per-feature statistics of the development set (at most SUMMARY_ROWS rows read)."""
    x = dataset.x
    if isinstance(x, ImageFiles):
        return {"columns": [], "n_columns": 0, "rows_read": 0}
    n = len(x)
    rows = np.sort(rng.choice(n, SUMMARY_ROWS, replace=False)) if n > SUMMARY_ROWS else None
    table = table_view(take(x, rows) if rows is not None else x)
    names = [c for c in spec.feature_columns if c in table.columns] or list(table.columns)
    columns = []
    for name in names[:MAX_FEATURES]:
        kind = dataset.column_kinds.get(name)
        columns.append(_column_stats(table[name], str(kind) if kind else None))
        columns[-1]["name"] = str(name)
    return {"columns": columns, "n_columns": len(names), "rows_read": len(table)}


def _column_stats(col: pd.Series, kind: str | None) -> dict[str, Any]:
    missing = float(col.isna().mean()) if len(col) else 0.0
    numeric = kind in (None, ColumnKind.NUMERIC.value) and pd.api.types.is_numeric_dtype(col)
    if numeric and not pd.api.types.is_bool_dtype(col):
        v = pd.to_numeric(col, errors="coerce").replace([np.inf, -np.inf], np.nan).dropna()
        stats = {"kind": kind or "numeric", "missing": missing, "distinct": int(v.nunique())}
        if len(v):
            stats.update(
                mean=float(v.mean()),
                std=float(v.std(ddof=0)),
                min=float(v.min()),
                median=float(v.median()),
                max=float(v.max()),
            )
        return stats
    values = col.dropna().astype(str)
    counts = values.value_counts()
    out: dict[str, Any] = {
        "kind": kind or "categorical",
        "missing": missing,
        "distinct": int(len(counts)),
        "top": [[str(k), float(c / max(len(values), 1))] for k, c in counts.head(3).items()],
    }
    if kind == ColumnKind.TEXT.value and len(values):
        out["mean_words"] = float(values.str.split().str.len().mean())
        out.pop("top")
    return out


def _target_histograms(dataset: Dataset, spec: ProblemSpec) -> list[dict[str, Any]]:
    y = np.asarray(dataset.y, dtype=np.float64).reshape(len(dataset.y), -1)
    names = list(spec.target_names) or [f"y{i}" for i in range(y.shape[1])]
    out = []
    for j in range(min(y.shape[1], MAX_TARGETS_SHOWN)):
        v = y[:, j][np.isfinite(y[:, j])]
        if not len(v):
            continue
        counts, edges = np.histogram(v, bins=TARGET_BINS)
        out.append(
            {
                "name": names[j] if j < len(names) else f"y{j}",
                "counts": counts.tolist(),
                "edges": edges.tolist(),
                "mean": float(v.mean()),
                "std": float(v.std()),
            }
        )
    return out


# --- what the network sees (issue 16, check 7) -------------------------------------------

# Prepared inputs are standardised, so they are drawn on a fixed scale of this many standard
# units either side of 0 (black −3, grey 0, white +3): inputs off that scale (un-normalised
# pixels, a doubled division) show as white or flat grey, where a min–max stretch would hide
# them.
STANDARD_UNITS = 3.0
# Prepared inputs whose mean or spread lies outside these are called not standardised:
# (largest |mean|, smallest and largest standard deviation). Images and signals are
# standardised per channel, so a batch sits near 0 and 1; 0–1 pixels left as they are (mean
# ~0.5, sd ~0.3) fall outside. Tables hold one-hot and indicator columns beside standardised
# ones, so their band is wider.
STANDARDISED = {
    Modality.IMAGE: (0.5, 0.5, 2.0),
    Modality.SEQUENCE: (0.5, 0.5, 2.0),
    Modality.TABULAR: (1.0, 0.2, 5.0),
}
VIEW_COLUMNS = 12


def write_network_view(
    run_dir: str | Path,
    *,
    raw: Any,
    prepared: np.ndarray,
    augmented: np.ndarray | None,
    augment: list[str],
    spec: ProblemSpec,
) -> Path:
    """Write ``network_view.json``: a few training samples as read (``raw``), as the network's
    first layer receives them (``prepared``: N×…, after the fitted preparer), and after the
    training augmentation (``augmented``, images only); with each view's statistics."""
    prepared = np.asarray(prepared, dtype=np.float64)
    view: dict[str, Any] = {
        "modality": str(spec.modality),
        "n": int(len(prepared)),
        "augment": list(augment),
        "prepared_stats": _stats(prepared),
        "scale": [-STANDARD_UNITS, STANDARD_UNITS],
    }
    if spec.modality is Modality.IMAGE:
        value_range = _pixel_range(raw)
        items = []
        for i in range(len(prepared)):
            item = {
                "raw": _thumbnail_png(_image_hwc(raw, i, spec), value_range),
                "prepared": _thumbnail_png(
                    np.moveaxis(prepared[i], 0, -1), (-STANDARD_UNITS, STANDARD_UNITS)
                ),
            }
            if augmented is not None:
                item["augmented"] = _thumbnail_png(
                    np.moveaxis(np.asarray(augmented[i], dtype=np.float64), 0, -1),
                    (-STANDARD_UNITS, STANDARD_UNITS),
                )
            items.append(item)
        view["items"] = items
    elif spec.modality is Modality.SEQUENCE:
        view["items"] = [
            {"raw": _series(raw, i), "prepared": _series(prepared, i)} for i in range(len(prepared))
        ]
    elif spec.modality is Modality.TABULAR:
        flat = prepared.reshape(len(prepared), -1)
        view["rows"] = [[finite_or_none(v, digits=4) for v in row[:VIEW_COLUMNS]] for row in flat]
        view["n_columns"] = int(flat.shape[1])
    else:  # text: token ids say little drawn; the statistics still tell padding from content
        view["rows"] = [
            [finite_or_none(v, digits=None) for v in row[:VIEW_COLUMNS]]
            for row in prepared.reshape(len(prepared), -1)
        ]
        view["n_columns"] = int(prepared.reshape(len(prepared), -1).shape[1])
    view["standardised"] = standardised(view["prepared_stats"], spec.modality)
    return _write_json(Path(run_dir) / NETWORK_VIEW_FILE, view)


def _stats(a: np.ndarray) -> dict[str, float | None]:
    finite = a[np.isfinite(a)]
    if finite.size == 0:
        return {"mean": None, "std": None, "min": None, "max": None}
    return {
        "mean": finite_or_none(float(finite.mean())),
        "std": finite_or_none(float(finite.std())),
        "min": finite_or_none(float(finite.min())),
        "max": finite_or_none(float(finite.max())),
    }


def standardised(stats: dict[str, float | None], modality: Modality) -> bool:
    """Whether prepared inputs with these statistics look standardised (`STANDARDISED`);
    text (token ids) always passes."""
    band = STANDARDISED.get(modality)
    if band is None:
        return True
    mean, std = stats.get("mean"), stats.get("std")
    if mean is None or std is None:
        return False
    largest_mean, low, high = band
    return abs(mean) <= largest_mean and low <= std <= high
