"""summary.json: the run's machine-readable, stable record (the contract in DESIGN.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dlpilot.core.errors import DataError
from dlpilot.core.messages import msg
from dlpilot.core.numbers import finite_or_none
from dlpilot.core.rundir import SUMMARY_FILE

REQUIRED_KEYS = (
    "dlpilot_version",
    "source",
    "problem",
    "metric",
    "protocol",
    "baselines",
    "stages",
    "findings",
    "final",
    "budget",
)


def write_summary(run_dir: str | Path, summary: dict[str, Any]) -> Path:
    """Write ``summary.json`` atomically; NaN and infinities become null (valid JSON)."""
    missing = [k for k in REQUIRED_KEYS if k not in summary]
    if missing:
        raise ValueError(f"summary lacks the contract's keys {missing}")
    path = Path(run_dir) / SUMMARY_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(_clean(summary), indent=2, allow_nan=False))
    os.replace(tmp, path)
    return path


def read_summary(run_dir: str | Path) -> dict[str, Any]:
    path = Path(run_dir) / SUMMARY_FILE
    if not path.exists():
        raise DataError(
            msg(
                "'{run_dir}' has no {summary}: it is not a finished dlpilot run. Finish it "
                "with 'dlpilot run --resume {run_dir}'.",
                run_dir=str(run_dir),
                summary=SUMMARY_FILE,
            )
        )
    return json.loads(path.read_text())


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        return finite_or_none(value, digits=None)
    if hasattr(value, "item") and not isinstance(value, str):
        return _clean(value.item())
    return value
