"""The round trip: a run, then the same predictions through `dlpilot predict`, `dlpilot.load`,
the ONNX export (onnxruntime) and the TorchScript export; and what predict does with inputs
that differ from the training table."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

import dlpilot
from dlpilot.bundle import InputWarning, export_model
from dlpilot.bundle.export import run_exported
from dlpilot.core.errors import DataError

pytestmark = pytest.mark.slow

ATOL = 1e-5


def training_table(n: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    city = rng.choice(["a", "b", "c"], size=n)
    return pd.DataFrame(
        {
            "x1": np.where(rng.random(n) < 0.1, np.nan, x1),
            "x2": rng.normal(size=n),
            "city": city,
            "label": np.where(x1 + (city == "a") > 0.3, "yes", "no"),
        }
    )


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """One real run through the Python API, shared by the module."""
    folder = tmp_path_factory.mktemp("roundtrip")
    frame = training_table()
    frame.to_csv(folder / "train.csv", index=False)
    new = training_table(n=60, seed=1).drop(columns="label")
    new.to_csv(folder / "new.csv", index=False)
    new.to_parquet(folder / "new.parquet")
    result = dlpilot.run(
        folder / "train.csv",
        target="label",
        budget=15,
        trials=2,
        verbose=False,
        out=folder / "run",
    )
    return folder, result, new


def read_csv_text(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_run_result_has_summary_model_and_report_path(finished):
    _, result, _ = finished
    assert result.summary["problem"]["task"] == "binary"
    assert result.report_path == result.run_dir / "report.html"
    model = result.model
    assert model.classes == ("no", "yes")
    assert model.columns == ("x1", "x2", "city")
    assert model.dlpilot_version == dlpilot.__version__


def test_cli_predict_matches_load_onnx_and_torchscript(finished, cli):
    folder, result, new = finished
    run_dir = result.run_dir
    out = folder / "preds.csv"
    r = cli("predict", str(run_dir), str(folder / "new.csv"), "--out", str(out))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    from_cli = pd.read_csv(out)
    assert list(from_cli.columns) == ["prediction", "proba_no", "proba_yes"]
    assert len(from_cli) == len(new)

    model = dlpilot.load(run_dir)
    table = model.predict_table(new)
    scores = model.predict_scores(new)
    assert list(from_cli["prediction"]) == list(table["prediction"])
    np.testing.assert_allclose(from_cli["proba_yes"], scores, atol=1e-5)  # CSV keeps 6 digits
    np.testing.assert_allclose(model.predict_proba(new)[:, 1], scores)
    assert list(model.predict(new)) == list(table["prediction"])

    prepared = model.prepare(new)
    for fmt, suffix in (("onnx", ".onnx"), ("torchscript", ".pt")):
        r = cli("export", str(run_dir), "--format", fmt)
        assert r.exit_code == 0, r.stderr
        path = run_dir / f"model{suffix}"
        assert r.stdout.strip() == str(path)
        assert "input_0" in r.stderr and "scores" in r.stderr
        result_ = export_model(model, folder / f"again{suffix}", format=fmt)
        exported = run_exported(result_, prepared)
        np.testing.assert_allclose(exported, scores, atol=ATOL)


def test_stdout_csv_and_json_and_parquet_input(finished, cli):
    folder, result, new = finished
    as_csv = cli("predict", str(result.run_dir), str(folder / "new.parquet"))
    assert as_csv.exit_code == 0, as_csv.stderr
    as_json = cli("predict", str(result.run_dir), str(folder / "new.csv"), "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    table = read_csv_text(as_csv.stdout)
    assert len(records) == len(table) == len(new)
    assert [r["prediction"] for r in records] == list(table["prediction"])
    np.testing.assert_allclose([r["proba_yes"] for r in records], table["proba_yes"], atol=1e-5)


def test_batches_give_the_same_predictions(finished, cli):
    folder, result, new = finished
    model = result.model
    np.testing.assert_allclose(
        model.predict_scores(new, batch_size=7), model.predict_scores(new), atol=1e-6
    )
    small = cli("predict", str(result.run_dir), str(folder / "new.csv"), "--batch-size", "16")
    whole = cli("predict", str(result.run_dir), str(folder / "new.csv"))
    assert small.exit_code == 0 and small.stdout == whole.stdout


def test_missing_column_is_a_one_line_error_naming_it(finished, cli):
    folder, result, new = finished
    new.drop(columns="city").to_csv(folder / "no_city.csv", index=False)
    r = cli("predict", str(result.run_dir), str(folder / "no_city.csv"))
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "'city'" in lines[0]
    with pytest.raises(DataError, match="'city'"):
        result.model.predict(new.drop(columns="city"))


def test_extra_columns_are_ignored_with_a_warning(finished, cli):
    folder, result, new = finished
    extra = new.assign(notes="hello", label="yes")[["notes", "city", "x2", "label", "x1"]]
    extra.to_csv(folder / "extra.csv", index=False)
    r = cli("predict", str(result.run_dir), str(folder / "extra.csv"))
    assert r.exit_code == 0, r.stderr
    assert "Warning:" in r.stderr and "'notes'" in r.stderr and "'label'" in r.stderr
    plain = cli("predict", str(result.run_dir), str(folder / "new.csv"))
    assert r.stdout == plain.stdout  # column order and extra columns change nothing
    with pytest.warns(InputWarning, match="notes"):
        result.model.predict(extra)


def test_unseen_categories_go_to_the_unknown_bucket(finished, cli):
    folder, result, new = finished
    odd = new.copy()
    odd.loc[:4, "city"] = "atlantis"
    odd.to_csv(folder / "odd.csv", index=False)
    r = cli("predict", str(result.run_dir), str(folder / "odd.csv"))
    assert r.exit_code == 0, r.stderr
    assert "'atlantis'" in r.stderr and "unknown bucket" in r.stderr
    model = result.model
    prep = model.members[0].preparer
    block = next(b for b in prep.embedding_blocks if b[0] == "city")
    x = prep.transform(odd[:5]).numpy()
    onehot = x[:, block[1] : block[1] + block[2]]
    assert (onehot[:, -1] == 1).all() and (onehot[:, :-1] == 0).all()  # the unknown bucket
    with pytest.warns(InputWarning, match="atlantis"):
        assert len(model.predict(odd)) == len(odd)


def test_an_array_is_read_in_column_order(finished):
    _, result, new = finished
    model = result.model
    from_array = model.predict_scores(new[list(model.columns)].to_numpy(dtype=object))
    np.testing.assert_allclose(from_array, model.predict_scores(new), atol=1e-6)
    with pytest.raises(DataError, match="reads 3"):
        model.predict(np.zeros((2, 5)))
