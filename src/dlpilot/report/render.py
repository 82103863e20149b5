"""report.html: the run's story, in the workflow's order, with its evidence inline.

`render_report(run_dir)` reads the run directory alone (summary.json,
histories/*.csv, evaluation.json, data_view.json, state/*.json) and writes one
self-contained page: plots are SVG data URIs, the CSS is inline, there is no
script, and light and dark colour schemes both read well. It computes no
metric; a piece the run did not record becomes a sentence saying so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dlpilot.core.rundir import (
    DATA_VIEW_FILE,
    EVALUATION_FILE,
    HISTORY_DIR,
    REPORT_FILE,
    STATE_DIR,
    SUMMARY_FILE,
)
from dlpilot.report import _plots as plots
from dlpilot.report._html import (
    CSS,
    bullets,
    decisions,
    esc,
    facts,
    figure,
    findings,
    fmt,
    key_number,
    note,
    para,
    section,
    sub,
    table,
)
from dlpilot.report._record import RunRecord, number, read_record

SPLIT_CHECK_CODES = {"split_distribution_shift", "mixed_pixel_range", "mixed_image_sizes"}
BEST_TRIALS_SHOWN = 5
BASELINES = (("common_sense", "common sense"), ("classical", "classical"))
STAGE_TITLES = {
    "define": "Stage 0 · define the problem",
    "metric": "Stage 1 · choose the metric",
    "protocol": "Stage 2 · choose the protocol",
    "prepare": "Stage 3 · prepare the data",
    "score_to_beat": "Stage 4 · set the score to beat",
    "baseline": "Stage 5 · baseline network",
    "scale": "Stage 6 · scale up until it overfits",
    "tune": "Stage 7 · regularize and tune",
    "final": "Stage 8 · final model and the test set",
}


def render_report(run_dir: str | Path) -> Path:
    """Write ``RUN_DIR/report.html`` from the run directory; returns its path."""
    record = read_record(run_dir)
    page = build_page(record)
    path = record.path / REPORT_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


def build_page(record: RunRecord) -> str:
    s = record.summary
    name = s.get("dataset") or s.get("source") or record.path.name
    sections = [
        ("problem", "The problem", _problem(record)),
        ("metric", "The metric and the protocol", _metric_protocol(record)),
        ("data", "The data", _data(record)),
        ("baselines", "The score to beat", _score_to_beat(record)),
        ("stages", "Training, stage by stage", _training(record)),
        ("result", "The final result", _result(record)),
        ("budget", "Where the time went", _budget(record)),
    ]
    toc = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t, _ in sections)
    body = "\n".join(section(a, t, b) for a, t, b in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>dlpilot report — {esc(name)}</title><style>{CSS}</style></head>\n<body>\n"
        f"{_header(record, name)}\n"
        f'<nav class="toc" aria-label="contents"><b>Contents</b><ol>{toc}</ol></nav>\n'
        f"{body}\n{_footer(record)}\n</body></html>\n"
    )


# --- header ------------------------------------------------------------------------------------


def _header(record: RunRecord, name: str) -> str:
    s = record.summary
    p, final = s.get("problem", {}), s.get("final", {})
    metric = plots._label(record.primary)
    test = number(final.get("test", {}).get(record.primary))
    val = number(final.get("val", {}).get(record.primary))
    cs = s.get("baselines", {}).get("common_sense", {})
    cl = s.get("baselines", {}).get("classical", {})
    tuning = s.get("tuning", {})
    opened = s.get("test_set_opened", final.get("test_set_opened"))
    subtitle = " · ".join(
        str(x)
        for x in (
            p.get("task"),
            p.get("modality"),
            f"{fmt(p.get('n_samples'))} samples" if p.get("n_samples") is not None else None,
            f"source {s.get('source')}",
            f"dlpilot {s.get('dlpilot_version', '?')}",
        )
        if x
    )
    verdict, bad = _verdict(record, test, cs, cl)
    kpis = "".join(
        [
            key_number("test_score", test, f"test {metric}", f"{fmt(final.get('n_test'))} samples"),
            key_number("val_score", val, f"validation {metric}", "the final configuration"),
            key_number(
                "common_sense", cs.get("score"), "common-sense baseline", cs.get("model", "")
            ),
            key_number("classical", cl.get("score"), "classical baseline", cl.get("model", "")),
            key_number(
                "trials",
                tuning.get("trials"),
                "tuning trials",
                f"{fmt(tuning.get('complete', 0))} completed, {fmt(tuning.get('pruned', 0))} pruned",
            ),
            key_number("test_set_opened", opened, "times the test set was opened", "once is right"),
        ]
    )
    return (
        f"<header><h1>{esc(name)}</h1><p class='subtitle'>{esc(subtitle)}</p>"
        f'<p class="verdict{" bad" if bad else ""}">{esc(verdict)}</p>'
        f'<div class="kpis">{kpis}</div></header>'
    )


def _verdict(
    record: RunRecord, test: float | None, cs: Mapping[str, Any], cl: Mapping[str, Any]
) -> tuple[str, bool]:
    metric = plots._label(record.primary)
    if test is None:
        return "The run recorded no test score.", True
    better = _better(record)
    cs_score, cl_score = number(cs.get("score")), number(cl.get("score"))
    parts = [f"The final model scores {fmt(test)} {metric} on the sealed test set."]
    bad = False
    if cs_score is not None:
        if better(test, cs_score):
            parts.append(f"It beats the common-sense score of {fmt(cs_score)}.")
        else:
            parts.append(
                f"It does not beat the common-sense score of {fmt(cs_score)}: the network failed."
            )
            bad = True
    if cl_score is not None:
        if better(test, cl_score):
            parts.append(f"It beats the classical model's {fmt(cl_score)} too.")
        else:
            parts.append(f"The classical model scored {fmt(cl_score)}, which it does not beat.")
    return " ".join(parts), bad


def _better(record: RunRecord):
    if record.greater_is_better:
        return lambda a, b: a > b
    return lambda a, b: a < b


# --- 1 · the problem ---------------------------------------------------------------------------


def _problem(record: RunRecord) -> str:
    p = record.summary.get("problem", {})
    classes = p.get("class_names") or []
    stage = record.stage("define") or {}
    rows = [
        ("Task", p.get("task")),
        ("Modality", p.get("modality")),
        ("Samples", p.get("n_samples")),
        ("Features", p.get("n_features")),
        ("Input shape", " × ".join(str(d) for d in p.get("input_shape") or []) or None),
        ("Target", ", ".join(p.get("target_names") or []) or None),
        (
            "Classes" if p.get("task") != "multilabel" else "Labels",
            f"{len(classes)}: " + ", ".join(classes[:20]) + (" …" if len(classes) > 20 else "")
            if classes
            else None,
        ),
        ("Minority share", p.get("minority_share")),
        ("Imbalance ratio", p.get("imbalance_ratio")),
        ("Official test split", p.get("n_test_official")),
        ("Feature columns", _listing(p.get("feature_columns") or [])),
        ("Ignored columns", _listing(p.get("ignored_columns") or [])),
    ]
    return (
        facts(rows)
        + sub("Decisions", decisions(stage.get("decisions", [])))
        + sub(
            "Findings",
            findings(stage.get("findings", []), none="Stage 0 found nothing to warn about."),
        )
    )


def _listing(items: Sequence[str], limit: int = 25) -> str | None:
    if not items:
        return None
    return ", ".join(items[:limit]) + (
        f" … and {len(items) - limit} more" if len(items) > limit else ""
    )


# --- 2 · metric and protocol -------------------------------------------------------------------


def _metric_protocol(record: RunRecord) -> str:
    m = record.summary.get("metric", {})
    pr = record.summary.get("protocol", {})
    metric_rows = [
        ("Primary metric", plots._label(m.get("primary"))),
        (
            "Direction",
            "higher is better" if m.get("greater_is_better", True) else "lower is better",
        ),
        ("Positive class", m.get("positive_class")),
        ("Also reported", ", ".join(plots._label(x) for x in m.get("secondary") or []) or None),
        ("Why", m.get("reason")),
    ]
    kind = pr.get("kind")
    scheme = {
        "holdout": "hold-out validation",
        "kfold": f"{pr.get('folds')}-fold cross-validation",
        "iterated_kfold": f"{pr.get('folds')}-fold cross-validation repeated {pr.get('repeats')} "
        "times with reshuffling",
    }.get(kind, kind)
    protocol_rows = [
        ("Scheme", scheme),
        ("Training samples (per split)", pr.get("n_train")),
        ("Validation samples (per split)", pr.get("n_val")),
        ("Test samples (sealed)", pr.get("n_test")),
        ("Test set", pr.get("test_origin")),
        ("Stratified", _yes_no(pr.get("stratified"))),
        ("Group column", pr.get("group")),
        ("Why", pr.get("reason")),
    ]
    ms, ps = record.stage("metric") or {}, record.stage("protocol") or {}
    return (
        sub("The metric", facts(metric_rows) + decisions(_unsaid(ms, m.get("reason"))))
        + findings(ms.get("findings", []))
        + sub(
            "The evaluation protocol",
            facts(protocol_rows) + decisions(_unsaid(ps, pr.get("reason"))),
        )
        + findings(ps.get("findings", []))
    )


def _unsaid(stage: Mapping[str, Any], reason: Any) -> list[dict[str, Any]]:
    """The stage's decisions, less the one whose reason the facts above already give."""
    return [d for d in stage.get("decisions", []) if d.get("why") != reason]


def _yes_no(value: Any) -> str | None:
    return None if value is None else ("yes" if value else "no")


# --- 3 · the data ------------------------------------------------------------------------------


def _data(record: RunRecord) -> str:
    p = record.summary.get("problem", {})
    view = record.data_view
    parts = []
    counts = p.get("class_counts") or {}
    if counts:
        multilabel = record.task == "multilabel"
        parts.append(
            sub(
                "Class balance" if not multilabel else "Label frequencies",
                figure(
                    plots.class_balance(counts, multilabel=multilabel),
                    f"All {fmt(p.get('n_samples'))} samples, before the split. Minority share "
                    f"{fmt(p.get('minority_share'))}, imbalance ratio {fmt(p.get('imbalance_ratio'))}.",
                ),
            )
        )
    elif view.get("target"):
        parts.append(
            sub(
                "Target distribution",
                figure(
                    plots.target_distribution(view["target"]),
                    f"The {fmt(view.get('n_development'))} development samples (the test set is "
                    "not read).",
                ),
            )
        )
    elif record.task in ("regression", "vector_regression"):
        parts.append(sub("Target distribution", note("The run recorded no target distribution.")))
    else:
        parts.append(sub("Class balance", note("The run recorded no class counts.")))
    samples = view.get("samples")
    if record.modality in ("image", "sequence", "text"):
        parts.append(
            sub(
                "Samples",
                _samples(samples)
                if samples
                else note(
                    f"The run recorded no samples (runs made before dlpilot wrote {DATA_VIEW_FILE})."
                ),
            )
        )
    if record.modality == "tabular":
        parts.append(sub("Features", _feature_table(view.get("features"))))
    parts.append(sub("The split checks", _split_checks(record)))
    parts.append(sub(STAGE_TITLES["prepare"], _preparation(record)))
    return "".join(parts)


def _samples(samples: Mapping[str, Any]) -> str:
    kind, groups = samples.get("kind"), samples.get("groups") or []
    if not groups or not any(g.get("items") for g in groups):
        return note("No sample could be shown.")
    raw = {
        "image": "as they were read, before resizing or normalization",
        "sequence": "before standardization",
        "text": "before tokenization",
    }.get(kind, "as they were read")
    intro = para(
        f"A few development samples per class, {raw}."
        if groups[0].get("label")
        else f"A few development samples with their targets, {raw}."
    )
    if kind == "image":
        rows = []
        for g in groups:
            cells = "".join(
                f'<figure><img src="data:image/png;base64,{it["png"]}" '
                f'alt="{esc(g.get("label") or it.get("caption", "sample"))}">'
                + (f"<figcaption>{esc(it['caption'])}</figcaption>" if it.get("caption") else "")
                + "</figure>"
                for it in g.get("items", [])
                if it.get("png")
            )
            rows.append(
                f'<div class="label">{esc(g.get("label") or "")}</div><div class="row">{cells}</div>'
            )
        return intro + f'<div class="samples">{"".join(rows)}</div>'
    if kind == "sequence":
        return intro + figure(plots.signal_samples(groups), "The first channel of each sample.")
    items = []
    for g in groups:
        for it in g.get("items", []):
            label = g.get("label") or it.get("caption", "")
            items.append(
                f'<li><span class="label">{esc(label)}</span>: {esc(it.get("text", ""))}</li>'
            )
    return intro + f'<ul class="texts">{"".join(items)}</ul>'


def _feature_table(features: Mapping[str, Any] | None) -> str:
    if not features or not features.get("columns"):
        return note("The run recorded no feature summary.")
    rows = []
    for c in features["columns"]:
        if "mean" in c:
            detail = (
                f"mean {fmt(c['mean'])}, sd {fmt(c['std'])}; min {fmt(c['min'])}, "
                f"median {fmt(c['median'])}, max {fmt(c['max'])}"
            )
        elif "mean_words" in c:
            detail = f"{fmt(c['mean_words'], 1)} words on average"
        elif c.get("top"):
            detail = "most frequent: " + ", ".join(f"{k} ({share:.0%})" for k, share in c["top"])
        else:
            detail = ""
        missing = number(c.get("missing"))
        rows.append(
            [
                c.get("name"),
                c.get("kind"),
                "—" if missing is None else f"{missing:.1%}",
                c.get("distinct"),
                detail,
            ]
        )
    shown, total = len(rows), features.get("n_columns", len(rows))
    more = f" The first {shown} of {total} features are shown." if total > shown else ""
    return para(
        f"Per-feature statistics of {fmt(features.get('rows_read'))} development rows (raw "
        f"values, before preparation; the test set is not read).{more}"
    ) + table(
        ["feature", "kind", "missing", "distinct", "values"],
        rows,
        numeric=(3,),
    )


def _split_checks(record: RunRecord) -> str:
    pr = record.summary.get("protocol", {})
    prepare = record.stage("prepare") or {}
    checks = [d for d in prepare.get("decisions", []) if _is_split_check(d)]
    found = [f for f in record.summary.get("findings", []) if f.get("code") in SPLIT_CHECK_CODES]
    lines = []
    if pr.get("stratified") is not None:
        lines.append(
            "Splits are stratified by class."
            if pr.get("stratified")
            else "Splits are not stratified (the task has no classes to stratify by, or groups "
            "decide)."
        )
    if pr.get("group"):
        lines.append(f"Rows sharing a value of '{pr['group']}' stay in one split.")
    peeks = pr.get("test_input_peeks")
    if peeks is not None:
        lines.append(
            f"Before the final stage the test inputs (never their labels) were read {peeks} "
            "time(s), for the train-vs-test checks."
        )
    body = (
        bullets(lines) + decisions(checks)
        if checks
        else bullets(lines) + note("No train-vs-test shift check was recorded.")
    )
    return body + findings(found, none="No split check raised a warning.")


def _is_split_check(decision: Mapping[str, Any]) -> bool:
    return "shift" in str(decision.get("what", "")).lower()


def _preparation(record: RunRecord) -> str:
    """Stage 3's other decisions and findings (the split checks are shown above)."""
    prepare = record.stage("prepare") or {}
    return decisions(
        [d for d in prepare.get("decisions", []) if not _is_split_check(d)]
    ) + findings([f for f in prepare.get("findings", []) if f.get("code") not in SPLIT_CHECK_CODES])


# --- 4 · the score to beat ---------------------------------------------------------------------


def _score_to_beat(record: RunRecord) -> str:
    b = record.summary.get("baselines", {})
    stage = record.stage("score_to_beat") or {}
    present = [(title, b[key]) for key, title in BASELINES if b.get(key)]
    metrics = next((list(e["scores"]) for _, e in present if e.get("scores")), [record.primary])
    rows = [
        [title, e.get("model", ""), *[_scores(e, record.primary).get(m) for m in metrics]]
        for title, e in present
    ]
    header = ["baseline", "model", *[plots._label(m) for m in metrics]]
    body = (
        table(header, rows, numeric=tuple(range(2, len(header))))
        if rows
        else note("The run recorded no baseline.")
    )
    return (
        para(
            "A network must beat what a trivial predictor scores (the common-sense baseline), and "
            "should beat a linear model, or its extra cost buys nothing. Both are scored under "
            "the same protocol, on validation data."
        )
        + body
        + decisions(stage.get("decisions", []))
        + findings(stage.get("findings", []))
    )


def _scores(entry: Mapping[str, Any], primary: str) -> Mapping[str, Any]:
    return entry.get("scores") or {primary: entry.get("score")}


# --- 5 · training, stage by stage --------------------------------------------------------------


def _training(record: RunRecord) -> str:
    return (
        _baseline(record)
        + _scale(record)
        + _tuning(record)
        + _final_stage(record)
        + sub("Learning rate per epoch", _lr(record), "lr")
    )


def _stage_block(record: RunRecord, name: str) -> str:
    stage = record.stage(name) or {}
    if not stage:
        return note(f"Stage '{name}' left no record.")
    return decisions(stage.get("decisions", [])) + findings(stage.get("findings", []))


def _ladder(record: RunRecord) -> list[dict[str, Any]]:
    return list(
        (record.summary.get("scale") or {}).get("ladder") or record.scale.get("ladder") or []
    )


def _overfit(record: RunRecord) -> tuple[int | None, int | None]:
    scale = record.summary.get("scale") or record.scale or {}
    step, epoch = scale.get("overfit_step"), scale.get("overfit_epoch")
    return (None if step is None else int(step)), (None if epoch is None else int(epoch))


def _curves(
    record: RunRecord, history_name: str, title: str, *, overfit: int | None, best: int | None
) -> str:
    history = record.histories.get(history_name)
    if history is None:
        return note(
            f"No history was recorded for {title.lower()} ({HISTORY_DIR}/{history_name}.csv)."
        )
    caption = []
    if overfit:
        caption.append(f"dashed: validation loss turns up from epoch {overfit} (overfitting)")
    if best:
        caption.append(f"dotted: the best epoch by validation, {best}")
    return figure(
        plots.curves(
            history, metric=record.primary, title=title, overfit_epoch=overfit, best_epoch=best
        ),
        "; ".join(caption).capitalize() + ("." if caption else ""),
    )


def _baseline(record: RunRecord) -> str:
    ladder = _ladder(record)
    step, epoch = _overfit(record)
    best = ladder[0].get("best_epoch") if ladder else None
    return sub(
        STAGE_TITLES["baseline"],
        _stage_block(record, "baseline")
        + _curves(
            record,
            "baseline",
            "Baseline network",
            overfit=epoch if step == 0 else None,
            best=best,
        ),
        "stage-baseline",
    )


def _scale(record: RunRecord) -> str:
    ladder = _ladder(record)
    step, epoch = _overfit(record)
    chosen = (record.summary.get("scale") or {}).get("chosen")
    if ladder:
        rows, classes = [], []
        for r in ladder:
            is_overfit = r.get("step") == step
            rows.append(
                [
                    r.get("step"),
                    r.get("name"),
                    r.get("depth"),
                    r.get("width"),
                    r.get("n_params"),
                    r.get("epochs"),
                    r.get("lr"),
                    number(r.get("train_score")),
                    number(r.get("val_score")),
                    r.get("best_epoch"),
                    " · ".join(
                        x
                        for x in (
                            f"overfits from epoch {epoch}" if is_overfit and epoch else "",
                            "chosen" if r.get("step") == chosen else "",
                        )
                        if x
                    ),
                    ", ".join(r.get("findings") or []),
                ]
            )
            classes.append(
                " ".join(
                    c
                    for c in (
                        "mark" if is_overfit else "",
                        "chosen" if r.get("step") == chosen else "",
                    )
                    if c
                )
            )
        metric = plots._label(record.primary)
        ladder_html = table(
            [
                "step",
                "name",
                "depth",
                "width",
                "parameters",
                "epochs",
                "LR",
                f"train {metric}",
                f"val {metric}",
                "best epoch",
                "overfitting point",
                "findings",
            ],
            rows,
            numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9),
            row_classes=classes,
        )
        if step is None:
            ladder_html += para(
                "No step overfit: validation loss never turned up while training loss fell, so "
                "even the largest network tried may underfit (see the findings)."
            )
    else:
        ladder_html = note("The run recorded no scale-up ladder.")
    curves = ""
    if step is not None and step > 0:
        name = ladder[step].get("name") if step < len(ladder) else f"scale_{step}"
        curves = _curves(
            record,
            name,
            f"Scale-up step {step} (the overfitting point)",
            overfit=epoch,
            best=ladder[step].get("best_epoch") if step < len(ladder) else None,
        )
    elif step is None and len(ladder) > 1:
        last = ladder[-1]
        curves = _curves(
            record,
            last.get("name"),
            f"Scale-up step {last.get('step')} (the largest)",
            overfit=None,
            best=last.get("best_epoch"),
        )
    elif step == 0:
        curves = para("The baseline itself overfits; its curves above mark the point.")
    return sub(
        STAGE_TITLES["scale"],
        para("One row per capacity step, with its train and validation scores at the best epoch.")
        + ladder_html
        + curves
        + _stage_block(record, "scale"),
        "stage-scale",
    )


def _tuning(record: RunRecord) -> str:
    t = record.summary.get("tuning") or {}
    trials = record.trials
    metric = plots._label(record.primary)
    waiting = sum(1 for r in trials if r.get("state") == "WAITING")
    counts = para(
        f"{fmt(t.get('trials', len(trials)))} trial(s): {fmt(t.get('complete', 0))} completed, "
        f"{fmt(t.get('pruned', 0))} pruned, {fmt(t.get('failed', 0))} failed"
        + (f", {waiting} queued but not started before the budget ran out." if waiting else ".")
    )
    done = [
        r for r in trials if r.get("state") == "COMPLETE" and number(r.get("value")) is not None
    ]
    if done:
        done.sort(key=lambda r: number(r["value"]), reverse=record.greater_is_better)
        rows = [
            [
                r["number"],
                number(r["value"]),
                r.get("best_epoch"),
                r.get("seconds"),
                " · ".join(f"{k} {_param(v)}" for k, v in (r.get("params") or {}).items()),
            ]
            for r in done[:BEST_TRIALS_SHOWN]
        ]
        best_trials = table(
            ["trial", f"val {metric}", "best epoch", "seconds", "hyperparameters"],
            rows,
            numeric=(0, 1, 2, 3),
            wrap=(4,),
            row_classes=[
                "mark" if r["number"] == record.best_trial else "" for r in done[:BEST_TRIALS_SHOWN]
            ],
        )
        curve = record.tune.get("curve") or []
        history = figure(
            plots.optimization_history(trials, curve, metric=record.primary),
            "Each completed trial's validation score (dots) and the best so far (line); trials "
            "pruned, failed or cut off by the budget are crosses on the axis.",
        )
    else:
        best_trials = note(
            "No tuning trial completed, so the best network of stages 5–6 went to the final stage."
        )
        history = ""
    importances = t.get("importances") or record.tune.get("importances") or {}
    imp = (
        figure(
            plots.importances(importances),
            "Optuna's fANOVA importance estimate over completed trials.",
        )
        if importances
        else note(
            "Hyperparameter importances need at least 3 completed trials; this run has "
            f"{len(done)}."
        )
    )
    best = record.best_trial
    curves = (
        _curves(
            record,
            f"trial_{best:04d}",
            f"Best trial #{best}",
            overfit=None,
            best=next((r.get("best_epoch") for r in trials if r.get("number") == best), None),
        )
        if best is not None
        else ""
    )
    return sub(
        STAGE_TITLES["tune"],
        counts
        + sub("The best trials", best_trials, level=4)
        + history
        + sub("Hyperparameter importances", imp, level=4)
        + curves
        + _stage_block(record, "tune"),
        "stage-tune",
    )


def _param(value: Any) -> str:
    if isinstance(value, float):
        return fmt(value, 3)
    return "" if value is None else str(value)


def _final_stage(record: RunRecord) -> str:
    final = record.summary.get("final") or {}
    config = final.get("config") or {}
    model, train = config.get("model") or {}, config.get("train") or {}
    rows = [
        ("Approach", str(final.get("approach", "")).replace("_", " ") or None),
        (
            "Network",
            f"{model.get('architecture')} depth {model.get('depth')}, width {model.get('width')}"
            if model
            else None,
        ),
        (
            "Dropout, batch norm",
            f"{fmt(model.get('dropout'), 2)}, {_yes_no(model.get('batch_norm'))}"
            if model
            else None,
        ),
        (
            "Optimizer",
            f"{train.get('optimizer')} at LR {fmt(train.get('lr'))}, schedule "
            f"{train.get('schedule')}"
            if train
            else None,
        ),
        (
            "Weight decay, L1",
            f"{fmt(train.get('weight_decay'))}, {fmt(train.get('l1'))}" if train else None,
        ),
        ("Batch size", train.get("batch_size")),
        ("Epochs", _final_epochs(record, train)),
        ("Augmentation", ", ".join(train.get("augment") or []) or None),
    ]
    curves = (
        _curves(
            record, "final", "Final model (training + validation data)", overfit=None, best=None
        )
        + para("The final training uses the validation data too, so it has no validation curve.")
        if "final" in record.histories
        else para(
            "The final model was not retrained (its members are the best trial's fold models), "
            "so it has no curve of its own."
            if final.get("approach") != "retrain"
            else "The final training left no history."
        )
    )
    return sub(
        STAGE_TITLES["final"], facts(rows) + curves + _stage_block(record, "final"), "stage-final"
    )


def _final_epochs(record: RunRecord, train: Mapping[str, Any]) -> str | None:
    if "final" in record.histories:
        return f"{len(record.histories['final'])}, retrained on training + validation data"
    if train.get("epochs"):
        stop = train.get("early_stopping_patience")
        return f"up to {train['epochs']}, as in the best trial" + (
            f", with early stopping (patience {stop})" if stop else ""
        )
    return None


def _lr(record: RunRecord) -> str:
    step, _ = _overfit(record)
    ladder = _ladder(record)
    names = {"baseline": "baseline"}
    if step and step < len(ladder):
        names[ladder[step].get("name")] = f"overfit step {step}"
    if record.best_trial is not None:
        names[f"trial_{record.best_trial:04d}"] = f"best trial #{record.best_trial}"
    names["final"] = "final"
    chosen = {label: record.histories[n] for n, label in names.items() if n in record.histories}
    plot = plots.learning_rates(chosen)
    return figure(plot, "Log scale.") if plot else note("No learning rate was recorded per epoch.")


# --- 6 · the final result ----------------------------------------------------------------------


def _result(record: RunRecord) -> str:
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
    parts.append(sub("What to try next", _next_steps(record), "next"))
    return "".join(parts)


def _gap_sentence(record: RunRecord, val: Any, test: Any) -> str:
    v, t = number(val), number(test)
    if v is None or t is None:
        return "The gap to validation cannot be stated: a score is missing."
    metric = plots._label(record.primary)
    worse = t < v if record.greater_is_better else t > v
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


def _next_steps(record: RunRecord) -> str:
    """The diagnosis's actions, most severe and latest first, one per finding code."""
    s = record.summary
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
        action = str(f.get("action", ""))
        steps.append(
            f"{action[:1].upper()}{action[1:]} (from {f.get('code')}, stage {f.get('stage')})"
        )
    extra = []
    t = s.get("tuning") or {}
    complete = int(number(t.get("complete")) or 0)
    if complete < 10:
        extra.append(
            f"Only {complete} tuning trial(s) completed: a larger --budget (or --trials) lets the "
            "search explore the space."
        )
    test = number((s.get("final") or {}).get("test", {}).get(record.primary))
    cl = number(((s.get("baselines") or {}).get("classical") or {}).get("score"))
    if test is not None and cl is not None and not _better(record)(test, cl):
        extra.append(
            "The network does not beat the classical model: for this data a linear model may be "
            "the better choice, or the network needs more data or a different architecture."
        )
    if (s.get("exploration") or {}).get("n_explore", 0) < (s.get("exploration") or {}).get(
        "n_train", 0
    ):
        extra.append(
            "Stages 5–7 explored on a subset of the training data; a larger budget lets them "
            "see all of it."
        )
    if not steps and not extra:
        return note("The diagnosis found nothing to act on.")
    return bullets(steps + extra)


# --- 7 · budget ----------------------------------------------------------------------------------


def _budget(record: RunRecord) -> str:
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


# --- footer --------------------------------------------------------------------------------------


def _footer(record: RunRecord) -> str:
    env = record.summary.get("environment") or {}
    env_text = ", ".join(f"{k} {v}" for k, v in env.items())
    unreadable = f" Could not read: {', '.join(record.unreadable)}." if record.unreadable else ""
    return (
        f"<footer>Written by dlpilot {esc(record.summary.get('dlpilot_version', '?'))} from the run "
        f"directory <code>{esc(record.path.name)}</code> ({SUMMARY_FILE}, {HISTORY_DIR}, "
        f"{EVALUATION_FILE}, {STATE_DIR}). {esc(env_text)}.{esc(unreadable)} Rebuild it with "
        f"<code>dlpilot report {esc(record.path.name)}</code>.</footer>"
    )
