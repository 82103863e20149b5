"""Section 3: the data (class balance or targets, samples, features) and the split checks.

Also stage 3's other decisions and findings, under the data they prepare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
        value_range = samples.get("value_range")
        drawn = (
            para(
                f"Pixels are drawn on the data's own range, {fmt(value_range[0])} (black) to "
                f"{fmt(value_range[1])} (white)."
            )
            if value_range
            else ""
        )
        return intro + drawn + f'<div class="samples">{"".join(rows)}</div>'
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
