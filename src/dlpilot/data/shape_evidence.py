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
