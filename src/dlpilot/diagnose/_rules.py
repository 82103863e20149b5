"""The diagnosis's rules: each reads smoothed curves and returns one finding, or None.

Relative changes are compared against the named constants of
`dlpilot.diagnose.thresholds`; `_diagnose.diagnose` decides which rules run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.history import History
from dlpilot.core.messages import Text, join, msg
from dlpilot.core.records import Finding
from dlpilot.diagnose import thresholds as th
from dlpilot.diagnose._curves import Curve, fit_trend, make_curve, spikes, tail_trend
from dlpilot.diagnose._names import ERROR_METRICS, RATE_METRICS, primary_metric


@dataclass(frozen=True)
class Errors:
    """The quantity bias and variance are read on: the metric as an error, or the loss."""

    label: Text
    train: Curve | None
    val: Curve | None
    rate: bool  # an error rate (1 − accuracy…): absolute thresholds apply as they are
    scale: float  # 1 for rates; otherwise the first training value, to scale thresholds


def check_finite(history: History, stage: str) -> tuple[Finding | None, int]:
    """diverged_nan, and how many epochs precede the divergence.

    A NaN can also be a gap (a key not logged that epoch), so NaN counts as divergence
    only where it runs to the end of a curve that had values before it (the training
    loss, or a validation loss logged every epoch until then); ±inf always counts.
    """
    n = len(history)
    first_bad: dict[str, int] = {}
    for key in ("loss", "val_loss"):
        values = history.get(key)
        if not values:
            continue
        arr = np.asarray(values, dtype=float)
        inf = np.flatnonzero(np.isinf(arr))
        candidates = [int(inf[0])] if len(inf) else []
        finite = np.flatnonzero(np.isfinite(arr))
        if not np.isfinite(arr[-1]):
            start = int(finite[-1]) + 1 if len(finite) else 0
            dense = start > 0 and bool(np.isfinite(arr[:start]).all())
            if key == "loss" or dense:
                candidates.append(start)
        if candidates:
            first_bad[key] = min(candidates)
    if not first_bad:
        return None, n
    key = min(first_bad, key=lambda k: (first_bad[k], k != "loss"))
    index = first_bad[key]
    values = history.columns[key]
    what = msg("training loss") if key == "loss" else msg("validation loss")
    parts: list[Text] = [
        msg(
            "{what} became {value} at epoch {epoch}",
            what=what,
            value=values[index],
            epoch=index + 1,
        )
    ]
    finite_before = [(i, v) for i, v in enumerate(values[:index]) if math.isfinite(v)]
    if finite_before:
        i, v = finite_before[-1]
        parts.append(msg(" (last finite value {value} at epoch {epoch})", value=_f(v), epoch=i + 1))
    parts.append(_lr_note(history, index))
    return (
        Finding(
            FindingCode.DIVERGED_NAN,
            Severity.ERROR,
            stage,
            join(parts, sep=""),
            msg(
                "Lower the learning rate (÷10) and retry; if it persists, clip gradients "
                "(max-norm 1.0) and check the inputs for NaN or infinite values."
            ),
        ),
        index,
    )


def lr_too_high(train: Curve, val: Curve | None, stage: str, history: History) -> Finding | None:
    parts: list[Text] = []
    severity = Severity.WARNING
    s = train.smooth
    i = int(np.argmin(s))
    rise = float(s[-1] - s[i])
    start = abs(float(train.values[0]))
    if (
        i < len(s) - 1
        and rise > th.DIVERGENCE_REL * abs(float(s[i]))
        and rise > th.DIVERGENCE_OF_START * start
    ):
        severity = Severity.ERROR
        parts.append(
            msg(
                "training loss diverges: it fell to {low} at epoch {low_epoch}, then rose to "
                "{end} by epoch {end_epoch} (smoothed, +{rise})",
                low=_f(s[i]),
                low_epoch=int(train.epochs[i]),
                end=_f(s[-1]),
                end_epoch=int(train.epochs[-1]),
                rise=_rise(rise, s[i]),
            )
        )
    for curve in (val, train):
        if curve is None:
            continue
        jumps = spikes(curve)
        if len(jumps) >= th.OSCILLATION_MIN_SPIKES and len(jumps) >= th.OSCILLATION_MIN_SHARE * len(
            curve
        ):
            shown = ", ".join(str(e) for e in jumps[:8]) + (", …" if len(jumps) > 8 else "")
            parts.append(
                msg(
                    "{curve} oscillates: it jumps well above its running median at {n} of "
                    "{total} epochs ({shown})",
                    curve=curve.name,
                    n=len(jumps),
                    total=len(curve),
                    shown=shown,
                )
            )
            break
    if not parts:
        return None
    return Finding(
        FindingCode.LR_TOO_HIGH,
        severity,
        stage,
        join([join(parts, sep="; "), _lr_note(history, len(history) - 1)], sep=""),
        msg(
            "Lower the learning rate (÷3 to ÷10, or run an LR finder) and retry; a warm-up or "
            "gradient clipping also calms early oscillation."
        ),
    )


def overfitting(watch: Curve, train: Curve, stage: str) -> Finding | None:
    s = watch.smooth
    i = int(np.argmin(s))
    if len(s) - 1 - i < th.OVERFIT_MIN_EPOCHS_AFTER:
        return None
    low, end = float(s[i]), float(s[-1])
    rise = end - low
    fall_before = float(s[: i + 1].max()) - low
    if not (rise > th.OVERFIT_RISE_REL * abs(low) and rise > th.OVERFIT_RISE_OF_DROP * fall_before):
        return None
    best = int(watch.epochs[i])
    ts = train.smooth
    j = train.at(best)
    t_best, t_end = float(ts[j]), float(ts[-1])
    if not (t_best - t_end > th.OVERFIT_TRAIN_FALL * abs(t_best)):
        return None
    return Finding(
        FindingCode.OVERFITTING,
        Severity.WARNING,
        stage,
        msg(
            "overfitting since epoch {best}: {curve} was lowest at epoch {best} ({low}, "
            "smoothed) and rose {rise} to {end} by epoch {last}, while training loss kept "
            "falling ({t_best} → {t_end})",
            best=best,
            curve=watch.name,
            low=_f(low),
            rise=_rise(rise, low),
            end=_f(end),
            last=int(watch.epochs[-1]),
            t_best=_f(t_best),
            t_end=_f(t_end),
        ),
        msg(
            "Stop at epoch {best} (early stopping that restores the best weights); regularize "
            "(dropout, weight decay, augmentation) or add data. Stop scaling up: this model is "
            "big enough to overfit.",
            best=best,
        ),
    )


def undertrained(watch: Curve, stage: str) -> Finding | None:
    trend = tail_trend(watch)
    if not trend.falling:
        return None
    return Finding(
        FindingCode.UNDERTRAINED,
        Severity.WARNING,
        stage,
        msg(
            "{curve} still falling at the last epoch: −{drop:.0%} over epochs {first}–{last} "
            "(slope {slope} per epoch, t = {t:.1f})",
            curve=watch.name,
            drop=trend.rel_drop,
            first=trend.first_epoch,
            last=trend.last_epoch,
            slope=_f(trend.slope),
            t=trend.t,
        ),
        msg(
            "Train for more epochs (e.g. twice as many, with early stopping to catch the turn), "
            "or raise the learning rate slightly."
        ),
    )


def lr_too_low(train: Curve, stage: str, history: History) -> Finding | None:
    n = len(train)
    if n < th.LR_LOW_MIN_EPOCHS:
        return None
    whole = fit_trend(train.epochs, train.values)
    if whole.t > -th.TREND_MIN_T:  # not a significant fall
        return None
    s = train.smooth
    if float(s[0]) == 0:
        return None
    total = (float(s[0]) - float(s[-1])) / abs(float(s[0]))
    half = n // 2
    first = fit_trend(train.epochs[: half + 1], train.values[: half + 1])
    second = fit_trend(train.epochs[half:], train.values[half:])
    if first.slope >= 0 or second.slope >= 0:
        return None
    steadiness = second.slope / first.slope
    if total >= th.LR_LOW_MAX_DROP or steadiness < th.LR_LOW_STEADINESS:
        return None
    return Finding(
        FindingCode.LR_TOO_LOW,
        Severity.WARNING,
        stage,
        join(
            [
                msg(
                    "training loss falls slowly and steadily: only −{total:.0%} in {n} epochs "
                    "({first} → {last}, smoothed), the second half about as fast as the first "
                    "(slope ratio {ratio:.2f}, t = {t:.1f})",
                    total=total,
                    n=n,
                    first=_f(s[0]),
                    last=_f(s[-1]),
                    ratio=steadiness,
                    t=whole.t,
                ),
                _lr_note(history, len(history) - 1),
            ],
            sep="",
        ),
        msg(
            "Raise the learning rate (×3 to ×10, or run an LR finder); more epochs at this rate "
            "would get there too, slowly."
        ),
    )


def underfitting(train: Curve, errors: Errors, stage: str) -> Finding | None:
    trend = tail_trend(train)
    if trend.falling:
        return None
    span = msg("epochs {first}–{last}", first=trend.first_epoch, last=trend.last_epoch)
    if errors.rate and errors.train is not None and len(errors.train) >= th.MIN_EPOCHS:
        err = float(errors.train.smooth[-1])
        if err < th.UNDERFIT_MIN_ERROR:
            return None
        evidence = msg(
            "training {label} high and flat: {err} at the end, flat over {span} "
            "(at least {high} counts as high)",
            label=errors.label,
            err=_f(err),
            span=span,
            high=th.UNDERFIT_MIN_ERROR,
        )
    else:
        end, first = float(train.smooth[-1]), float(train.values[0])
        ratio = end / first if first else 0.0
        if ratio < th.UNDERFIT_MIN_LOSS_RATIO:
            return None
        evidence = msg(
            "training loss high and flat: {end} at the end, {ratio:.0%} of the first "
            "epoch's {first}, flat over {span}",
            end=_f(end),
            ratio=ratio,
            first=_f(first),
            span=span,
        )
    return Finding(
        FindingCode.UNDERFITTING,
        Severity.WARNING,
        stage,
        msg(
            "{evidence}; the model does not fit even the training data, so more data will not help",
            evidence=evidence,
        ),
        msg(
            "More data will not help. Grow the model (wider or deeper) or change it "
            "(architecture, features, optimizer), or clean the labels; first check it can "
            "overfit one small batch, since a bug looks the same."
        ),
    )


def bias_and_variance(
    errors: Errors, best_epoch: int, human_error: float | None, stage: str
) -> list[Finding]:
    if errors.train is None or len(errors.train) < th.MIN_EPOCHS:
        return []
    out: list[Finding] = []
    unit = 1.0 if errors.rate else abs(errors.scale)
    tr = float(errors.train.smooth[errors.train.at(best_epoch)])
    va = None
    if errors.val is not None and len(errors.val) >= th.MIN_EPOCHS:
        va = float(errors.val.smooth[errors.val.at(best_epoch)])
    variance_note = (
        msg("; variance (validation − training) {gap}", gap=_f(va - tr)) if va is not None else ""
    )
    if human_error is not None:
        bias = tr - human_error
        if bias > th.AVOIDABLE_BIAS_ABS * unit and bias > th.AVOIDABLE_BIAS_REL * human_error:
            out.append(
                Finding(
                    FindingCode.AVOIDABLE_BIAS,
                    Severity.WARNING,
                    stage,
                    join(
                        [
                            msg(
                                "training {label} {train} at epoch {epoch} against a "
                                "human-level error of {human}: avoidable bias {bias}",
                                label=errors.label,
                                train=_f(tr),
                                epoch=best_epoch,
                                human=_f(human_error),
                                bias=_f(bias),
                            ),
                            variance_note,
                        ],
                        sep="",
                    ),
                    msg(
                        "Reduce bias first: a bigger model (wider or deeper), longer training, a "
                        "better architecture or optimizer. Regularization and more data will not "
                        "close this gap."
                    ),
                )
            )
    if va is not None:
        gap = va - tr
        if gap > th.VARIANCE_ABS * unit and gap > th.VARIANCE_REL * max(tr, 0.0):
            out.append(
                Finding(
                    FindingCode.HIGH_VARIANCE,
                    Severity.WARNING,
                    stage,
                    join(
                        [
                            msg(
                                "validation {label} {val} against training {train} at epoch "
                                "{epoch}: a gap of {gap}",
                                label=errors.label,
                                val=_f(va),
                                train=_f(tr),
                                epoch=best_epoch,
                                gap=_f(gap),
                            ),
                            msg(" ({share:.0%} of the training error)", share=gap / tr)
                            if tr > 0
                            else "",
                        ],
                        sep="",
                    ),
                    msg(
                        "Reduce variance: regularize (dropout, weight decay, augmentation), add "
                        "data, or use a smaller model; stop scaling up."
                    ),
                )
            )
    return out


def errors_of(history: History, upto: int) -> Errors:
    metric = history.metric if history.metric else primary_metric(list(history.columns))
    if metric in RATE_METRICS or metric in ERROR_METRICS:
        train_raw, val_raw = history.get(metric), history.get(f"val_{metric}")
        if train_raw is not None:
            rate = metric in RATE_METRICS
            tr = np.asarray(train_raw, dtype=float)
            va = np.asarray(val_raw, dtype=float) if val_raw is not None else None
            if rate:
                tr = 1.0 - tr
                va = 1.0 - va if va is not None else None
            label: Text = msg("error (1 − {metric})", metric=metric) if rate else metric
            train = make_curve(msg("training {label}", label=label), tr, upto)
            val = (
                make_curve(msg("validation {label}", label=label), va, upto)
                if va is not None
                else None
            )
            scale = 1.0 if rate else (float(train.values[0]) if len(train) else 1.0)
            return Errors(label, train, val, rate, scale)
    train = make_curve(msg("training loss"), history.columns["loss"], upto)
    val_raw = history.get("val_loss")
    val = make_curve(msg("validation loss"), val_raw, upto) if val_raw else None
    scale = float(train.values[0]) if len(train) else 1.0
    return Errors(msg("loss"), train, val, False, scale)


def _lr_note(history: History, index: int) -> Text:
    lr = history.get("lr")
    if not lr or index >= len(lr) or not math.isfinite(lr[index]):
        return ""
    return msg(" (learning rate {lr})", lr=_f(lr[index]))


def _rise(rise: float, base: float) -> Text:
    """A rise as a share of where it started; a loss can reach exactly 0 (saturated logits)."""
    base = abs(float(base))
    return f"{rise / base:.0%}" if base > 0 else msg("{rise} from 0", rise=_f(rise))


def _f(x: float) -> str:
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    return f"{x:.4g}"
