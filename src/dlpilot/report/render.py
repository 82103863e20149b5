"""report.html: the run's story, in the workflow's order, with its evidence inline.

`render_report(run_dir)` reads the run directory alone (summary.json,
histories/*.csv, evaluation.json, data_view.json, state/*.json) and writes one
self-contained page: plots are SVG data URIs, the CSS is inline, there is no
script, and light and dark colour schemes both read well. It computes no
metric; a piece the run did not record becomes a sentence saying so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dlpilot.core.messages import DEFAULT_LANGUAGE
from dlpilot.core.rundir import (
    EVALUATION_FILE,
    HISTORY_DIR,
    REPORT_FILE,
    STATE_DIR,
    SUMMARY_FILE,
    TEST_PREDICTIONS_FILE,
)
from dlpilot.report import _plots as plots
from dlpilot.report._html import CSS, esc, fmt, key_number, section, stored_text
from dlpilot.report._record import RunRecord, number, read_record
from dlpilot.report._sections.baselines import score_to_beat_section
from dlpilot.report._sections.common import better
from dlpilot.report._sections.data import data_section
from dlpilot.report._sections.problem import metric_protocol_section, problem_section
from dlpilot.report._sections.result import budget_section, result_section
from dlpilot.report._sections.sanity import sanity_section
from dlpilot.report._sections.training import training_section


def render_report(run_dir: str | Path, language: str = DEFAULT_LANGUAGE) -> Path:
    """Write ``RUN_DIR/report.html`` from the run directory, in ``language``; returns its
    path. The run directory is only read (summary.json is the same whatever the language)."""
    record = read_record(run_dir, language=language)
    page = build_page(record)
    path = record.path / REPORT_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


def build_page(record: RunRecord) -> str:
    s, t = record.summary, record.t
    name = s.get("dataset") or s.get("source") or record.path.name
    sections = [
        ("problem", t("The problem"), problem_section(record)),
        ("metric", t("The metric and the protocol"), metric_protocol_section(record)),
        ("data", t("The data"), data_section(record)),
        ("baselines", t("The score to beat"), score_to_beat_section(record)),
        ("sanity", t("Sanity checks"), sanity_section(record)),
        ("stages", t("Training, stage by stage"), training_section(record)),
        ("result", t("The final result"), result_section(record)),
        ("budget", t("Where the time went"), budget_section(record)),
    ]
    toc = "".join(f'<li><a href="#{a}">{esc(title)}</a></li>' for a, title, _ in sections)
    body = "\n".join(section(a, title, b) for a, title, b in sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(record.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{esc(t('dlpilot report — {name}', name=name))}</title>"
        f"<style>{CSS}</style></head>\n<body>\n"
        f"{_header(record, name)}\n"
        f'<nav class="toc" aria-label="{esc(t("contents"))}"><b>{esc(t("Contents"))}</b>'
        f"<ol>{toc}</ol></nav>\n"
        f"{body}\n{_footer(record)}\n</body></html>\n"
    )


# --- header ------------------------------------------------------------------------------------


def _header(record: RunRecord, name: str) -> str:
    s, t = record.summary, record.t
    p, final = s.get("problem", {}), s.get("final", {})
    metric = plots._label(record.primary, t)
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
            t("{n} samples", n=fmt(p.get("n_samples"))) if p.get("n_samples") is not None else None,
            t("source {source}", source=s.get("source")),
            f"dlpilot {s.get('dlpilot_version', '?')}",
        )
        if x
    )
    verdict, bad = _verdict(record, test, cs, cl)
    kpis = "".join(
        [
            key_number(
                "test_score",
                test,
                t("test {metric}", metric=metric),
                t("{n} samples", n=fmt(final.get("n_test"))),
            ),
            key_number(
                "val_score",
                val,
                t("validation {metric}", metric=metric),
                t("the final configuration"),
            ),
            key_number(
                "common_sense", cs.get("score"), t("common-sense baseline"), cs.get("model", "")
            ),
            key_number("classical", cl.get("score"), t("classical baseline"), cl.get("model", "")),
            key_number(
                "trials",
                tuning.get("trials"),
                t("tuning trials"),
                t(
                    "{complete} completed, {pruned} pruned",
                    complete=fmt(tuning.get("complete", 0)),
                    pruned=fmt(tuning.get("pruned", 0)),
                ),
            ),
            key_number(
                "test_set_opened",
                opened,
                t("times the test set was opened"),
                t("once is right"),
            ),
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
    t = record.t
    metric = plots._label(record.primary, t)
    if test is None:
        final = record.summary.get("final") or {}
        if final.get("test_labelled") is False:
            val = number((final.get("val") or {}).get(record.primary))
            return (
                t(
                    "The test file has no labels: the final model's predictions for its "
                    "{n} rows are in {file}. Validation "
                    "{metric} {val} is the estimate of how it does on new data.",
                    n=fmt(final.get("n_test")),
                    file=TEST_PREDICTIONS_FILE,
                    metric=metric,
                    val=fmt(val),
                ),
                False,
            )
        return t("The run recorded no test score."), True
    beats = better(record)
    cs_score, cl_score = number(cs.get("score")), number(cl.get("score"))
    parts = [
        t(
            "The final model scores {score} {metric} on the sealed test set.",
            score=fmt(test),
            metric=metric,
        )
    ]
    bad = False
    if cs_score is not None:
        if beats(test, cs_score):
            parts.append(t("It beats the common-sense score of {score}.", score=fmt(cs_score)))
        else:
            parts.append(
                t(
                    "It does not beat the common-sense score of {score}: the network failed.",
                    score=fmt(cs_score),
                )
            )
            bad = True
    if cl_score is not None:
        if beats(test, cl_score):
            parts.append(t("It beats the classical model's {score} too.", score=fmt(cl_score)))
        else:
            parts.append(
                t(
                    "The classical model scored {score}, which it does not beat.",
                    score=fmt(cl_score),
                )
            )
    choice = (record.summary.get("final") or {}).get("choice") or {}
    shipped = _shipped_classical(choice)
    if shipped is not None:
        values = {
            "model": shipped.get("model", ""),
            "val": fmt(number(shipped.get("val"))),
            "network": fmt(number(choice.get("network_val"))),
        }
        parts.insert(
            0,
            t(
                "The linear baseline {model} ships: it beat the network on "
                "validation ({val} against {network}).",
                **values,
            )
            if choice.get("shipped") == "linear_baseline"
            else t(
                "The {model} ships: it beat the network on validation ({val} against {network}).",
                **values,
            ),
        )
        bad = True
    for f in record.summary.get("findings") or []:
        if f.get("code") == "below_classical_baseline" and "was shipped instead" not in str(
            f.get("action", "")
        ):
            parts.append(
                t(
                    "Below a classical baseline: {evidence}; {action}.",
                    evidence=stored_text(f, "evidence", t),
                    action=stored_text(f, "action", t),
                )
            )
            bad = True
    return " ".join(parts), bad


def _shipped_classical(choice: dict) -> dict | None:
    """The classical model that shipped ({model, val}), from this or an older summary."""
    if not choice or choice.get("shipped") in (None, "network"):
        return None
    return choice.get("shipped_classical") or choice.get("linear") or {}


# --- footer ------------------------------------------------------------------------------------


def _footer(record: RunRecord) -> str:
    t = record.t
    env = record.summary.get("environment") or {}
    env_text = ", ".join(f"{k} {v}" for k, v in env.items())
    unreadable = (
        " " + t("Could not read: {files}.", files=", ".join(record.unreadable))
        if record.unreadable
        else ""
    )
    name = esc(record.path.name)
    return (
        "<footer>"
        + t(
            "Written by dlpilot {version} from the run directory {dir} ({files}). {env}."
            "{unreadable} Rebuild it with {command}.",
            version=esc(record.summary.get("dlpilot_version", "?")),
            dir=f"<code>{name}</code>",
            files=f"{SUMMARY_FILE}, {HISTORY_DIR}, {EVALUATION_FILE}, {STATE_DIR}",
            env=esc(env_text),
            unreadable=esc(unreadable),
            command=f"<code>dlpilot report {name}</code>",
        )
        + "</footer>"
    )
