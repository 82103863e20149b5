"""Sections 6 and 7: the final result against validation and the baselines, and the budget.

The test-set plots and what to try next belong to section 6.
"""

from __future__ import annotations

from typing import Any

from dlpilot.core.numbers import beats
from dlpilot.core.rundir import EVALUATION_FILE
from dlpilot.report import _plots as plots
from dlpilot.report._html import figure, fmt, note, para, sub, table
from dlpilot.report._record import RunRecord, number
from dlpilot.report._sections.findings import next_steps


def result_section(record: RunRecord) -> str:
    s = record.summary
    final = s.get("final") or {}
    val, test, gap = final.get("val") or {}, final.get("test") or {}, final.get("gap") or {}
    cs = (s.get("baselines") or {}).get("common_sense") or {}
    cl = (s.get("baselines") or {}).get("classical") or {}
    primary = record.primary
    bars = [
        (f"common sense: {plots._short(cs.get('model', ''), 28)}", number(cs.get("score"))),
        (f"classical: {plots._short(cl.get('model', ''), 28)}", number(cl.get("score"))),
        ("validation (final configuration)", number(val.get(primary))),
        ("test (opened once)", number(test.get(primary))),
    ]
    bars = [(n, v) for n, v in bars if v is not None]
    parts = []
    if bars:
        parts.append(figure(plots.scores_against_baselines(bars, metric=primary)))
    metrics = list(dict.fromkeys([*test.keys(), *val.keys()]))
    if metrics:
        parts.append(
            table(
                ["metric", "validation", "test", "gap (validation − test)"],
                [
                    [plots._label(m), number(val.get(m)), number(test.get(m)), number(gap.get(m))]
                    for m in metrics
                ],
                numeric=(1, 2, 3),
                row_classes=["mark" if m == primary else "" for m in metrics],
            )
        )
        parts.append(para(_gap_sentence(record, val.get(primary), test.get(primary))))
    else:
        parts.append(note("The run recorded no final scores."))
    parts.append(sub("The test evaluation", _evaluation_plots(record)))
    parts.append(sub("What to try next", next_steps(record), "next"))
    return "".join(parts)


def _gap_sentence(record: RunRecord, val: Any, test: Any) -> str:
    v, t = number(val), number(test)
    if v is None or t is None:
        return "The gap to validation cannot be stated: a score is missing."
    metric = plots._label(record.primary)
    worse = beats(v, t, greater_is_better=record.greater_is_better)
    diff = abs(v - t)
    rel = f" ({diff / abs(v):.1%} of the validation score)" if v else ""
    if diff == 0:
        return f"Test and validation {metric} agree exactly."
    return (
        f"The test {metric} is {fmt(diff)} {'worse' if worse else 'better'} than validation{rel}: "
        + (
            "validation was optimistic, as expected after choosing among many configurations on it."
            if worse
            else "the test samples came out easier than the validation samples; that is sampling "
            "noise, not a better model."
        )
    )


def _evaluation_plots(record: RunRecord) -> str:
    e = record.evaluation
    if not e:
        return note(f"The run recorded no test-set details ({EVALUATION_FILE} is missing).")
    p = record.summary.get("problem", {})
    out = []
    if e.get("confusion"):
        names = p.get("class_names") or []
        out.append(
            figure(
                plots.confusion(e["confusion"], names),
                "True class by row, predicted class by column; the right panel divides each row "
                "by its total, so the diagonal is each class's recall.",
            )
        )
    if e.get("roc") or e.get("pr"):
        out.append(
            figure(
                plots.roc_pr(
                    e.get("roc"),
                    e.get("pr"),
                    positive=record.summary.get("metric", {}).get("positive_class"),
                ),
                "Curves over every decision threshold; the dashed lines are what chance scores.",
            )
        )
    elif record.task == "binary":
        out.append(note("No ROC or precision–recall curve: the test set holds one class only."))
    if e.get("per_label_ap"):
        out.append(
            figure(
                plots.per_label(
                    e["per_label_ap"], p.get("class_names") or p.get("target_names") or []
                )
            )
        )
    scatter = e.get("scatter") or {}
    if scatter.get("actual") and scatter.get("predicted"):
        target = (p.get("target_names") or ["target"])[0]
        extra = (
            f" Only the first target, '{target}', is drawn."
            if record.task == "vector_regression"
            else ""
        )
        out.append(
            figure(
                plots.regression(scatter["actual"], scatter["predicted"], target=target),
                f"{len(scatter['actual'])} test samples.{extra}",
            )
        )
    return "".join(out) or note("The test evaluation recorded nothing to draw for this task.")


def budget_section(record: RunRecord) -> str:
    b = record.summary.get("budget") or {}
    by_stage = b.get("by_stage") or {}
    limit, used = number(b.get("limit_seconds")), number(b.get("used_seconds"))
    lines = []
    if limit is not None and used is not None:
        lines.append(
            f"{fmt(used, 1)} s of a {fmt(limit, 1)} s budget used ({used / limit:.0%})."
            if limit
            else f"{fmt(used, 1)} s used."
        )
    plot = (
        figure(
            plots.budget(by_stage, limit=limit, used=used),
            "Stages 0–4 take what they need; the rest is split by the budget policy (see stage 5).",
        )
        if by_stage
        else note("The run recorded no time per stage.")
    )
    return para(" ".join(lines)) + plot if lines else plot
