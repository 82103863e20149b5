"""Loading bundles: format versions, old and damaged bundles, ensembles, exports of them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from bundle_data import table, write_synthetic_bundle

import dlpilot
from dlpilot.bundle import export_model, read_config
from dlpilot.bundle.export import run_exported
from dlpilot.core.enums import Task
from dlpilot.core.errors import BundleError, ConfigError


def edit_config(folder, **changes):
    config = json.loads((folder / "config.json").read_text())
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    (folder / "config.json").write_text(json.dumps(config))


def test_a_newer_format_says_which_version_wrote_it(synthetic_bundle, cli):
    edit_config(synthetic_bundle, format_version=99, dlpilot_version="9.9.9")
    with pytest.raises(BundleError, match=r"dlpilot 9\.9\.9 in bundle format 99.*Upgrade"):
        dlpilot.load(synthetic_bundle)
    r = cli("predict", str(synthetic_bundle), "x.csv")
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "9.9.9" in r.stderr


def test_an_unknown_older_format_says_which_version_wrote_it(synthetic_bundle):
    edit_config(synthetic_bundle, format_version=0, dlpilot_version="0.0.1")
    with pytest.raises(BundleError, match=r"0\.0\.1 in bundle format 0.*Load it with dlpilot"):
        dlpilot.load(synthetic_bundle)


def test_another_dlpilot_version_with_the_same_format_loads(synthetic_bundle):
    edit_config(synthetic_bundle, dlpilot_version="0.0.9")
    assert dlpilot.load(synthetic_bundle).dlpilot_version == "0.0.9"


def test_a_bundle_without_a_saved_schema_still_loads(synthetic_bundle):
    before = dlpilot.load(synthetic_bundle)
    edit_config(synthetic_bundle, schema=None)
    after = dlpilot.load(synthetic_bundle)
    assert after.columns == before.columns == ("size", "weight", "colour")
    np.testing.assert_allclose(after.predict_scores(table()), before.predict_scores(table()))


def test_not_a_bundle_and_damaged_bundles(tmp_path, synthetic_bundle):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BundleError, match="No dlpilot model"):
        dlpilot.load(tmp_path / "empty")
    with pytest.raises(BundleError, match="not found"):
        dlpilot.load(tmp_path / "nowhere")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "config.json").write_text('{"format": "something-else"}')
    with pytest.raises(BundleError, match="not a dlpilot model bundle"):
        dlpilot.load(tmp_path / "other")
    config = read_config(synthetic_bundle)
    edit_config(synthetic_bundle, model_config={**config["model_config"], "width": 9})
    with pytest.raises(BundleError, match="do not fit"):
        dlpilot.load(synthetic_bundle)
    (synthetic_bundle / "member_0.preparation.json").unlink()
    with pytest.raises(BundleError, match=r"lacks 'member_0\.preparation\.json'"):
        dlpilot.load(synthetic_bundle)


def test_a_run_directory_or_its_model_folder(tmp_path):
    write_synthetic_bundle(tmp_path / "run" / "model")
    assert dlpilot.load(tmp_path / "run").path == tmp_path / "run" / "model"
    assert dlpilot.load(tmp_path / "run" / "model").path == tmp_path / "run" / "model"


def member_scores(model, x):
    out = []
    for m in model.members:
        with torch.no_grad():
            logits = m.network(m.preparer.transform(x))
        out.append(torch.softmax(logits, dim=1).numpy())
    return out


def test_an_ensemble_averages_its_members_and_exports_as_one(tmp_path):
    model = dlpilot.load(write_synthetic_bundle(tmp_path / "model", members=3))
    x = table(n=25, seed=7)
    each = member_scores(model, x)
    assert not np.allclose(each[0], each[1])  # the members differ ...
    scores = model.predict_scores(x)
    np.testing.assert_allclose(scores, np.mean(each, axis=0), atol=1e-6)  # ... and are averaged
    assert scores.shape == (25, 3)
    np.testing.assert_allclose(model.predict_proba(x).sum(axis=1), 1.0, atol=1e-5)
    assert set(model.predict(x)) <= {"a", "b", "c"}
    prepared = model.prepare(x)
    assert len(prepared) == 3
    for fmt in ("onnx", "torchscript"):
        result = export_model(model, tmp_path / f"m.{fmt}", format=fmt)
        assert [name for name, _, _ in result.inputs] == ["input_0", "input_1", "input_2"]
        assert result.max_abs_diff is not None and result.max_abs_diff < 1e-4
        np.testing.assert_allclose(run_exported(result, prepared), scores, atol=1e-5)


def test_vector_regression_predictions_have_one_column_per_target(tmp_path):
    model = dlpilot.load(
        write_synthetic_bundle(tmp_path / "model", members=2, task=Task.VECTOR_REGRESSION)
    )
    x = table(n=11)
    values = model.predict(x)
    assert values.shape == (11, 2)
    assert list(model.predict_table(x).columns) == ["y0", "y1"]
    with pytest.raises(ConfigError, match="not probabilities"):
        model.predict_proba(x)
    result = export_model(model, tmp_path / "m.onnx")
    assert result.output == ("scores", ("N", 2))
    np.testing.assert_allclose(run_exported(result, model.prepare(x)), values, atol=1e-4)


def test_import_dlpilot_stays_light():
    code = (
        "import sys, dlpilot; "
        "heavy = [m for m in ('torch', 'sklearn', 'pandas', 'optuna') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_run_checks_its_options_before_running():
    from dlpilot.core.errors import BudgetError

    with pytest.raises(ConfigError, match="Unknown option"):
        dlpilot.run("iris", budgt="1m")
    with pytest.raises(ConfigError, match="Unknown task 'binry'"):
        dlpilot.run("iris", task="binry")
    with pytest.raises(BudgetError, match="at least 1s"):
        dlpilot.run("iris", budget=0.5)


def test_signals_from_an_npz_in_either_axis_order(tmp_path, cli):
    from dlpilot.bundle import save_bundle
    from dlpilot.core.enums import Modality
    from dlpilot.core.records import ProblemSpec
    from dlpilot.engine import ModelConfig, build_model
    from dlpilot.preprocessing import SequencePreparer
    from dlpilot.stages.final import Member

    rng = np.random.default_rng(0)
    signals = rng.normal(size=(30, 2, 20)).astype(np.float32)
    spec = ProblemSpec(
        task=Task.BINARY,
        modality=Modality.SEQUENCE,
        n_samples=30,
        n_features=40,
        input_shape=(2, 20),
        target_names=("y",),
        class_names=("low", "high"),
    )
    prep = SequencePreparer(shape=(2, 20)).fit(signals)
    config = ModelConfig("conv1d", depth=1, width=4)
    net = build_model(config, input_shape=(2, 20), n_outputs=1).eval()
    save_bundle(
        tmp_path / "model",
        members=[Member(prep, net)],
        spec=spec,
        model_config=config,
        vocab_size=None,
        metric={},
    )
    model = dlpilot.load(tmp_path / "model")
    assert model.schema.shape == (2, 20) and model.columns == ()
    scores = model.predict_scores(signals)
    np.testing.assert_allclose(model.predict_scores(signals.transpose(0, 2, 1)), scores)
    np.savez(tmp_path / "new.npz", x=signals.transpose(0, 2, 1))
    r = cli("predict", str(tmp_path / "model"), str(tmp_path / "new.npz"))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "prediction,proba_low,proba_high"
    result = export_model(model, tmp_path / "m.onnx")
    np.testing.assert_allclose(run_exported(result, model.prepare(signals)), scores, atol=1e-5)
