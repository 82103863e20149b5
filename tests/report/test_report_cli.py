"""`dlpilot report RUN_DIR` rebuilds the page; a directory that is not a finished run is one line."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_report_command_rebuilds_the_page(cli, report_runs):
    run_dir = report_runs("regression")
    (run_dir / "report.html").unlink(missing_ok=True)
    result = cli("report", str(run_dir))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(run_dir / "report.html")
    html = (run_dir / "report.html").read_text()
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["dataset"] in html


def test_report_command_on_a_missing_directory(cli, tmp_path):
    result = cli("report", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_report_command_on_an_unfinished_run(cli, tmp_path):
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "run.json").write_text("{}")
    result = cli("report", str(tmp_path))
    assert result.exit_code == 2
    assert "not a finished dlpilot run" in result.stderr and "--resume" in result.stderr


def test_report_command_on_a_folder_that_holds_no_run(cli, tmp_path):
    result = cli("report", str(tmp_path))
    assert result.exit_code == 2 and "holds no dlpilot run" in result.stderr
