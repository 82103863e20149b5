"""How smooth an array is along an axis: the evidence that tells signals from tables and images.

Neighbouring positions of a signal (time steps, pixels) correlate across samples; arbitrarily
ordered features, or the coefficients of a multichannel series (MFCCs, sensors), mostly do not.
"""

from __future__ import annotations

import numpy as np

# At most this many samples are read for the evidence: the correlations settle long before.
EVIDENCE_MAX_SAMPLES = 2_000


def neighbour_correlation(x: np.ndarray, axis: int, lag: int = 1) -> float:
    """Mean correlation, across samples, of positions ``lag`` apart along ``axis`` (≥ 1).

    Each position is standardised over the samples first, so scale differences between
    positions (a table's columns) do not count as smoothness.
    """
    sample = np.asarray(x[:EVIDENCE_MAX_SAMPLES], dtype=np.float64)
    if sample.shape[axis] <= lag or len(sample) < 2:
        return 0.0
    std = sample.std(axis=0)
    z = (sample - sample.mean(axis=0)) / np.where(std > 0, std, 1.0)
    a = np.take(z, np.arange(sample.shape[axis] - lag), axis=axis)
    b = np.take(z, np.arange(lag, sample.shape[axis]), axis=axis)
    return float(np.mean(np.sum(a * b, axis=0) / len(sample)))


def row_autocorrelation(x: np.ndarray, max_lag: int) -> tuple[int, float]:
    """The lag (1 … ``max_lag``) at which rows correlate most with themselves, and that
    median correlation: a signal repeats or persists along its row, a table's columns do not.

    Rows are centred on their own mean, so a periodic series (an appliance's power cycle)
    counts as much as a smooth one.
    """
    sample = np.asarray(x[:EVIDENCE_MAX_SAMPLES], dtype=np.float64)
    z = sample - sample.mean(axis=1, keepdims=True)
    energy = np.sum(z * z, axis=1)
    energy = np.where(energy > 0, energy, 1.0)
    best = (1, -1.0)
    for lag in range(1, min(max_lag, z.shape[1] - 1) + 1):
        r = float(np.median(np.sum(z[:, :-lag] * z[:, lag:], axis=1) / energy))
        if r > best[1]:
            best = (lag, r)
    return best


def column_scale_spread(x: np.ndarray) -> float:
    """How unevenly the columns are scaled: the 90th over the 10th percentile of their
    standard deviations (1 for one shared scale; a table's mixed units give hundreds)."""
    std = np.asarray(x[:EVIDENCE_MAX_SAMPLES], dtype=np.float64).std(axis=0)
    low = float(np.percentile(std, 10))
    return float(np.percentile(std, 90)) / low if low > 0 else float("inf")
