"""Tables: numbers standardized, missing values imputed with an indicator, categories one-hot.

Numeric columns are standardized with training statistics; missing values take the training
median plus a missing-value indicator; categorical columns are one-hot with an unknown bucket
(a linear layer over a one-hot block is an embedding).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch

from dlpilot.core.enums import ColumnKind
from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.data.dataset import Inputs
from dlpilot.preprocessing._frames import as_table, is_missing, require_columns
from dlpilot.preprocessing.base import STATE_VERSION, Preparer

# A categorical column keeps its most frequent training levels up to this many; rarer levels,
# and levels first seen later, share the unknown bucket.
MAX_CATEGORY_LEVELS = 50
MISSING_LEVEL = "<missing>"


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
        table = as_table(x)
        columns = list(self.columns) if self.columns else [str(c) for c in table.columns]
        require_columns(table, columns)
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
                msg(
                    "No numeric or categorical feature among columns {columns}; tabular "
                    "preparation needs at least one.",
                    columns=columns[:10],
                )
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
        table = as_table(x)
        require_columns(table, self.columns_)
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
            codes = _level_codes(levels, _category_keys(table[spec["column"]]))
            block = np.zeros((n, len(levels) + 1), dtype=np.float64)
            block[np.arange(n), codes] = 1.0
            parts.append(block)
        return torch.from_numpy(np.concatenate(parts, axis=1).astype(np.float32))

    # --- what the model reads ----------------------------------------------------------------

    def input_columns(
        self, column_kinds: Mapping[str, ColumnKind] | None = None
    ) -> tuple[tuple[str, ColumnKind], ...]:
        self._check_fitted("columns_")
        given = dict(column_kinds or {})
        fitted: dict[str, ColumnKind] = {}
        for n in self.numeric_:
            if n.get("from_category"):
                fitted[n["column"]] = ColumnKind.CATEGORICAL
            else:
                fitted[n["column"]] = ColumnKind.BOOLEAN if n.get("boolean") else ColumnKind.NUMERIC
        for c in self.categorical_:
            fitted[c["column"]] = ColumnKind.CATEGORICAL
        return tuple(
            (str(c), ColumnKind(given.get(c) or fitted.get(c, ColumnKind.NUMERIC)))
            for c in self.columns_
        )

    def unknown_categories(self, x: Any) -> dict[str, dict[str, int]]:
        self._check_fitted("columns_")
        table = as_table(x)
        require_columns(table, [c["column"] for c in self.categorical_])
        found: dict[str, dict[str, int]] = {}
        for spec in self.categorical_:
            known = set(spec["levels"])
            counts = Counter(_category_keys(table[spec["column"]]).tolist())
            unseen = sorted(k for k in counts if k not in known and k != MISSING_LEVEL)
            found[spec["column"]] = {k: counts[k] for k in unseen}
        return found

    # --- raw features, for comparing two sets of inputs -------------------------------------------

    def numeric_columns(self, x: Any) -> dict[str, np.ndarray]:
        """Each numeric column's values before imputation (NaN where missing); columns that
        are category codes read as numbers are left out."""
        self._check_fitted("columns_")
        table = as_table(x)
        return {
            spec["column"]: _numeric_values(table[spec["column"]], spec["column"])
            for spec in self.numeric_
            if not spec["from_category"]
        }

    def category_codes(self, x: Any) -> dict[str, np.ndarray]:
        """Each categorical column's level index per row; ``len(levels)`` is the unknown bucket."""
        self._check_fitted("columns_")
        table = as_table(x)
        return {
            spec["column"]: _level_codes(spec["levels"], _category_keys(table[spec["column"]]))
            for spec in self.categorical_
        }

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
            msg(
                "Column '{name}' must be numeric, but holds {n} non-numeric value(s), e.g. "
                "{example!r}. Fix those cells or leave them empty (empty cells are imputed).",
                name=name,
                n=int(bad.sum()),
                example=example,
            )
        )
    return parsed.to_numpy(dtype=np.float64, na_value=np.nan)


_TRUE = {"true", "yes", "t", "y", "1", "1.0"}
_FALSE = {"false", "no", "f", "n", "0", "0.0"}


def _boolean_values(s: pd.Series, name: str) -> np.ndarray:
    """0/1 from numbers, booleans or yes/no-like strings, as the table loader reads them."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return _numeric_values(s, name)
    low = s.map(lambda v: None if is_missing(v) else str(v).strip().lower())
    bad = low.notna() & ~low.isin(_TRUE | _FALSE)
    if bad.any():
        raise DataError(
            msg(
                "Column '{name}' must be true/false (or yes/no, 1/0), but holds {example!r}. Fix "
                "those cells or leave them empty (empty cells are imputed).",
                name=name,
                example=s[bad].iloc[0],
            )
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


def _category_keys(s: pd.Series) -> np.ndarray:
    """Category labels as the table loader writes them (3.0 → '3'); missing → its own level."""

    def key(v: Any) -> str:
        if is_missing(v):
            return MISSING_LEVEL
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)

    return np.asarray([key(v) for v in s.tolist()], dtype=object)


def _level_codes(levels: Sequence[str], keys: np.ndarray) -> np.ndarray:
    """Index of each key among ``levels``; keys without a level get ``len(levels)``."""
    codes = pd.Index(levels).get_indexer(keys).astype(np.int64)
    codes[codes < 0] = len(levels)
    return codes
