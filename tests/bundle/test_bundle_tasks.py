"""Predictions of every kind of model have the right form: image folders (resized like
training), .npz inputs, multilabel, vector regression, text; and their exports match."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import torch
from bundle_data import write_images
from PIL import Image

import dlpilot
from dlpilot.bundle import export_model
from dlpilot.bundle.export import run_exported

pytestmark = pytest.mark.slow

BUDGET = 5


def quick_run(source, out, **options):
    return dlpilot.run(source, budget=BUDGET, trials=1, verbose=False, out=out, **options)


def check_exports(model, x, tmp_path):
    scores = model.predict_scores(x)
    prepared = model.prepare(x)
    for fmt in ("onnx", "torchscript"):
        result = export_model(model, tmp_path / f"model.{fmt}", format=fmt)
        np.testing.assert_allclose(run_exported(result, prepared), scores, atol=1e-5)


@pytest.fixture(scope="module")
def image_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    write_images(root / "train", ["cat", "dog"], 15, size=(12, 10))
    return root, quick_run(root / "train", root / "run")


def test_image_folder_predict_resizes_like_training(image_run, cli, tmp_path):
    _, result = image_run
    model = result.model
    assert model.modality == "image" and model.schema.shape == (1, 10, 12)
    new = tmp_path / "new"
    write_images(new, ["a", "b"], 3, size=(24, 20), mode="RGB", seed=5)
    r = cli("predict", str(result.run_dir), str(new))
    assert r.exit_code == 0, r.stderr
    table = pd.read_csv(io.StringIO(r.stdout))
    assert list(table.columns) == ["file", "prediction", "proba_cat", "proba_dog"]
    assert len(table) == 6 and table["file"].iloc[0] == "a/a_0.png"
    assert set(table["prediction"]) <= {"cat", "dog"}

    files = sorted(new.rglob("*.png"))
    scores = model.predict_scores(files)
    np.testing.assert_allclose(table["proba_dog"], scores, atol=1e-5)
    # Resized like training: grey, then PIL's bilinear resize to the training size.
    resized = np.stack(
        [
            np.asarray(Image.open(f).convert("L").resize((12, 10), Image.Resampling.BILINEAR))
            for f in files
        ]
    )
    np.testing.assert_allclose(model.predict_scores(resized), scores, atol=1e-5)
    np.savez(tmp_path / "new.npz", x=resized)
    r = cli("predict", str(result.run_dir), str(tmp_path / "new.npz"), "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert len(pd.read_json(io.StringIO(r.stdout))) == 6

    one = cli("predict", str(result.run_dir), str(files[0]))
    assert one.exit_code == 0 and len(pd.read_csv(io.StringIO(one.stdout))) == 1
    check_exports(model, resized, tmp_path)


def test_wrong_inputs_for_an_image_model_are_clear_errors(image_run, cli, tmp_path):
    _, result = image_run
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    for bad, fragment in (("t.csv", "cannot be read"), ("no_such_folder", "not found")):
        r = cli("predict", str(result.run_dir), str(tmp_path / bad))
        assert r.exit_code == 2, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and fragment in r.stderr


def test_multilabel_predictions(tmp_path, cli):
    rng = np.random.default_rng(0)
    n = 240
    x = rng.normal(size=(n, 3))
    frame = pd.DataFrame(x, columns=["u", "v", "w"])
    for i, name in enumerate(["red", "round", "big"]):
        frame[name] = (x[:, i] > 0).astype(int)
    frame.to_csv(tmp_path / "tags.csv", index=False)
    result = quick_run(tmp_path / "tags.csv", tmp_path / "run", target=["red", "round", "big"])
    model = result.model
    assert model.task == "multilabel" and model.classes == ("red", "round", "big")
    new = frame[["u", "v", "w"]].iloc[:9]
    labels = model.predict(new)
    assert labels.shape == (9, 3) and set(np.unique(labels)) <= {0, 1}
    assert model.predict_proba(new).shape == (9, 3)
    new.to_csv(tmp_path / "new.csv", index=False)
    r = cli("predict", str(result.run_dir), str(tmp_path / "new.csv"))
    assert r.exit_code == 0, r.stderr
    table = pd.read_csv(io.StringIO(r.stdout))
    assert list(table.columns) == [
        "red",
        "round",
        "big",
        "proba_red",
        "proba_round",
        "proba_big",
    ]
    np.testing.assert_array_equal(table[["red", "round", "big"]].to_numpy(), labels)
    check_exports(model, new, tmp_path)


def test_vector_regression_predictions(tmp_path, cli):
    rng = np.random.default_rng(1)
    n = 240
    x = rng.normal(size=(n, 2))
    frame = pd.DataFrame({"p": x[:, 0], "q": x[:, 1]})
    frame["width"] = 3 * x[:, 0] + rng.normal(scale=0.1, size=n) + 10
    frame["height"] = -2 * x[:, 1] + rng.normal(scale=0.1, size=n)
    frame.to_csv(tmp_path / "boxes.csv", index=False)
    result = quick_run(tmp_path / "boxes.csv", tmp_path / "run", target=["width", "height"])
    model = result.model
    assert model.task == "vector_regression"
    values = model.predict(frame[["p", "q"]])
    assert values.shape == (n, 2) and values.dtype.kind == "f"
    r = cli("predict", str(result.run_dir), str(tmp_path / "boxes.csv"))
    assert r.exit_code == 0, r.stderr
    assert "'width'" in r.stderr  # the targets in the file are ignored, with a warning
    table = pd.read_csv(io.StringIO(r.stdout))
    assert list(table.columns) == ["width", "height"]
    np.testing.assert_allclose(table.to_numpy(), values, rtol=1e-4, atol=1e-4)
    check_exports(model, frame[["p", "q"]], tmp_path)


def test_text_model_predicts_and_exports_token_ids(tmp_path, cli):
    rng = np.random.default_rng(2)
    good = ["great", "lovely", "superb", "fine"]
    bad = ["awful", "poor", "dreadful", "broken"]
    rows = []
    for i in range(200):
        words = good if i % 2 else bad
        text = " ".join(rng.choice(words, size=3)) + f" item number {i} was here"
        rows.append({"review": text, "label": "pos" if i % 2 else "neg"})
    pd.DataFrame(rows).to_csv(tmp_path / "reviews.csv", index=False)
    result = quick_run(tmp_path / "reviews.csv", tmp_path / "run", target="label")
    model = result.model
    assert model.modality == "text" and model.columns == ("review",)
    new = pd.DataFrame({"review": ["great lovely superb thing", "awful broken unseenword"]})
    assert len(model.predict(new)) == 2
    assert model.prepare(new)[0].dtype == torch.int64
    check_exports(model, new, tmp_path)
