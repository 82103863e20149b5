"""`dlpilot diagnose HISTORY` through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dlpilot.cli.app import app
from dlpilot.core.enums import FindingCode, Severity
from dlpilot.diagnose.synthetic import make_case

runner = CliRunner()


def _write(tmp_path: Path, cause: str, seed: int = 0) -> Path:
    return make_case(cause, seed).history.to_csv(tmp_path / f"{cause}.csv")


def test_readable_output_with_plot_findings_and_next_step(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diagnose", str(_write(tmp_path, "overfitting"))])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "overfitting.csv:" in out and "epochs (dlpilot history)" in out
    assert "o training loss" in out and "x validation loss" in out  # the text plot
    assert "| " in out or "|o" in out or "|*" in out
    assert "warning overfitting: overfitting since epoch" in out
    assert "→ Stop at epoch" in out
    assert "Next step: stop_scaling" in out
    assert result.stderr == ""


def test_healthy_history_prints_no_findings(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diagnose", str(_write(tmp_path, "healthy"))])
    assert result.exit_code == 0
    assert "Findings: none" in result.stdout
    assert "Next step: keep_scaling" in result.stdout


def test_json_has_the_summary_findings_form(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diagnose", str(_write(tmp_path, "diverged_nan")), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"history", "format", "epochs", "judged", "next_step", "reason", "findings"}
    assert data["format"] == "dlpilot" and data["judged"] is True
    assert data["next_step"] == "lower_lr"
    assert data["findings"], data
    for f in data["findings"]:
        # "msg": the texts' messages, for rendering them in another language later.
        assert set(f) - {"msg"} == {"code", "severity", "stage", "evidence", "action"}
        FindingCode(f["code"])
        Severity(f["severity"])
        assert f["stage"] == "diagnose"
    assert "diverged_nan" in [f["code"] for f in data["findings"]]


def test_human_error_adds_avoidable_bias(tmp_path: Path) -> None:
    case = make_case("avoidable_bias", 0)
    path = case.history.to_csv(tmp_path / "h.csv")
    plain = json.loads(runner.invoke(app, ["diagnose", str(path), "--json"]).stdout)
    assert "avoidable_bias" not in [f["code"] for f in plain["findings"]]
    result = runner.invoke(
        app, ["diagnose", str(path), "--json", "--human-error", str(case.human_error)]
    )
    assert "avoidable_bias" in [f["code"] for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize(
    ("cause", "fail_on", "code"),
    [
        ("overfitting", "warning", 3),  # a warning fails --fail-on warning
        ("overfitting", "error", 0),  # ... but not --fail-on error
        ("diverged_nan", "error", 3),  # an error fails both
        ("diverged_nan", "warning", 3),
        ("healthy", "warning", 0),
        ("healthy", "info", 0),
    ],
)
def test_fail_on_exit_codes(tmp_path: Path, cause: str, fail_on: str, code: int) -> None:
    result = runner.invoke(app, ["diagnose", str(_write(tmp_path, cause)), "--fail-on", fail_on])
    assert result.exit_code == code, result.output
    if code:
        assert f"--fail-on {fail_on}" in result.stderr
        assert "Findings" in result.stdout  # the findings are still printed


def test_fail_on_rejects_unknown_severity(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["diagnose", str(_write(tmp_path, "healthy")), "--fail-on", "fatal"]
    )
    assert result.exit_code == 2


def test_short_history_is_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("epoch,loss,val_loss\n0,2.3,2.2\n1,2.0,1.9\n")
    result = runner.invoke(app, ["diagnose", str(path)])
    assert result.exit_code == 0
    assert "Not judged" in result.stdout and "Not enough epochs to judge" in result.stdout
    data = json.loads(runner.invoke(app, ["diagnose", str(path), "--json"]).stdout)
    assert data["judged"] is False and data["findings"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        ("", "is empty"),
        ("epoch,loss,val_loss\n", "too few rows"),
        ("epoch,acc,val_acc\n0,0.5,0.4\n", "No training-loss column found"),
        ("epoch,loss\n0,2.3\n1,abc\n", "Non-numeric value 'abc'"),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "history.csv"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["diagnose", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and message in lines[0]
    assert "Traceback" not in result.output


def test_bad_human_error_is_a_user_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "healthy")
    result = runner.invoke(app, ["diagnose", str(path), "--human-error", "-1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: human_error must be")


def test_text_plot_marks_both_curves_and_skips_gaps() -> None:
    from dlpilot.core.history import History
    from dlpilot.diagnose import plot_curves

    h = History(columns={"loss": [2.0, 1.0, 0.5, float("nan")], "val_loss": [2.0, 1.6, 0.9, 1.1]})
    text = plot_curves(h, width=20, height=6, mark_epoch=3)
    lines = text.splitlines()
    grid = "".join(line.split("|", 1)[1] for line in lines[:6])
    assert grid.count("*") == 1  # epoch 1: both at 2.0
    assert grid.count("o") == 2 and grid.count("x") == 3
    assert lines[0].strip().startswith("2 |") and lines[5].startswith("0.5 |")
    assert "^ epoch 3" in text and "(log scale)" not in text
    wide = History(columns={"loss": [100.0, 1.0, 0.1]})
    assert "(log scale)" in plot_curves(wide)
    assert plot_curves(History(columns={"loss": [float("nan")]})).startswith("(no finite")
