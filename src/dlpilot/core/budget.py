"""Time budgets: parsing ``90s``/``10m``/``1h``, and a clock that stages draw on."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from dlpilot.core.errors import BudgetError
from dlpilot.core.messages import msg

# Below this, not even a baseline network can be trained and evaluated.
MIN_BUDGET_SECONDS = 20.0
_UNITS = {"s": 1, "m": 60, "h": 3600}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smh])")
# The words `parse_duration` names what it reads by, as a reader reads them (an option name
# such as --wait is kept as it is).
_WHAT_WORDS = {"duration": msg("duration"), "budget": msg("budget")}


def parse_duration(text: str | float | int, *, what: str = "duration") -> float:
    """Seconds from ``"90s"``, ``"10m"``, ``"1h"``, ``"1h30m"`` or a number of seconds."""
    if isinstance(text, int | float):
        return float(text)
    raw = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return float(raw)
    parts = _PART.findall(raw)
    if not parts or _PART.sub("", raw).strip():
        raise BudgetError(
            msg(
                "Cannot read the {what} '{text}'. Write it like 90s, 10m, 1h or 1h30m.",
                what=_WHAT_WORDS.get(what, what),
                text=text,
            )
        )
    return sum(float(n) * _UNITS[u] for n, u in parts)


def parse_budget(text: str | float | int, *, minimum: float = MIN_BUDGET_SECONDS) -> float:
    """Seconds from ``"90s"``, ``"10m"``, ``"1h"``, ``"1h30m"`` or a number of seconds.

    Fewer than ``minimum`` seconds is a `BudgetError`.
    """
    seconds = parse_duration(text, what="budget")
    if seconds < minimum:
        raise BudgetError(
            msg(
                "A budget of {seconds:g}s is too small to train and evaluate a network; give at "
                "least {minimum:g}s (e.g. --budget 2m).",
                seconds=seconds,
                minimum=minimum,
            )
        )
    return seconds


def format_seconds(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.1f}m"
    return f"{seconds / 3600:.1f}h"


@dataclass
class Clock:
    """Wall-clock time against a limit. ``now`` is injectable so tests need not sleep."""

    limit_seconds: float
    now: Callable[[], float] = field(default=time.monotonic, repr=False)
    started: float = field(default=-1.0)
    offset: float = 0.0

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.now()

    @property
    def used(self) -> float:
        """Seconds used, including time used before a resume (``offset``)."""
        return self.offset + self.now() - self.started

    @property
    def left(self) -> float:
        return self.limit_seconds - self.used

    def deadline_in(self, seconds: float) -> float:
        """A monotonic deadline ``seconds`` from now, never past the budget's end."""
        return self.now() + max(0.0, min(seconds, self.left))
