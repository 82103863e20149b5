"""The budget policy: how a run's time is split between stages 5–8 (`BudgetPlan`), and the
deadlines it gives once stages 0–4 are done (`Budget`)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from dlpilot.core.messages import Msg, msg


@dataclass(frozen=True)
class Marks:
    """Cumulative deadlines, as fractions of the time stages 5–8 get."""

    baseline: float
    scale: float
    tune: float


@dataclass(frozen=True)
class BudgetPlan:
    """How the time budget is split: the stated policy, in fractions of what stages 5–8 get.

    Stages 0–4 take what they need (seconds, mostly). Of the rest, after a
    reserve for writing the report, the baseline network may use up to 10%,
    scaling up to the 30% mark, tuning to the 70% mark (to the 95% mark with
    K-fold, whose final model is the fold ensemble and needs no retraining;
    iterated K-fold's very scarce data retrains one model, so it keeps 30%),
    and the final training the rest. When the training split is too large to
    explore whole in that time, stages 5–7 explore on a subset and the final
    training on all the data, which then decides the result, gets the larger
    share: marks at 5%, 15% and 35%. Deadlines are cumulative, so time a stage
    leaves unused passes to the next.
    """

    whole: Marks = Marks(baseline=0.10, scale=0.30, tune=0.70)
    whole_kfold: Marks = Marks(baseline=0.10, scale=0.30, tune=0.95)
    subset: Marks = Marks(baseline=0.05, scale=0.15, tune=0.35)
    # Iterated K-fold (under 300 samples): epochs cost milliseconds but a trial spans 15
    # splits, so the first-split baseline, whose long curve is the best network estimate, and
    # the final retraining on all the data (at least 300 epochs) get the larger shares. On
    # ArrowHead at 2 minutes the 10% baseline afforded 43 epochs, the final 180; the FCN
    # needs about 300 (benchmarks/series_recipes.py: 80 cosine epochs 0.657, 300 0.823).
    scarce: Marks = Marks(baseline=0.45, scale=0.50, tune=0.60)
    report_reserve: float = 0.03
    # Stage 4's yardstick (MiniRocket for series) may take this share of the time left then:
    # on the UCR sets of ../shared/data/real-dev it needs 1–5 s of a 2-minute run.
    yardstick_share: float = 0.08
    min_report_reserve_seconds: float = 2.0

    def marks(self, *, kfold: bool, subset: bool, scarce: bool = False) -> Marks:
        if subset:
            return self.subset
        if scarce:
            return self.scarce
        return self.whole_kfold if kfold else self.whole

    def describe(self, *, kfold: bool, subset: bool, scarce: bool = False) -> str:
        """`describe_message` as English text."""
        return str(self.describe_message(kfold=kfold, subset=subset, scarce=scarce))

    def describe_message(self, *, kfold: bool, subset: bool, scarce: bool = False) -> Msg:
        """The policy in one sentence, with the marks of this run's regime."""
        m = self.marks(kfold=kfold, subset=subset, scarce=scarce)
        values = {
            "reserve": self.report_reserve,
            "baseline": m.baseline,
            "scale": m.scale,
            "tune": m.tune,
        }
        if subset:
            return msg(
                "stages 0–4 take what they need; of the rest (after {reserve:.0%} kept for the "
                "report) the training split is too large to explore whole, so stages 5–7 "
                "explore on a subset and the final training on all the data gets the larger "
                "share: the baseline network gets up to {baseline:.0%}, scaling runs to the "
                "{scale:.0%} mark, tuning to the {tune:.0%} mark, and the final model gets the "
                "rest; time a stage leaves unused passes to the next",
                **values,
            )
        if scarce:
            return msg(
                "stages 0–4 take what they need; of the rest (after {reserve:.0%} kept for the "
                "report) the data are very scarce (iterated K-fold), so the long first-split "
                "baseline and the final retraining on all the data get the larger shares: the "
                "baseline network gets up to {baseline:.0%}, scaling runs to the {scale:.0%} "
                "mark, tuning to the {tune:.0%} mark, and the final model gets the rest; time a "
                "stage leaves unused passes to the next",
                **values,
            )
        return msg(
            "stages 0–4 take what they need; of the rest (after {reserve:.0%} kept for the "
            "report) the baseline network gets up to {baseline:.0%}, scaling runs to the "
            "{scale:.0%} mark, tuning to the {tune:.0%} mark, and the final model gets the "
            "rest; time a stage leaves unused passes to the next",
            **values,
        )


@dataclass(frozen=True)
class Budget:
    """The time stages 5–8 share, from ``t0`` on, split by the `BudgetPlan`'s marks."""

    t0: float
    span: float
    reserve: float
    kfold: bool
    plan: BudgetPlan
    scarce: bool = False

    @classmethod
    def split(
        cls, plan: BudgetPlan, seconds_left: float, *, kfold: bool, scarce: bool = False
    ) -> Budget:
        """What is left of the run's budget now, less the report's reserve."""
        reserve = max(plan.min_report_reserve_seconds, plan.report_reserve * seconds_left)
        span = max(0.0, seconds_left - reserve)
        return cls(time.monotonic(), span, reserve, kfold, plan, scarce)

    def at(self, fraction: float) -> float:
        """The ``time.monotonic()`` instant of a mark."""
        return self.t0 + fraction * self.span
