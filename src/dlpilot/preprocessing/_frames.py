"""Reading tables as the preparers of tables and text do (private to this package)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.data.dataset import table_view


def as_table(x: Any) -> pd.DataFrame:
    if isinstance(x, np.ndarray) and x.ndim > 2:
        x = x.reshape(len(x), -1)
    if isinstance(x, Mapping):
        x = pd.DataFrame(x)
    return table_view(x)


def require_columns(table: pd.DataFrame, columns: Sequence[str]) -> None:
    have = {str(c) for c in table.columns}
    missing = [c for c in columns if c not in have]
    if missing:
        shown = ", ".join(map(str, list(table.columns)[:20]))
        raise DataError(
            msg(
                "Input lacks column(s) {missing} that the model was trained on. Columns given: "
                "{shown}. Add the missing columns (empty cells are imputed).",
                missing=missing,
                shown=shown or msg("none"),
            )
        )


def is_missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
