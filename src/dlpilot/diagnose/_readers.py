"""Read learning-curve histories that dlpilot or other tools wrote.

Formats, told apart by their layout:

- Keras ``CSVLogger``: ``epoch`` from 0, one row per epoch, sorted keys (``loss``,
  ``val_loss``, ``accuracy``, ``val_accuracy``, ``learning_rate``…), ``NA`` where a key
  was not logged that epoch (``validation_freq`` > 1).
- PyTorch Lightning ``CSVLogger`` ``metrics.csv``: one row per ``log_metrics`` call with
  ``epoch`` and ``step``; step rows (``train_loss_step``), epoch rows
  (``train_loss_epoch``, ``val_loss``) and blank cells for every key not in that call.
  Rows are grouped by epoch: an ``*_epoch`` value wins, otherwise the epoch's values
  are averaged.
- dlpilot's own ``History.to_csv`` (``epoch`` from 1).
- Any CSV with a training-loss column (``loss``/``train_loss``…) and usually
  ``val_loss``; metric columns are recognised by name.
- JSON: Keras' ``history.history`` dict (key → list) or dlpilot's ``History.to_dict``.

Epochs are counted from 1 in the result, whatever the file counted from.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from dlpilot.core.errors import HistoryError
from dlpilot.core.history import History
from dlpilot.core.messages import Text, msg
from dlpilot.diagnose._names import (
    Column,
    greater_is_better,
    normalise,
    parse_column,
    primary_metric,
)

_MISSING = frozenset({"", "na", "n/a", "none", "null", "nat"})
_LEVEL_RANK = {"epoch": 0, "": 1, "step": 2}  # which column wins when several give one key
_HINT = msg(
    "Give a CSV with one row per epoch and a training-loss column ('loss' or 'train_loss'), "
    "as Keras' CSVLogger, Lightning's CSVLogger (metrics.csv) or dlpilot write them."
)


class HistoryFormat(StrEnum):
    KERAS = "keras"
    LIGHTNING = "lightning"
    DLPILOT = "dlpilot"
    CSV = "csv"
    JSON = "json"

    @property
    def label(self) -> Text:
        return {
            "keras": "Keras CSVLogger",
            "lightning": "PyTorch Lightning CSVLogger",
            "dlpilot": msg("dlpilot history"),
            "csv": "CSV",
            "json": msg("JSON history"),
        }[self.value]


@dataclass(frozen=True)
class LoadedHistory:
    """A history as read from a file, with what was found in it."""

    history: History
    format: HistoryFormat
    path: Path
    columns_seen: tuple[str, ...]


def read_history(path: str | Path) -> History:
    """Read a history file in any of the formats above; raise `HistoryError` if it can't be."""
    return load_history(path).history


def load_history(path: str | Path) -> LoadedHistory:
    """Like `read_history`, also saying which format it was and which columns it had."""
    path = Path(path)
    if not path.exists():
        raise HistoryError(msg("History file '{path}' not found. {hint}", path=path, hint=_HINT))
    if path.is_dir():
        found = sorted(path.glob("**/metrics.csv"))
        if len(found) != 1:
            raise HistoryError(
                msg(
                    "'{path}' is a folder, not a history file "
                    "({n} metrics.csv files inside). {hint}",
                    path=path,
                    n=len(found),
                    hint=_HINT,
                )
            )
        path = found[0]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HistoryError(
            msg("History file '{path}' is not text (not UTF-8). {hint}", path=path, hint=_HINT)
        ) from None
    if not text.strip():
        raise HistoryError(msg("History file '{path}' is empty. {hint}", path=path, hint=_HINT))
    if text.lstrip().startswith(("{", "[")):
        return _read_json(path, text)
    return _read_csv(path, text)


def _read_csv(path: Path, text: str) -> LoadedHistory:
    first = text.lstrip().splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text.lstrip()), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    columns = _choose_columns(path, header)
    if not rows:
        raise HistoryError(
            msg(
                "History file '{path}' has too few rows: a header and no epochs. {hint}",
                path=path,
                hint=_HINT,
            )
        )
    norm = [normalise(h) for h in header]
    epoch_at = norm.index("epoch") if "epoch" in norm else None
    step_at = norm.index("step") if "step" in norm else None

    # Group rows into epochs: by the epoch column where there is one, else one row each.
    groups: list[list[list[str]]] = []
    epoch_values: list[float] = []
    last_epoch: float | None = None
    for lineno, row in enumerate(rows, start=2):
        row = row + [""] * (len(header) - len(row))
        if epoch_at is None:
            epoch = float(len(groups))  # no epoch column: one row per epoch
        else:
            epoch = _number(path, header[epoch_at], row[epoch_at], lineno)
            if epoch is None or math.isnan(epoch):
                epoch = last_epoch if last_epoch is not None else 0.0  # blank: same epoch
        if not groups or epoch != last_epoch:
            groups.append([])
            epoch_values.append(epoch)
            last_epoch = epoch
        groups[-1].append([*row, str(lineno)])

    history_cols: dict[str, list[float]] = {key: [] for key in columns}
    for group in groups:
        values = {}
        for key, (index, column) in columns.items():
            got = []
            for row in group:
                value = _number(path, column.raw, row[index], int(row[-1]))
                if value is not None:
                    got.append(value)
            if not got:
                values[key] = math.nan
            elif column.level == "epoch":
                values[key] = got[-1]
            else:
                values[key] = _mean(got)
        if all(math.isnan(v) for v in values.values()) and not any(
            _literal_nan(row[i]) for _, (i, _) in columns.items() for row in group
        ):
            continue  # a row of keys the diagnosis does not read (e.g. test metrics)
        for key, value in values.items():
            history_cols[key].append(value)
    fmt = _guess_format(norm, step_at, groups, epoch_values)
    return _finish(path, history_cols, fmt, tuple(header))


def _choose_columns(path: Path, header: list[str]) -> dict[str, tuple[int, Column]]:
    chosen: dict[str, tuple[int, Column]] = {}
    for index, raw in enumerate(header):
        column = parse_column(raw)
        if column is None:
            continue
        held = chosen.get(column.key)
        if held is None or _LEVEL_RANK[column.level] < _LEVEL_RANK[held[1].level]:
            chosen[column.key] = (index, column)
    if "loss" not in chosen:
        seen: Text = ", ".join(h for h in header if h) or msg("(none)")
        raise HistoryError(
            msg(
                "No training-loss column found in '{path}'. Columns seen: {seen}. "
                "Name it 'loss' or 'train_loss' (validation: 'val_loss').",
                path=path,
                seen=seen,
            )
        )
    # Keras/dlpilot order: loss, val_loss, metrics, then the rest.
    order = {"loss": 0, "val_loss": 1, "lr": 8, "seconds": 9}
    return dict(sorted(chosen.items(), key=lambda kv: (order.get(kv[0], 5), kv[1][0])))


def _guess_format(
    norm: list[str], step_at: int | None, groups: list[list[list[str]]], epochs: list[float]
) -> HistoryFormat:
    grouped = any(len(g) > 1 for g in groups)
    if step_at is not None and "epoch" in norm:
        return HistoryFormat.LIGHTNING
    if grouped:
        return HistoryFormat.LIGHTNING
    if "epoch" in norm and "loss" in norm and epochs:
        if epochs[0] == 0:
            return HistoryFormat.KERAS
        if epochs[0] == 1:
            return HistoryFormat.DLPILOT
    return HistoryFormat.CSV


def _read_json(path: Path, text: str) -> LoadedHistory:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryError(
            msg(
                "History file '{path}' is not valid JSON ({error}). {hint}",
                path=path,
                error=exc.msg,
                hint=_HINT,
            )
        ) from None
    if isinstance(data, Mapping) and isinstance(data.get("history"), Mapping):
        data = data["history"]
    if isinstance(data, Mapping) and isinstance(data.get("columns"), Mapping):
        data = data["columns"]
    if not isinstance(data, Mapping) or not all(isinstance(v, list) for v in data.values()):
        raise HistoryError(
            msg(
                "History file '{path}' is JSON but not a history: expected an object of "
                "key → list of per-epoch values (Keras' history.history). {hint}",
                path=path,
                hint=_HINT,
            )
        )
    header = [str(k) for k in data]
    columns = _choose_columns(path, header)
    history_cols: dict[str, list[float]] = {}
    for key, (_, column) in columns.items():
        values = []
        for i, v in enumerate(data[column.raw]):
            value = _number(path, column.raw, "" if v is None else str(v), i + 1)
            values.append(math.nan if value is None else value)
        history_cols[key] = values
    return _finish(path, history_cols, HistoryFormat.JSON, tuple(header))


def _finish(
    path: Path, cols: dict[str, list[float]], fmt: HistoryFormat, header: tuple[str, ...]
) -> LoadedHistory:
    n = max((len(v) for v in cols.values()), default=0)
    cols = {k: v + [math.nan] * (n - len(v)) for k, v in cols.items()}
    if n == 0 or all(math.isnan(v) for v in cols["loss"]):
        raise HistoryError(
            msg(
                "History file '{path}' has too few rows: no epoch has a training loss. {hint}",
                path=path,
                hint=_HINT,
            )
        )
    metric = primary_metric(list(cols))
    history = History(
        columns=cols,
        metric=metric,
        greater_is_better=greater_is_better(metric) if metric else True,
    )
    return LoadedHistory(history=history, format=fmt, path=path, columns_seen=header)


def _number(path: Path, column: str, cell: str, lineno: int) -> float | None:
    """The cell as a float; None when it is missing. 'nan'/'inf' are values, not gaps."""
    text = cell.strip()
    if text.lower() in _MISSING:
        return None
    try:
        return float(text)
    except ValueError:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise HistoryError(
            msg(
                "Non-numeric value '{value}' in column '{column}' (line {line}) of '{path}'. "
                "Loss and metric cells must be numbers, empty or NA.",
                value=shown,
                column=column,
                line=lineno,
                path=path,
            )
        ) from None


def _literal_nan(cell: str) -> bool:
    return cell.strip().lower() in ("nan", "-nan", "+nan")


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)
