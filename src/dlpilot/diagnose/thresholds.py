"""The named thresholds of the diagnosis, in one place.

The README's "Diagnosis thresholds" section states each of them. Every rule works on
smoothed curves (see `smooth`), and compares relative changes, so the numbers hold for
any loss scale. "Error" means the metric turned into an error (1 − accuracy, 1 − F1,
1 − R², or the value itself for MAE/RMSE), or the loss when no metric was logged.
"""

from __future__ import annotations

# A history shorter than this is not judged: "not enough epochs to judge".
MIN_EPOCHS = 3

# Smoothing: a centred running median over this share of the epochs, rounded down to an
# odd width, at most SMOOTH_MAX_WINDOW (none under 20 epochs, 3 from 20, 5 from 34, 7 from 47).
SMOOTH_SHARE = 0.15
SMOOTH_MAX_WINDOW = 7

# "The end of training" is the last TAIL_SHARE of the epochs, at least TAIL_MIN_EPOCHS.
TAIL_SHARE = 0.3
TAIL_MIN_EPOCHS = 3

# A curve is still falling at the end when a straight line through its tail drops by more
# than STILL_FALLING_DROP of the tail's level, by at least TREND_MIN_T standard errors.
# (A slope is "significant" elsewhere when its t statistic is at most −TREND_MIN_T.)
STILL_FALLING_DROP = 0.05
TREND_MIN_T = 2.0

# lr_too_high, oscillation: an epoch is a spike when its loss peaks (above both neighbours;
# never the first epoch) and lies more than SPIKE_REL above the curve's lower envelope (the
# SPIKE_BASE_QUANTILE quantile of a centred window of SPIKE_WINDOW epochs) and by more than
# SPIKE_OF_RANGE of that envelope's range. A curve of at least OSCILLATION_MIN_EPOCHS
# epochs oscillates with OSCILLATION_MIN_SPIKES spikes or more, at least
# OSCILLATION_MIN_SHARE of its epochs.
SPIKE_WINDOW = 7
SPIKE_BASE_QUANTILE = 0.3
SPIKE_REL = 0.25
SPIKE_OF_RANGE = 0.10
OSCILLATION_MIN_EPOCHS = 5
OSCILLATION_MIN_SPIKES = 2
OSCILLATION_MIN_SHARE = 0.10

# lr_too_high, divergence: the smoothed training loss ends more than DIVERGENCE_REL above
# its minimum, and the rise is more than DIVERGENCE_OF_START of the first epoch's loss.
DIVERGENCE_REL = 0.5
DIVERGENCE_OF_START = 0.10

# overfitting: the smoothed validation loss ends more than OVERFIT_RISE_REL above its
# minimum, the rise is more than OVERFIT_RISE_OF_DROP of the fall that came before it,
# the minimum lies at least OVERFIT_MIN_EPOCHS_AFTER epochs before the end, and the
# smoothed training loss fell by more than OVERFIT_TRAIN_FALL after that minimum.
OVERFIT_RISE_REL = 0.10
OVERFIT_RISE_OF_DROP = 0.05
OVERFIT_MIN_EPOCHS_AFTER = 2
OVERFIT_TRAIN_FALL = 0.05

# lr_too_low: over at least LR_LOW_MIN_EPOCHS epochs, a straight line through the whole
# training loss falls significantly (t ≤ −TREND_MIN_T), the smoothed loss fell by less than
# LR_LOW_MAX_DROP of its first value, and the second half of the run falls at least
# LR_LOW_STEADINESS times as fast as the first half (steady, not a decay that levelled off).
LR_LOW_MIN_EPOCHS = 5
LR_LOW_MAX_DROP = 0.30
LR_LOW_STEADINESS = 0.3

# underfitting: the training loss is flat at the end (not still falling) and high: a
# training error of at least UNDERFIT_MIN_ERROR where the metric is a rate (accuracy, F1,
# AUC, R²…), otherwise a smoothed loss still at least UNDERFIT_MIN_LOSS_RATIO of the first.
UNDERFIT_MIN_ERROR = 0.20
UNDERFIT_MIN_LOSS_RATIO = 0.5

# avoidable_bias: training error minus the human-level (Bayes) error exceeds both
# AVOIDABLE_BIAS_ABS (in error units; of the first epoch's value for unbounded errors)
# and AVOIDABLE_BIAS_REL of the human-level error.
AVOIDABLE_BIAS_ABS = 0.02
AVOIDABLE_BIAS_REL = 0.25

# high_variance: validation error minus training error, at the best epoch, exceeds both
# VARIANCE_ABS (in error units; of the first epoch's value for unbounded errors and for the
# loss) and VARIANCE_REL of the training error.
VARIANCE_ABS = 0.05
VARIANCE_REL = 0.5

# data_mismatch: the two errors (validation vs test, or train vs train-dev) differ by more
# than MISMATCH_ABS (error units; relative to the first error for unbounded metrics), by
# more than MISMATCH_REL of the smaller error, and, when the split sizes are given, by
# more than MISMATCH_Z standard errors of a difference of two proportions.
MISMATCH_ABS = 0.03
MISMATCH_REL = 0.25
MISMATCH_Z = 3.0

__all__ = [name for name in dir() if name.isupper()]
