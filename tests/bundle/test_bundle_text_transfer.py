"""A bundle of a text transfer network (K fold members) stores the shared backbone once,
loads and predicts raw text with the weights package blocked, and exports."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from text_backbone import write_backbone

import dlpilot
from dlpilot.bundle import export_model, save_bundle
from dlpilot.bundle.export import run_exported
from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import ModelConfig, build_model
from dlpilot.engine.backbones import MINILM_L6
from dlpilot.preprocessing.text import TextPreparer
from dlpilot.stages.final import Member

TEXTS = ["the cat sat on the mat", "stocks fell sharply today", "a dog ran in the park", "bad film"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("text-transfer-bundle")
    backbone = write_backbone(tmp_path / "minilm")
    frame = pd.DataFrame({"text": TEXTS * 3})
    config = ModelConfig("minilm_l6", depth=1, width=8, pretrained=str(backbone))
    members = []
    for i in range(2):  # two splits: their own vocabularies, one backbone
        preparer = TextPreparer(min_count=1).fit(frame.iloc[i:])
        torch.manual_seed(i)
        net = build_model(
            config,
            input_shape=preparer.input_shape,
            n_outputs=2,
            vocab_size=preparer.vocab_size,
            id_tokens=preparer.id_tokens(),
            seed=i,
        ).eval()
        members.append(Member(preparer, net))
    spec = ProblemSpec(
        task=Task.MULTICLASS,
        modality=Modality.TEXT,
        n_samples=12,
        n_features=1,
        input_shape=tuple(members[0].preparer.input_shape),
        target_names=("label",),
        class_names=("a", "b"),
    )
    folder = save_bundle(
        tmp_path / "model",
        members=members,
        spec=spec,
        model_config=config,
        vocab_size=members[0].preparer.vocab_size,
        metric={"primary": "accuracy"},
        table_columns=["text"],
    )
    with torch.no_grad():
        expected = np.mean(
            [m.model(m.preparer.transform(frame.iloc[:4])).softmax(1).numpy() for m in members],
            axis=0,
        )
    for f in backbone.iterdir():  # the bundle must not need the backbone folder either
        f.unlink()
    return folder, frame.iloc[:4], expected


def test_the_shared_backbone_is_stored_once(bundle):
    folder, _frame, _expected = bundle
    shared = (folder / "shared.safetensors").stat().st_size
    members = [(folder / f"member_{i}.safetensors").stat().st_size for i in range(2)]
    assert shared > 80 * 2**20  # all-MiniLM-L6-v2's 22.7 M float32 parameters
    assert max(members) < 2**20  # each member: its head and its id → WordPiece table


def test_a_text_transfer_bundle_predicts_raw_text_without_the_package(bundle, tmp_path):
    folder, frame, expected = bundle
    frame.to_csv(tmp_path / "new.csv", index=False)
    script = f"""
import json, sys
sys.modules[{MINILM_L6.package!r}] = None  # importing it now raises ImportError
sys.modules["sentence_transformers"] = None
import pandas as pd
import dlpilot
model = dlpilot.load({str(folder)!r})
print(json.dumps(model.predict_proba(pd.read_csv({str(tmp_path / "new.csv")!r})).tolist()))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    got = np.asarray(json.loads(out.stdout.strip().splitlines()[-1]))
    assert np.abs(got - expected).max() < 1e-4


def test_a_text_transfer_bundle_exports_with_its_backbone(bundle, tmp_path):
    folder, frame, expected = bundle
    model = dlpilot.load(folder)
    scores = model.predict_scores(frame)
    np.testing.assert_allclose(scores, expected, atol=1e-4)
    result = export_model(model, tmp_path / "model.onnx", format="onnx")
    prepared = model.prepare(frame)
    np.testing.assert_allclose(run_exported(result, prepared), scores, atol=1e-4)
