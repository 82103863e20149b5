"""Small numerical helpers on one learning curve: smoothing, trends, spikes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dlpilot.core.messages import Text
from dlpilot.diagnose import thresholds as th


@dataclass(frozen=True)
class Curve:
    """The finite points of one history column: epochs (from 1) and values."""

    name: Text
    epochs: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.values)

    @property
    def smooth(self) -> np.ndarray:
        return smooth(self.values)

    def at(self, epoch: int) -> int:
        """Index of the point at ``epoch``, or of the last point before it."""
        return max(0, int(np.searchsorted(self.epochs, epoch, side="right")) - 1)


def make_curve(name: Text, values: list[float] | np.ndarray, upto: int | None = None) -> Curve:
    """The finite points of ``values`` (epochs count from 1), up to epoch ``upto``."""
    arr = np.asarray(values, dtype=float)
    if upto is not None:
        arr = arr[:upto]
    epochs = np.arange(1, len(arr) + 1)
    keep = np.isfinite(arr)
    return Curve(name, epochs[keep], arr[keep])


def window_for(n: int) -> int:
    """Odd width of the running median for a curve of ``n`` points."""
    w = int(n * th.SMOOTH_SHARE)
    if w % 2 == 0:
        w -= 1
    return max(1, min(w, th.SMOOTH_MAX_WINDOW))


def smooth(values: np.ndarray) -> np.ndarray:
    """Centred running median of width `window_for(n)`.

    A median keeps a monotone curve exactly as it is and ignores isolated spikes, so
    a turn in the curve stays where it was and one bad epoch does not move it.
    """
    return running_median(values, window_for(len(values)))


def running_median(values: np.ndarray, width: int) -> np.ndarray:
    """Centred running median; the window shrinks to what exists at the edges."""
    n = len(values)
    half = width // 2
    if half == 0:
        return values.astype(float).copy()
    out = np.empty(n)
    for i in range(n):
        lo, hi = max(0, i - half), min(n, i + half + 1)
        out[i] = float(np.median(values[lo:hi]))
    return out


def tail_size(n: int) -> int:
    return min(n, max(th.TAIL_MIN_EPOCHS, math.ceil(th.TAIL_SHARE * n)))


@dataclass(frozen=True)
class Trend:
    """A straight line through part of a curve."""

    first_epoch: int
    last_epoch: int
    slope: float  # per epoch
    se: float  # standard error of the slope (0 for a perfect line or fewer than 3 points)
    level: float  # mean value over the part
    drop: float  # fall along the line from its first to its last epoch (>0 means falling)

    @property
    def t(self) -> float:
        if self.se > 0:
            return self.slope / self.se
        return 0.0 if self.slope == 0 else math.copysign(math.inf, self.slope)

    @property
    def rel_drop(self) -> float:
        return self.drop / abs(self.level) if self.level else 0.0

    @property
    def falling(self) -> bool:
        """The drop exceeds STILL_FALLING_DROP of the level by TREND_MIN_T standard errors."""
        excess = self.drop - th.STILL_FALLING_DROP * abs(self.level)
        if excess <= 0:
            return False
        span = self.last_epoch - self.first_epoch
        se_drop = self.se * span
        return se_drop == 0 or excess / se_drop >= th.TREND_MIN_T


def fit_trend(epochs: np.ndarray, values: np.ndarray) -> Trend:
    x = epochs.astype(float)
    y = values.astype(float)
    n = len(y)
    xm, ym = x.mean(), y.mean()
    sxx = float(((x - xm) ** 2).sum())
    slope = float(((x - xm) * (y - ym)).sum() / sxx) if sxx > 0 else 0.0
    resid = y - (ym + slope * (x - xm))
    se = math.sqrt(float((resid**2).sum()) / (n - 2) / sxx) if n > 2 and sxx > 0 else 0.0
    return Trend(
        first_epoch=int(epochs[0]),
        last_epoch=int(epochs[-1]),
        slope=slope,
        se=se,
        level=float(ym),
        drop=-slope * float(x[-1] - x[0]),
    )


def tail_trend(curve: Curve) -> Trend:
    k = tail_size(len(curve))
    return fit_trend(curve.epochs[-k:], curve.values[-k:])


def spikes(curve: Curve) -> list[int]:
    """Epochs whose value peaks well above the curve's lower envelope (thresholds.SPIKE_*).

    The envelope is a running low quantile, which the spikes themselves barely move even
    when they come every other epoch. A spike is a local peak (above both neighbours; the
    first epoch never counts, as a falling start always lies above what follows).
    """
    n = len(curve)
    if n < th.OSCILLATION_MIN_EPOCHS:
        return []
    v = curve.values
    half = th.SPIKE_WINDOW // 2
    base = np.array(
        [np.quantile(v[max(0, i - half) : i + half + 1], th.SPIKE_BASE_QUANTILE) for i in range(n)]
    )
    span = float(base.max() - base.min())
    out = []
    for i in range(1, n):
        if v[i] <= v[i - 1] or (i + 1 < n and v[i] <= v[i + 1]):
            continue
        above = v[i] - base[i]
        if above > th.SPIKE_REL * abs(base[i]) and above > th.SPIKE_OF_RANGE * span:
            out.append(int(curve.epochs[i]))
    return out
