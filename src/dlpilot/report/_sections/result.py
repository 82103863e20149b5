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
    t = record.t
    s = record.summary
    final = s.get("final") or {}
    val, test, gap = final.get("val") or {}, final.get("test") or {}, final.get("gap") or {}
    cs = (s.get("baselines") or {}).get("common_sense") or {}
    cl = (s.get("baselines") or {}).get("classical") or {}
    primary = record.primary
    bars = [
        (
            t("common sense: {model}", model=plots._short(cs.get("model", ""), 28)),
            number(cs.get("score")),
        ),
        (
            t("classical: {model}", model=plots._short(cl.get("model", ""), 28)),
            number(cl.get("score")),
        ),
        (t("validation (final configuration)"), number(val.get(primary))),
        (t("test (opened once)"), number(test.get(primary))),
    ]
    bars = [(n, v) for n, v in bars if v is not None]
    parts = []
    if bars:
        parts.append(figure(plots.scores_against_baselines(bars, metric=primary, t=t)))
    metrics = list(dict.fromkeys([*test.keys(), *val.keys()]))
    if metrics:
        parts.append(
            table(
                [t("metric"), t("validation"), t("test"), t("gap (validation − test)")],
                [
                    [
                        plots._label(m, t),
                        number(val.get(m)),
                        number(test.get(m)),
                        number(gap.get(m)),
                    ]
                    for m in metrics
                ],
                numeric=(1, 2, 3),
                row_classes=["mark" if m == primary else "" for m in metrics],
            )
        )
        parts.append(para(_gap_sentence(record, val.get(primary), test.get(primary))))
    else:
        parts.append(note(t("The run recorded no final scores.")))
    parts.append(sub(t("The test evaluation"), _evaluation_plots(record)))
    parts.append(sub(t("What to try next"), next_steps(record), "next"))
    return "".join(parts)


def _gap_sentence(record: RunRecord, val: Any, test: Any) -> str:
    t = record.t
    v, te = number(val), number(test)
    if v is None or te is None:
        return t("The gap to validation cannot be stated: a score is missing.")
    metric = plots._label(record.primary, t)
    worse = beats(v, te, greater_is_better=record.greater_is_better)
    diff = abs(v - te)
    if diff == 0:
        return t("Test and validation {metric} agree exactly.", metric=metric)
    values = {"metric": metric, "diff": fmt(diff)}
    if worse and v:
        return t(
            "The test {metric} is {diff} worse than validation ({rel:.1%} of the validation "
            "score): validation was optimistic, as expected after choosing among many "
            "configurations on it.",
            rel=diff / abs(v),
            **values,
        )
    if worse:
        return t(
            "The test {metric} is {diff} worse than validation: validation was optimistic, as "
            "expected after choosing among many configurations on it.",
            **values,
        )
    if v:
        return t(
            "The test {metric} is {diff} better than validation ({rel:.1%} of the validation "
            "score): the test samples came out easier than the validation samples; that is "
            "sampling noise, not a better model.",
            rel=diff / abs(v),
            **values,
        )
    return t(
        "The test {metric} is {diff} better than validation: the test samples came out easier "
        "than the validation samples; that is sampling noise, not a better model.",
        **values,
    )


def _evaluation_plots(record: RunRecord) -> str:
    t = record.t
    e = record.evaluation
    if not e:
        return note(
            t(
                "The run recorded no test-set details ({file} is missing).",
                file=EVALUATION_FILE,
            )
        )
    p = record.summary.get("problem", {})
    out = []
    if e.get("confusion"):
        names = p.get("class_names") or []
        out.append(
            figure(
                plots.confusion(e["confusion"], names, t=t),
                t(
                    "True class by row, predicted class by column; the right panel divides each "
                    "row by its total, so the diagonal is each class's recall."
                ),
            )
        )
    if e.get("roc") or e.get("pr"):
        out.append(
            figure(
                plots.roc_pr(
                    e.get("roc"),
                    e.get("pr"),
                    positive=record.summary.get("metric", {}).get("positive_class"),
                    t=t,
                ),
                t("Curves over every decision threshold; the dashed lines are what chance scores."),
            )
        )
    elif record.task == "binary":
        out.append(note(t("No ROC or precision–recall curve: the test set holds one class only.")))
    if e.get("per_label_ap"):
        out.append(
            figure(
                plots.per_label(
                    e["per_label_ap"], p.get("class_names") or p.get("target_names") or [], t=t
                )
            )
        )
    scatter = e.get("scatter") or {}
    if scatter.get("actual") and scatter.get("predicted"):
        target = (p.get("target_names") or [t("target")])[0]
        n = len(scatter["actual"])
        caption = (
            t(
                "{n} test samples. Only the first target, '{target}', is drawn.",
                n=n,
                target=target,
            )
            if record.task == "vector_regression"
            else t("{n} test samples.", n=n)
        )
        out.append(
            figure(
                plots.regression(scatter["actual"], scatter["predicted"], target=target, t=t),
                caption,
            )
        )
    return "".join(out) or note(t("The test evaluation recorded nothing to draw for this task."))


def budget_section(record: RunRecord) -> str:
    t = record.t
    b = record.summary.get("budget") or {}
    by_stage = b.get("by_stage") or {}
    limit, used = number(b.get("limit_seconds")), number(b.get("used_seconds"))
    lines = []
    if limit is not None and used is not None:
        lines.append(
            t(
                "{used} s of a {limit} s budget used ({share:.0%}).",
                used=fmt(used, 1),
                limit=fmt(limit, 1),
                share=used / limit,
            )
            if limit
            else t("{used} s used.", used=fmt(used, 1))
        )
    plot = (
        figure(
            plots.budget(by_stage, limit=limit, used=used, t=t),
            t(
                "Stages 0–4 take what they need; the rest is split by the budget policy (see "
                "stage 5)."
            ),
        )
        if by_stage
        else note(t("The run recorded no time per stage."))
    )
    return para(" ".join(lines)) + plot if lines else plot
