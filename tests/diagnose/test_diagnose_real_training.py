"""Real short trainings on scikit-learn's digits, provoked into each condition.

Plain PyTorch loops (the engine is not used here), one CPU thread, a few seconds each.
The default learning rate of Adam (1e-3) is the "sane" reference.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from dlpilot.core.enums import FindingCode
from dlpilot.core.history import History
from dlpilot.diagnose import NextStep, diagnose

pytestmark = pytest.mark.slow

SANE_LR = 1e-3


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def digits() -> tuple[torch.Tensor, torch.Tensor]:
    x, y = load_digits(return_X_y=True)
    x = (x - x.mean(0)) / (x.std(0) + 1e-8)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


def _split(
    y: torch.Tensor, seed: int, per_class: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    idx = np.random.default_rng(seed).permutation(len(y))
    val, rest = idx[:500], idx[500:]
    if per_class is not None:
        labels = y.numpy()[rest]
        rest = np.concatenate([rest[labels == k][:per_class] for k in range(10)])
    return rest, val


def _train(
    data: tuple[torch.Tensor, torch.Tensor],
    model: torch.nn.Module,
    *,
    lr: float,
    epochs: int,
    seed: int,
    batch_size: int | None = None,
    per_class: int | None = None,
) -> History:
    """Adam and cross-entropy; one History row per epoch, as dlpilot's engine writes it."""
    x, y = data
    train_idx, val_idx = _split(y, seed, per_class)
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    history = History(metric="accuracy", greater_is_better=True)
    tr = torch.as_tensor(train_idx)
    bs = batch_size or len(tr)
    for _ in range(epochs):
        model.train()
        total, correct = 0.0, 0
        for batch in tr[torch.randperm(len(tr))].split(bs):
            out = model(x[batch])
            loss = loss_fn(out, y[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
            correct += int((out.argmax(1) == y[batch]).sum())
        model.eval()
        with torch.no_grad():
            out = model(x[val_idx])
            val_loss = loss_fn(out, y[val_idx]).item()
            val_acc = (out.argmax(1) == y[val_idx]).float().mean().item()
        history.append(
            {
                "loss": total / len(tr),
                "val_loss": val_loss,
                "accuracy": correct / len(tr),
                "val_accuracy": val_acc,
                "lr": lr,
            }
        )
    return history


def _mlp(*widths: int) -> torch.nn.Sequential:
    layers: list[torch.nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(widths)):
        layers.append(torch.nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize("seed", [0, 1])
def test_lr_100x_too_high(digits, seed: int) -> None:
    torch.manual_seed(seed)
    h = _train(digits, _mlp(64, 128, 10), lr=100 * SANE_LR, epochs=15, seed=seed, batch_size=64)
    d = diagnose(h)
    assert {FindingCode.LR_TOO_HIGH, FindingCode.DIVERGED_NAN} & set(d.codes), d.findings
    assert d.next_step is NextStep.LOWER_LR
    # the same network at the sane rate is not told to lower it
    torch.manual_seed(seed)
    sane = diagnose(
        _train(digits, _mlp(64, 128, 10), lr=SANE_LR, epochs=15, seed=seed, batch_size=64)
    )
    assert not {FindingCode.LR_TOO_HIGH, FindingCode.DIVERGED_NAN} & set(sane.codes), sane.findings


def test_few_samples_wide_network_many_epochs_overfits(digits) -> None:
    torch.manual_seed(0)
    h = _train(digits, _mlp(64, 512, 512, 10), lr=SANE_LR, epochs=100, seed=0, per_class=5)
    d = diagnose(h)
    assert d.has(FindingCode.OVERFITTING), d.findings
    val = np.array(h.columns["val_loss"])
    lowest = int(np.argmin(val)) + 1
    assert d.overfit_epoch is not None and abs(d.overfit_epoch - lowest) <= 3
    assert val[-1] > val[lowest - 1]  # it did turn up
    finding = next(f for f in d.findings if f.code is FindingCode.OVERFITTING)
    assert f"since epoch {d.overfit_epoch}" in finding.evidence
    assert d.next_step is NextStep.STOP_SCALING


def test_one_unit_network_underfits(digits) -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 1), torch.nn.Linear(1, 10))
    h = _train(digits, model, lr=10 * SANE_LR, epochs=40, seed=0, batch_size=128)
    d = diagnose(h)
    assert d.has(FindingCode.UNDERFITTING), d.findings
    finding = next(f for f in d.findings if f.code is FindingCode.UNDERFITTING)
    assert "more data will not help" in finding.evidence
    assert not d.has(FindingCode.OVERFITTING)
    assert diagnose(h, at_largest_size=True).next_step is NextStep.GO_TUNE


def test_short_training_at_a_low_lr(digits) -> None:
    # The issue asks that "two epochs at a low LR" read as undertrained, while a history
    # shorter than MIN_EPOCHS = 3 must say "not enough epochs to judge" and guess nothing.
    # Both hold here: two epochs are not judged (and the next step is still more epochs),
    # and the same training carried to four epochs, still short, is found undertrained.
    torch.manual_seed(0)
    h = _train(digits, _mlp(64, 128, 10), lr=SANE_LR / 10, epochs=4, seed=0, batch_size=32)
    two = History(columns={k: v[:2] for k, v in h.columns.items()}, metric="accuracy")
    d2 = diagnose(two)
    assert not d2.judged and d2.findings == ()
    assert "not enough epochs to judge" in d2.reason.lower()
    assert d2.next_step is NextStep.MORE_EPOCHS
    d4 = diagnose(h)
    assert d4.judged
    assert d4.has(FindingCode.UNDERTRAINED), d4.findings
    assert d4.next_step is NextStep.MORE_EPOCHS
