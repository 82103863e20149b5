"""Live views of a run in the tools users already have: TensorBoard and MLflow (`--log`).

Every training's per-epoch metrics reach them through the engine's callbacks (`EpochLog`,
handed to every training as `TrainingSetup.epoch_callbacks`: the same path the histories
take, no second one); the trial parameters and scores and the final scores come from the
workflow as they happen. Each tool is an optional extra, imported only when asked for; a
missing one is a one-line error with its pip command.

- ``tensorboard``: event files under ``RUN_DIR/tensorboard/<training>/`` (``tensorboard
  --logdir RUN_DIR/tensorboard``), written with torch's ``SummaryWriter``;
- ``mlflow`` (or ``mlflow=URI``): one MLflow run per dlpilot run, in a local SQLite store,
  ``mlflow.db`` in the working directory, by default (where ``mlflow ui`` looks), metrics named
  ``<training>/<metric>`` by epoch, each trial's parameters as ``trial_0003.lr`` and its
  score as the metric ``trial/val_<metric>`` at step = trial number.
"""

from __future__ import annotations

import importlib.util
import math
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg
from dlpilot.engine import Callback
from dlpilot.workflow.options import LOG_EXTRAS

TENSORBOARD_DIR = "tensorboard"
# MLflow's own default store since 3.x (its ./mlruns file store is refused from 3.18 on unless
# MLFLOW_ALLOW_FILE_STORE is set): `mlflow ui` in the same folder finds it.
DEFAULT_MLFLOW_URI = "sqlite:///mlflow.db"
# Views are written at most this often: small data trains hundreds of epochs a second, and
# one database write per epoch and metric would slow the training it reports on.
FLUSH_SECONDS = 2.0


def _require(module: str, sink: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ConfigError(
            msg(
                "--log {sink} needs the {module} package, which is not installed: "
                "pip install 'dlpilot[{extra}]'",
                sink=sink,
                module=module,
                extra=LOG_EXTRAS[sink],
            )
        )


class LiveLog:
    """The run's live views; with no ``--log`` every hook does nothing."""

    def __init__(self, sinks: Sequence[str], run_dir: Path, *, run_name: str) -> None:
        self._sinks: list[_Sink] = []
        for value in sinks:
            name, _, uri = value.partition("=")
            if name == "tensorboard":
                _require("tensorboard", name)
                self._sinks.append(_TensorBoard(run_dir / TENSORBOARD_DIR))
            else:
                _require("mlflow", name)
                self._sinks.append(_Mlflow(uri or DEFAULT_MLFLOW_URI, run_name=run_name))

    @property
    def active(self) -> bool:
        return bool(self._sinks)

    def callbacks(self, training: str) -> list[Callback]:
        """The engine callbacks for one training (``training`` names it in the views)."""
        return [EpochLog(self, training)] if self._sinks else []

    def epoch(self, training: str, epoch: int, values: Mapping[str, float]) -> None:
        clean = {k: float(v) for k, v in values.items() if _number(v)}
        for sink in self._sinks:
            sink.epoch(training, epoch, clean)

    def trial(self, number: int, params: Mapping[str, Any], key: str, value: float | None) -> None:
        for sink in self._sinks:
            sink.trial(number, dict(params), key, value)

    def final(self, scores: Mapping[str, float | None]) -> None:
        clean = {k: float(v) for k, v in scores.items() if _number(v)}
        for sink in self._sinks:
            sink.final(clean)

    def close(self) -> None:
        for sink in self._sinks:
            sink.close()


class EpochLog(Callback):
    """Hands each epoch's logged values (losses, metrics, learning rate) to the live views."""

    def __init__(self, live: LiveLog, training: str) -> None:
        self.live = live
        self.training = training

    def on_epoch_end(self, epoch: int, logs: Any) -> None:
        self.live.epoch(self.training, epoch, dict(logs))

    def __repr__(self) -> str:
        return f"EpochLog({self.training!r})"


def _number(v: Any) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


class _Sink:
    def epoch(self, training: str, epoch: int, values: dict[str, float]) -> None: ...

    def trial(self, number: int, params: dict[str, Any], key: str, value: float | None) -> None: ...

    def final(self, scores: dict[str, float]) -> None: ...

    def close(self) -> None: ...


class _TensorBoard(_Sink):
    """One event-file folder per training, so TensorBoard draws each as its own run."""

    def __init__(self, root: Path) -> None:
        from torch.utils.tensorboard import SummaryWriter

        self._writer_class = SummaryWriter
        self.root = root
        self._writers: dict[str, Any] = {}

    def _writer(self, training: str) -> Any:
        if training not in self._writers:
            self._writers[training] = self._writer_class(
                str(self.root / _safe(training)), flush_secs=FLUSH_SECONDS
            )
        return self._writers[training]

    def epoch(self, training: str, epoch: int, values: dict[str, float]) -> None:
        w = self._writer(training)
        for key, value in values.items():
            w.add_scalar(key, value, epoch)

    def trial(self, number: int, params: dict[str, Any], key: str, value: float | None) -> None:
        if value is None or not _number(value):
            return
        w = self._writer("tuning")
        w.add_scalar(key, float(value), number)
        w.add_text("params", f"trial {number}: {params}", number)
        w.flush()

    def final(self, scores: dict[str, float]) -> None:
        w = self._writer("final")
        for key, value in scores.items():
            w.add_scalar(f"final/{key}", value, 0)
        w.flush()

    def close(self) -> None:
        for w in self._writers.values():
            w.close()


class _Mlflow(_Sink):
    """One MLflow run per dlpilot run, through MLflow's client (no global active run); metrics
    are buffered and written in batches at most every `FLUSH_SECONDS`."""

    def __init__(self, uri: str, *, run_name: str) -> None:
        from mlflow.tracking import MlflowClient

        self.client = MlflowClient(tracking_uri=uri)
        experiment = self.client.get_experiment_by_name("dlpilot")
        experiment_id = (
            experiment.experiment_id
            if experiment is not None
            else self.client.create_experiment("dlpilot")
        )
        self.run_id = self.client.create_run(experiment_id, run_name=run_name).info.run_id
        self.uri = uri
        self._metrics: list[Any] = []
        self._params: list[Any] = []
        self._flushed = time.monotonic()

    def _metric(self, key: str, value: float, step: int) -> None:
        from mlflow.entities import Metric

        self._metrics.append(Metric(key, value, int(time.time() * 1000), step))

    def _maybe_flush(self) -> None:
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        # MLflow takes at most 1,000 metrics and 100 parameters per batch.
        while self._metrics or self._params:
            metrics, self._metrics = self._metrics[:1000], self._metrics[1000:]
            params, self._params = self._params[:100], self._params[100:]
            self.client.log_batch(self.run_id, metrics=metrics, params=params)
        self._flushed = time.monotonic()

    def epoch(self, training: str, epoch: int, values: dict[str, float]) -> None:
        for key, value in values.items():
            self._metric(f"{_safe(training)}/{key}", value, epoch)
        self._maybe_flush()

    def trial(self, number: int, params: dict[str, Any], key: str, value: float | None) -> None:
        from mlflow.entities import Param

        self._params += [Param(f"trial_{number:04d}.{k}", str(v)) for k, v in params.items()]
        if value is not None and _number(value):
            self._metric(f"trial/{key}", float(value), number)
        self._maybe_flush()

    def final(self, scores: dict[str, float]) -> None:
        for key, value in scores.items():
            self._metric(f"final/{key}", value, 0)
        self.flush()

    def close(self) -> None:
        self.flush()
        self.client.set_terminated(self.run_id)


def _safe(name: str) -> str:
    """A training's name as a folder or metric name: letters, digits, _ - . / only."""
    return re.sub(r"[^A-Za-z0-9_./-]", "_", name)
