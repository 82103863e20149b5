"""A bundle of a transfer network carries its backbone: it loads, predicts and exports with
the weights package blocked from import."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from bundle_data import write_images

import dlpilot
from dlpilot.bundle import export_model, save_bundle
from dlpilot.bundle.export import run_exported
from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.data.images import load_image_folder
from dlpilot.engine import ModelConfig, build_model
from dlpilot.engine.backbones import EFFICIENTNET_LITE0, EfficientNetLite0
from dlpilot.preprocessing.images import ImagePreparer
from dlpilot.stages.final import Member


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """One transfer bundle for the module (saving and exporting Lite0 takes seconds)."""
    tmp_path = tmp_path_factory.mktemp("transfer-bundle")
    write_images(tmp_path / "images", ["a", "b"], 4, size=(36, 36), mode="RGB")
    files = load_image_folder(tmp_path / "images").x
    weights = tmp_path / "lite0.pt"
    torch.save(EfficientNetLite0().state_dict(), weights)
    preparer = ImagePreparer((3, 36, 36)).fit(files)
    config = ModelConfig(
        "efficientnet_lite0", depth=1, width=8, pretrained=str(weights), image_side=32
    )
    net = build_model(
        config, input_shape=(3, 36, 36), n_outputs=2, pixel_stats=preparer.pixel_stats()
    ).eval()
    spec = ProblemSpec(
        task=Task.MULTICLASS,
        modality=Modality.IMAGE,
        n_samples=8,
        n_features=3 * 36 * 36,
        input_shape=(3, 36, 36),
        target_names=("label",),
        class_names=("a", "b"),
    )
    folder = save_bundle(
        tmp_path / "model",
        members=[Member(preparer, net)],
        spec=spec,
        model_config=config,
        vocab_size=None,
        metric={"primary": "accuracy"},
    )
    weights.unlink()  # the bundle must not need the original weights file either
    with torch.no_grad():
        expected = net(preparer.transform(files)).softmax(1).numpy()
    return tmp_path, folder, files, expected


def test_a_transfer_bundle_predicts_without_the_weights_package(bundle):
    tmp_path, folder, _files, expected = bundle
    script = f"""
import json, sys
sys.modules[{EFFICIENTNET_LITE0.package!r}] = None  # importing it now raises ImportError
import dlpilot
from dlpilot.data.images import load_image_folder
model = dlpilot.load({str(folder)!r})
files = load_image_folder({str(tmp_path / "images")!r}).x
print(json.dumps(model.predict_proba(files).tolist()))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    got = np.asarray(json.loads(out.stdout.strip().splitlines()[-1]))
    assert np.abs(got - expected).max() < 1e-4


def test_a_transfer_bundle_exports_with_its_backbone(bundle, tmp_path):
    _root, folder, files, expected = bundle
    model = dlpilot.load(folder)
    prepared = model.prepare(files)
    scores = model.predict_scores(files)
    np.testing.assert_allclose(scores, expected, atol=1e-4)
    for fmt in ("onnx", "torchscript"):
        result = export_model(model, tmp_path / f"model.{fmt}", format=fmt)
        np.testing.assert_allclose(run_exported(result, prepared), scores, atol=1e-4)
