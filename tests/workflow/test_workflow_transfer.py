"""A run on an RGB image folder, and one on a text CSV, tries a pretrained backbone against
training from scratch and says so in summary.json and the report. The backbones have random
weights given by --backbone: EfficientNet-Lite0 fed 32 px images, and all-MiniLM-L6-v2 with a
test vocabulary, so the runs take seconds."""

from __future__ import annotations

import json
import os
import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from text_backbone import WORDS, write_backbone

import dlpilot
from dlpilot.engine.backbones import EfficientNetLite0
from dlpilot.stages import _transfer
from dlpilot.workflow import RunOptions, run

pytestmark = pytest.mark.slow


@pytest.fixture
def weights(tmp_path):
    path = tmp_path / "lite0.pt"
    torch.save(EfficientNetLite0().state_dict(), path)
    return path


def test_an_rgb_image_run_records_the_transfer_decision(
    tmp_path, make_images, weights, monkeypatch
):
    monkeypatch.setattr(_transfer, "BACKBONE_SIDES", (32,))
    make_images(tmp_path / "imgs", ["dark", "light"], 30, size=(40, 40), mode="RGB")
    options = RunOptions(
        source=str(tmp_path / "imgs"),
        budget_seconds=15,
        trials=2,
        out=str(tmp_path / "run"),
        verbose=False,
        backbone=str(weights.resolve()),
    )
    result = run(options)
    summary = json.loads((result.run_dir / "summary.json").read_text())
    transfer = summary["transfer"]
    assert transfer["tried"] is True and transfer["image_side"] == 32
    assert transfer["weights"] == str(weights.resolve())
    for key in ("transfer_score", "scratch_score", "feature_seconds", "feature_megabytes"):
        assert transfer[key] is not None, key
    stage5 = next(s for s in summary["stages"] if s["name"] == "baseline")
    decision = next(d for d in stage5["decisions"] if "transfer" in d["why"])
    assert f"transfer {transfer['transfer_score']:.4f}" in decision["why"]
    report = (result.run_dir / "report.html").read_text()
    assert "transfer network" in report or "trained from scratch over transfer" in report
    shipped = summary["final"]["config"]["model"]["architecture"]
    if transfer["chosen"]:
        # Stages 6-8 built on the transfer network unless the linear model shipped instead.
        assert shipped in ("efficientnet_lite0", "linear")
    else:
        assert shipped != "efficientnet_lite0"
    # The bundle predicts whatever shipped, without the weights file.
    weights.unlink()
    model = dlpilot.load(result.run_dir)
    files = sorted((tmp_path / "imgs").rglob("*.png"))[:4]
    assert model.predict_proba([str(f) for f in files]).shape == (4, 2)


def test_a_text_csv_run_records_the_transfer_decision_and_ships_a_bundle(tmp_path, monkeypatch):
    # A 20 s run: let the features take what they need (the share is tested in stages/).
    monkeypatch.setattr(_transfer, "FEATURE_TIME_SHARE", 1.0)
    rng = np.random.default_rng(0)
    topics = (WORDS[:10], WORDS[10:20])
    rows = [(" ".join(rng.choice(topics[i % 2], size=6)), f"topic{i % 2}") for i in range(80)]
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(tmp_path / "texts.csv", index=False)
    backbone = write_backbone(tmp_path / "minilm")
    result = run(
        RunOptions(
            source=str(tmp_path / "texts.csv"),
            target=("label",),
            budget_seconds=20,
            trials=2,
            out=str(tmp_path / "run"),
            verbose=False,
            backbone=str(backbone.resolve()),
        )
    )
    summary = json.loads((result.run_dir / "summary.json").read_text())
    transfer = summary["transfer"]
    assert transfer["tried"] is True, transfer.get("reason")
    assert transfer["backbone"] == "minilm_l6"
    assert transfer["inputs_to_embed"] > 80  # every split's texts, and the test texts
    stage5 = next(s for s in summary["stages"] if s["name"] == "baseline")
    decision = next(d for d in stage5["decisions"] if "WordPiece" in d["why"])
    assert f"transfer {transfer['transfer_score']:.4f}" in decision["why"]
    report = (result.run_dir / "report.html").read_text()
    assert "all-MiniLM-L6-v2" in report or "trained from scratch over transfer" in report
    for f in backbone.iterdir():
        f.unlink()
    model = dlpilot.load(result.run_dir)
    new = pd.DataFrame({"text": ["the cat sat", "stocks fell today"]})
    assert model.predict_proba(new).shape == (2, 2)


def test_a_planted_pickle_given_as_backbone_is_refused_before_the_run(tmp_path, cli):
    class Payload:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    planted = tmp_path / "weights.pth"
    planted.write_bytes(pickle.dumps({"_conv_stem.weight": Payload()}))
    result = cli("run", "digits", "--budget", "20s", "--backbone", str(planted))
    assert result.exit_code != 0
    assert "Cannot read pretrained weights" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "pwned").exists()
    missing = cli("run", "digits", "--backbone", str(tmp_path / "nothing.pt"))
    assert missing.exit_code != 0 and "no such file" in missing.stderr
