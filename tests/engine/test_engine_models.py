"""Every model builds and trains a few steps for every task it serves."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from engine_helpers import make_targets, n_outputs

from dlpilot.core.enums import Modality, Task
from dlpilot.core.errors import ConfigError
from dlpilot.engine import (
    Architecture,
    ModelConfig,
    TensorData,
    TrainConfig,
    build_model,
    default_architecture,
    default_model_config,
    fit,
    predict_scores,
)
from dlpilot.engine.models import (
    IMAGE_ARCHITECTURES,
    SEQUENCE_ARCHITECTURES,
    TEXT_ARCHITECTURES,
    TORCHVISION_ARCHITECTURES,
    TRANSFER_ARCHITECTURES,
)

VOCAB = 50


def inputs(arch: Architecture, n: int, gen: torch.Generator) -> torch.Tensor:
    if arch in TORCHVISION_ARCHITECTURES:
        # Tiny images keep the big backbones to a second; AlexNet's three
        # 3×3/2 max-pools need 16 pixels.
        side = 16 if arch is Architecture.ALEXNET else 8
        return torch.randn(n, 1, side, side, generator=gen)
    if arch in TRANSFER_ARCHITECTURES and arch not in TEXT_ARCHITECTURES:
        return torch.randn(n, 3, 32, 32, generator=gen)  # a pretrained backbone's smallest
    if arch in IMAGE_ARCHITECTURES:
        return torch.randn(n, 1, 16, 16, generator=gen)
    if arch in SEQUENCE_ARCHITECTURES:
        return torch.randn(n, 2, 24, generator=gen)
    if arch in TEXT_ARCHITECTURES:
        x = torch.randint(1, VOCAB, (n, 12), generator=gen)
        x[:, 9:] = 0  # trailing padding
        return x
    return torch.randn(n, 6, generator=gen)


@pytest.mark.parametrize("task", list(Task))
@pytest.mark.parametrize("arch", list(Architecture))
def test_every_model_trains_for_every_task(arch: Architecture, task: Task) -> None:
    gen = torch.Generator().manual_seed(0)
    n = 12
    x = inputs(arch, n, gen)
    y = make_targets(task, n, generator=gen)
    side = 32 if arch is Architecture.EFFICIENTNET_LITE0 else None
    config = ModelConfig(arch, depth=2, width=16, dropout=0.1, batch_norm=True, image_side=side)
    model = build_model(
        config,
        input_shape=tuple(x.shape[1:]),
        n_outputs=n_outputs(task),
        vocab_size=VOCAB if arch in TEXT_ARCHITECTURES else None,
    )
    before = [p.detach().clone() for p in model.parameters()]
    result = fit(
        model,
        TensorData(x, y),
        TensorData(x, y),
        # SGD for the 10M-parameter backbones: Adam's step over them costs more than the rest.
        TrainConfig(
            epochs=1,
            batch_size=6,
            lr=1e-3,
            optimizer="sgd" if arch in TORCHVISION_ARCHITECTURES else "adam",
        ),
        task=task,
        verbose=False,
    )
    assert result.epochs_run == 1 and not result.diverged
    assert math.isfinite(result.history.last("loss"))
    assert math.isfinite(result.history.last("val_loss"))
    changed = sum(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))
    assert changed > 0
    scores = predict_scores(model, x, task=task)
    expected = {
        Task.BINARY: (n,),
        Task.REGRESSION: (n,),
        Task.MULTICLASS: (n, 3),
        Task.MULTILABEL: (n, 3),
        Task.VECTOR_REGRESSION: (n, 3),
    }[task]
    assert scores.shape == expected


def test_init_is_fixed_by_seed_and_leaves_global_rng_alone() -> None:
    cfg = ModelConfig(Architecture.MLP, width=8)
    torch.manual_seed(99)
    before = torch.random.get_rng_state()
    a = build_model(cfg, input_shape=(4,), n_outputs=2, seed=5)
    assert torch.equal(torch.random.get_rng_state(), before)
    b = build_model(cfg, input_shape=(4,), n_outputs=2, seed=5)
    c = build_model(cfg, input_shape=(4,), n_outputs=2, seed=6)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters(), strict=True))


def test_defaults_per_modality() -> None:
    assert default_architecture(Modality.TABULAR) is Architecture.MLP
    assert default_architecture(Modality.IMAGE) in (Architecture.RESNET, Architecture.CNN)
    assert default_architecture(Modality.SEQUENCE) is Architecture.CONV1D
    assert default_architecture(Modality.TEXT) in (Architecture.TEXT_CNN, Architecture.TEXT_GRU)
    for modality in Modality:
        assert default_model_config(modality).architecture is default_architecture(modality)


@pytest.mark.parametrize(
    ("arch", "shape", "fragment"),
    [
        (Architecture.CNN, (64,), "needs image inputs shaped (C, H, W)"),
        (Architecture.GRU, (1, 28, 28), "needs sequence inputs shaped (C, L)"),
        (Architecture.TEXT_CNN, (20,), "needs vocab_size"),
    ],
)
def test_wrong_input_shape_is_a_config_error(arch: Architecture, shape: tuple, fragment: str):
    with pytest.raises(ConfigError) as info:
        build_model(ModelConfig(arch), input_shape=shape, n_outputs=2)
    assert fragment in str(info.value)


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_pretrained_torchvision_weights_load_and_adapt_to_grey(tmp_path, suffix: str) -> None:
    from torchvision.models import resnet18

    source = resnet18(weights=None)
    with torch.no_grad():
        for p in source.parameters():
            p.normal_()
    path = tmp_path / f"weights{suffix}"
    if suffix == ".pt":
        torch.save({"state_dict": source.state_dict()}, path)
    else:
        from safetensors.torch import save_file

        save_file({k: v.contiguous() for k, v in source.state_dict().items()}, str(path))
    model = build_model(
        ModelConfig(Architecture.TV_RESNET18, pretrained=str(path)),
        input_shape=(1, 32, 32),
        n_outputs=4,
    )
    assert torch.equal(model.layer1[0].conv1.weight, source.layer1[0].conv1.weight)
    # Grey stem: the RGB filters summed over colour; small images: stride 1, no max-pool.
    assert torch.allclose(model.conv1.weight, source.conv1.weight.sum(dim=1, keepdim=True))
    assert model.conv1.stride == (1, 1)
    assert isinstance(model.maxpool, torch.nn.Identity)
    assert model.fc[-1].out_features == 4
    assert model(torch.randn(2, 1, 32, 32)).shape == (2, 4)


def test_pretrained_own_checkpoint_and_bad_files(tmp_path) -> None:
    cfg = ModelConfig(Architecture.CNN, width=8)
    model = build_model(cfg, input_shape=(1, 8, 8), n_outputs=3, seed=1)
    path = tmp_path / "cnn.pt"
    torch.save(model.state_dict(), path)
    again = build_model(
        ModelConfig(Architecture.CNN, width=8, pretrained=str(path)),
        input_shape=(1, 8, 8),
        n_outputs=3,
        seed=2,
    )
    assert all(
        torch.equal(p, q) for p, q in zip(model.parameters(), again.parameters(), strict=True)
    )
    with pytest.raises(ConfigError, match="do not fit"):
        build_model(
            ModelConfig(Architecture.CNN, width=16, pretrained=str(path)),
            input_shape=(1, 8, 8),
            n_outputs=3,
        )
    with pytest.raises(ConfigError, match="not found"):
        build_model(
            ModelConfig(Architecture.ALEXNET, pretrained=str(tmp_path / "missing.pt")),
            input_shape=(3, 32, 32),
            n_outputs=3,
        )
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ConfigError, match="Cannot read pretrained weights"):
        build_model(
            ModelConfig(Architecture.GOOGLENET, pretrained=str(tmp_path / "junk.pt")),
            input_shape=(3, 32, 32),
            n_outputs=3,
        )


# --- the output layer starts at the class prior (Karpathy 2019, "init well") -------------


@pytest.mark.parametrize(
    ("task", "n_out", "y", "weights", "expected_scores"),
    [
        # 10% positives: the untrained network says 0.1, not 0.5.
        (Task.BINARY, 1, [0] * 90 + [1] * 10, None, [0.1]),
        # Balanced class weights make the weighted loss lowest at 0.5: the bias stays 0.
        (Task.BINARY, 1, [0] * 90 + [1] * 10, (100 / 180, 100 / 20), [0.5]),
        (Task.MULTICLASS, 3, [0] * 70 + [1] * 20 + [2] * 10, None, [0.7, 0.2, 0.1]),
        # A label on in 5% of rows, another in half.
        (Task.MULTILABEL, 2, [[1, 1]] * 5 + [[0, 1]] * 45 + [[0, 0]] * 50, None, [0.05, 0.5]),
    ],
)
def test_an_untrained_network_predicts_the_training_prior(task, n_out, y, weights, expected_scores):
    from dlpilot.engine import predict_scores, prior_logits

    bias = prior_logits(torch.tensor(y), task, n_outputs=n_out, class_weights=weights)
    model = build_model(
        ModelConfig(Architecture.MLP, depth=1, width=16),
        input_shape=(4,),
        n_outputs=n_out,
        head_bias=bias,
    )
    # With the head's weights zeroed, what the network says is its bias alone.
    head = [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1]
    with torch.no_grad():
        head.weight.zero_()
    scores = predict_scores(model, torch.randn(8, 4), task=task)
    got = np.asarray(scores).reshape(8, -1)[0]
    if task is Task.BINARY:
        got = got[:1]
    assert got == pytest.approx(expected_scores, abs=2e-3)  # predictions may run in bf16


def test_regression_has_no_prior_and_a_wrong_length_is_refused():
    from dlpilot.engine import prior_logits

    assert prior_logits(torch.arange(5.0), Task.REGRESSION, n_outputs=1) is None
    with pytest.raises(ConfigError, match="head_bias needs 3 values"):
        build_model(
            ModelConfig(Architecture.MLP), input_shape=(4,), n_outputs=3, head_bias=[0.0, 1.0]
        )
