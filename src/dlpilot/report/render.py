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

from dlpilot.core.rundir import (
    EVALUATION_FILE,
    HISTORY_DIR,
    REPORT_FILE,
    STATE_DIR,
    SUMMARY_FILE,
    TEST_PREDICTIONS_FILE,
)
from dlpilot.report import _plots as plots
from dlpilot.report._html import CSS, esc, fmt, key_number, section
from dlpilot.report._record import RunRecord, number, read_record
from dlpilot.report._sections.baselines import score_to_beat_section
from dlpilot.report._sections.common import better
from dlpilot.report._sections.data import data_section
from dlpilot.report._sections.problem import metric_protocol_section, problem_section
from dlpilot.report._sections.result import budget_section, result_section
from dlpilot.report._sections.sanity import sanity_section
from dlpilot.report._sections.training import training_section


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
        ("problem", "The problem", problem_section(record)),
        ("metric", "The metric and the protocol", metric_protocol_section(record)),
        ("data", "The data", data_section(record)),
        ("baselines", "The score to beat", score_to_beat_section(record)),
        ("sanity", "Sanity checks", sanity_section(record)),
        ("stages", "Training, stage by stage", training_section(record)),
        ("result", "The final result", result_section(record)),
        ("budget", "Where the time went", budget_section(record)),
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
        final = record.summary.get("final") or {}
        if final.get("test_labelled") is False:
            val = number((final.get("val") or {}).get(record.primary))
            return (
                f"The test file has no labels: the final model's predictions for its "
                f"{fmt(final.get('n_test'))} rows are in {TEST_PREDICTIONS_FILE}. Validation "
                f"{metric} {fmt(val)} is the estimate of how it does on new data.",
                False,
            )
        return "The run recorded no test score.", True
    beats = better(record)
    cs_score, cl_score = number(cs.get("score")), number(cl.get("score"))
    parts = [f"The final model scores {fmt(test)} {metric} on the sealed test set."]
    bad = False
    if cs_score is not None:
        if beats(test, cs_score):
            parts.append(f"It beats the common-sense score of {fmt(cs_score)}.")
        else:
            parts.append(
                f"It does not beat the common-sense score of {fmt(cs_score)}: the network failed."
            )
            bad = True
    if cl_score is not None:
        if beats(test, cl_score):
            parts.append(f"It beats the classical model's {fmt(cl_score)} too.")
        else:
            parts.append(f"The classical model scored {fmt(cl_score)}, which it does not beat.")
    choice = (record.summary.get("final") or {}).get("choice") or {}
    shipped = _shipped_classical(choice)
    if shipped is not None:
        kind = "The linear baseline" if choice.get("shipped") == "linear_baseline" else "The"
        parts.insert(
            0,
            f"{kind} {shipped.get('model', '')} ships: it beat the network on "
            f"validation ({fmt(number(shipped.get('val')))} against "
            f"{fmt(number(choice.get('network_val')))}).",
        )
        bad = True
    for f in record.summary.get("findings") or []:
        if f.get("code") == "below_classical_baseline" and "was shipped instead" not in str(
            f.get("action", "")
        ):
            parts.append(f"Below a classical baseline: {f.get('evidence')}; {f.get('action')}.")
            bad = True
    return " ".join(parts), bad


def _shipped_classical(choice: dict) -> dict | None:
    """The classical model that shipped ({model, val}), from this or an older summary."""
    if not choice or choice.get("shipped") in (None, "network"):
        return None
    return choice.get("shipped_classical") or choice.get("linear") or {}


# --- footer ------------------------------------------------------------------------------------


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
