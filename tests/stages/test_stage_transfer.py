"""Stage 5's transfer candidate, with a randomly initialised EfficientNet-Lite0 of the same code
path (no package needed) fed 32 px images so it trains in seconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch
from stage_data import image_spec
from stage_results import accuracy_scoring, evaluation
from stage_results import setup as table_setup
from text_backbone import write_backbone

from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import Architecture, ModelConfig, TensorData, TrainConfig
from dlpilot.engine.backbones import EFFICIENTNET_LITE0, MINILM_L6, EfficientNetLite0
from dlpilot.preprocessing.images import ImagePreparer
from dlpilot.preprocessing.text import TextPreparer
from dlpilot.stages import _transfer, baseline
from dlpilot.stages._evaluate import TrainingSetup
from dlpilot.stages._transfer import BackboneWeights, backbone_weights, try_transfer


@dataclass(frozen=True)
class Fold:
    train: TensorData
    val: TensorData
    preparer: Any


def _images(n: int, side: int, seed: int) -> tuple[np.ndarray, torch.Tensor]:
    """Two classes: a bright square top-left or bottom-right, on noise; uint8 N×3×side×side."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 80, size=(n, 3, side, side)).astype(np.uint8)
    y = np.arange(n) % 2
    half = side // 2
    for i in range(n):
        if y[i]:
            x[i, :, half:, half:] = 230
        else:
            x[i, :, :half, :half] = 230
    return x, torch.as_tensor(y, dtype=torch.long)


def image_setup(side: int = 36, n_train: int = 64, n_val: int = 32) -> TrainingSetup:
    raw, y = _images(n_train + n_val, side, seed=0)
    preparer = ImagePreparer((3, side, side)).fit(raw[:n_train])
    x = preparer.transform(raw)
    fold = Fold(
        TensorData(x[:n_train], y[:n_train]), TensorData(x[n_train:], y[n_train:]), preparer
    )
    return TrainingSetup(
        folds=(fold,),
        spec=image_spec(n_train + n_val, (3, side, side)),
        scoring=accuracy_scoring(),
        input_shape=(3, side, side),
        vocab_size=None,
    )


@pytest.fixture
def weights(tmp_path, monkeypatch):
    """Random Lite0 weights on disk, and images resized to 32 px instead of 224."""
    path = tmp_path / "lite0.pt"
    torch.save(EfficientNetLite0().state_dict(), path)
    monkeypatch.setattr(_transfer, "BACKBONE_SIDES", (32,))
    return BackboneWeights(path, _transfer.msg("test weights"), EFFICIENTNET_LITE0)


def _scratch(score: float, seconds: float = 3.0, epochs: int = 15):
    model = ModelConfig(Architecture.CNN, depth=2, width=8, batch_norm=True)
    return evaluation(
        model=model,
        train=TrainConfig(lr=1e-3, batch_size=16, epochs=epochs, seed=0),
        val_score=score,
        seconds=seconds,
    )


def test_transfer_is_trained_compared_at_matched_time_and_kept_when_better(weights):
    setup = image_setup()
    outcome = try_transfer(
        setup,
        _scratch(0.0),
        weights,
        epochs=15,
        inputs_to_embed=200,
        seconds_available=600,
        stage="t",
    )
    assert outcome.tried and outcome.chosen  # anything beats a score of 0
    n = outcome.numbers
    assert n["image_side"] == 32 and n["scratch_score"] == 0.0
    assert 0.0 < n["transfer_score"] <= 1.0
    assert n["feature_seconds"] > 0 and n["feature_megabytes"] > 0
    # 96 images × 1,280 float32 features.
    assert n["feature_megabytes"] == pytest.approx(96 * 1280 * 4 / 2**20, abs=0.05)
    assert outcome.evaluation.model.architecture is Architecture.EFFICIENTNET_LITE0
    why = str(outcome.decision.why)
    assert "transfer" in why and "scratch 0.0000" in why and "32 px" in why
    assert "keep the transfer network" in str(outcome.decision.what)


def test_a_better_scratch_network_is_kept(weights):
    outcome = try_transfer(
        image_setup(),
        _scratch(1.01),
        weights,
        epochs=15,
        inputs_to_embed=200,
        seconds_available=600,
        stage="t",
    )
    assert outcome.tried and not outcome.chosen
    assert "from scratch" in str(outcome.decision.what)


def test_stage_5_keeps_the_better_network_and_records_the_comparison(weights):
    setup = image_setup()
    base = baseline.BaselineNetwork(
        evaluation=_scratch(0.0, epochs=1500),
        attempts=(),
        lr_finder={},
        beats_common_sense=True,
        decisions=(),
        findings=(),
    )
    kept = baseline.consider_transfer(
        base, setup, weights, inputs_to_embed=200, seconds_available=600
    )
    assert kept.evaluation.model.architecture is Architecture.EFFICIENTNET_LITE0
    # 64 samples at batch 16 are 4 steps an epoch: the step rule's 150 epochs, clamped to 60,
    # whatever the scratch network's own (1,500 on such a split: its time share).
    assert kept.evaluation.train.epochs == 60
    assert kept.transfer["tried"] and kept.transfer["chosen"]
    assert "keep the transfer network" in str(kept.decisions[-1].what)
    restored = baseline.BaselineNetwork.from_dict(kept.to_dict())
    assert restored.transfer == kept.transfer
    assert restored.evaluation.model == kept.evaluation.model


@pytest.mark.parametrize(
    ("make_setup", "expected"),
    [
        (lambda: table_setup(), "images and text only"),
        (lambda: image_setup(side=20), "below the 32 px"),
    ],
)
def test_no_transfer_for_data_a_backbone_cannot_read(weights, make_setup, expected):
    outcome = try_transfer(
        make_setup(),
        _scratch(0.5),
        weights,
        epochs=15,
        inputs_to_embed=10,
        seconds_available=600,
        stage="t",
    )
    assert not outcome.tried and expected in outcome.numbers["reason"]
    assert "not tried" in str(outcome.decision.what)


def test_no_transfer_without_weights_says_how_to_get_them(monkeypatch):
    monkeypatch.setattr(_transfer, "find_packaged_weights", lambda *_: None)
    none = backbone_weights(None, Modality.IMAGE)
    assert not none.available and "dlpilot[transfer]" in str(none.source)
    outcome = try_transfer(
        image_setup(),
        _scratch(0.5),
        none,
        epochs=15,
        inputs_to_embed=10,
        seconds_available=600,
        stage="t",
    )
    assert not outcome.tried and "dlpilot[transfer]" in outcome.numbers["reason"]
    off = backbone_weights("none", Modality.TEXT)
    assert not off.available and "--backbone none" in str(off.source)


def test_features_that_would_take_too_long_are_not_computed(weights):
    outcome = try_transfer(
        image_setup(),
        _scratch(0.5),
        weights,
        epochs=15,
        inputs_to_embed=1_000_000,
        seconds_available=60,
        stage="t",
    )
    assert not outcome.tried
    reason = outcome.numbers["reason"]
    assert "1,000,000 images" in reason and "25% of the 60s" in reason
    assert outcome.numbers["probe_seconds_per_input"] > 0


# --- text: a randomly initialised all-MiniLM-L6-v2 from a folder the test writes ----------


@pytest.fixture(scope="module")
def text_weights(tmp_path_factory):
    folder = write_backbone(tmp_path_factory.mktemp("minilm"))
    return BackboneWeights(folder, _transfer.msg("test text weights"), MINILM_L6)


def text_setup(n_train: int = 48, n_val: int = 24) -> TrainingSetup:
    rng = np.random.default_rng(0)
    topics = [["the cat sat on the mat", "a dog ran in the park"], ["stocks fell", "markets rose"]]
    y = np.arange(n_train + n_val) % 2
    texts = [" and ".join(rng.choice(topics[c], size=2)) for c in y]
    frame = pd.DataFrame({"t": texts})
    preparer = TextPreparer().fit(frame.iloc[:n_train])
    x = preparer.transform(frame)
    yt = torch.as_tensor(y, dtype=torch.long)
    fold = Fold(
        TensorData(x[:n_train], yt[:n_train]), TensorData(x[n_train:], yt[n_train:]), preparer
    )
    spec = ProblemSpec(
        task=Task.BINARY,
        modality=Modality.TEXT,
        n_samples=n_train + n_val,
        n_features=1,
        input_shape=tuple(preparer.input_shape),
        target_names=("y",),
        class_names=("a", "b"),
    )
    return TrainingSetup(
        folds=(fold,),
        spec=spec,
        scoring=accuracy_scoring(),
        input_shape=tuple(preparer.input_shape),
        vocab_size=preparer.vocab_size,
    )


def test_text_transfer_is_trained_on_sentence_features_and_compared(text_weights):
    outcome = try_transfer(
        text_setup(),
        _scratch(0.0),
        text_weights,
        epochs=10,
        inputs_to_embed=72,
        seconds_available=600,
        stage="t",
    )
    assert outcome.tried and outcome.chosen
    n = outcome.numbers
    assert n["backbone"] == "minilm_l6" and "image_side" not in n
    # 72 texts × 384 float32 features.
    assert n["feature_megabytes"] == pytest.approx(72 * 384 * 4 / 2**20, abs=0.05)
    assert outcome.evaluation.model.architecture is Architecture.MINILM_L6
    assert "256 WordPiece tokens" in str(outcome.decision.why)
    assert "all-MiniLM-L6-v2" in str(outcome.decision.what)


def test_text_features_that_would_take_too_long_are_not_computed(text_weights):
    outcome = try_transfer(
        text_setup(),
        _scratch(0.5),
        text_weights,
        epochs=10,
        inputs_to_embed=10_000_000,
        seconds_available=60,
        stage="t",
    )
    assert not outcome.tried and "10,000,000 texts" in outcome.numbers["reason"]


def test_a_backbone_for_the_other_modality_is_not_used(weights, text_weights):
    for setup, given in ((text_setup(), weights), (image_setup(), text_weights)):
        outcome = try_transfer(
            setup,
            _scratch(0.5),
            given,
            epochs=10,
            inputs_to_embed=10,
            seconds_available=600,
            stage="t",
        )
        assert not outcome.tried and "does not read" in outcome.numbers["reason"]


def test_the_packaged_text_backbone_is_found_for_text(monkeypatch, tmp_path):
    monkeypatch.setattr(_transfer, "find_packaged_weights", lambda spec: tmp_path / spec.name)
    found = backbone_weights(None, Modality.TEXT)
    assert found.spec is MINILM_L6 and "all-MiniLM-L6-v2" in str(found.source)
    assert backbone_weights(None, Modality.SEQUENCE).path is None
