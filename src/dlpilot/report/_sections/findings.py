"""What to try next: the diagnosis's actions, and the run's own hints, for section 6."""

from __future__ import annotations

from dlpilot.report._html import bullets, note, stored_text
from dlpilot.report._record import RunRecord, number
from dlpilot.report._sections.common import STAGE_TITLES, better


def next_steps(record: RunRecord) -> str:
    """The diagnosis's actions, most severe and latest first, one per finding code."""
    s, t = record.summary, record.t
    order = list(STAGE_TITLES)
    items = sorted(
        s.get("findings") or [],
        key=lambda f: (
            {"error": 0, "warning": 1, "info": 2}.get(str(f.get("severity")), 3),
            -order.index(f["stage"]) if f.get("stage") in order else 0,
        ),
    )
    seen, steps = set(), []
    for f in items:
        if f.get("code") in seen:
            continue
        seen.add(f.get("code"))
        action = stored_text(f, "action", t)
        steps.append(
            t(
                "{action} (from {code}, stage {stage})",
                action=f"{action[:1].upper()}{action[1:]}",
                code=f.get("code"),
                stage=f.get("stage"),
            )
        )
    extra = []
    tuning = s.get("tuning") or {}
    complete = int(number(tuning.get("complete")) or 0)
    if complete < 10:
        extra.append(
            t(
                "Only {complete} tuning trial(s) completed: a larger --budget (or --trials) lets "
                "the search explore the space.",
                complete=complete,
            )
        )
    test = number((s.get("final") or {}).get("test", {}).get(record.primary))
    cl = number(((s.get("baselines") or {}).get("classical") or {}).get("score"))
    if test is not None and cl is not None and not better(record)(test, cl):
        extra.append(
            t(
                "The network does not beat the classical model: for this data a linear model may "
                "be the better choice, or the network needs more data or a different architecture."
            )
        )
    if (s.get("exploration") or {}).get("n_explore", 0) < (s.get("exploration") or {}).get(
        "n_train", 0
    ):
        extra.append(
            t(
                "Stages 5–7 explored on a subset of the training data; a larger budget lets them "
                "see all of it."
            )
        )
    if not steps and not extra:
        return note(t("The diagnosis found nothing to act on."))
    return bullets(steps + extra)
