"""Stage 3 — prepare the data.

Vectorize and normalize with statistics of the training split alone, then apply
the same fitted preparation to validation, test and, later, new inputs:

- tables: numeric columns standardized, missing values imputed with the
  training median plus a missing-value indicator, categorical columns one-hot
  with an unknown bucket (a linear layer over a one-hot block is an embedding);
- images: one pixel scale, one shape, optional grayscale, per-channel mean/std;
- sequences: per-channel mean/std;
- text: a tokenizer and a vocabulary fitted on the training split, token ids.

The fitted state is plain data (JSON-able values and NumPy arrays), so a model
bundle saves it without pickle. The stage also checks, with evidence, that the
test inputs look like the training inputs (``split_distribution_shift``) and
that images share one pixel range (``mixed_pixel_range``) and size
(``mixed_image_sizes``). It reads the sealed test set only through
``peek_inputs()``: inputs, never labels.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from dlpilot.core.enums import ColumnKind, FindingCode, Modality, Severity
from dlpilot.core.errors import DataError
from dlpilot.core.policy import SMALL_FIT_THREADS
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.core.sealed import SealedTestSet
from dlpilot.core.targets import encode_target
from dlpilot.data.dataset import Dataset, ImageFiles, Inputs, table_view, take
from dlpilot.data.images import scan_headers
from dlpilot.engine.data import TensorData

if TYPE_CHECKING:  # for annotations only: stages pass typed results, never import each other
    from dlpilot.stages.protocol import Protocol

STAGE = "prepare"
STATE_VERSION = 1

# Tables: a categorical column keeps its most frequent training levels up to this many; rarer
# levels, and levels first seen later, share the unknown bucket.
MAX_CATEGORY_LEVELS = 50
MISSING_LEVEL = "<missing>"

# Text: tokens seen at least this often in training enter the vocabulary, the most frequent
# first, up to its size; sequences are cut or padded to the 95th percentile of training
# lengths, at most the maximum.
MAX_VOCABULARY = 20_000
MIN_TOKEN_COUNT = 2
SEQUENCE_LENGTH_QUANTILE = 0.95
MAX_SEQUENCE_LENGTH = 256
PAD_ID = 0
UNKNOWN_ID = 1
_TOKEN = re.compile(r"\w+|[^\w\s]")

# Images: prepared tensors of every fold are kept in memory while they fit under this many
# bytes (float32); beyond it each fold's images are prepared one by one as the engine reads them.
IMAGE_MEMORY_CAP_BYTES = 2 * 1024**3
# Per-channel statistics of an image folder come from at most this many training images.
IMAGE_STATS_SAMPLE = 10_000
# An image whose largest value is at most this is on the 0–1 scale ...
UNIT_RANGE_MAX = 1.0
# ... and a group of images is on the 0–255 scale when its median largest value exceeds this.
BYTE_RANGE_MEDIAN_MAX = 100.0
_CHUNK = 1024
# ITU-R 601-2 luma, as PIL's "L" mode uses.
_LUMA = (0.299, 0.587, 0.114)

# Augmentation policies for images; the engine implements them and tuning switches them on.
IMAGE_AUGMENTATIONS = ("flip", "crop", "rotate", "erase")

# Train-vs-test shift: at most this many rows from each side are compared.
SHIFT_MAX_ROWS = 5_000
SHIFT_MIN_TEST_ROWS = 20
# A feature drifts when its two-sample test (Kolmogorov–Smirnov for numbers, chi-square for
# categories) rejects equality at this p-value after a Bonferroni correction over the features,
# and the effect is at least this large (KS statistic, or Cramér's V).
DRIFT_P_VALUE = 0.01
DRIFT_MIN_EFFECT = 0.1
# A classifier told to separate training inputs from test inputs: cross-validated ROC-AUC at
# or above this means the two splits are told apart (0.5 = indistinguishable).
ADVERSARIAL_AUC_SHIFT = 0.65
ADVERSARIAL_FOLDS = 3


# --- preparers ------------------------------------------------------------------------------


class Preparer:
    """Fitted on a training split; turns raw inputs into a tensor the network reads.

    ``fit`` returns self; what it learned ends in ``_``. ``state()`` is plain data.
    """

    kind: ClassVar[str] = ""

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

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        raise NotImplementedError

    @classmethod
    def from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Preparer:
        """Rebuild a fitted preparer from `state()`'s JSON values and arrays."""
        kinds = {c.kind: c for c in (TablePreparer, ImagePreparer, SequencePreparer, TextPreparer)}
        kind = meta.get("kind")
        if kind not in kinds:
            raise DataError(
                f"Unknown preparation kind {kind!r} in saved state; expected one of "
                f"{sorted(kinds)}. The bundle may come from another dlpilot version."
            )
        return kinds[kind]._from_state(meta, arrays)

    @classmethod
    def _from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Preparer:
        raise NotImplementedError

    def _check_fitted(self, attr: str) -> None:
        if not hasattr(self, attr):
            raise RuntimeError(f"{type(self).__name__} is not fitted yet; call fit first.")


class TablePreparer(Preparer):
    """Standardize numbers, impute with indicators, one-hot categories with an unknown bucket."""

    kind = "table"

    def __init__(
        self,
        columns: Sequence[str] | None = None,
        column_kinds: Mapping[str, ColumnKind] | None = None,
        max_levels: int = MAX_CATEGORY_LEVELS,
    ) -> None:
        self.columns = columns
        self.column_kinds = column_kinds
        self.max_levels = max_levels

    def fit(self, x: Inputs) -> TablePreparer:
        table = _as_table(x)
        columns = list(self.columns) if self.columns else [str(c) for c in table.columns]
        _require_columns(table, columns)
        kinds = dict(self.column_kinds or {})
        numeric: list[dict[str, Any]] = []
        categorical: list[dict[str, Any]] = []
        means: list[float] = []
        stds: list[float] = []
        medians: list[float] = []
        for col in columns:
            kind = kinds.get(col) or _infer_kind(table[col])
            if kind is ColumnKind.TEXT:
                continue
            if kind is ColumnKind.CATEGORICAL:
                keys = _category_keys(table[col])
                counts = Counter(keys.tolist())
                levels = sorted(counts, key=lambda v: (-counts[v], v))[: self.max_levels]
                categorical.append({"column": col, "levels": levels})
                as_numbers = pd.to_numeric(pd.Series(keys[keys != MISSING_LEVEL]), errors="coerce")
                if len(as_numbers) and as_numbers.notna().all():
                    # Integer codes with few values: keep their order as a number too.
                    values = pd.to_numeric(pd.Series(keys), errors="coerce").to_numpy(float)
                    numeric.append({"column": col, "from_category": True, "indicator": False})
                    _append_stats(values, means, stds, medians)
                continue
            values = _numeric_values(table[col], col)
            has_missing = bool(np.isnan(values).any())
            numeric.append(
                {
                    "column": col,
                    "from_category": False,
                    "indicator": has_missing,
                    "boolean": kind is ColumnKind.BOOLEAN,
                }
            )
            _append_stats(values, means, stds, medians)
        if not numeric and not categorical:
            raise DataError(
                f"No numeric or categorical feature among columns {columns[:10]}; tabular "
                "preparation needs at least one."
            )
        self.columns_ = columns
        self.numeric_ = numeric
        self.categorical_ = categorical
        self.mean_ = np.asarray(means, dtype=np.float64)
        self.std_ = np.asarray(stds, dtype=np.float64)
        self.median_ = np.asarray(medians, dtype=np.float64)
        return self

    @property
    def feature_names(self) -> list[str]:
        self._check_fitted("columns_")
        names = [
            f"{n['column']}:value" if n["from_category"] else n["column"] for n in self.numeric_
        ]
        names += [f"{n['column']}:missing" for n in self.numeric_ if n["indicator"]]
        for c in self.categorical_:
            names += [f"{c['column']}={level}" for level in c["levels"]]
            names.append(f"{c['column']}=<unknown>")
        return names

    @property
    def embedding_blocks(self) -> list[tuple[str, int, int]]:
        """(column, first position, width) of each one-hot block, unknown bucket included."""
        self._check_fitted("columns_")
        start = len(self.numeric_) + sum(n["indicator"] for n in self.numeric_)
        blocks = []
        for c in self.categorical_:
            width = len(c["levels"]) + 1
            blocks.append((c["column"], start, width))
            start += width
        return blocks

    @property
    def input_shape(self) -> tuple[int, ...]:
        return (len(self.feature_names),)

    def transform(self, x: Any) -> torch.Tensor:
        self._check_fitted("columns_")
        table = _as_table(x)
        _require_columns(table, self.columns_)
        n = len(table)
        parts: list[np.ndarray] = []
        if self.numeric_:
            raw = np.empty((n, len(self.numeric_)), dtype=np.float64)
            for j, spec in enumerate(self.numeric_):
                col = spec["column"]
                if spec["from_category"]:
                    keys = _category_keys(table[col])
                    raw[:, j] = pd.to_numeric(pd.Series(keys), errors="coerce").to_numpy(float)
                elif spec.get("boolean"):
                    raw[:, j] = _boolean_values(table[col], col)
                else:
                    raw[:, j] = _numeric_values(table[col], col)
            missing = np.isnan(raw)
            filled = np.where(missing, self.median_, raw)
            parts.append((filled - self.mean_) / self.std_)
            flags = [j for j, spec in enumerate(self.numeric_) if spec["indicator"]]
            if flags:
                parts.append(missing[:, flags].astype(np.float64))
        for spec in self.categorical_:
            levels = spec["levels"]
            keys = _category_keys(table[spec["column"]])
            codes = pd.Index(levels).get_indexer(keys).astype(np.int64)
            codes[codes < 0] = len(levels)
            block = np.zeros((n, len(levels) + 1), dtype=np.float64)
            block[np.arange(n), codes] = 1.0
            parts.append(block)
        return torch.from_numpy(np.concatenate(parts, axis=1).astype(np.float32))

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check_fitted("columns_")
        meta = {
            "kind": self.kind,
            "version": STATE_VERSION,
            "columns": list(self.columns_),
            "numeric": [dict(n) for n in self.numeric_],
            "categorical": [
                {"column": c["column"], "levels": list(c["levels"])} for c in self.categorical_
            ],
            "max_levels": self.max_levels,
        }
        return meta, {
            "mean": self.mean_.copy(),
            "std": self.std_.copy(),
            "median": self.median_.copy(),
        }

    @classmethod
    def _from_state(
        cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> TablePreparer:
        prep = cls(
            columns=list(meta["columns"]),
            max_levels=int(meta.get("max_levels", MAX_CATEGORY_LEVELS)),
        )
        prep.columns_ = list(meta["columns"])
        prep.numeric_ = [dict(n) for n in meta["numeric"]]
        prep.categorical_ = [
            {"column": c["column"], "levels": list(c["levels"])} for c in meta["categorical"]
        ]
        prep.mean_ = np.asarray(arrays["mean"], dtype=np.float64)
        prep.std_ = np.asarray(arrays["std"], dtype=np.float64)
        prep.median_ = np.asarray(arrays["median"], dtype=np.float64)
        return prep

    def __repr__(self) -> str:
        if not hasattr(self, "columns_"):
            return "TablePreparer(unfitted)"
        return (
            f"TablePreparer(numeric={len(self.numeric_)}, categorical={len(self.categorical_)}, "
            f"width={self.input_shape[0]})"
        )


class ImagePreparer(Preparer):
    """One pixel scale, one shape (C×H×W), optional grayscale, per-channel mean/std."""

    kind = "image"

    def __init__(self, shape: Sequence[int], grayscale: bool = False) -> None:
        self.shape = shape
        self.grayscale = grayscale

    def fit(self, x: Inputs) -> ImagePreparer:
        channels, height, width = (int(s) for s in self.shape)
        self.source_channels_ = channels
        self.size_ = (height, width)
        self.out_channels_ = 1 if self.grayscale else channels
        if isinstance(x, ImageFiles):
            idx = np.arange(len(x))
            if len(idx) > IMAGE_STATS_SAMPLE:
                rng = np.random.default_rng(0)
                idx = np.sort(rng.choice(idx, IMAGE_STATS_SAMPLE, replace=False))
            self.stats_images_ = len(idx)
            x = decode_images(take(x, idx), channels=channels, size=self.size_)
        else:
            self.stats_images_ = len(x)
        arr = np.asarray(x)
        maxima = _image_maxima(arr)
        n_unit, n_wide, wide_median = _pixel_groups(maxima)
        # Rescale 0–1 images to the training scale when training is on 0–255, and the reverse.
        self.unit_to_byte_ = bool(n_wide and wide_median > BYTE_RANGE_MEDIAN_MAX)
        self.byte_to_unit_ = bool(n_unit and not n_wide and arr.dtype.kind == "f")
        self.pixel_groups_ = {"unit": n_unit, "wide": n_wide, "wide_median_max": wide_median}
        total = np.zeros(self.out_channels_)
        total_sq = np.zeros(self.out_channels_)
        count = 0
        for start in range(0, len(arr), _CHUNK):
            chunk = self._pixels(arr[start : start + _CHUNK]).double()
            total += chunk.sum(dim=(0, 2, 3)).numpy()
            total_sq += (chunk**2).sum(dim=(0, 2, 3)).numpy()
            count += chunk.shape[0] * chunk.shape[2] * chunk.shape[3]
        mean = total / max(count, 1)
        var = np.maximum(total_sq / max(count, 1) - mean**2, 0.0)
        std = np.sqrt(var)
        self.mean_ = mean
        self.std_ = np.where(std > 0, std, 1.0)
        return self

    @property
    def input_shape(self) -> tuple[int, ...]:
        self._check_fitted("mean_")
        return (self.out_channels_, *self.size_)

    def transform(self, x: Any) -> torch.Tensor:
        self._check_fitted("mean_")
        if isinstance(x, (list, tuple)):
            x = ImageFiles(tuple(x))
        if isinstance(x, ImageFiles):
            x = decode_images(x, channels=self.source_channels_, size=self.size_)
        arr = np.asarray(x)
        out = torch.empty((len(arr), *self.input_shape), dtype=torch.float32)
        mean = torch.as_tensor(self.mean_, dtype=torch.float32).view(1, -1, 1, 1)
        std = torch.as_tensor(self.std_, dtype=torch.float32).view(1, -1, 1, 1)
        for start in range(0, len(arr), _CHUNK):
            chunk = self._pixels(arr[start : start + _CHUNK])
            out[start : start + len(chunk)] = (chunk - mean) / std
        return out

    def _pixels(self, arr: np.ndarray) -> torch.Tensor:
        """Raw images → float32 N×C×H×W on one scale, in the target channels and size."""
        # A copy: rescaling below works in place and must not touch the caller's array.
        t = torch.from_numpy(
            np.array(_as_nchw(arr, self.source_channels_, self.size_), dtype=np.float32, order="C")
        )
        if self.unit_to_byte_ or self.byte_to_unit_:
            maxima = t.amax(dim=(1, 2, 3))
            if self.unit_to_byte_:
                unit = (maxima > 0) & (maxima <= UNIT_RANGE_MAX)
                t[unit] = t[unit] * 255.0
            else:
                wide = maxima > UNIT_RANGE_MAX
                t[wide] = t[wide] / 255.0
        t = _match_channels(t, 1 if self.grayscale else self.source_channels_)
        if tuple(t.shape[2:]) != self.size_:
            t = _resize(t, self.size_)
        return t

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check_fitted("mean_")
        meta = {
            "kind": self.kind,
            "version": STATE_VERSION,
            "shape": [self.source_channels_, *self.size_],
            "grayscale": self.grayscale,
            "unit_to_byte": self.unit_to_byte_,
            "byte_to_unit": self.byte_to_unit_,
            "stats_images": self.stats_images_,
        }
        return meta, {"mean": self.mean_.copy(), "std": self.std_.copy()}

    @classmethod
    def _from_state(
        cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> ImagePreparer:
        shape = [int(s) for s in meta["shape"]]
        prep = cls(shape=shape, grayscale=bool(meta["grayscale"]))
        prep.source_channels_ = shape[0]
        prep.size_ = (shape[1], shape[2])
        prep.out_channels_ = 1 if prep.grayscale else shape[0]
        prep.unit_to_byte_ = bool(meta["unit_to_byte"])
        prep.byte_to_unit_ = bool(meta["byte_to_unit"])
        prep.stats_images_ = int(meta.get("stats_images", 0))
        prep.pixel_groups_ = {}
        prep.mean_ = np.asarray(arrays["mean"], dtype=np.float64)
        prep.std_ = np.asarray(arrays["std"], dtype=np.float64)
        return prep

    def __repr__(self) -> str:
        if not hasattr(self, "mean_"):
            return f"ImagePreparer(shape={tuple(self.shape)}, unfitted)"
        return f"ImagePreparer(input_shape={self.input_shape}, mean={np.round(self.mean_, 3).tolist()})"


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
                f"Sequence inputs have shape {tuple(arr.shape[1:])} per sample, but the model "
                f"expects {tuple(self.shape_)} (channels × length). Give signals of that shape."
            )
        if arr.dtype.kind not in "biuf":
            raise DataError(f"Sequence inputs must be numeric, got dtype {arr.dtype}.")
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


class TextPreparer(Preparer):
    """Lower-cased word and punctuation tokens; a vocabulary of the training split; ids N×L."""

    kind = "text"

    def __init__(
        self,
        columns: Sequence[str] | None = None,
        max_vocabulary: int = MAX_VOCABULARY,
        min_count: int = MIN_TOKEN_COUNT,
        max_length: int = MAX_SEQUENCE_LENGTH,
    ) -> None:
        self.columns = columns
        self.max_vocabulary = max_vocabulary
        self.min_count = min_count
        self.max_length = max_length

    def fit(self, x: Inputs) -> TextPreparer:
        table = _as_table(x)
        columns = list(self.columns) if self.columns else [str(c) for c in table.columns]
        _require_columns(table, columns)
        self.columns_ = columns
        docs = [tokenize(t) for t in self._texts(table)]
        counts = Counter(tok for doc in docs for tok in doc)
        kept = [t for t, c in counts.items() if c >= self.min_count] or list(counts)
        kept.sort(key=lambda t: (-counts[t], t))
        self.vocabulary_ = kept[: self.max_vocabulary]
        self.index_ = {t: i + 2 for i, t in enumerate(self.vocabulary_)}
        lengths = np.asarray([len(d) for d in docs]) if docs else np.asarray([1])
        self.length_ = int(
            min(self.max_length, max(1, math.ceil(np.quantile(lengths, SEQUENCE_LENGTH_QUANTILE))))
        )
        self.train_lengths_ = {
            "median": float(np.median(lengths)),
            "quantile": float(np.quantile(lengths, SEQUENCE_LENGTH_QUANTILE)),
            "max": int(lengths.max()),
        }
        return self

    @property
    def input_shape(self) -> tuple[int, ...]:
        self._check_fitted("length_")
        return (self.length_,)

    @property
    def vocab_size(self) -> int | None:
        self._check_fitted("vocabulary_")
        return len(self.vocabulary_) + 2

    def token_ids(self, x: Any) -> list[list[int]]:
        """Unpadded, untruncated ids per text (unknown tokens → UNKNOWN_ID)."""
        self._check_fitted("vocabulary_")
        table = _as_table(x)
        _require_columns(table, self.columns_)
        return [[self.index_.get(t, UNKNOWN_ID) for t in tokenize(s)] for s in self._texts(table)]

    def transform(self, x: Any) -> torch.Tensor:
        ids = self.token_ids(x)
        out = np.full((len(ids), self.length_), PAD_ID, dtype=np.int64)
        for i, row in enumerate(ids):
            row = row[: self.length_]
            out[i, : len(row)] = row
        return torch.from_numpy(out)

    def _texts(self, table: pd.DataFrame) -> list[str]:
        parts = [table[c].map(lambda v: "" if _is_missing(v) else str(v)) for c in self.columns_]
        joined = parts[0]
        for p in parts[1:]:
            joined = joined + " " + p
        return joined.tolist()

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check_fitted("vocabulary_")
        meta = {
            "kind": self.kind,
            "version": STATE_VERSION,
            "columns": list(self.columns_),
            "vocabulary": list(self.vocabulary_),
            "length": self.length_,
            "max_vocabulary": self.max_vocabulary,
            "min_count": self.min_count,
            "max_length": self.max_length,
        }
        return meta, {}

    @classmethod
    def _from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> TextPreparer:
        prep = cls(
            columns=list(meta["columns"]),
            max_vocabulary=int(meta["max_vocabulary"]),
            min_count=int(meta["min_count"]),
            max_length=int(meta["max_length"]),
        )
        prep.columns_ = list(meta["columns"])
        prep.vocabulary_ = list(meta["vocabulary"])
        prep.index_ = {t: i + 2 for i, t in enumerate(prep.vocabulary_)}
        prep.length_ = int(meta["length"])
        prep.train_lengths_ = {}
        return prep

    def __repr__(self) -> str:
        if not hasattr(self, "vocabulary_"):
            return "TextPreparer(unfitted)"
        return f"TextPreparer(vocab_size={self.vocab_size}, length={self.length_})"


def tokenize(text: str) -> list[str]:
    """Lower-cased words and punctuation marks."""
    return _TOKEN.findall(text.lower())


def fit_preparer(
    x: Inputs,
    y: np.ndarray | None,
    spec: ProblemSpec,
    *,
    grayscale: bool = False,
    column_kinds: Mapping[str, ColumnKind] | None = None,
) -> Preparer:
    """Fit the preparation ``spec.modality`` calls for on training inputs ``x`` alone.

    ``y`` is accepted for target-aware encodings; none of the current ones uses it.
    """
    del y
    if spec.modality is Modality.TABULAR:
        return TablePreparer(columns=spec.feature_columns or None, column_kinds=column_kinds).fit(x)
    if spec.modality is Modality.TEXT:
        return TextPreparer(columns=spec.feature_columns or None).fit(x)
    if spec.modality is Modality.IMAGE:
        return ImagePreparer(shape=spec.input_shape, grayscale=grayscale).fit(x)
    return SequencePreparer(shape=spec.input_shape).fit(x)


# --- the stage --------------------------------------------------------------------------------


class ImageStream(torch.utils.data.Dataset):
    """Images prepared one at a time as they are read, for sets too large to hold prepared.

    Reads rows ``idx`` of ``x`` (an array or `ImageFiles`); yields (C×H×W float32, target).
    """

    def __init__(
        self, x: np.ndarray | ImageFiles, idx: np.ndarray, y: torch.Tensor, preparer: ImagePreparer
    ) -> None:
        self.x = x
        self.idx = np.asarray(idx, dtype=np.int64)
        self.y = y
        self.preparer = preparer

    def __len__(self) -> int:
        return len(self.idx)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        raw = take(self.x, self.idx[i : i + 1])
        return self.preparer.transform(raw)[0], self.y[i]

    def subset(self, index: torch.Tensor | np.ndarray) -> ImageStream:
        """The stream over rows ``index`` of this one (as `TensorData.subset`)."""
        index = np.asarray(index, dtype=np.int64)
        return ImageStream(self.x, self.idx[index], self.y[torch.from_numpy(index)], self.preparer)

    def __repr__(self) -> str:
        return f"ImageStream(n={len(self)}, input_shape={self.preparer.input_shape})"


@dataclass(frozen=True, eq=False)
class PreparedFold:
    """One protocol split, prepared by a preparer fitted on its training part alone."""

    train: TensorData | torch.utils.data.Dataset
    val: TensorData | torch.utils.data.Dataset
    preparer: Preparer


@dataclass(frozen=True, eq=False)
class PreparedData:
    """Stage 3's result: every split prepared, with what preparation decided and found."""

    folds: tuple[PreparedFold, ...]
    input_shape: tuple[int, ...]
    vocab_size: int | None
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    # Augmentation policies that apply to this modality; tuning may switch them on.
    augmentations: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"PreparedData(folds={len(self.folds)}, input_shape={self.input_shape}, "
            f"vocab_size={self.vocab_size}, findings={[str(f.code) for f in self.findings]})"
        )


def prepare_development(
    development: Dataset, spec: ProblemSpec, *, grayscale: bool = False
) -> tuple[Preparer, TensorData | ImageStream]:
    """Fit the preparation on all development data and apply it: the final training set.

    Images that do not fit the memory cap stream, as in `prepare_data`.
    """
    x_dev: Any = development.x
    y_dev = torch.from_numpy(encode_target(development.y, spec))
    stream = False
    if spec.modality is Modality.IMAGE:
        x_dev, stream = _image_storage(x_dev, spec, grayscale, 1, [])
    preparer = fit_preparer(
        x_dev, development.y, spec, grayscale=grayscale, column_kinds=development.column_kinds
    )
    if stream:
        assert isinstance(preparer, ImagePreparer)
        return preparer, ImageStream(x_dev, np.arange(len(y_dev)), y_dev, preparer)
    return preparer, TensorData(preparer.transform(x_dev), y_dev)


def prepare_data(
    development: Dataset,
    spec: ProblemSpec,
    protocol: Protocol,
    *,
    test: SealedTestSet | None = None,
    grayscale: bool = False,
) -> PreparedData:
    """Fit a preparer on each split's training part, apply it to both parts, and check the data.

    ``protocol`` is stage 2's `Protocol` (its ``splits`` index ``development``). ``test``, if
    given, is read through ``peek_inputs()`` only, for the train-vs-test checks.
    """
    decisions: list[Decision] = []
    findings: list[Finding] = []
    x_dev: Any = development.x
    y_dev = torch.from_numpy(encode_target(development.y, spec))
    splits = tuple(protocol.splits)
    if not splits:
        raise DataError("The protocol has no splits; choose the protocol before preparing data.")

    stream = False
    if spec.modality is Modality.IMAGE:
        x_dev, stream = _image_storage(x_dev, spec, grayscale, len(splits), decisions)
        findings.extend(_pixel_range_findings(x_dev, "the development set"))

    folds: list[PreparedFold] = []
    for split in splits:
        x_train = take(x_dev, split.train)
        preparer = fit_preparer(
            x_train,
            development.y[split.train],
            spec,
            grayscale=grayscale,
            column_kinds=development.column_kinds,
        )
        if stream:
            assert isinstance(preparer, ImagePreparer)
            train: Any = ImageStream(x_dev, split.train, y_dev[split.train], preparer)
            val: Any = ImageStream(x_dev, split.val, y_dev[split.val], preparer)
        else:
            train = TensorData(preparer.transform(x_train), y_dev[split.train])
            val = TensorData(preparer.transform(take(x_dev, split.val)), y_dev[split.val])
        folds.append(PreparedFold(train=train, val=val, preparer=preparer))

    first = folds[0].preparer
    decisions.extend(_describe(first, spec, len(splits)))
    augmentations: tuple[str, ...] = ()
    if spec.modality is Modality.IMAGE:
        augmentations = IMAGE_AUGMENTATIONS
        decisions.append(
            Decision(
                what=f"augmentation policies available to tuning: {', '.join(augmentations)}",
                why=(
                    "random flips, crops with padding, small rotations and random erasing "
                    "multiply the images a network sees; they are a regularizer, so tuning "
                    "switches them on and keeps them only if validation improves"
                ),
            )
        )

    if test is not None:
        test_x = test.peek_inputs()
        if spec.modality is Modality.IMAGE:
            findings.extend(_test_image_findings(x_dev, test_x, spec))
        shift_findings, shift_decisions = check_distribution_shift(first, spec, x_dev, test_x)
        findings.extend(shift_findings)
        decisions.extend(shift_decisions)
    else:
        decisions.append(
            Decision(
                what="no train-vs-test shift check",
                why="no test set was given to the preparation stage",
            )
        )
    return PreparedData(
        folds=tuple(folds),
        input_shape=tuple(first.input_shape),
        vocab_size=first.vocab_size,
        decisions=tuple(decisions),
        findings=tuple(findings),
        augmentations=augmentations,
    )


def _describe(prep: Preparer, spec: ProblemSpec, n_splits: int) -> list[Decision]:
    fitted = (
        f"fitted on each of the {n_splits} training splits alone"
        if n_splits > 1
        else "fitted on the training split alone"
    )
    out: list[Decision] = []
    if isinstance(prep, TablePreparer):
        plain = [n["column"] for n in prep.numeric_ if not n["from_category"]]
        imputed = [n["column"] for n in prep.numeric_ if n["indicator"]]
        if plain:
            out.append(
                Decision(
                    what=f"standardize {len(plain)} numeric column(s)",
                    why=f"mean 0 and standard deviation 1 keep gradients balanced; statistics {fitted}",
                    numbers={"columns": plain[:20]},
                )
            )
        if imputed:
            out.append(
                Decision(
                    what=f"impute missing values in {imputed[:10]} with the training median, plus "
                    "a missing-value indicator each",
                    why="a network cannot read NaN, and whether a value was missing can itself "
                    "carry signal",
                    numbers={"columns": imputed},
                )
            )
        if prep.categorical_:
            widths = {c["column"]: len(c["levels"]) + 1 for c in prep.categorical_}
            out.append(
                Decision(
                    what=f"one-hot encode {len(widths)} categorical column(s) with an unknown "
                    "bucket each",
                    why=(
                        f"each keeps at most its {MAX_CATEGORY_LEVELS} most frequent training "
                        "levels; rarer and unseen levels go to the unknown bucket. A linear layer "
                        "over a one-hot block is an embedding lookup"
                    ),
                    numbers={"widths": widths},
                )
            )
        out.append(
            Decision(
                what=f"tabular inputs become {prep.input_shape[0]} features",
                why="numeric values, missing-value indicators and one-hot blocks side by side",
            )
        )
    elif isinstance(prep, ImagePreparer):
        c, h, w = prep.input_shape
        out.append(
            Decision(
                what=f"images as {c}×{h}×{w} tensors, normalized per channel",
                why=f"per-channel mean and standard deviation {fitted}"
                + ("; grayscale was asked for to cut compute" if prep.grayscale else ""),
                numbers={
                    "mean": np.round(prep.mean_, 4).tolist(),
                    "std": np.round(prep.std_, 4).tolist(),
                    "images_for_statistics": prep.stats_images_,
                },
            )
        )
    elif isinstance(prep, SequencePreparer):
        out.append(
            Decision(
                what=f"signals as {'×'.join(map(str, prep.input_shape))} tensors, standardized "
                "per channel",
                why=f"per-channel mean and standard deviation {fitted}",
                numbers={
                    "mean": np.round(prep.mean_, 4).tolist(),
                    "std": np.round(prep.std_, 4).tolist(),
                },
            )
        )
    elif isinstance(prep, TextPreparer):
        out.append(
            Decision(
                what=f"text as token ids: a vocabulary of {prep.vocab_size:,} (padding and unknown "
                f"included), sequences of {prep.length_} tokens",
                why=(
                    f"lower-cased word and punctuation tokens seen at least {prep.min_count} times "
                    f"in training (at most {prep.max_vocabulary:,}); the length is the "
                    f"{SEQUENCE_LENGTH_QUANTILE:.0%} quantile of training lengths (at most "
                    f"{prep.max_length}); vocabulary {fitted}"
                ),
                numbers={
                    "vocab_size": prep.vocab_size,
                    "length": prep.length_,
                    **prep.train_lengths_,
                },
            )
        )
    return out


# --- images -------------------------------------------------------------------------------------


def decode_images(files: ImageFiles, *, channels: int, size: tuple[int, int]) -> np.ndarray:
    """Decode image files as uint8 N×C×H×W, converted to grey (1) or RGB (3), resized to H×W."""
    mode = "L" if channels == 1 else "RGB"
    height, width = size
    out = np.empty((len(files), channels, height, width), dtype=np.uint8)
    for i in range(len(files)):
        out[i] = files.read(i, mode=mode, size=(width, height)).transpose(2, 0, 1)
    return out


def _image_storage(
    x: Any, spec: ProblemSpec, grayscale: bool, n_splits: int, decisions: list[Decision]
) -> tuple[Any, bool]:
    """Decide whether prepared images are held in memory; decode an image folder once if so."""
    channels, height, width = (int(s) for s in spec.input_shape)
    out_channels = 1 if grayscale else channels
    n = len(x)
    prepared_bytes = n_splits * n * out_channels * height * width * 4
    decoded_bytes = n * channels * height * width
    in_memory = prepared_bytes <= IMAGE_MEMORY_CAP_BYTES
    mib = prepared_bytes / 2**20
    cap = IMAGE_MEMORY_CAP_BYTES / 2**30
    if in_memory:
        decisions.append(
            Decision(
                what=f"hold the prepared images in memory ({mib:,.0f} MiB)",
                why=f"{n_splits} split(s) of {n:,} images fit under the {cap:.0f} GiB cap",
                numbers={"bytes": prepared_bytes, "cap_bytes": IMAGE_MEMORY_CAP_BYTES},
            )
        )
    if isinstance(x, ImageFiles) and (in_memory or decoded_bytes <= IMAGE_MEMORY_CAP_BYTES):
        x = decode_images(x, channels=channels, size=(height, width))
    if not in_memory:
        where = "from memory" if isinstance(x, np.ndarray) else "from disk"
        decisions.append(
            Decision(
                what=f"prepare images one at a time as training reads them ({where})",
                why=f"prepared tensors of {n_splits} split(s) would take {mib:,.0f} MiB, over "
                f"the {cap:.0f} GiB cap",
                numbers={"bytes": prepared_bytes, "cap_bytes": IMAGE_MEMORY_CAP_BYTES},
            )
        )
    return x, not in_memory


def _as_nchw(arr: np.ndarray, channels: int, size: tuple[int, int]) -> np.ndarray:
    if arr.dtype.kind not in "biuf":
        raise DataError(f"Images must be numeric arrays, got dtype {arr.dtype}.")
    if arr.ndim == 2:
        per = channels * size[0] * size[1]
        side = math.isqrt(arr.shape[1])
        if arr.shape[1] == per:
            return arr.reshape(len(arr), channels, *size)
        if side * side == arr.shape[1]:
            return arr.reshape(len(arr), 1, side, side)
    if arr.ndim == 3:
        return arr[:, None, :, :]
    if arr.ndim == 4:
        if arr.shape[1] == channels:
            return arr
        channels_last = arr.shape[-1] == channels or (
            arr.shape[-1] in (1, 3, 4) and arr.shape[1] not in (1, 3, 4)
        )
        return arr.transpose(0, 3, 1, 2) if channels_last else arr
    raise DataError(
        f"Images of shape {arr.shape[1:]} cannot be read; expected C×H×W, H×W×C or H×W arrays "
        f"(the model expects {channels}×{size[0]}×{size[1]})."
    )


def _resize(t: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Area averaging to shrink, bilinear interpolation otherwise."""
    if t.shape[2] >= size[0] and t.shape[3] >= size[1]:
        return F.interpolate(t, size=size, mode="area")
    return F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=True)


def _match_channels(t: torch.Tensor, channels: int) -> torch.Tensor:
    have = t.shape[1]
    if have == channels:
        return t
    if channels == 1 and have in (3, 4):
        w = torch.tensor(_LUMA, dtype=t.dtype).view(1, 3, 1, 1)
        return (t[:, :3] * w).sum(dim=1, keepdim=True)
    if channels == 1 and have == 2:
        return t[:, :1]
    if channels == 3 and have == 4:
        return t[:, :3]
    if channels == 3 and have in (1, 2):
        return t[:, :1].repeat(1, 3, 1, 1)
    raise DataError(f"Images have {have} channels; the model expects {channels}.")


def _image_maxima(arr: np.ndarray) -> np.ndarray:
    if isinstance(arr, ImageFiles):
        return np.zeros(0)
    flat = arr.reshape(len(arr), -1)
    return np.asarray(flat.max(axis=1), dtype=np.float64) if flat.size else np.zeros(len(arr))


def _pixel_groups(maxima: np.ndarray) -> tuple[int, int, float]:
    """(images on 0–1, images beyond 1, median largest value of the latter)."""
    unit = (maxima > 0) & (maxima <= UNIT_RANGE_MAX)
    wide = maxima > UNIT_RANGE_MAX
    median = float(np.median(maxima[wide])) if wide.any() else 0.0
    return int(unit.sum()), int(wide.sum()), median


def _pixel_range_findings(x: Any, where: str) -> list[Finding]:
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        return []
    n_unit, n_wide, wide_median = _pixel_groups(_image_maxima(x))
    if not (n_unit and n_wide and wide_median > BYTE_RANGE_MEDIAN_MAX):
        return []
    return [
        Finding(
            code=FindingCode.MIXED_PIXEL_RANGE,
            severity=Severity.WARNING,
            stage=STAGE,
            evidence=(
                f"in {where}, {n_unit} of {n_unit + n_wide} images have no value above "
                f"{UNIT_RANGE_MAX:g} (a 0–1 scale) while {n_wide} reach a median largest value "
                f"of {wide_median:.0f} (a 0–255 scale)"
            ),
            action=(
                "the 0–1 images are multiplied by 255 before normalization so all share one "
                "scale; check how the images were exported"
            ),
        )
    ]


def _test_image_findings(x_dev: Any, test_x: Any, spec: ProblemSpec) -> list[Finding]:
    findings: list[Finding] = []
    if isinstance(test_x, ImageFiles):
        sizes, _ = scan_headers(test_x)
        _, height, width = spec.input_shape
        other = int(np.sum((sizes[:, 0] != width) | (sizes[:, 1] != height)))
        if other:
            shown = Counter(map(tuple, sizes.tolist())).most_common(3)
            findings.append(
                Finding(
                    code=FindingCode.MIXED_IMAGE_SIZES,
                    severity=Severity.WARNING,
                    stage=STAGE,
                    evidence=(
                        f"{other} of {len(test_x)} test images are not {width}×{height}, the "
                        f"training size (most common test sizes: "
                        f"{', '.join(f'{w}×{h} ({c})' for (w, h), c in shown)})"
                    ),
                    action=f"test images are resized to {width}×{height} like training images; "
                    "resized images can differ in distribution from the rest",
                )
            )
        return findings
    if not isinstance(test_x, np.ndarray) or not isinstance(x_dev, np.ndarray):
        return findings
    findings.extend(_pixel_range_findings(test_x, "the test set"))
    dev_unit, dev_wide, dev_median = _pixel_groups(_image_maxima(x_dev))
    test_unit, test_wide, test_median = _pixel_groups(_image_maxima(test_x))
    dev_byte = dev_wide > dev_unit and dev_median > BYTE_RANGE_MEDIAN_MAX
    test_byte = test_wide > test_unit and test_median > BYTE_RANGE_MEDIAN_MAX
    dev_scale = "0–255" if dev_byte else "0–1" if dev_unit > dev_wide else None
    test_scale = "0–255" if test_byte else "0–1" if test_unit > test_wide else None
    if dev_scale and test_scale and dev_scale != test_scale:
        findings.append(
            Finding(
                code=FindingCode.MIXED_PIXEL_RANGE,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=(
                    f"training images are on a {dev_scale} scale ({max(dev_unit, dev_wide)} of "
                    f"{dev_unit + dev_wide}) but test images on {test_scale} "
                    f"({max(test_unit, test_wide)} of {test_unit + test_wide})"
                ),
                action="test images are brought to the training scale before normalization; "
                "check how each split was exported",
            )
        )
    return findings


# --- train-vs-test shift ------------------------------------------------------------------------


def check_distribution_shift(
    preparer: Preparer, spec: ProblemSpec, train_x: Any, test_x: Any, *, seed: int = 0
) -> tuple[list[Finding], list[Decision]]:
    """Per-feature drift tests and an adversarial-validation ROC-AUC, train inputs vs test inputs."""
    n_test = len(test_x)
    if n_test < SHIFT_MIN_TEST_ROWS:
        return [], [
            Decision(
                what="no train-vs-test shift check",
                why=f"the test set has {n_test} samples (fewer than {SHIFT_MIN_TEST_ROWS})",
            )
        ]
    rng = np.random.default_rng(seed)
    train_rows = _sample_rows(len(train_x), rng)
    test_rows = _sample_rows(n_test, rng)
    a = take(train_x, train_rows)
    b = take(test_x, test_rows)
    drifts = _feature_drift(preparer, a, b)
    features_a = _shift_matrix(preparer, a)
    features_b = _shift_matrix(preparer, b)
    auc = _adversarial_auc(features_a, features_b, seed)
    drifted = [d for d in drifts if d["drifts"]]
    drifted.sort(key=lambda d: -d["effect"])
    numbers = {
        "adversarial_auc": round(auc, 4),
        "adversarial_auc_threshold": ADVERSARIAL_AUC_SHIFT,
        "features_tested": len(drifts),
        "features_drifting": len(drifted),
        "rows_compared": [len(train_rows), len(test_rows)],
    }
    shifted = auc >= ADVERSARIAL_AUC_SHIFT or bool(drifted)
    decision = Decision(
        what="train-vs-test shift check: "
        + ("the splits differ" if shifted else "the splits look alike"),
        why=(
            f"a gradient-boosted classifier told to separate {len(train_rows):,} training from "
            f"{len(test_rows):,} test inputs reaches cross-validated ROC-AUC {auc:.3f} (shift at "
            f"≥ {ADVERSARIAL_AUC_SHIFT}); {len(drifted)} of {len(drifts)} features drift "
            f"(p < {DRIFT_P_VALUE} after Bonferroni and effect ≥ {DRIFT_MIN_EFFECT})"
        ),
        numbers=numbers,
    )
    if not shifted:
        return [], [decision]
    shown = "; ".join(
        f"'{d['feature']}' ({d['test']} {d['effect']:.2f}, p={d['p']:.1e})" for d in drifted[:5]
    )
    evidence = (
        f"adversarial validation: a classifier separates training from test inputs with "
        f"ROC-AUC {auc:.3f} (threshold {ADVERSARIAL_AUC_SHIFT}, 0.5 = indistinguishable); "
        f"{len(drifted)} of {len(drifts)} features drift" + (f": {shown}" if drifted else "")
    )
    finding = Finding(
        code=FindingCode.SPLIT_DISTRIBUTION_SHIFT,
        severity=Severity.WARNING,
        stage=STAGE,
        evidence=evidence,
        action=(
            "the test set does not come from the training distribution, so validation scores "
            "may not carry over: check how each split was collected, and if the test data is "
            "what the model will meet, move some of it into training or validation"
        ),
    )
    return [finding], [decision]


def _sample_rows(n: int, rng: np.random.Generator) -> np.ndarray:
    if n <= SHIFT_MAX_ROWS:
        return np.arange(n)
    return np.sort(rng.choice(n, SHIFT_MAX_ROWS, replace=False))


def _feature_drift(prep: Preparer, a: Any, b: Any) -> list[dict[str, Any]]:
    """One two-sample test per feature, Bonferroni-corrected."""
    from scipy import stats

    tests: list[dict[str, Any]] = []

    def ks(name: str, u: np.ndarray, v: np.ndarray) -> None:
        u, v = u[np.isfinite(u)], v[np.isfinite(v)]
        if len(u) < 2 or len(v) < 2:
            return
        res = stats.ks_2samp(u, v)
        tests.append(
            {"feature": name, "test": "KS", "effect": float(res.statistic), "p": float(res.pvalue)}
        )

    if isinstance(prep, TablePreparer):
        ta, tb = _as_table(a), _as_table(b)
        for spec in prep.numeric_:
            if not spec["from_category"]:
                col = spec["column"]
                ks(col, _numeric_values(ta[col], col), _numeric_values(tb[col], col))
        for spec in prep.categorical_:
            col, levels = spec["column"], spec["levels"]
            ca = pd.Index(levels).get_indexer(_category_keys(ta[col]))
            cb = pd.Index(levels).get_indexer(_category_keys(tb[col]))
            k = len(levels) + 1
            table = np.stack(
                [
                    np.bincount(np.where(ca < 0, k - 1, ca), minlength=k),
                    np.bincount(np.where(cb < 0, k - 1, cb), minlength=k),
                ]
            )
            table = table[:, table.sum(axis=0) > 0]
            if table.shape[1] < 2:
                continue
            chi2, p, _, _ = stats.chi2_contingency(table)
            cramers_v = math.sqrt(chi2 / (table.sum() * (min(table.shape) - 1)))
            tests.append({"feature": col, "test": "Cramér's V", "effect": cramers_v, "p": float(p)})
    else:
        for name, (u, v) in _summary_features(prep, a, b).items():
            ks(name, u, v)
    m = max(len(tests), 1)
    for t in tests:
        t["p"] = min(1.0, t["p"] * m)
        t["drifts"] = t["p"] < DRIFT_P_VALUE and t["effect"] >= DRIFT_MIN_EFFECT
    return tests


def _summary_features(prep: Preparer, a: Any, b: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per-sample summaries to compare where single pixels or tokens are not features."""
    if isinstance(prep, TextPreparer):
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        ids_a, ids_b = prep.token_ids(a), prep.token_ids(b)
        out["tokens per text"] = (
            np.asarray([len(r) for r in ids_a], float),
            np.asarray([len(r) for r in ids_b], float),
        )
        out["share of unknown tokens"] = (_unknown_share(ids_a), _unknown_share(ids_b))
        return out
    ta, tb = prep.transform(a), prep.transform(b)
    # Per sample and channel: the mean level and the spread (contrast) of its values.
    within = tuple(range(2, ta.dim()))
    out = {}
    for c in range(ta.shape[1]):
        for stat in ("mean", "std"):
            u = getattr(ta[:, c : c + 1], stat)(dim=within).reshape(-1).numpy()
            v = getattr(tb[:, c : c + 1], stat)(dim=within).reshape(-1).numpy()
            out[f"channel {c} {stat}"] = (u, v)
    return out


def _unknown_share(ids: list[list[int]]) -> np.ndarray:
    return np.asarray([np.mean([t == UNKNOWN_ID for t in r]) if r else 0.0 for r in ids], float)


def _shift_matrix(prep: Preparer, x: Any) -> np.ndarray:
    """Numeric features for the adversarial classifier."""
    if isinstance(prep, TextPreparer):
        ids = prep.token_ids(x)
        top = min(200, len(prep.vocabulary_))
        counts = np.zeros((len(ids), top + 2), dtype=np.float32)
        for i, row in enumerate(ids):
            r = np.asarray(row, dtype=np.int64)
            known = r[(r >= 2) & (r < top + 2)] - 2
            np.add.at(counts[i], known, 1.0)
            counts[i, top] = len(r)
            counts[i, top + 1] = float(np.mean(r == UNKNOWN_ID)) if len(r) else 0.0
        return counts
    t = prep.transform(x)
    if t.dim() == 4:
        h, w = t.shape[2:]
        t = F.adaptive_avg_pool2d(t, (min(h, 8), min(w, 8)))
    elif t.dim() == 3:
        t = F.adaptive_avg_pool1d(t, min(t.shape[2], 64))
    return t.reshape(len(t), -1).numpy()


def _adversarial_auc(a: np.ndarray, b: np.ndarray, seed: int) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    features = np.concatenate([a, b]).astype(np.float32)
    is_test = np.concatenate([np.zeros(len(a)), np.ones(len(b))]).astype(np.int64)
    model = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    cv = StratifiedKFold(n_splits=ADVERSARIAL_FOLDS, shuffle=True, random_state=seed)
    with threadpool_limits(limits=SMALL_FIT_THREADS):
        proba = cross_val_predict(model, features, is_test, cv=cv, method="predict_proba")[:, 1]
    return float(roc_auc_score(is_test, proba))


# --- tables -------------------------------------------------------------------------------------


def _as_table(x: Any) -> pd.DataFrame:
    if isinstance(x, np.ndarray) and x.ndim > 2:
        x = x.reshape(len(x), -1)
    if isinstance(x, Mapping):
        x = pd.DataFrame(x)
    return table_view(x)


def _require_columns(table: pd.DataFrame, columns: Sequence[str]) -> None:
    have = {str(c) for c in table.columns}
    missing = [c for c in columns if c not in have]
    if missing:
        shown = ", ".join(map(str, list(table.columns)[:20]))
        raise DataError(
            f"Input lacks column(s) {missing} that the model was trained on. Columns given: "
            f"{shown or 'none'}. Add the missing columns (empty cells are imputed)."
        )


def _infer_kind(s: pd.Series) -> ColumnKind:
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return ColumnKind.NUMERIC
    return ColumnKind.CATEGORICAL


def _numeric_values(s: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(s):
        return s.astype(float).to_numpy()
    if pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    parsed = pd.to_numeric(s, errors="coerce")
    bad = parsed.isna() & s.notna() & (s.astype(str).str.strip() != "")
    if bad.any():
        example = s[bad].iloc[0]
        raise DataError(
            f"Column '{name}' must be numeric, but holds {int(bad.sum())} non-numeric value(s), "
            f"e.g. {example!r}. Fix those cells or leave them empty (empty cells are imputed)."
        )
    return parsed.to_numpy(dtype=np.float64, na_value=np.nan)


_TRUE = {"true", "yes", "t", "y", "1", "1.0"}
_FALSE = {"false", "no", "f", "n", "0", "0.0"}


def _boolean_values(s: pd.Series, name: str) -> np.ndarray:
    """0/1 from numbers, booleans or yes/no-like strings, as the table loader reads them."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return _numeric_values(s, name)
    low = s.map(lambda v: None if _is_missing(v) else str(v).strip().lower())
    bad = low.notna() & ~low.isin(_TRUE | _FALSE)
    if bad.any():
        raise DataError(
            f"Column '{name}' must be true/false (or yes/no, 1/0), but holds "
            f"{s[bad].iloc[0]!r}. Fix those cells or leave them empty (empty cells are imputed)."
        )
    return low.map(lambda v: np.nan if v is None else float(v in _TRUE)).to_numpy(dtype=float)


def _append_stats(
    values: np.ndarray, means: list[float], stds: list[float], medians: list[float]
) -> None:
    present = values[~np.isnan(values)]
    if len(present) == 0:
        means.append(0.0)
        stds.append(1.0)
        medians.append(0.0)
        return
    std = float(present.std())
    means.append(float(present.mean()))
    stds.append(std if std > 0 else 1.0)
    medians.append(float(np.median(present)))


def _is_missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _category_keys(s: pd.Series) -> np.ndarray:
    """Category labels as the table loader writes them (3.0 → '3'); missing → its own level."""

    def key(v: Any) -> str:
        if _is_missing(v):
            return MISSING_LEVEL
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)

    return np.asarray([key(v) for v in s.tolist()], dtype=object)
