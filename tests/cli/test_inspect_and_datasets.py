"""`dlpilot datasets` and `dlpilot inspect`, through the CLI runner."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd


def test_datasets_lists_every_builtin_with_availability(cli, tmp_path):
    result = cli("datasets", "--json", "--data-dir", str(tmp_path))
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {
        "digits",
        "breast-cancer",
        "wine",
        "iris",
        "diabetes",
        "mnist1d",
        "fashion-mnist",
    }
    assert rows["mnist1d"]["n_train"] == 4000 and rows["mnist1d"]["n_test"] == 1000
    assert rows["digits"]["available"] is True
    # An empty --data-dir has no Fashion-MNIST files: unavailable, with how to get it.
    assert rows["fashion-mnist"]["available"] is False
    assert "apt-get install dataset-fashion-mnist" in rows["fashion-mnist"]["how_to_get"]
    table = cli("datasets", "--data-dir", str(tmp_path))
    assert table.exit_code == 0 and "fashion-mnist" in table.stdout
    assert "to get it, install Debian's package" in table.stdout


def test_inspect_prints_a_readable_definition(cli):
    result = cli("inspect", "breast-cancer")
    assert result.exit_code == 0
    out = result.stdout
    assert "binary tabular problem" in out
    assert "569 samples" in out and "malignant" in out and "37.3%" in out
    assert "Findings" in out


def test_inspect_json_follows_the_summary_contract(cli, tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"id": range(200), "x": rng.normal(size=200), "y": ["rare"] * 10 + ["common"] * 190}
    )
    frame.to_csv(tmp_path / "d.csv", index=False)
    result = cli("inspect", str(tmp_path / "d.csv"), "--target", "y", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    problem = data["problem"]
    for key in (
        "task",
        "modality",
        "n_samples",
        "n_features",
        "n_classes",
        "class_counts",
        "minority_share",
    ):
        assert key in problem
    assert problem["task"] == "binary" and problem["n_samples"] == 200
    assert problem["class_counts"] == {"common": 190, "rare": 10}
    assert problem["minority_share"] == 0.05
    found = {f["code"] for f in data["findings"]}
    assert {"imbalanced_classes", "id_like_column"} <= found
    for f in data["findings"]:
        assert set(f) == {"code", "severity", "stage", "evidence", "action", "msg"}


def test_inspect_overrides(cli, tmp_path):
    frame = pd.DataFrame({"x": np.arange(40.0) % 7, "y": np.arange(40) % 4})
    frame.to_csv(tmp_path / "d.csv", index=False)
    out = cli("inspect", str(tmp_path / "d.csv"), "-t", "y", "--task", "regression", "--json")
    assert json.loads(out.stdout)["problem"]["task"] == "regression"
    bad = cli("inspect", str(tmp_path / "d.csv"), "-t", "y", "--task", "nonsense")
    assert bad.exit_code == 2 and "nonsense" in bad.stderr
