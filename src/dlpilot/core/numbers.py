"""Scores as JSON holds them, and which of two scores is better in a metric's direction.

Every result that is written to JSON (the summary, the decisions, resumable stage state)
stores a score as a rounded finite float or ``null``, and reads ``null`` back as NaN; every
stage that compares scores lets NaN (a diverged or unscored run) lose.
"""

from __future__ import annotations

import math

# Digits kept of a score written to JSON: a metric's sixth decimal is noise already.
JSON_DIGITS = 6


def finite_or_none(value: float | None, digits: int | None = JSON_DIGITS) -> float | None:
    """``value`` as JSON should hold it: None for None, NaN and ±inf, else a float rounded to
    ``digits`` decimals (``digits=None``: not rounded)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value) if digits is None else round(float(value), digits)


def nan_if_none(value: float | None) -> float:
    """The inverse of `finite_or_none` on reading: ``null`` comes back as NaN."""
    return math.nan if value is None else float(value)


def beats(a: float, b: float, *, greater_is_better: bool) -> bool:
    """Whether score ``a`` is strictly better than ``b``; NaN never beats, and anything else
    beats NaN."""
    if math.isnan(a):
        return False
    if math.isnan(b):
        return True
    return a > b if greater_is_better else a < b


def rank_key(value: float, greater_is_better: bool) -> float:
    """A sort key that is larger for a better score, with NaN last (``max(..., key=...)``)."""
    if math.isnan(value):
        return -math.inf
    return value if greater_is_better else -value
