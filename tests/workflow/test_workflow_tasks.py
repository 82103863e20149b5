"""The whole workflow, end to end, on small data with a tiny budget, for every task and modality."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dlpilot.workflow import RunOptions, run

pytestmark = pytest.mark.slow

BUDGET = 15.0
STAGES = [
    "define",
    "metric",
    "protocol",
    "prepare",
    "score_to_beat",
    "baseline",
    "scale",
    "tune",
    "final",
]


def run_quietly(source, tmp_path, **kwargs):
    options = RunOptions(
        source=str(source),
        budget_seconds=kwargs.pop("budget", BUDGET),
        out=str(tmp_path / "run"),
        trials=kwargs.pop("trials", 3),
        verbose=False,
        **kwargs,
    )
    return run(options)


def check_summary(result, *, task, modality, primary):
    s = json.loads((result.run_dir / "summary.json").read_text())
    assert s == result.summary
    assert s["problem"]["task"] == task
    assert s["problem"]["modality"] == modality
    assert s["metric"]["primary"] == primary
    assert s["protocol"]["kind"] in ("holdout", "kfold", "iterated_kfold")
    assert s["protocol"]["n_test"] > 0
    for name in ("common_sense", "classical"):
        assert s["baselines"][name]["score"] is not None
    assert [st["name"] for st in s["stages"]] == STAGES
    for st in s["stages"]:
        assert st["decisions"], f"stage {st['name']} recorded no decision"
        for d in st["decisions"]:
            assert d["what"] and d["why"]
    assert s["final"]["test"][primary] is not None
    assert s["final"]["val"], "the final model's validation scores are missing"
    assert s["test_set_opened"] == 1 and s["final"]["test_set_opened"] == 1
    assert s["budget"]["used_seconds"] <= s["budget"]["limit_seconds"] * 1.25 + 5
    assert (result.run_dir / "model" / "config.json").exists()
    assert (result.run_dir / "histories" / "baseline.csv").exists()
    assert (result.run_dir / "study.db").exists()
    for f in s["findings"]:
        # "msg": the texts' messages, for rendering them in another language later.
        assert set(f) - {"msg"} == {"code", "severity", "stage", "evidence", "action"}
    return s


def test_binary_tabular_with_categoricals_and_missing(tmp_path):
    rng = np.random.default_rng(0)
    n = 300
    x1 = rng.normal(size=n)
    city = rng.choice(["a", "b", "c"], size=n)
    frame = pd.DataFrame(
        {
            "x1": np.where(rng.random(n) < 0.1, np.nan, x1),
            "x2": rng.normal(size=n),
            "city": city,
            "label": np.where(x1 + (city == "a") > 0.3, "yes", "no"),
        }
    )
    frame.to_csv(tmp_path / "d.csv", index=False)
    result = run_quietly(tmp_path / "d.csv", tmp_path, target=("label",))
    s = check_summary(result, task="binary", modality="tabular", primary="accuracy")
    assert s["final"]["test"]["accuracy"] > 0.7  # a learnable rule; the common sense is ~0.5
    assert "roc_auc" in s["final"]["test"]


def test_imbalanced_binary_picks_f1_of_the_minority(tmp_path):
    rng = np.random.default_rng(1)
    n = 400
    x = rng.normal(size=(n, 3))
    y = np.where(x[:, 0] > 1.4, "failure", "ok")
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(status=y)
    frame.to_csv(tmp_path / "d.csv", index=False)
    s = check_summary(
        run_quietly(tmp_path / "d.csv", tmp_path, target=("status",)),
        task="binary",
        modality="tabular",
        primary="f1",
    )
    assert s["metric"]["positive_class"] == "failure"


def test_multiclass_builtin(tmp_path):
    check_summary(
        run_quietly("iris", tmp_path), task="multiclass", modality="tabular", primary="accuracy"
    )


def test_regression_reports_rmse_mae_r2(tmp_path):
    rng = np.random.default_rng(2)
    n = 300
    x = rng.normal(size=(n, 4))
    frame = pd.DataFrame(x, columns=list("abcd")).assign(price=100 + 30 * x[:, 0] - 10 * x[:, 1])
    frame.to_csv(tmp_path / "d.csv", index=False)
    s = check_summary(
        run_quietly(tmp_path / "d.csv", tmp_path, target=("price",)),
        task="regression",
        modality="tabular",
        primary="rmse",
    )
    assert {"rmse", "mae", "r2"} <= set(s["final"]["test"])
    # A linear target: the network must beat predicting the mean by far.
    assert s["final"]["test"]["rmse"] < 0.6 * s["baselines"]["common_sense"]["score"]


def test_vector_regression(tmp_path):
    rng = np.random.default_rng(3)
    n = 250
    x = rng.normal(size=(n, 3))
    frame = pd.DataFrame(x, columns=list("abc")).assign(y1=x[:, 0] * 2, y2=x[:, 1] - x[:, 2])
    frame.to_csv(tmp_path / "d.csv", index=False)
    check_summary(
        run_quietly(tmp_path / "d.csv", tmp_path, target=("y1", "y2")),
        task="vector_regression",
        modality="tabular",
        primary="rmse",
    )


def test_multilabel(tmp_path):
    rng = np.random.default_rng(4)
    n = 300
    x = rng.normal(size=(n, 4))
    frame = pd.DataFrame(x, columns=list("abcd")).assign(
        l1=(x[:, 0] > 0).astype(int),
        l2=(x[:, 1] > 0.5).astype(int),
        l3=(x[:, 2] + x[:, 3] > 0).astype(int),
    )
    frame.to_csv(tmp_path / "d.csv", index=False)
    check_summary(
        run_quietly(tmp_path / "d.csv", tmp_path, target=("l1", "l2", "l3")),
        task="multilabel",
        modality="tabular",
        primary="map",
    )


def test_text_reviews(tmp_path):
    rng = np.random.default_rng(5)
    good = ["great", "lovely", "superb", "fun", "moving"]
    bad = ["boring", "awful", "dull", "slow", "weak"]
    neutral = ["film", "plot", "actor", "scene", "story", "music", "ending"]
    rows = []
    for i in range(300):
        label = i % 2
        words = list(rng.choice(neutral, 6)) + list(rng.choice(good if label else bad, 2))
        rng.shuffle(words)
        rows.append({"review": " ".join(words), "sentiment": "pos" if label else "neg"})
    pd.DataFrame(rows).to_csv(tmp_path / "reviews.csv", index=False)
    s = check_summary(
        run_quietly(tmp_path / "reviews.csv", tmp_path, target=("sentiment",)),
        task="binary",
        modality="text",
        primary="accuracy",
    )
    assert s["final"]["test"]["accuracy"] > 0.75


def test_image_folder(tmp_path, make_images):
    make_images(tmp_path / "imgs", ["dark", "light"], 40, size=(12, 12))
    s = check_summary(
        run_quietly(tmp_path / "imgs", tmp_path),
        task="binary",
        modality="image",
        primary="accuracy",
    )
    assert s["final"]["test"]["accuracy"] > 0.8  # the classes differ in brightness
    # Stage 5 says why no pretrained backbone was tried: 12 px is too small for one.
    assert s["transfer"]["tried"] is False
    assert "below the 32 px" in s["transfer"]["reason"]


def test_npz_sequences_with_official_test(tmp_path):
    rng = np.random.default_rng(6)
    t = np.linspace(0, 1, 32)

    def make(n):
        y = rng.integers(0, 3, n)
        x = np.sin(2 * np.pi * (y[:, None] + 1) * t[None, :]) + 0.3 * rng.normal(size=(n, 32))
        return x[:, None, :].astype(np.float32), y

    x, y = make(240)
    x_test, y_test = make(60)
    np.savez(tmp_path / "seq.npz", x=x, y=y, x_test=x_test, y_test=y_test)
    s = check_summary(
        run_quietly(tmp_path / "seq.npz", tmp_path),
        task="multiclass",
        modality="sequence",
        primary="accuracy",
    )
    assert s["protocol"]["n_test"] == 60
    assert s["protocol"]["test_origin"] == "official"


def test_image_folder_larger_than_memory_streams(tmp_path, make_images, monkeypatch):
    import dlpilot.stages.prepare as prepare

    # A cap below the folder's size makes every split stream from disk through a DataLoader.
    monkeypatch.setattr(prepare, "IMAGE_MEMORY_CAP_BYTES", 1_000)
    make_images(tmp_path / "imgs", ["dark", "light"], 30, size=(10, 10))
    result = run_quietly(tmp_path / "imgs", tmp_path, trials=2)
    s = check_summary(result, task="binary", modality="image", primary="accuracy")
    prepare_stage = next(st for st in s["stages"] if st["name"] == "prepare")
    assert any("one at a time" in d["what"] for d in prepare_stage["decisions"])


def _rare_levels_frame(path):
    # Rare category levels and rare missing values land in some folds' training rows only,
    # so the folds' one-hot widths and missing-value indicators differ.
    rng = np.random.default_rng(7)
    n = 200
    cat = np.array(["a"] * 197 + ["rare1", "rare2", "rare3"])
    rng.shuffle(cat)
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "c": cat,
            "m": np.where(rng.random(n) < 0.02, np.nan, rng.normal(size=n)),
            "x": x,
            "y": (x > 0).astype(int),
        }
    )
    frame.to_csv(path, index=False)
    return path


def test_every_fold_trains_at_its_own_width(tmp_path):
    # What a tuning trial does with iterated K-fold, without a budget deciding whether one
    # finishes: train on each of the 15 splits, each with the width of its own preparation.
    from dlpilot.data import load_source
    from dlpilot.engine import Architecture, ModelConfig, TrainConfig
    from dlpilot.stages._evaluate import fold_inputs
    from dlpilot.stages.define import define_problem
    from dlpilot.stages.metric import choose_metric
    from dlpilot.stages.prepare import prepare_data
    from dlpilot.stages.protocol import choose_protocol
    from dlpilot.workflow.setup import training_setup

    dataset = load_source(str(_rare_levels_frame(tmp_path / "d.csv")), target=("y",))
    spec = define_problem(dataset).spec
    metric = choose_metric(spec)
    split = choose_protocol(dataset, spec, seed=0)
    prepared = prepare_data(split.development, spec, split.protocol)
    setup = training_setup(prepared, spec, metric, None)
    widths = {fold_inputs(f, prepared.input_shape, None)[0] for f in prepared.folds}
    assert len(prepared.folds) == 15 and len(widths) > 1
    evaluation = setup.evaluate(
        "widths",
        ModelConfig(Architecture.MLP, depth=1, width=8),
        TrainConfig(batch_size=16, epochs=1),
        deadline=float("inf"),
        stage="tune",
    )
    assert len(evaluation.histories) == 15 and not evaluation.diverged


def test_kfold_folds_whose_preparations_differ_in_width(tmp_path):
    s = check_summary(
        run_quietly(_rare_levels_frame(tmp_path / "d.csv"), tmp_path, target=("y",), trials=2),
        task="binary",
        modality="tabular",
        primary="accuracy",
    )
    assert s["protocol"]["kind"] == "iterated_kfold"
    # No trial fails on a shape mismatch (whether one completes depends on the machine's
    # speed: iterated K-fold leaves tuning about a tenth of the budget).
    assert s["tuning"]["failed"] == 0
