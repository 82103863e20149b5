"""Live views (`--log`): a tiny run writes TensorBoard event files and an MLflow store (SQLite,
MLflow's own default now that its file store is refused), read back here with those
libraries' own readers (issue 18)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlpilot.core.errors import ConfigError
from dlpilot.workflow import RunOptions, run
from dlpilot.workflow.live import LiveLog

pytestmark = pytest.mark.slow


def _csv(tmp_path):
    gen = np.random.default_rng(5)
    x = gen.normal(size=(240, 3))
    frame = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "y": (x[:, 0] > 0) * 1})
    frame.to_csv(tmp_path / "t.csv", index=False)
    return tmp_path / "t.csv"


def _run(tmp_path, log):
    return run(
        RunOptions.build(
            _csv(tmp_path),
            target="y",
            budget="15s",
            min_budget_seconds=1,
            out=tmp_path / "run",
            trials=2,
            verbose=False,
            log=log,
        )
    )


def test_tensorboard_event_files_hold_every_trainings_epochs(tmp_path):
    pytest.importorskip("tensorboard", reason="pip install -e '.[test]' installs tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    result = _run(tmp_path, ["tensorboard"])
    root = result.run_dir / "tensorboard"
    trainings = {p.name for p in root.iterdir() if p.is_dir()}
    assert "baseline" in trainings and "final" in trainings
    baseline = EventAccumulator(str(root / "baseline")).Reload()
    losses = baseline.Scalars("loss")
    history = pd.read_csv(result.run_dir / "histories" / "baseline.csv")
    # The same epochs the run's own history holds, value for value.
    assert len(losses) == len(history)
    assert losses[0].value == pytest.approx(history["loss"].iloc[0], rel=1e-4)
    assert "val_loss" in baseline.Tags()["scalars"]
    final = EventAccumulator(str(root / "final")).Reload()
    test_score = result.summary["final"]["test"]["accuracy"]
    assert final.Scalars("final/test_accuracy")[0].value == pytest.approx(test_score, abs=1e-6)


def test_an_mlflow_store_holds_the_run_its_trials_and_scores(tmp_path):
    pytest.importorskip("mlflow", reason="pip install -e '.[test]' installs mlflow-skinny")
    from mlflow.tracking import MlflowClient

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    result = _run(tmp_path, [f"mlflow={uri}"])
    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("dlpilot")
    (mlrun,) = client.search_runs([experiment.experiment_id])
    assert mlrun.info.run_name == result.run_dir.name and mlrun.info.status == "FINISHED"
    metrics = mlrun.data.metrics
    assert metrics["final/test_accuracy"] == pytest.approx(
        result.summary["final"]["test"]["accuracy"]
    )
    history = client.get_metric_history(mlrun.info.run_id, "baseline/loss")
    assert len(history) == len(pd.read_csv(result.run_dir / "histories" / "baseline.csv"))
    assert any(k.startswith("trial_0000.") for k in mlrun.data.params)
    assert "trial/val_accuracy" in metrics


def test_an_unknown_view_or_a_missing_package_is_a_one_line_error(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="choose from tensorboard, mlflow, mlflow=URI"):
        RunOptions.build("digits", log=["wandb"])
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "mlflow" else real(name, *a)
    )
    with pytest.raises(ConfigError, match=r"pip install 'dlpilot\[mlflow\]'"):
        LiveLog(["mlflow"], tmp_path, run_name="x")
    assert RunOptions.from_dict(RunOptions.build("digits", log="tensorboard").to_dict()).log == (
        "tensorboard",
    )
