"""Section 4: the score to beat (stage 4's common-sense and classical baselines)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.core.messages import msg
from dlpilot.report import _plots as plots
from dlpilot.report._html import decisions, findings, note, para, table
from dlpilot.report._record import RunRecord

BASELINES = (("common_sense", msg("common sense")), ("classical", msg("classical")))


def score_to_beat_section(record: RunRecord) -> str:
    t = record.t
    b = record.summary.get("baselines", {})
    stage = record.stage("score_to_beat") or {}
    present = [(t(title), b[key]) for key, title in BASELINES if b.get(key)]
    metrics = next((list(e["scores"]) for _, e in present if e.get("scores")), [record.primary])
    rows = [
        [title, e.get("model", ""), *[_scores(e, record.primary).get(m) for m in metrics]]
        for title, e in present
    ]
    header = [t("baseline"), t("model"), *[plots._label(m, t=t) for m in metrics]]
    body = (
        table(header, rows, numeric=tuple(range(2, len(header))))
        if rows
        else note(t("The run recorded no baseline."))
    )
    return (
        para(
            t(
                "A network must beat what a trivial predictor scores (the common-sense baseline), "
                "and should beat a linear model, or its extra cost buys nothing. Both are scored "
                "under the same protocol, on validation data."
            )
        )
        + body
        + decisions(stage.get("decisions", []), t)
        + findings(stage.get("findings", []), t)
    )


def _scores(entry: Mapping[str, Any], primary: str) -> Mapping[str, Any]:
    return entry.get("scores") or {primary: entry.get("score")}
