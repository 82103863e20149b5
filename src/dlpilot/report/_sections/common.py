"""What more than one section uses: the stage titles, the metric's direction, yes/no."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dlpilot.core.numbers import beats
from dlpilot.report._record import RunRecord

STAGE_TITLES = {
    "define": "Stage 0 · define the problem",
    "metric": "Stage 1 · choose the metric",
    "protocol": "Stage 2 · choose the protocol",
    "prepare": "Stage 3 · prepare the data",
    "score_to_beat": "Stage 4 · set the score to beat",
    "baseline": "Stage 5 · baseline network",
    "scale": "Stage 6 · scale up until it overfits",
    "tune": "Stage 7 · regularize and tune",
    "final": "Stage 8 · final model and the test set",
}


def better(record: RunRecord) -> Callable[[float, float], bool]:
    """Whether score ``a`` beats ``b`` in the run's metric direction."""
    return lambda a, b: beats(a, b, greater_is_better=record.greater_is_better)


def yes_no(value: Any) -> str | None:
    return None if value is None else ("yes" if value else "no")
