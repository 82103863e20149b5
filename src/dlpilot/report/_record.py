"""The run directory as the report reads it: files only, every piece optional but the summary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlpilot.core.errors import DataError
from dlpilot.core.history import History
from dlpilot.core.messages import DEFAULT_LANGUAGE, Translator, msg
from dlpilot.core.numbers import finite_or_none
from dlpilot.core.rundir import (
    DATA_VIEW_FILE,
    EVALUATION_FILE,
    HISTORY_DIR,
    NETWORK_VIEW_FILE,
    RUN_STATE,
    STATE_DIR,
    SUMMARY_FILE,
)
from dlpilot.report.summary import read_summary


@dataclass
class RunRecord:
    """What a finished run left behind; a missing piece is an empty dict, list or None."""

    path: Path
    summary: dict[str, Any]
    evaluation: dict[str, Any] = field(default_factory=dict)
    data_view: dict[str, Any] = field(default_factory=dict)
    network_view: dict[str, Any] = field(default_factory=dict)
    histories: dict[str, History] = field(default_factory=dict)
    tune: dict[str, Any] = field(default_factory=dict)
    scale: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    # The language the report is written in; ``t`` renders a template in it.
    language: str = DEFAULT_LANGUAGE
    t: Translator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.t = Translator(self.language)

    # --- convenient views of the summary ------------------------------------------------

    @property
    def primary(self) -> str:
        return str(self.summary.get("metric", {}).get("primary", ""))

    @property
    def greater_is_better(self) -> bool:
        return bool(self.summary.get("metric", {}).get("greater_is_better", True))

    @property
    def task(self) -> str:
        return str(self.summary.get("problem", {}).get("task", ""))

    @property
    def modality(self) -> str:
        return str(self.summary.get("problem", {}).get("modality", ""))

    def stage(self, name: str) -> dict[str, Any] | None:
        return next((s for s in self.summary.get("stages", []) if s.get("name") == name), None)

    @property
    def trials(self) -> list[dict[str, Any]]:
        return list(self.tune.get("trials") or [])

    @property
    def best_trial(self) -> int | None:
        best = self.summary.get("tuning", {}).get("best_trial")
        return None if best is None else int(best)


def read_record(run_dir: str | Path, language: str = DEFAULT_LANGUAGE) -> RunRecord:
    """Read a finished run directory, for a report in ``language``; raises DataError if it is
    not one."""
    path = Path(run_dir)
    if not path.is_dir():
        raise DataError(
            msg(
                "Run directory '{run_dir}' does not exist. Give the folder 'dlpilot run' wrote "
                "(its --out, or runs/<source>-<time>).",
                run_dir=str(run_dir),
            )
        )
    run_state = f"{STATE_DIR}/{RUN_STATE}.json"
    if not (path / SUMMARY_FILE).exists() and not (path / run_state).exists():
        raise DataError(
            msg(
                "'{run_dir}' holds no dlpilot run (no {summary}, no {state}). Give the "
                "folder 'dlpilot run' wrote.",
                run_dir=str(run_dir),
                summary=SUMMARY_FILE,
                state=run_state,
            )
        )
    record = RunRecord(path=path, summary=read_summary(path), language=language)
    record.evaluation = _json(path / EVALUATION_FILE, record)
    record.data_view = _json(path / DATA_VIEW_FILE, record)
    record.network_view = _json(path / NETWORK_VIEW_FILE, record)
    for name in ("tune", "scale", "baseline"):
        setattr(record, name, _json(path / STATE_DIR / f"{name}.json", record))
    metric = record.primary or None
    for csv in sorted((path / HISTORY_DIR).glob("*.csv")):
        try:
            history = History.from_csv(
                csv, metric=metric, greater_is_better=record.greater_is_better
            )
        except (OSError, ValueError, KeyError) as exc:
            record.unreadable.append(f"{csv.name} ({type(exc).__name__})")
            continue
        if len(history):
            record.histories[csv.stem] = history
    return record


def _json(path: Path, record: RunRecord) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        record.unreadable.append(f"{path.name} ({type(exc).__name__})")
        return {}
    return data if isinstance(data, dict) else {}


def number(value: Any) -> float | None:
    """A finite float from a summary value (numbers may be stored as strings or null)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return finite_or_none(v, digits=None)
