"""Section 3: the data (class balance or targets, samples, features) and the split checks.

Also stage 3's other decisions and findings, under the data they prepare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.core.messages import Translator
from dlpilot.core.rundir import DATA_VIEW_FILE
from dlpilot.report import _plots as plots
from dlpilot.report._html import (
    bullets,
    decisions,
    esc,
    figure,
    findings,
    fmt,
    note,
    para,
    sub,
    table,
)
from dlpilot.report._record import RunRecord, number
from dlpilot.report._sections.common import STAGE_TITLES

SPLIT_CHECK_CODES = {"split_distribution_shift", "mixed_pixel_range", "mixed_image_sizes"}


def data_section(record: RunRecord) -> str:
    t = record.t
    p = record.summary.get("problem", {})
    view = record.data_view
    parts = []
    counts = p.get("class_counts") or {}
    if counts:
        multilabel = record.task == "multilabel"
        parts.append(
            sub(
                t("Class balance") if not multilabel else t("Label frequencies"),
                figure(
                    plots.class_balance(counts, multilabel=multilabel, t=t),
                    t(
                        "All {n} samples, before the split. Minority share {share}, imbalance "
                        "ratio {ratio}.",
                        n=fmt(p.get("n_samples")),
                        share=fmt(p.get("minority_share")),
                        ratio=fmt(p.get("imbalance_ratio")),
                    ),
                ),
            )
        )
    elif view.get("target"):
        parts.append(
            sub(
                t("Target distribution"),
                figure(
                    plots.target_distribution(view["target"], t=t),
                    t(
                        "The {n} development samples (the test set is not read).",
                        n=fmt(view.get("n_development")),
                    ),
                ),
            )
        )
    elif record.task in ("regression", "vector_regression"):
        parts.append(
            sub(t("Target distribution"), note(t("The run recorded no target distribution.")))
        )
    else:
        parts.append(sub(t("Class balance"), note(t("The run recorded no class counts."))))
    samples = view.get("samples")
    if record.modality in ("image", "sequence", "text"):
        parts.append(
            sub(
                t("Samples"),
                _samples(samples, t)
                if samples
                else note(
                    t(
                        "The run recorded no samples (runs made before dlpilot wrote {file}).",
                        file=DATA_VIEW_FILE,
                    )
                ),
            )
        )
    if record.modality == "tabular":
        parts.append(sub(t("Features"), _feature_table(view.get("features"), t)))
    parts.append(sub(t("The split checks"), _split_checks(record)))
    parts.append(sub(t(STAGE_TITLES["prepare"]), _preparation(record)))
    return "".join(parts)


def _samples(samples: Mapping[str, Any], t: Translator) -> str:
    kind, groups = samples.get("kind"), samples.get("groups") or []
    if not groups or not any(g.get("items") for g in groups):
        return note(t("No sample could be shown."))
    per_class = bool(groups[0].get("label"))
    if kind == "image":
        intro = (
            t(
                "A few development samples per class, as they were read, before resizing or "
                "normalization."
            )
            if per_class
            else t(
                "A few development samples with their targets, as they were read, before "
                "resizing or normalization."
            )
        )
    elif kind == "sequence":
        intro = (
            t("A few development samples per class, before standardization.")
            if per_class
            else t("A few development samples with their targets, before standardization.")
        )
    elif kind == "text":
        intro = (
            t("A few development samples per class, before tokenization.")
            if per_class
            else t("A few development samples with their targets, before tokenization.")
        )
    else:
        intro = (
            t("A few development samples per class, as they were read.")
            if per_class
            else t("A few development samples with their targets, as they were read.")
        )
    intro = para(intro)
    if kind == "image":
        rows = []
        for g in groups:
            cells = "".join(
                f'<figure><img src="data:image/png;base64,{it["png"]}" '
                f'alt="{esc(g.get("label") or it.get("caption", t("sample")))}">'
                + (f"<figcaption>{esc(it['caption'])}</figcaption>" if it.get("caption") else "")
                + "</figure>"
                for it in g.get("items", [])
                if it.get("png")
            )
            rows.append(
                f'<div class="label">{esc(g.get("label") or "")}</div><div class="row">{cells}</div>'
            )
        value_range = samples.get("value_range")
        drawn = (
            para(
                t(
                    "Pixels are drawn on the data's own range, {low} (black) to {high} (white).",
                    low=fmt(value_range[0]),
                    high=fmt(value_range[1]),
                )
            )
            if value_range
            else ""
        )
        return intro + drawn + f'<div class="samples">{"".join(rows)}</div>'
    if kind == "sequence":
        return intro + figure(
            plots.signal_samples(groups, t=t), t("The first channel of each sample.")
        )
    items = []
    for g in groups:
        for it in g.get("items", []):
            label = g.get("label") or it.get("caption", "")
            items.append(
                f'<li><span class="label">{esc(label)}</span>: {esc(it.get("text", ""))}</li>'
            )
    return intro + f'<ul class="texts">{"".join(items)}</ul>'


def _feature_table(features: Mapping[str, Any] | None, t: Translator) -> str:
    if not features or not features.get("columns"):
        return note(t("The run recorded no feature summary."))
    rows = []
    for c in features["columns"]:
        if "mean" in c:
            detail = t(
                "mean {mean}, sd {sd}; min {min}, median {median}, max {max}",
                mean=fmt(c["mean"]),
                sd=fmt(c["std"]),
                min=fmt(c["min"]),
                median=fmt(c["median"]),
                max=fmt(c["max"]),
            )
        elif "mean_words" in c:
            detail = t("{n} words on average", n=fmt(c["mean_words"], 1))
        elif c.get("top"):
            detail = t(
                "most frequent: {values}",
                values=", ".join(f"{k} ({share:.0%})" for k, share in c["top"]),
            )
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
    more = (
        " " + t("The first {shown} of {total} features are shown.", shown=shown, total=total)
        if total > shown
        else ""
    )
    return para(
        t(
            "Per-feature statistics of {n} development rows (raw values, before preparation; "
            "the test set is not read).{more}",
            n=fmt(features.get("rows_read")),
            more=more,
        )
    ) + table(
        [t("feature"), t("kind"), t("missing"), t("distinct"), t("values")],
        rows,
        numeric=(3,),
    )


def _split_checks(record: RunRecord) -> str:
    t = record.t
    pr = record.summary.get("protocol", {})
    prepare = record.stage("prepare") or {}
    checks = [d for d in prepare.get("decisions", []) if _is_split_check(d)]
    found = [f for f in record.summary.get("findings", []) if f.get("code") in SPLIT_CHECK_CODES]
    lines = []
    if pr.get("stratified") is not None:
        lines.append(
            t("Splits are stratified by class.")
            if pr.get("stratified")
            else t(
                "Splits are not stratified (the task has no classes to stratify by, or groups "
                "decide)."
            )
        )
    if pr.get("group"):
        lines.append(t("Rows sharing a value of '{group}' stay in one split.", group=pr["group"]))
    peeks = pr.get("test_input_peeks")
    if peeks is not None:
        lines.append(
            t(
                "Before the final stage the test inputs (never their labels) were read {peeks} "
                "time(s), for the train-vs-test checks.",
                peeks=peeks,
            )
        )
    body = (
        bullets(lines) + decisions(checks, t)
        if checks
        else bullets(lines) + note(t("No train-vs-test shift check was recorded."))
    )
    return body + findings(found, t, none=t("No split check raised a warning."))


def _is_split_check(decision: Mapping[str, Any]) -> bool:
    # The English text decides (the stored message is only for rendering).
    return "shift" in str(decision.get("what", "")).lower()


def _preparation(record: RunRecord) -> str:
    """Stage 3's other decisions and findings (the split checks are shown above)."""
    t = record.t
    prepare = record.stage("prepare") or {}
    return decisions(
        [d for d in prepare.get("decisions", []) if not _is_split_check(d)], t
    ) + findings(
        [f for f in prepare.get("findings", []) if f.get("code") not in SPLIT_CHECK_CODES], t
    )
