"""Stage 5's sanity checks, each with its failure planted: a head bias far off, a network that
cannot see its inputs, labels that have nothing to do with the inputs."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import torch
from stage_results import ScriptedSetup, evaluation, never_called
from torch import nn

from dlpilot.core.enums import FindingCode, MetricName, Task
from dlpilot.engine import ModelConfig, TensorData, TrainConfig, build_model, fit
from dlpilot.stages._sanity import (
    check_initial_loss,
    check_inputs_matter,
    check_overfits_one_batch,
    expected_initial_loss,
)
from dlpilot.stages.scale import scale_until_overfit


def _data(n=200, features=8, seed=0, classes=3):
    gen = np.random.default_rng(seed)
    x = torch.from_numpy(gen.normal(size=(n, features)).astype(np.float32))
    y = torch.from_numpy(np.digitize(x[:, 0].numpy(), [-0.4, 0.4]).astype(np.int64))
    return x, y % classes


def _mlp(features=8, n_out=3, seed=0):
    return build_model(
        ModelConfig("mlp", depth=2, width=64), input_shape=(features,), n_outputs=n_out, seed=seed
    )


@pytest.mark.parametrize(
    ("task", "k", "expected"),
    [(Task.MULTICLASS, 10, math.log(10)), (Task.BINARY, 2, math.log(2)), (Task.REGRESSION, 1, 1.0)],
)
def test_what_a_knowing_nothing_head_scores(task, k, expected):
    assert expected_initial_loss(task, k) == pytest.approx(expected)


def test_a_fresh_head_passes_and_a_bias_off_by_ten_is_a_finding():
    x, y = _data()
    decision, finding, numbers = check_initial_loss(_mlp(), x, y, task=Task.MULTICLASS, n_classes=3)
    assert decision is not None and finding is None
    assert numbers["initial_loss"] == pytest.approx(math.log(3), abs=0.3)
    broken = _mlp()
    with torch.no_grad():
        broken[-1].bias[0] += 10.0  # the planted bug: a head that starts sure of class 0
    decision, finding, numbers = check_initial_loss(broken, x, y, task=Task.MULTICLASS, n_classes=3)
    assert decision is None and finding.code is FindingCode.BAD_INITIAL_LOSS
    assert numbers["initial_loss"] > 5 and "head" in finding.action


class _Blind(nn.Module):
    """A network whose inputs never reach it (a pipeline bug): it can learn only a constant."""

    def __init__(self) -> None:
        super().__init__()
        self.net = _mlp()

    def forward(self, x):
        return self.net(torch.zeros_like(x))


def test_one_batch_overfits_unless_the_inputs_never_reach_the_network():
    x, y = _data(32)
    decision, finding, numbers = check_overfits_one_batch(_mlp, x, y, task=Task.MULTICLASS, lr=1e-2)
    assert decision is not None and finding is None
    assert numbers["lowest_loss"] <= 0.1 * numbers["first_loss"]
    decision, finding, numbers = check_overfits_one_batch(
        _Blind, x, y, task=Task.MULTICLASS, lr=1e-2, seconds=1.5
    )
    assert decision is None and finding.code is FindingCode.CANNOT_OVERFIT_BATCH
    assert "scale-up is skipped" in finding.action


def _accuracy(y, scores):
    return float((scores.argmax(1) == y).float().mean())


def _inputs_matter(labels_y, baseline_val, *, n_train=300, batch_size=32):
    x, _y = _data(len(labels_y))
    train = TensorData(x[:n_train], labels_y[:n_train])
    val = TensorData(x[n_train:], labels_y[n_train:])
    return check_inputs_matter(
        _mlp,
        train,
        val,
        config=TrainConfig(batch_size=batch_size, epochs=5, lr=1e-2),
        task=Task.MULTICLASS,
        score=_accuracy,
        better=lambda a, b: a > b,
        primary=MetricName.ACCURACY,
        baseline_val=baseline_val,
        seed=0,
    )


def _trained_val(y):
    """What a baseline network reaches on validation when trained on these labels."""
    x, _y = _data(400)
    net = _mlp()
    fit(
        net,
        TensorData(x[:300], y[:300]),
        None,
        TrainConfig(batch_size=32, epochs=30, lr=3e-3),
        task=Task.MULTICLASS,
        verbose=False,
    )
    net.eval()
    with torch.no_grad():
        return _accuracy(y[300:], torch.softmax(net(x[300:]), 1))


def test_labels_shuffled_against_the_inputs_carry_no_signal():
    _x, y = _data(400)
    real = _trained_val(y)
    decision, finding, numbers = _inputs_matter(y, baseline_val=real)
    assert real > 0.85 and decision is not None and numbers["zero_input_val"] < 0.6
    # The planted bug: labels shuffled against their rows, then the same baseline training.
    shuffled = y[torch.from_numpy(np.random.default_rng(1).permutation(400))]
    decision, finding, numbers = _inputs_matter(shuffled, baseline_val=_trained_val(shuffled))
    assert decision is None and finding.code is FindingCode.INPUTS_CARRY_NO_SIGNAL
    assert "with them zeroed" in finding.evidence


def test_a_blocked_scale_up_keeps_the_baseline_and_says_why():
    base = evaluation()
    result = scale_until_overfit(
        ScriptedSetup(never_called), base, deadline=time.monotonic() + 60, blocked=True
    )
    assert result.steps == (base,) and result.chosen is base
    assert "could not overfit one small batch" in result.stop_reason


class _Slow(nn.Module):
    """A sound network that learns slowly: a small LR keeps its loss falling at the time limit,
    and each step takes at least 5 ms, so 0.3 s holds well under the 300-step cap on any
    machine (a fast one made 300 steps of the bare MLP in 0.3 s)."""

    def __init__(self) -> None:
        super().__init__()
        self.net = _mlp()

    def forward(self, x):
        time.sleep(0.005)
        return self.net(x)


def test_a_batch_still_falling_at_the_time_limit_is_inconclusive_not_a_finding():
    x, y = _data(32)
    decision, finding, numbers = check_overfits_one_batch(
        _Slow, x, y, task=Task.MULTICLASS, lr=1e-3, seconds=0.3
    )
    assert finding is None and "inconclusive" in decision.what
    assert numbers["steps"] <= 60 and numbers["lowest_loss"] > 0.1 * numbers["first_loss"]


def test_a_gap_within_the_noise_of_a_tiny_validation_split_is_inconclusive():
    _x, y = _data(40)
    # 4 of 8, against a prior of about 2 of 8: inside 2 standard errors
    decision, finding, _numbers = _inputs_matter(y, 0.5, n_train=32, batch_size=8)
    assert finding is None and "within the noise of 8 samples" in decision.what
