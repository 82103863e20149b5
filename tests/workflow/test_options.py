"""`RunOptions`: one normalisation for the CLI, the API and the estimators, and its JSON form."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from dlpilot.core.enums import MetricName, Modality, Task
from dlpilot.core.errors import BudgetError, ConfigError
from dlpilot.workflow import RunOptions


def test_build_turns_strings_into_enums_and_names_into_tuples():
    o = RunOptions.build(
        Path("data.csv"),
        target="price",
        budget="2m",
        task="regression",
        modality=Modality.TABULAR,
        metric="rmse",
        drop="id",
        out=Path("runs/x"),
        data_dir=Path("data"),
        seed=3,
    )
    assert o.source == "data.csv" and o.target == ("price",) and o.budget_seconds == 120
    assert o.task is Task.REGRESSION and o.modality is Modality.TABULAR
    assert o.metric is MetricName.RMSE and o.drop == ("id",)
    assert o.out == str(Path("runs/x")) and o.data_dir == "data" and o.seed == 3
    assert RunOptions.build("d.csv", target=["a", "b"], drop=["x", "y"]).target == ("a", "b")
    assert RunOptions.build("d.csv", target=None, drop=None).drop == ()  # as the CLI passes them


def test_build_names_what_is_wrong():
    with pytest.raises(ConfigError, match="Unknown option"):
        RunOptions.build("iris", epochs=3)
    with pytest.raises(ConfigError, match="Unknown metric 'acc'; choose one of"):
        RunOptions.build("iris", metric="acc")
    with pytest.raises(BudgetError):
        RunOptions.build("iris", budget="5s")
    assert RunOptions.build("iris", budget=2, min_budget_seconds=1.0).budget_seconds == 2


def test_options_round_trip_through_json():
    o = RunOptions.build("d.csv", target="y", task="binary", metric="f1", drop=("id",), trials=4)
    d = json.loads(json.dumps(o.to_dict()))
    assert RunOptions.from_dict(d) == o and RunOptions.from_dict(d).to_dict() == d
    bare = RunOptions(source="iris")
    assert RunOptions.from_dict(json.loads(json.dumps(bare.to_dict()))) == bare


def test_only_the_cli_imports_rich():
    """The terminal's narrator is the CLI's; the workflow and below call empty hooks."""
    import dlpilot

    package = Path(dlpilot.__file__).parent
    found = []
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.relative_to(package)}: {n}" for n in names if n.split(".")[0] == "rich"
            ]
    assert found == []
