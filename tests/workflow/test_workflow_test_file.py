"""A test file of the user's own (`--test`): scored once with labels, predicted without."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlpilot.core.errors import DataError
from dlpilot.workflow import RunOptions, run

pytestmark = pytest.mark.slow


def _frames(tmp_path):
    gen = np.random.default_rng(3)
    n = 260
    x = gen.normal(size=(n, 3))
    frame = pd.DataFrame(
        {"a": x[:, 0], "b": x[:, 1], "c": gen.choice(["u", "v"], n), "y": (x[:, 0] > 0) * 1}
    )
    train, test = frame.iloc[:200], frame.iloc[200:].reset_index(drop=True)
    train.to_csv(tmp_path / "train.csv", index=False)
    return train, test


def _run(tmp_path, test_path, name):
    return run(
        RunOptions(
            source=str(tmp_path / "train.csv"),
            target=("y",),
            test=str(test_path),
            budget_seconds=15.0,
            out=str(tmp_path / name),
            trials=1,
            verbose=False,
        )
    )


def test_a_labelled_test_file_is_the_sealed_test_set_scored_once(tmp_path):
    _train, test = _frames(tmp_path)
    # Columns in another order and an extra id column: matched by name, the extra ignored.
    test.assign(id=range(len(test)))[["id", "y", "c", "b", "a"]].to_csv(
        tmp_path / "test.csv", index=False
    )
    s = _run(tmp_path, tmp_path / "test.csv", "labelled").summary
    assert s["protocol"]["n_test"] == 60 and s["final"]["n_test"] == 60
    assert s["final"]["test_set_opened"] == 1 and s["final"]["test_labelled"] is True
    assert s["final"]["test"]["accuracy"] > 0.8
    protocol = next(st for st in s["stages"] if st["name"] == "protocol")
    assert any("the test file 'test.csv'" in d["what"] for d in protocol["decisions"])
    # All 200 training rows are development data: none was held out for testing.
    assert s["protocol"]["n_train"] + s["protocol"]["n_val"] == 200


def test_an_unlabelled_test_file_gets_predictions_and_no_score(tmp_path):
    _train, test = _frames(tmp_path)
    test.drop(columns=["y"]).to_csv(tmp_path / "test.csv", index=False)
    result = _run(tmp_path, tmp_path / "test.csv", "unlabelled")
    s = result.summary
    assert s["final"]["test_labelled"] is False and s["final"]["test"] == {}
    assert s["final"]["test_set_opened"] == 1
    predictions = pd.read_csv(result.run_dir / "test_predictions.csv")
    assert len(predictions) == 60 and "prediction" in predictions.columns
    # The predictions are the final model's, as `predict` gives them.
    from dlpilot.bundle import load_bundle

    again = load_bundle(result.run_dir).predict(test.drop(columns=["y"]))
    written = predictions["prediction"].astype(str).to_numpy()
    assert (written == np.asarray(again).astype(str)).all()
    assert (written == test["y"].astype(str).to_numpy()).mean() > 0.8
    html = (result.run_dir / "report.html").read_text()
    assert "The test file has no labels" in html and "test_predictions.csv" in html


def test_a_test_file_missing_a_training_column_is_a_one_line_error(tmp_path):
    _train, test = _frames(tmp_path)
    test.drop(columns=["b"]).to_csv(tmp_path / "test.csv", index=False)
    with pytest.raises(DataError, match=r"lacks the training column\(s\) b\. "):
        _run(tmp_path, tmp_path / "test.csv", "bad")


def test_test_is_for_tables(tmp_path):
    with pytest.raises(DataError, match="x_test and y_test"):
        run(RunOptions(source="digits", test=str(tmp_path / "t.csv"), verbose=False))
