"""Sections 1 and 2: the problem (stage 0), the metric and the protocol (stages 1–2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dlpilot.report import _plots as plots
from dlpilot.report._html import decisions, facts, findings, sub
from dlpilot.report._record import RunRecord
from dlpilot.report._sections.common import yes_no


def problem_section(record: RunRecord) -> str:
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


def metric_protocol_section(record: RunRecord) -> str:
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
        ("Stratified", yes_no(pr.get("stratified"))),
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
