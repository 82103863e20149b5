"""Stage 8 ships the better of the network and the linear baseline, end to end."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from dlpilot.core.enums import Modality
from dlpilot.workflow import RunOptions, run

pytestmark = pytest.mark.slow


def _exactly_linear(tmp_path):
    """A target that is an exact linear function of 5 features: ridge is all but perfect."""
    gen = np.random.default_rng(0)
    x = gen.normal(size=(120, 5)).astype(np.float32)
    y = (x @ np.array([3.0, -2.0, 1.5, 0.5, -1.0]) + 10.0).astype(np.float32)
    path = tmp_path / "linear.npz"
    np.savez(path, x=x[:80], y=y[:80], x_test=x[80:], y_test=y[80:])
    return path, x[80:], y[80:]


def _run(source, tmp_path, name, budget=12.0, **options):
    return run(
        RunOptions(
            source=str(source),
            budget_seconds=budget,
            out=str(tmp_path / name),
            trials=2,
            verbose=False,
            **options,
        )
    )


def _codes(summary):
    return [f["code"] for f in summary["findings"]]


def test_a_linear_problem_ships_the_linear_model_and_its_exports_agree(tmp_path):
    from dlpilot.bundle import export_model, load_bundle

    source, x_test, y_test = _exactly_linear(tmp_path)
    result = _run(source, tmp_path, "auto")
    s = result.summary
    choice = s["final"]["choice"]
    assert choice["shipped"] == "linear_baseline", choice
    assert choice["linear"]["val"] < choice["network_val"]  # RMSE: lower is better
    assert s["final"]["approach"] == "linear_baseline_on_train_and_val"
    assert s["final"]["config"]["model"]["architecture"] == "linear"
    assert "below_classical_baseline" in _codes(s)
    assert json.loads((result.run_dir / "summary.json").read_text()) == s
    # The shipped model is the ridge fit: near-exact on the held-out rows.
    model = load_bundle(result.run_dir)
    predicted = np.asarray(model.predict(x_test), dtype=np.float64).reshape(-1)
    assert float(np.sqrt(np.mean((predicted - y_test) ** 2))) < 0.2
    onnx = pytest.importorskip("onnxruntime")
    path = export_model(model, tmp_path / "linear.onnx", format="onnx").path
    session = onnx.InferenceSession(str(path))
    prepared = model.prepare(x_test)
    feeds = {f"input_{i}": np.asarray(p, dtype=np.float32) for i, p in enumerate(prepared)}
    (scores,) = session.run(None, feeds)
    np.testing.assert_allclose(np.asarray(scores).reshape(-1), predicted, rtol=1e-3, atol=1e-2)


def test_ship_network_keeps_the_network_and_says_it_lost(tmp_path):
    source, _x, _y = _exactly_linear(tmp_path)
    s = _run(source, tmp_path, "network", ship="network").summary
    assert s["final"]["choice"]["shipped"] == "network"
    assert s["final"]["config"]["model"]["architecture"] != "linear"
    finding = next(f for f in s["findings"] if f["code"] == "below_classical_baseline")
    assert "--ship network" in finding["evidence"]


def test_a_tiny_series_set_trains_for_its_time_share_within_its_budget(tmp_path, monkeypatch):
    from dlpilot.stages import baseline as baseline_stage

    # Whether the time share affords more epochs than the step rule's 55 depends on this
    # machine's speed (one runner measured 90 ms an epoch, another 380 ms), so the epoch is
    # measured as 20 ms: the time-share rule is taken every time, and the stage's deadline
    # must still hold the run to its budget when the estimate is this optimistic.
    monkeypatch.setattr(baseline_stage, "measure_epoch_seconds", lambda *a, **kw: 0.02)
    gen = np.random.default_rng(1)
    t = np.linspace(0, 1, 80)
    y = gen.integers(0, 2, 60)
    x = np.sin(2 * np.pi * (2 + 2 * y[:, None]) * t + gen.uniform(0, 6, (60, 1)))
    x = (x + 0.1 * gen.normal(size=x.shape)).astype(np.float32)
    path = tmp_path / "tiny.npz"
    np.savez(path, x=x[:40], y=y[:40], x_test=x[40:], y_test=y[40:])
    s = _run(path, tmp_path, "tiny", budget=24.0).summary
    assert s["problem"]["modality"] == "sequence"
    baseline = next(st for st in s["stages"] if st["name"] == "baseline")
    trained = next(d for d in baseline["decisions"] if "epochs at batch size" in d["what"])
    epochs = int(re.match(r"(\d+) epochs", trained["what"]).group(1))
    # The time-share rule, not the step rule (8–60 epochs, BASELINE_EPOCHS_RANGE), up to
    # SMALL_DATA_MAX_EPOCHS.
    assert "the time share, not a step count" in trained["why"]
    assert 55 < epochs <= 1_500
    assert "fcn" in next(d["what"] for d in baseline["decisions"] if "head" in d["what"])
    assert s["budget"]["used_seconds"] <= s["budget"]["limit_seconds"] * 1.25 + 5
    assert s["final"]["test"]["accuracy"] > 0.8


def test_minirocket_ships_when_the_network_validates_worse_and_its_bundle_exports(
    tmp_path, monkeypatch
):
    from dlpilot.bundle import export_model, load_bundle
    from dlpilot.workflow import steps

    # A bump somewhere in class 1, noise in class 0: MiniRocket's PPV features catch it.
    gen = np.random.default_rng(4)
    y = gen.integers(0, 2, 90)
    x = gen.normal(0, 1, (90, 50)).astype(np.float32)
    for i in np.flatnonzero(y == 1):
        centre = gen.integers(8, 42)
        x[i] += 3 * np.exp(-((np.arange(50) - centre) ** 2) / 6)
    path = tmp_path / "bumps.npz"
    np.savez(path, x=x[:60], y=y[:60], x_test=x[60:], y_test=y[60:])

    # The network is made to lose on validation, whatever this machine's speed lets it learn;
    # everything after the choice (refit, bundle, test set, report) runs as it would.
    choose = steps.choose_shipped
    monkeypatch.setattr(steps, "choose_shipped", lambda **kw: choose(**{**kw, "network_val": 0.0}))
    # MiniRocket's time bound in stage 4 (tests/stages/test_stage_score_to_beat.py) skips it
    # when this machine's speed affords fewer than 50 series per split in 8% of 20 s (CI's
    # runner afforded 38): here it must be scored whatever the speed.
    from dlpilot.stages import score_to_beat

    monkeypatch.setattr(score_to_beat, "rows_affordable", lambda *a, **kw: 10**6)
    # White noise with a bump does not look like a series to the modality rules: say it is one.
    result = _run(path, tmp_path, "rocket", budget=20.0, modality=Modality.SEQUENCE)
    s = result.summary
    choice = s["final"]["choice"]
    assert choice["shipped"] == "minirocket", choice
    assert choice["shipped_classical"]["model"] == "MiniRocket + ridge"
    assert s["final"]["approach"] == "minirocket_on_train_and_val"
    assert s["final"]["config"]["model"]["architecture"] == "minirocket"
    assert s["final"]["test"]["accuracy"] >= 0.85
    assert "below_classical_baseline" in _codes(s)
    html = (result.run_dir / "report.html").read_text()
    assert "MiniRocket + ridge ships" in html

    model = load_bundle(result.run_dir)
    predicted = np.asarray(model.predict(x[60:])).reshape(-1)
    assert (predicted.astype(int) == y[60:]).mean() == pytest.approx(
        s["final"]["test"]["accuracy"], abs=1e-6
    )
    onnx = pytest.importorskip("onnxruntime")
    exported = export_model(model, tmp_path / "rocket.onnx", format="onnx")
    assert exported.max_abs_diff is not None and exported.max_abs_diff < 1e-3
    session = onnx.InferenceSession(str(exported.path))
    prepared = model.prepare(x[60:])
    feeds = {f"input_{i}": np.asarray(p, dtype=np.float32) for i, p in enumerate(prepared)}
    (scores,) = session.run(None, feeds)
    assert ((np.asarray(scores).reshape(-1) > 0.5) == (predicted.astype(int) == 1)).all()
