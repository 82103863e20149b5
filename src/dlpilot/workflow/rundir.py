"""The run directory: its paths, the state saved after every stage, and the decision log.

Every name inside it comes from `dlpilot.core.rundir`; the state files under
``state/`` are the workflow's own (one per stage that can be restored, plus
``run``, ``progress``, ``split`` and ``done``).
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from dlpilot.core.records import StageRecord
from dlpilot.core.rundir import (
    CHECKPOINT_DIR,
    DECISIONS_FILE,
    HISTORY_DIR,
    STATE_DIR,
    STUDY_FILE,
)

PROGRESS_STATE = "progress"  # the stage records so far and the seconds used
DONE_STATE = "done"  # written last: the run is complete
SPLIT_STATE = "split"  # the split digest, which a resumed run must match


class RunDirectory:
    """Paths and saved state of one run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        (path / STATE_DIR).mkdir(parents=True, exist_ok=True)
        (path / HISTORY_DIR).mkdir(exist_ok=True)

    @property
    def study_url(self) -> str:
        return f"sqlite:///{(self.path / STUDY_FILE).resolve()}"

    @property
    def history_dir(self) -> Path:
        return self.path / HISTORY_DIR

    @property
    def checkpoint_dir(self) -> Path:
        return self.path / CHECKPOINT_DIR

    def history_path(self, name: str) -> Path:
        return self.path / HISTORY_DIR / f"{name}.csv"

    def save_state(self, name: str, data: dict[str, Any]) -> None:
        target = self.path / STATE_DIR / f"{name}.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, default=json_default))
        os.replace(tmp, target)  # atomic: a kill never leaves half a state file

    def load_state(self, name: str) -> dict[str, Any] | None:
        return read_state(self.path, name)

    def append_decisions(self, record: StageRecord) -> None:
        with (self.path / DECISIONS_FILE).open("a") as fh:
            for d in record.decisions:
                fh.write(
                    json.dumps({"stage": record.name, **d.to_dict()}, default=json_default) + "\n"
                )


def read_state(run_dir: Path, name: str) -> dict[str, Any] | None:
    """``state/NAME.json`` of the run in ``run_dir``, or None if it was never written."""
    path = run_dir / STATE_DIR / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def has_state(run_dir: Path, name: str) -> bool:
    return (run_dir / STATE_DIR / f"{name}.json").exists()


def json_default(value: Any) -> Any:
    """JSON for what `json.dumps` cannot write itself: NumPy values, paths, non-finite floats."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


def default_run_dir(source: str) -> Path:
    stem = Path(source).stem if Path(source).suffix else Path(source).name or "run"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path("runs") / f"{stem}-{stamp}"
