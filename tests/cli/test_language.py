"""`--lang ko` / DLPILOT_LANG on the command line: errors, narration, and a run whose
summary.json is the same whatever language it was watched in."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from dlpilot.cli._narrator import RichNarrator
from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.messages import LANGUAGE_ENV, msg
from dlpilot.core.records import Decision, Finding
from dlpilot.tuning.progress import TrialReport
from dlpilot.workflow import PlainNarrator, RunOptions, run

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def one_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_an_error_speaks_korean_with_lang_ko(cli):
    line = one_line(cli("run", "--lang", "ko"))
    assert line.startswith("오류: ") and "SOURCE" in line and "dlpilot run digits" in line


def test_the_environment_variable_sets_the_language(cli, tmp_path, monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "ko")
    line = one_line(cli("report", str(tmp_path / "nowhere")))
    assert line.startswith("오류: ") and str(tmp_path / "nowhere") in line
    assert HANGUL.search(line.removeprefix("오류: "))
    # --lang wins over the environment.
    assert one_line(cli("report", str(tmp_path / "nowhere"), "--lang", "en")).startswith(
        "Error: Run directory"
    )


def test_an_unknown_language_is_a_one_line_error_in_english(cli):
    line = one_line(cli("run", "digits", "--lang", "fr"))
    assert line.startswith("Error: Unknown language 'fr'") and "en, ko" in line


def test_narrators_render_decisions_findings_trials_and_messages_in_korean():
    decision = Decision(
        what=msg("Task: {task}", task="binary"), why=msg("the target has two values")
    )
    finding = Finding(
        FindingCode.OVERFITTING,
        Severity.WARNING,
        "scale",
        evidence=msg("validation loss rose from epoch {epoch}", epoch=7),
        action="plain action",
    )
    trial = TrialReport(3, "pruned", "val accuracy 0.9", ("12s",))
    buffer = io.StringIO()
    plain = PlainNarrator(buffer, language="ko")
    rich_out = io.StringIO()
    rich = RichNarrator(Console(file=rich_out, width=200, color_system=None), language="ko")
    for narrator in (plain, rich):
        narrator.on_stage_begin(0, msg("define the problem"), seconds=None, seconds_left=60)
        narrator.on_decision("define", decision)
        narrator.on_finding("scale", finding)
        narrator.on_trial_end(trial)
        narrator.on_message(msg("  shipping {name}: it beat the network on validation", name="X"))
    for text in (buffer.getvalue(), rich_out.getvalue()):
        assert "문제 정의" in text, text
        assert "경고 overfitting" in text
        assert "시도   3 가지치기됨" in text
        assert "60s 남음" in text
        assert "X" in text and HANGUL.search(text.splitlines()[-1])
    # English stays the default and is exactly the English text.
    english = io.StringIO()
    PlainNarrator(english).on_decision("define", decision)
    assert english.getvalue() == f"  • {decision.what} — {decision.why}\n"


@pytest.mark.slow
def test_a_korean_run_writes_the_same_summary_and_reports_in_either_language(cli, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(240, 3))
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=(x[:, 0] > 0).astype(int))
    frame.to_csv(tmp_path / "d.csv", index=False)
    told = io.StringIO()
    result = run(
        RunOptions(
            source=str(tmp_path / "d.csv"),
            target=("y",),
            out=str(tmp_path / "run"),
            budget_seconds=8,
            trials=1,
            language="ko",
        ),
        callback=PlainNarrator(told, language="ko"),
    )
    narration = told.getvalue()
    assert "문제 정의" in narration and "기준 모델" in narration, narration[:2000]
    summary_bytes = (result.run_dir / "summary.json").read_bytes()
    summary = json.loads(summary_bytes)
    assert "language" not in summary["options"]
    assert not HANGUL.search(summary_bytes.decode()), "summary.json must stay English"
    report = result.run_dir / "report.html"
    assert '<html lang="ko">' in report.read_text()

    assert cli("report", str(result.run_dir), "--lang", "en").exit_code == 0
    english = report.read_text()
    assert '<html lang="en">' in english and not HANGUL.search(english)
    assert cli("report", str(result.run_dir), "--lang", "ko").exit_code == 0
    assert HANGUL.search(report.read_text())
    assert (result.run_dir / "summary.json").read_bytes() == summary_bytes
