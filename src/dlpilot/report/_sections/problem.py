"""Sections 1 and 2: the problem (stage 0), the metric and the protocol (stages 1–2)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from dlpilot.core.messages import Translator
from dlpilot.report import _plots as plots
from dlpilot.report._html import decisions, facts, findings, stored_text, sub
from dlpilot.report._record import RunRecord
from dlpilot.report._sections.common import yes_no

# "the test file 'x.csv'", as the data layer records a test set read from a file.
TEST_FILE = re.compile(r"the test file '(?P<name>.*)'", re.DOTALL)


def problem_section(record: RunRecord) -> str:
    t = record.t
    p = record.summary.get("problem", {})
    classes = p.get("class_names") or []
    stage = record.stage("define") or {}
    rows = [
        (t("Task"), p.get("task")),
        (t("Modality"), p.get("modality")),
        (t("Samples"), p.get("n_samples")),
        (t("Features"), p.get("n_features")),
        (t("Input shape"), " × ".join(str(d) for d in p.get("input_shape") or []) or None),
        (t("Target"), ", ".join(p.get("target_names") or []) or None),
        (
            t("Classes") if p.get("task") != "multilabel" else t("Labels"),
            f"{len(classes)}: " + ", ".join(classes[:20]) + (" …" if len(classes) > 20 else "")
            if classes
            else None,
        ),
        (t("Minority share"), p.get("minority_share")),
        (t("Imbalance ratio"), p.get("imbalance_ratio")),
        (t("Official test split"), p.get("n_test_official")),
        (t("Feature columns"), _listing(p.get("feature_columns") or [], t)),
        (t("Ignored columns"), _listing(p.get("ignored_columns") or [], t)),
    ]
    return (
        facts(rows)
        + sub(t("Decisions"), decisions(stage.get("decisions", []), t))
        + sub(
            t("Findings"),
            findings(stage.get("findings", []), t, none=t("Stage 0 found nothing to warn about.")),
        )
    )


def _listing(items: Sequence[str], t: Translator, limit: int = 25) -> str | None:
    if not items:
        return None
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        return t("{items} … and {n} more", items=shown, n=len(items) - limit)
    return shown


def metric_protocol_section(record: RunRecord) -> str:
    t = record.t
    m = record.summary.get("metric", {})
    pr = record.summary.get("protocol", {})
    ms, ps = record.stage("metric") or {}, record.stage("protocol") or {}
    metric_rows = [
        (t("Primary metric"), plots._label(m.get("primary"), t=t)),
        (
            t("Direction"),
            t("higher is better") if m.get("greater_is_better", True) else t("lower is better"),
        ),
        (t("Positive class"), m.get("positive_class")),
        (
            t("Also reported"),
            ", ".join(plots._label(x, t=t) for x in m.get("secondary") or []) or None,
        ),
        (t("Why"), _reason(ms, m.get("reason"), t)),
    ]
    kind = pr.get("kind")
    if kind == "holdout":
        scheme = t("hold-out validation")
    elif kind == "kfold":
        scheme = t("{folds}-fold cross-validation", folds=pr.get("folds"))
    elif kind == "iterated_kfold":
        scheme = t(
            "{folds}-fold cross-validation repeated {repeats} times with reshuffling",
            folds=pr.get("folds"),
            repeats=pr.get("repeats"),
        )
    else:
        scheme = kind
    protocol_rows = [
        (t("Scheme"), scheme),
        (t("Training samples (per split)"), pr.get("n_train")),
        (t("Validation samples (per split)"), pr.get("n_val")),
        (t("Test samples (sealed)"), pr.get("n_test")),
        (t("Test set"), _test_origin(pr.get("test_origin"), t)),
        (t("Stratified"), yes_no(pr.get("stratified"), t)),
        (t("Group column"), pr.get("group")),
        (t("Why"), _reason(ps, pr.get("reason"), t)),
    ]
    return (
        sub(
            t("The metric"),
            facts(metric_rows) + decisions(_unsaid(ms, m.get("reason")), t),
        )
        + findings(ms.get("findings", []), t)
        + sub(
            t("The evaluation protocol"),
            facts(protocol_rows) + decisions(_unsaid(ps, pr.get("reason")), t),
        )
        + findings(ps.get("findings", []), t)
    )


def _unsaid(stage: Mapping[str, Any], reason: Any) -> list[dict[str, Any]]:
    """The stage's decisions, less the one whose reason the facts above already give."""
    return [d for d in stage.get("decisions", []) if d.get("why") != reason]


def _reason(stage: Mapping[str, Any], reason: Any, t: Translator) -> Any:
    """The summary's ``reason``, in the report's language: the stage's decision that gives
    it holds its message (the summary keeps the English text only)."""
    if not reason:
        return reason
    for d in stage.get("decisions", []):
        if d.get("why") == reason:
            return stored_text(d, "why", t)
    return reason


def _test_origin(origin: Any, t: Translator) -> Any:
    """Where the sealed test set came from, as the reader reads it."""
    if origin == "official":
        return t("official")
    if origin == "held out":
        return t("held out")
    found = TEST_FILE.fullmatch(str(origin)) if origin else None
    if found:
        return t("the test file '{name}'", name=found["name"])
    return origin
