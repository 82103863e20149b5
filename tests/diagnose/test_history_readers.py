"""Reading histories that Keras, PyTorch Lightning, dlpilot and plain CSVs lay out.

The files are written here by each format's own rules, as those tools' writers do:

- Keras 3 ``CSVLogger.on_epoch_end``: ``keys = sorted(logs)`` on the first epoch, plus the
  model's expected ``val_*`` names; a ``csv.DictWriter`` (excel dialect, so CRLF line ends)
  with fieldnames ``["epoch"] + keys``; ``epoch`` from 0; ``"NA"`` for a key missing from
  that epoch's logs (``validation_freq`` > 1).
- Lightning's CSVLogger (``_ExperimentWriter``): every ``log_metrics`` call appends a dict of
  floats plus ``step``; the trainer adds ``epoch``; ``save`` writes them with a
  ``csv.DictWriter`` whose fieldnames are all keys seen, sorted, so each row leaves the
  keys of other calls blank. Step rows carry ``*_step`` keys (every ``log_every_n_steps``);
  at the end of an epoch come the validation row and the ``*_epoch`` row.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from dlpilot.core.errors import HistoryError
from dlpilot.core.history import History
from dlpilot.diagnose import HistoryFormat, diagnose, load_history, read_history
from dlpilot.diagnose._names import parse_column


def _curves(n: int = 12, seed: int = 0) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    loss = 0.3 + 2.0 * np.exp(-t / 3) + rng.normal(0, 0.01, n)
    val = 0.35 + 2.0 * np.exp(-t / 3) + rng.normal(0, 0.01, n)
    return {
        "loss": loss.tolist(),
        "val_loss": val.tolist(),
        "accuracy": (1 - loss / 3).tolist(),
        "val_accuracy": (1 - val / 3).tolist(),
    }


def write_keras_csvlogger(
    path: Path, logs_per_epoch: list[dict[str, float]], expected_val: tuple[str, ...] = ()
) -> Path:
    keys = sorted(logs_per_epoch[0])
    keys += [k for k in expected_val if k not in keys]
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["epoch", *keys], dialect=csv.excel)
        writer.writeheader()
        for epoch, logs in enumerate(logs_per_epoch):
            writer.writerow({"epoch": epoch, **{k: logs.get(k, "NA") for k in keys}})
    return path


class LightningWriter:
    """What Lightning's CSVLogger does with the calls the trainer makes."""

    def __init__(self) -> None:
        self.metrics: list[dict[str, float]] = []

    def log_metrics(self, metrics: dict[str, float], *, epoch: int, step: int) -> None:
        self.metrics.append({**metrics, "epoch": epoch, "step": step})

    def save(self, path: Path, *, sort_keys: bool = True) -> Path:
        keys: list[str] = []
        for m in self.metrics:
            keys.extend(k for k in m if k not in keys)
        if sort_keys:
            keys.sort()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=keys)
            writer.writeheader()
            writer.writerows(self.metrics)
        return path


def _lightning_run(
    n_epochs: int = 8, steps_per_epoch: int = 120, every: int = 50, *, on_epoch: bool = True
) -> tuple[LightningWriter, dict[str, list[float]]]:
    """A training_step logging train_loss/train_acc (on_step, and on_epoch if asked)."""
    rng = np.random.default_rng(1)
    writer = LightningWriter()
    truth: dict[str, list[float]] = {"loss": [], "val_loss": [], "val_accuracy": [], "steps": []}
    step = 0
    for epoch in range(n_epochs):
        level = 0.3 + 2.0 * math.exp(-epoch / 2)
        losses, logged = [], []
        for _ in range(steps_per_epoch):
            loss = float(level * math.exp(rng.normal(0, 0.05)))
            losses.append(loss)
            step += 1
            if step % every == 0:
                key = "train_loss_step" if on_epoch else "train_loss"
                writer.log_metrics({key: loss, "train_acc_step": 0.5}, epoch=epoch, step=step - 1)
                logged.append(loss)
        val_loss = level * 1.1
        writer.log_metrics(
            {"val_loss": val_loss, "val_acc": 1 - val_loss / 3}, epoch=epoch, step=step - 1
        )
        if on_epoch:
            writer.log_metrics(
                {"train_loss_epoch": float(np.mean(losses)), "train_acc_epoch": 0.6},
                epoch=epoch,
                step=step - 1,
            )
            truth["loss"].append(float(np.mean(losses)))
        else:
            truth["loss"].append(float(np.mean(logged)) if logged else math.nan)
        truth["val_loss"].append(val_loss)
        truth["val_accuracy"].append(1 - val_loss / 3)
    return writer, truth


# --- Keras --------------------------------------------------------------------------------


def test_keras_csvlogger(tmp_path: Path) -> None:
    curves = _curves()
    logs = [
        {**{k: v[i] for k, v in curves.items()}, "learning_rate": 0.001}
        for i in range(len(curves["loss"]))
    ]
    path = write_keras_csvlogger(tmp_path / "training.log", logs)
    raw = path.read_bytes()
    assert raw.startswith(b"epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\r\n")
    loaded = load_history(path)
    h = loaded.history
    assert loaded.format is HistoryFormat.KERAS
    assert len(h) == 12
    assert set(h.columns) == {"loss", "val_loss", "accuracy", "val_accuracy", "lr"}
    assert h.metric == "accuracy" and h.greater_is_better
    assert h.columns["loss"] == pytest.approx(curves["loss"])
    assert h.columns["val_accuracy"] == pytest.approx(curves["val_accuracy"])
    assert h.columns["lr"] == pytest.approx([0.001] * 12)


def test_keras_csvlogger_with_validation_every_second_epoch(tmp_path: Path) -> None:
    curves = _curves(10)
    logs = []
    for i in range(10):
        row = {"loss": curves["loss"][i], "mae": curves["loss"][i] / 2}
        if i % 2 == 1:
            row |= {"val_loss": curves["val_loss"][i], "val_mae": curves["val_loss"][i] / 2}
        logs.append(row)
    path = write_keras_csvlogger(tmp_path / "log.csv", logs, expected_val=("val_loss", "val_mae"))
    assert "NA" in path.read_text()
    h = read_history(path)
    assert len(h) == 10
    assert h.metric == "mae" and not h.greater_is_better
    assert math.isnan(h.columns["val_loss"][0])
    assert h.columns["val_loss"][1] == pytest.approx(curves["val_loss"][1])
    assert diagnose(h).judged


def test_keras_nan_loss_is_divergence(tmp_path: Path) -> None:
    logs = [
        {"loss": 2.3, "val_loss": 2.2},
        {"loss": 1.9, "val_loss": 1.8},
        {"loss": 1.7, "val_loss": 1.7},
    ]
    logs.append({"loss": math.nan, "val_loss": math.nan})  # Keras writes nan; TerminateOnNaN stops
    path = write_keras_csvlogger(tmp_path / "log.csv", logs)
    assert "nan" in path.read_text()
    d = diagnose(read_history(path))
    assert "diverged_nan" in d.codes
    assert "epoch 4" in d.findings[0].evidence


def test_keras_history_dict_as_json(tmp_path: Path) -> None:
    curves = _curves(6)
    path = tmp_path / "history.json"
    path.write_text(json.dumps(curves))
    loaded = load_history(path)
    assert loaded.format is HistoryFormat.JSON
    assert loaded.history.columns["val_loss"] == pytest.approx(curves["val_loss"])


# --- Lightning ----------------------------------------------------------------------------


@pytest.mark.parametrize("sort_keys", [True, False])  # Lightning ≥ 2.1 sorts; older kept order
def test_lightning_csvlogger_metrics_csv(tmp_path: Path, sort_keys: bool) -> None:
    writer, truth = _lightning_run()
    path = writer.save(
        tmp_path / "lightning_logs" / "version_0" / "metrics.csv", sort_keys=sort_keys
    )
    text = path.read_text()
    if sort_keys:
        assert text.startswith("epoch,step,train_acc_epoch,train_acc_step,train_loss_epoch,")
    assert ",," in text  # the blank cells of that format
    loaded = load_history(path)
    h = loaded.history
    assert loaded.format is HistoryFormat.LIGHTNING
    assert len(h) == 8
    # the epoch-level value wins over the step rows
    assert h.columns["loss"] == pytest.approx(truth["loss"])
    assert h.columns["val_loss"] == pytest.approx(truth["val_loss"])
    assert h.columns["val_accuracy"] == pytest.approx(truth["val_accuracy"])
    assert h.columns["accuracy"] == pytest.approx([0.6] * 8)
    assert h.metric == "accuracy"
    # the folder that holds one metrics.csv reads the same
    assert read_history(tmp_path / "lightning_logs").columns == h.columns


def test_lightning_step_only_loss_is_averaged_per_epoch(tmp_path: Path) -> None:
    writer, truth = _lightning_run(on_epoch=False)
    h = read_history(writer.save(tmp_path / "metrics.csv"))
    assert h.columns["loss"] == pytest.approx(truth["loss"])
    assert h.columns["val_loss"] == pytest.approx(truth["val_loss"])


def test_lightning_test_rows_are_left_out(tmp_path: Path) -> None:
    writer, _ = _lightning_run(n_epochs=4)
    writer.log_metrics({"test_loss": 0.1, "test_acc": 0.99}, epoch=4, step=999)
    h = read_history(writer.save(tmp_path / "metrics.csv"))
    assert len(h) == 4
    assert not any(k.startswith("test") for k in h.columns)


# --- dlpilot and plain CSVs ----------------------------------------------------------------


def test_dlpilot_history_round_trip(tmp_path: Path) -> None:
    h = History(metric="accuracy")
    curves = _curves(5)
    for i in range(5):
        h.append({k: v[i] for k, v in curves.items()} | {"lr": 0.01, "seconds": 1.5})
    loaded = load_history(h.to_csv(tmp_path / "history.csv"))
    assert loaded.format is HistoryFormat.DLPILOT
    assert loaded.history.columns == h.columns  # repr() of a float reads back exactly
    assert loaded.history.metric == "accuracy"


def test_any_csv_with_loss_and_val_loss(tmp_path: Path) -> None:
    path = tmp_path / "curves.csv"
    path.write_text(
        "Train Loss;Valid Loss;val_f1;note\n2.0;2.1;0.3;start\n1.5;1.6;0.5;\n1.2;1.4;0.6;x\n"
    )
    loaded = load_history(path)
    assert loaded.format is HistoryFormat.CSV
    assert loaded.history.columns["loss"] == [2.0, 1.5, 1.2]
    assert loaded.history.columns["val_loss"] == [2.1, 1.6, 1.4]
    assert loaded.history.metric == "f1" and loaded.history.greater_is_better
    assert loaded.columns_seen == ("Train Loss", "Valid Loss", "val_f1", "note")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("loss", "loss"),
        ("train_loss", "loss"),
        ("train/loss", "loss"),
        ("train_loss_epoch", "loss"),
        ("val_loss", "val_loss"),
        ("valid_loss", "val_loss"),
        ("validation/loss", "val_loss"),
        ("acc", "accuracy"),
        ("sparse_categorical_accuracy", "accuracy"),
        ("val_acc", "val_accuracy"),
        ("val_MulticlassAccuracy", "val_accuracy"),
        ("val_f1_score", "val_f1"),
        ("auc", "roc_auc"),
        ("val_auroc", "val_roc_auc"),
        ("mean_absolute_error", "mae"),
        ("val_rmse", "val_rmse"),
        ("r2", "r2"),
        ("lr-Adam", "lr"),
        ("learning_rate", "lr"),
        ("test_loss", None),
        ("step", None),
        ("grad_norm", None),
    ],
)
def test_column_names_are_recognised(raw: str, key: str | None) -> None:
    column = parse_column(raw)
    assert (column.key if column else None) == key


# --- bad files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        ("", "is empty"),
        ("  \n\n", "is empty"),
        ("epoch,loss,val_loss\n", "too few rows"),
        (
            "epoch,acc,val_acc\n0,0.5,0.4\n",
            "No training-loss column found .* Columns seen: epoch, acc, val_acc",
        ),
        (
            "epoch,loss,val_loss\n0,2.3,2.2\n1,oops,2.0\n",
            "Non-numeric value 'oops' in column 'loss' \\(line 3\\)",
        ),
        ("epoch,loss\n0,\n1,\n", "too few rows: no epoch has a training loss"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not text"),
        ('{"loss": 3}', "not a history"),
    ],
)
def test_bad_files_raise_one_line(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "history.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(HistoryError, match=message) as info:
        read_history(path)
    assert "\n" not in str(info.value)
