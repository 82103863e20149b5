"""`dlpilot compare`: two finished runs side by side, as text, JSON and HTML."""

from __future__ import annotations

import json
import shutil

import pytest

from dlpilot.workflow import RunOptions, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    dirs = []
    for seed in (0, 1):
        options = RunOptions(
            source="iris",
            budget_seconds=6.0,
            out=str(root / f"iris-{seed}"),
            seed=seed,
            trials=1,
            verbose=False,
            report=False,
        )
        dirs.append(run(options).run_dir)
    return dirs


def test_compare_lines_up_two_runs_and_marks_what_differs(cli, two_runs, tmp_path):
    a, b = (str(d) for d in two_runs)
    text = cli("compare", a, b)
    assert text.exit_code == 0, text.stderr
    assert "iris-0" in text.stdout and "iris-1" in text.stdout
    assert "* seed" in text.stdout and "  metric" in text.stdout  # differs / same
    out = cli("compare", a, b, "--json", "--html", str(tmp_path / "cmp.html"))
    d = json.loads(out.stdout)
    rows = {r["field"]: r for r in d["rows"]}
    assert rows["seed"]["values"] == ["0", "1"] and rows["seed"]["differs"]
    assert rows["dataset"]["values"] == ["iris", "iris"] and not rows["dataset"]["differs"]
    assert "± " in rows["test score"]["values"][0] and "95%" in rows["test score"]["values"][0]
    assert "seed" in d["differs"] and "metric" not in d["differs"]
    html = (tmp_path / "cmp.html").read_text()
    assert html.startswith("<!doctype html>") and 'class="differs"' in html


def test_compare_refuses_runs_of_different_datasets_unless_forced(cli, two_runs, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(two_runs[0], other)
    summary = json.loads((other / "summary.json").read_text())
    summary["dataset"] = "wine"
    (other / "summary.json").write_text(json.dumps(summary))
    refused = cli("compare", str(two_runs[0]), str(other))
    assert refused.exit_code == 2 and "different datasets (iris, wine)" in refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert cli("compare", str(two_runs[0]), str(other), "--force").exit_code == 0


def test_compare_needs_two_finished_runs(cli, two_runs, tmp_path):
    one = cli("compare", str(two_runs[0]))
    assert one.exit_code == 2 and "at least two" in one.stderr
    empty = cli("compare", str(two_runs[0]), str(tmp_path))
    assert empty.exit_code == 2 and "summary.json" in empty.stderr
