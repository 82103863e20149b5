"""What a model reads: its input columns (tables, text) or its input shape (images, signals).

Saved in the bundle's config.json, so `predict` can check new inputs before it prepares
them: a missing column is an error that names it, extra columns are ignored with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dlpilot.core.enums import ColumnKind, Modality
from dlpilot.core.errors import DataError
from dlpilot.core.messages import Text, msg
from dlpilot.core.records import ProblemSpec

if TYPE_CHECKING:  # annotations only: importing the preparers loads PyTorch
    from dlpilot.preprocessing import Preparer


@dataclass(frozen=True)
class Column:
    """One input column the model reads, and how it was typed in training."""

    name: str
    kind: ColumnKind

    def __repr__(self) -> str:
        return f"Column({self.name!r}, {self.kind})"


@dataclass(frozen=True)
class InputSchema:
    """The inputs a model expects.

    ``columns`` are the columns it reads, in training order (tables and text).
    ``table_columns`` are all input columns the training table had, in order: the
    read ones and those left out (constant, ID-like, ``--drop``); an array with that
    many columns is read positionally. ``shape`` is one training sample's raw shape:
    (C, H, W) for images (other sizes are resized), (C, L) for signals, (F,) for tables.
    """

    modality: Modality
    columns: tuple[Column, ...]
    table_columns: tuple[str, ...]
    target_names: tuple[str, ...]
    shape: tuple[int, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def reads_table(self) -> bool:
        return self.modality in (Modality.TABULAR, Modality.TEXT)

    def to_dict(self) -> dict[str, Any]:
        return {
            "modality": str(self.modality),
            "columns": [{"name": c.name, "kind": str(c.kind)} for c in self.columns],
            "table_columns": list(self.table_columns),
            "target_names": list(self.target_names),
            "shape": list(self.shape),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> InputSchema:
        return cls(
            modality=Modality(d["modality"]),
            columns=tuple(Column(str(c["name"]), ColumnKind(c["kind"])) for c in d["columns"]),
            table_columns=tuple(str(c) for c in d.get("table_columns", ())),
            target_names=tuple(str(t) for t in d.get("target_names", ())),
            shape=tuple(int(s) for s in d.get("shape", ())),
        )

    def __repr__(self) -> str:
        if self.reads_table:
            return f"InputSchema({self.modality}, columns={list(self.column_names)})"
        return f"InputSchema({self.modality}, shape={self.shape})"


def schema_for(
    spec: ProblemSpec,
    preparer: Preparer,
    *,
    table_columns: Sequence[str] = (),
    column_kinds: Mapping[str, ColumnKind] | None = None,
) -> InputSchema:
    """The schema of a model whose problem is ``spec`` and whose (first) member reads its
    inputs through ``preparer``. ``column_kinds`` are the loader's types."""
    columns = tuple(Column(name, kind) for name, kind in preparer.input_columns(column_kinds))
    names = [c.name for c in columns]
    table = tuple(str(c) for c in table_columns) or tuple(names) + tuple(
        c for c in spec.ignored_columns if c not in names
    )
    return InputSchema(
        modality=spec.modality,
        columns=columns,
        table_columns=table,
        target_names=tuple(spec.target_names),
        shape=tuple(int(s) for s in preparer.raw_shape),
    )


def as_table(x: Any, schema: InputSchema) -> tuple[pd.DataFrame, list[str]]:
    """New inputs of a table model as a DataFrame with the columns it reads.

    Returns the table and the columns ignored (extra ones, the target). A missing column
    is a `DataError` naming it. A 2-D array is read positionally: with as many columns as
    the training table had, or as the model reads.
    """
    if isinstance(x, pd.Series):
        x = x.to_frame().T
    if isinstance(x, Mapping) or (isinstance(x, list) and x and isinstance(x[0], Mapping)):
        x = pd.DataFrame(x)
    if not isinstance(x, pd.DataFrame):
        x = _array_table(x, schema)
    x = x.rename(columns=str) if not all(isinstance(c, str) for c in x.columns) else x
    have = list(x.columns)
    wanted = schema.column_names
    missing = [c for c in wanted if c not in set(have)]
    if missing:
        names = ", ".join(repr(c) for c in missing[:5])
        if len(missing) > 5:
            raise DataError(
                msg(
                    "Input lacks column {names} and {more} more, which the model was trained on "
                    "(it reads {columns}). Add the column; empty cells are imputed.",
                    names=names,
                    more=len(missing) - 5,
                    columns=_listing(wanted),
                )
            )
        raise DataError(
            msg(
                "Input lacks column {names}, which the model was trained on (it reads "
                "{columns}). Add the column; empty cells are imputed.",
                names=names,
                columns=_listing(wanted),
            )
        )
    known = set(wanted) | set(schema.table_columns)
    ignored = [c for c in have if c not in known]
    return x, ignored


def _array_table(x: Any, schema: InputSchema) -> pd.DataFrame:
    arr = np.asarray(x)
    if arr.ndim == 1:
        # One column of N samples, or one sample of the model's columns.
        arr = arr.reshape(-1, 1) if len(schema.columns) == 1 else arr.reshape(1, -1)
    if arr.ndim != 2:
        raise DataError(
            msg(
                "A table model needs a DataFrame or a 2-D array; got an array of shape {shape}.",
                shape=str(arr.shape),
            )
        )
    width = arr.shape[1]
    for names in (schema.table_columns, schema.column_names):
        if names and width == len(names):
            return pd.DataFrame(arr, columns=list(names))
    raise DataError(
        msg(
            "Input has {width} columns, but the model reads {n} ({columns}). Give a DataFrame "
            "with those columns, or an array with the columns in that order.",
            width=width,
            n=len(schema.columns),
            columns=_listing(schema.column_names),
        )
    )


def _listing(names: Sequence[str], limit: int = 12) -> Text:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        return msg("{shown}, … ({n} more)", shown=shown, n=len(names) - limit)
    return shown
