"""What more than one section uses: the stage titles, the metric's direction, yes/no."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dlpilot.core.messages import Msg, Translator, msg
from dlpilot.core.numbers import beats
from dlpilot.report._record import RunRecord

# The stage titles as messages: ``t(STAGE_TITLES[name])`` is the title in the report's language
# (``str()`` of one is the English title).
STAGE_TITLES: dict[str, Msg] = {
    "define": msg("Stage 0 · define the problem"),
    "metric": msg("Stage 1 · choose the metric"),
    "protocol": msg("Stage 2 · choose the protocol"),
    "prepare": msg("Stage 3 · prepare the data"),
    "score_to_beat": msg("Stage 4 · set the score to beat"),
    "baseline": msg("Stage 5 · baseline network"),
    "scale": msg("Stage 6 · scale up until it overfits"),
    "tune": msg("Stage 7 · regularize and tune"),
    "final": msg("Stage 8 · final model and the test set"),
}
ENGLISH = Translator()


def better(record: RunRecord) -> Callable[[float, float], bool]:
    """Whether score ``a`` beats ``b`` in the run's metric direction."""
    return lambda a, b: beats(a, b, greater_is_better=record.greater_is_better)


def yes_no(value: Any, t: Translator = ENGLISH) -> str | None:
    """Yes or no in ``t``'s language; None when the value was not recorded."""
    return None if value is None else (t("yes") if value else t("no"))
