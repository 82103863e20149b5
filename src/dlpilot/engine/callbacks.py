"""Behaviour around the training loop, Keras-style.

A callback is a class of empty hooks; `fit` calls them in order. Epochs are
numbered from 1, as in `History`. A callback stops training one way only:
``self.trainer.stop_training = True``. An exception raised in a hook (e.g.
``optuna.TrialPruned``) leaves `fit` unchanged; `close` runs even then.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import torch
from torch import nn

from dlpilot.core.errors import ConfigError
from dlpilot.core.history import History
from dlpilot.core.messages import msg

Logs = Mapping[str, Any]


@dataclass
class TrainerState:
    """What callbacks may read (and ``stop_training``, the one thing they may set)."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    epochs: int
    steps_per_epoch: int
    metric_name: str | None = None
    metric_greater_is_better: bool = True
    history: History = field(default_factory=History)
    epoch: int = 0
    stop_training: bool = False

    def greater_is_better(self, key: str) -> bool:
        """Whether a bigger value of history ``key`` is better."""
        base = key.removeprefix("val_")
        if base == "loss":
            return False
        if self.metric_name is not None and base == self.metric_name:
            return self.metric_greater_is_better
        if self.metric_name:
            raise ConfigError(
                msg(
                    "Cannot monitor '{key}': known keys are loss, val_loss, {metric}, "
                    "val_{metric}.",
                    key=key,
                    metric=self.metric_name,
                )
            )
        raise ConfigError(msg("Cannot monitor '{key}': known keys are loss, val_loss.", key=key))


class Callback:
    """Empty hooks; override the ones you need. ``self.trainer`` is set before training."""

    trainer: TrainerState

    def set_trainer(self, trainer: TrainerState) -> None:
        self.trainer = trainer

    def on_train_begin(self, logs: Logs | None = None) -> None: ...

    def on_train_end(self, logs: Logs | None = None) -> None: ...

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None: ...

    def on_epoch_end(self, epoch: int, logs: Logs) -> None: ...

    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None: ...

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """``logs["loss"]`` is the batch's loss as a 0-d tensor: reading it syncs a GPU."""

    def close(self) -> None:
        """Release resources (displays, files); called even when training raises."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Mode(StrEnum):
    AUTO = "auto"
    MIN = "min"
    MAX = "max"


class MonitorCallback(Callback):
    """Shared by callbacks that watch one history key for improvement."""

    def __init__(self, monitor: str, mode: Mode | str = Mode.AUTO, min_delta: float = 0.0):
        self.monitor = monitor
        self.mode = Mode(mode)
        self.min_delta = abs(min_delta)
        self.best: float | None = None
        self.best_epoch = 0

    def set_trainer(self, trainer: TrainerState) -> None:
        super().set_trainer(trainer)
        if self.mode is Mode.AUTO:
            greater = trainer.greater_is_better(self.monitor)
            self._greater = greater
        else:
            self._greater = self.mode is Mode.MAX
        self.best, self.best_epoch = None, 0

    def improved(self, value: float | None) -> bool:
        """Whether ``value`` beats the best so far by more than ``min_delta`` (NaN never does)."""
        if value is None or not math.isfinite(value):
            return False
        if self.best is None:
            return True
        if self._greater:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def value(self, logs: Logs) -> float | None:
        v = logs.get(self.monitor)
        return None if v is None else float(v)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(monitor={self.monitor!r}, mode={self.mode.value!r})"


class EarlyStopping(MonitorCallback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs; keep the best weights.

    With ``restore_best_weights`` the model ends with the best epoch's weights
    however training ended (early stop, time limit or last epoch).
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        *,
        patience: int = 5,
        mode: Mode | str = Mode.AUTO,
        min_delta: float = 0.0,
        restore_best_weights: bool = True,
    ) -> None:
        super().__init__(monitor, mode, min_delta)
        if patience < 1:
            raise ConfigError(
                msg("EarlyStopping patience={patience} must be ≥ 1.", patience=patience)
            )
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        self.wait = 0
        self.stopped_epoch: int | None = None
        self._best_state: dict[str, torch.Tensor] | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.wait, self.stopped_epoch, self._best_state = 0, None, None

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        value = self.value(logs)
        if self.improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self._best_state = {
                    k: v.detach().clone() for k, v in self.trainer.model.state_dict().items()
                }
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.trainer.stop_training = True

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.restore_best_weights and self._best_state is not None:
            self.trainer.model.load_state_dict(self._best_state)

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
            f"restore_best_weights={self.restore_best_weights})"
        )


class TimeLimit(Callback):
    """Stop once ``seconds`` have passed since training began (or at a given deadline).

    Checked after every batch (``within_epoch=True``) or only after every
    epoch; the epoch under way is still validated and recorded.
    """

    def __init__(self, seconds: float, *, within_epoch: bool = True) -> None:
        if not seconds > 0:
            raise ConfigError(msg("TimeLimit seconds={seconds} must be > 0.", seconds=seconds))
        self.seconds = float(seconds)
        self.within_epoch = within_epoch
        self._deadline: float | None = None
        self._fixed_deadline: float | None = None

    @classmethod
    def until(cls, deadline: float, *, within_epoch: bool = True) -> TimeLimit:
        """Stop at ``deadline``, a `time.monotonic()` value (a workflow-wide budget)."""
        limit = cls(max(deadline - time.monotonic(), 1e-9), within_epoch=within_epoch)
        limit._fixed_deadline = deadline
        return limit

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._deadline = (
            self._fixed_deadline
            if self._fixed_deadline is not None
            else time.monotonic() + self.seconds
        )

    def _check(self) -> None:
        if self._deadline is not None and time.monotonic() >= self._deadline:
            self.trainer.stop_training = True

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self.within_epoch:
            self._check()

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        self._check()

    def __repr__(self) -> str:
        return f"TimeLimit(seconds={self.seconds:g}, within_epoch={self.within_epoch})"


class HistoryRecorder(Callback):
    """Appends each epoch's logs to a `History` (fit always adds one)."""

    def __init__(self, history: History | None = None) -> None:
        self.history = history if history is not None else History()

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        self.history.append({k: float(v) for k, v in logs.items()})


class Checkpoint(MonitorCallback):
    """Save the model's state dict to ``path`` after each epoch, or only when ``monitor`` improves."""

    def __init__(
        self, path: str | Path, *, monitor: str | None = None, mode: Mode | str = Mode.AUTO
    ) -> None:
        super().__init__(monitor or "loss", mode)
        self.path = Path(path)
        self.best_only = monitor is not None

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        if self.best_only:
            value = self.value(logs)
            if not self.improved(value):
                return
            self.best, self.best_epoch = value, epoch
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        # Write then rename, so a crash mid-write never leaves a truncated checkpoint.
        torch.save(self.trainer.model.state_dict(), tmp)
        os.replace(tmp, self.path)

    def __repr__(self) -> str:
        monitor = self.monitor if self.best_only else None
        return f"Checkpoint(path={str(self.path)!r}, monitor={monitor!r})"


class ProgressBar(Callback):
    """A bar within each epoch (on a terminal) and one printed line per epoch, on stderr.

    Plain text, no terminal library: the bar is redrawn in place with a carriage return and
    wiped when the epoch ends, so a log file gets only the epoch lines.
    """

    # Redraw every this many batches: the bar is for people, not worth slowing the loop.
    UPDATE_EVERY = 10
    BAR_WIDTH = 30

    def __init__(self, file: Any = None) -> None:
        self.file = file or sys.stderr
        self._drawn = 0  # characters of the bar now on the line; 0 when none is shown
        self._epoch = 0

    def _is_terminal(self) -> bool:
        isatty = getattr(self.file, "isatty", None)
        return bool(isatty and isatty())

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._epoch_start = time.perf_counter()
        self._epoch = epoch
        if self._is_terminal():
            self._draw(0)

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._drawn and (batch + 1) % self.UPDATE_EVERY == 0:
            self._draw(batch + 1)

    def _draw(self, done: int) -> None:
        total = max(1, int(self.trainer.steps_per_epoch or 1))
        filled = min(self.BAR_WIDTH, self.BAR_WIDTH * done // total)
        bar = "━" * filled + " " * (self.BAR_WIDTH - filled)
        text = f"epoch {self._epoch}/{self.trainer.epochs} {bar} {done}/{total}"
        self.file.write("\r" + text.ljust(self._drawn))
        self.file.flush()
        self._drawn = len(text)

    def on_epoch_end(self, epoch: int, logs: Logs) -> None:
        self.close()
        parts = [f"epoch {epoch}/{self.trainer.epochs}"]
        for key, value in logs.items():
            if key in ("seconds", "lr"):
                continue
            parts.append(f"{key} {value:.4f}")
        parts.append(f"lr {logs.get('lr', math.nan):.2e}")
        parts.append(f"{logs.get('seconds', math.nan):.1f}s")
        if not math.isfinite(float(logs.get("loss", 0.0))):
            parts.append("diverged")
        print("  ".join(parts), file=self.file, flush=True)

    def close(self) -> None:
        if self._drawn:
            self.file.write("\r" + " " * self._drawn + "\r")
            self.file.flush()
            self._drawn = 0
