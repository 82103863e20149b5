"""data_mismatch: two splits that should score alike do not."""

from __future__ import annotations

import math

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Text, msg
from dlpilot.core.records import Finding
from dlpilot.diagnose import thresholds as th
from dlpilot.diagnose._names import RATE_METRICS, metric_alias


def diagnose_mismatch(
    *,
    val_score: float,
    test_score: float,
    metric: str,
    greater_is_better: bool,
    stage: str = "final",
    n_val: int | None = None,
    n_test: int | None = None,
    names: tuple[Text, Text] = (msg("validation"), msg("test")),
    val_noise: float | None = None,
) -> tuple[Finding, ...]:
    """A `data_mismatch` finding when the two scores differ by more than noise explains.

    Also for train vs train-dev: pass the train-dev score as ``val_score`` and the dev
    score as ``test_score`` with ``names=("train-dev", "dev")`` (the gap between training
    and train-dev is variance, the gap between train-dev and dev is mismatch). With
    ``n_val``/``n_test`` (split sizes) a rate metric also has to differ by more than
    `MISMATCH_Z` standard errors; any other metric too when ``val_noise`` (its standard
    error on the validation samples, as stage 7 measured it) is given: the test score's is
    taken as that scaled to the test set's size.
    """
    for label, value in (("val_score", val_score), ("test_score", test_score)):
        if not math.isfinite(value):
            raise ConfigError(
                msg("{label} must be a finite number, got {value!r}.", label=label, value=value)
            )
    canonical = metric_alias(metric) or metric
    rate = greater_is_better and canonical in RATE_METRICS
    if greater_is_better:
        e_a, e_b = (1 - val_score, 1 - test_score) if rate else (-val_score, -test_score)
    else:
        e_a, e_b = val_score, test_score
    gap = e_b - e_a
    unit = 1.0 if rate else max(abs(val_score), abs(test_score), 1e-12)
    smaller = min(abs(e_a), abs(e_b)) if rate or not greater_is_better else 0.0
    if abs(gap) <= th.MISMATCH_ABS * unit or abs(gap) <= th.MISMATCH_REL * smaller:
        return ()
    noise: Text = ""
    if rate and n_val and n_test:
        pooled = min(max((e_a * n_val + e_b * n_test) / (n_val + n_test), 1e-6), 1 - 1e-6)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n_val + 1 / n_test))
        z = abs(gap) / se
        if z <= th.MISMATCH_Z:
            return ()
        noise = msg(
            ", {z:.1f} standard errors with {n_val:,} and {n_test:,} samples",
            z=z,
            n_val=n_val,
            n_test=n_test,
        )
    elif val_noise is not None and math.isfinite(val_noise) and val_noise > 0 and n_val and n_test:
        se = val_noise * math.sqrt(1 + n_val / n_test)
        z = abs(gap) / se
        if z <= th.MISMATCH_Z:
            return ()
        noise = msg(
            ", {z:.1f} standard errors (validation's {val_noise:.3g}, bootstrapped)",
            z=z,
            val_noise=val_noise,
        )
    a, b = names
    worse = gap > 0
    what: Text = msg("error (1 − {metric})", metric=metric) if rate else metric
    ea_shown, eb_shown = (e_a, e_b) if rate or not greater_is_better else (val_score, test_score)
    values = {"a": a, "b": b, "what": what, "ea": ea_shown, "eb": eb_shown, "gap": abs(gap)}
    if worse:
        evidence = msg(
            "{a} {what} {ea:.4g} against {b} {eb:.4g}: {b} is worse by {gap:.4g}{noise}",
            noise=noise,
            **values,
        )
    else:
        evidence = msg(
            "{a} {what} {ea:.4g} against {b} {eb:.4g}: {b} is better by {gap:.4g}{noise}",
            noise=noise,
            **values,
        )
    return (
        Finding(
            FindingCode.DATA_MISMATCH,
            Severity.WARNING if worse else Severity.INFO,
            stage,
            evidence,
            msg(
                "The {a} and {b} data differ: check that they come from one distribution "
                "(sources, time, preprocessing); make the {a} data look like the data the model "
                "will meet (or add such data to training), and trust the {b} score for what to "
                "expect.",
                a=a,
                b=b,
            ),
        ),
    )
