"""Heads and losses, augmentation, the LR finder, devices."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpilot.core.device import choose_device
from dlpilot.core.enums import Task
from dlpilot.core.errors import ConfigError
from dlpilot.engine import (
    Architecture,
    Augmentation,
    ModelConfig,
    TensorData,
    TrainConfig,
    augment_batch,
    build_model,
    find_lr,
    make_loss,
    output_size,
    scores_from_outputs,
)
from dlpilot.engine.data import random_crop, random_erase, random_flip, random_rotate


def test_scores_have_the_shapes_core_metrics_read() -> None:
    out1, out3 = torch.randn(5, 1), torch.randn(5, 3)
    binary = scores_from_outputs(out1, Task.BINARY)
    assert binary.shape == (5,) and torch.allclose(binary, torch.sigmoid(out1[:, 0]))
    multi = scores_from_outputs(out3, Task.MULTICLASS)
    assert torch.allclose(multi.sum(1), torch.ones(5))
    assert torch.allclose(scores_from_outputs(out3, Task.MULTILABEL), torch.sigmoid(out3))
    assert scores_from_outputs(out1, Task.REGRESSION).shape == (5,)
    assert torch.equal(scores_from_outputs(out3, Task.VECTOR_REGRESSION), out3)


def test_output_sizes() -> None:
    assert output_size(Task.BINARY) == 1 == output_size(Task.REGRESSION)
    assert output_size(Task.MULTICLASS, n_classes=7) == 7
    assert output_size(Task.MULTILABEL, n_targets=4) == 4
    with pytest.raises(ConfigError, match="needs n_classes"):
        output_size(Task.MULTICLASS)


def test_losses_match_torch_definitions() -> None:
    logits = torch.randn(6, 3)
    y = torch.tensor([0, 1, 2, 2, 1, 0])
    w = torch.tensor([1.0, 2.0, 0.5])
    assert torch.allclose(
        make_loss(Task.MULTICLASS, class_weights=w, label_smoothing=0.1)(logits, y),
        torch.nn.functional.cross_entropy(logits, y, weight=w, label_smoothing=0.1),
    )
    one = torch.randn(6, 1)
    yb = torch.tensor([0, 1, 1, 0, 1, 0])
    plain = torch.nn.functional.binary_cross_entropy_with_logits(one[:, 0], yb.float())
    assert torch.allclose(make_loss(Task.BINARY)(one, yb), plain)
    # Equal class weights change nothing; a heavy positive class raises its share.
    assert torch.allclose(make_loss(Task.BINARY, class_weights=(3.0, 3.0))(one, yb), plain)
    per = torch.nn.functional.binary_cross_entropy_with_logits(
        one[:, 0], yb.float(), reduction="none"
    )
    sw = torch.where(yb == 1, 4.0, 1.0)
    assert torch.allclose(
        make_loss(Task.BINARY, class_weights=(1.0, 4.0))(one, yb), (per * sw).sum() / sw.sum()
    )
    values = torch.randn(6)
    assert torch.allclose(
        make_loss(Task.REGRESSION)(one, values), torch.nn.functional.mse_loss(one[:, 0], values)
    )
    with pytest.raises(ConfigError, match="apply to classification"):
        make_loss(Task.REGRESSION, class_weights=(1.0, 2.0))


def test_augmentations_keep_shape_are_seeded_and_do_something() -> None:
    x = torch.randn(8, 3, 16, 16)
    for aug in Augmentation:
        a = augment_batch(x, (aug,), torch.Generator().manual_seed(1))
        b = augment_batch(x, (aug,), torch.Generator().manual_seed(1))
        assert a.shape == x.shape and torch.equal(a, b)
        assert not torch.equal(a, x), aug


def test_each_augmentation_does_what_it_says() -> None:
    x = torch.arange(2 * 1 * 4 * 4, dtype=torch.float32).view(2, 1, 4, 4) + 1
    flipped = random_flip(x, torch.Generator().manual_seed(0), p=1.0)
    assert torch.equal(flipped, x.flip(3))
    shifted = random_crop(x, torch.Generator().manual_seed(3), pad=1)
    for i in range(2):  # each output is the input shifted by at most one pixel, zero-filled
        ok = False
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                ref = torch.nn.functional.pad(x[i], (1, 1, 1, 1))[
                    :, 1 + dy : 5 + dy, 1 + dx : 5 + dx
                ]
                ok |= torch.equal(shifted[i], ref)
        assert ok
    erased = random_erase(x, torch.Generator().manual_seed(0), p=1.0)
    assert ((erased == 0).sum(dim=(1, 2, 3)) > 0).all()
    assert torch.allclose(
        random_rotate(x, torch.Generator().manual_seed(0), degrees=0.0), x, atol=1e-5
    )


def test_lr_finder_is_deterministic_and_sensible(blobs) -> None:
    train, _ = blobs

    def build() -> torch.nn.Module:
        return build_model(ModelConfig(Architecture.MLP, width=32), input_shape=(8,), n_outputs=3)

    cfg = TrainConfig(batch_size=16, seed=3)
    a = find_lr(build, train, cfg, task=Task.MULTICLASS, steps=60)
    b = find_lr(build, train, cfg, task=Task.MULTICLASS, steps=60)
    assert a == b
    assert 1e-6 <= a.suggested_lr <= 1.0
    assert len(a.lrs) == len(a.losses) >= 20
    assert all(x < y for x, y in zip(a.lrs, a.lrs[1:], strict=False))
    assert min(a.losses) < a.losses[0]  # the loss fell somewhere along the sweep


def test_device_choice_never_fails_without_a_gpu() -> None:
    assert choose_device().type in ("cpu", "cuda")
    assert choose_device("cpu") == torch.device("cpu")
    if not torch.cuda.is_available():
        assert choose_device("cuda") == torch.device("cpu")


def test_configure_threads_sets_torch_threads() -> None:
    from dlpilot.core.device import choose_threads, configure_threads

    assert 1 <= choose_threads() <= (torch.get_num_threads() + 64)
    assert configure_threads(1) == 1 == torch.get_num_threads()


def test_tensor_data_checks_lengths() -> None:
    from dlpilot.core.errors import DataError

    with pytest.raises(DataError, match="3 inputs but 2 targets"):
        TensorData(torch.zeros(3, 2), torch.zeros(2))
    with pytest.raises(DataError, match="needs torch tensors"):
        TensorData(np.zeros((3, 2)), torch.zeros(3))  # type: ignore[arg-type]
