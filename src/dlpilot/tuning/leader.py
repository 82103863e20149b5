"""The run's part in its study: it starts the study, records what workers need, narrates the
trials, and tells everyone when tuning ends and when the final model exists.

Every process of a study runs the same loop (`dlpilot.tuning.loop`); only the run that
started it (the leader) trains the final model and opens the test set. Workers join it
through `dlpilot.tuning.worker`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import optuna

from dlpilot.core.budget import format_seconds
from dlpilot.core.errors import ConfigError
from dlpilot.core.history import History
from dlpilot.core.messages import Text, msg
from dlpilot.stages.protocol import ProtocolChoice
from dlpilot.tuning import record as shared
from dlpilot.tuning.loop import STORAGE_ERRORS, WORKER_ATTR, worker_id
from dlpilot.tuning.progress import TrialReport, TuningCallback
from dlpilot.tuning.storage import open_storage, redact, study_names
from dlpilot.tuning.study import make_study

DEFAULT_STUDY = "dlpilot"
# A leader waiting for other workers' trials says so at most this often.
IDLE_NOTE_SECONDS = 30.0


def study_name(name: str | None) -> str:
    """The study's name in the storage: the one given, or `DEFAULT_STUDY`."""
    return name or DEFAULT_STUDY


def study_started(storage_url: str, name: str) -> bool:
    """Whether ``name`` exists in the storage (a `StorageError` if it is unreachable)."""
    storage = open_storage(storage_url, heartbeat_seconds=None)
    return name in study_names(storage)


def open_study(
    storage_url: str,
    name: str,
    *,
    greater_is_better: bool,
    seed: int,
    heartbeat_seconds: int,
    load_if_exists: bool,
    run_dir: Path,
) -> optuna.Study:
    """Create the run's study (load it when resuming) and record this process as its leader."""
    storage = open_storage(storage_url, heartbeat_seconds=heartbeat_seconds)
    try:
        study = make_study(
            storage,
            name,
            greater_is_better=greater_is_better,
            seed=seed,
            load_if_exists=load_if_exists,
        )
    except optuna.exceptions.DuplicatedStudyError:
        raise ConfigError(
            msg(
                "Study '{name}' was started by another run a moment ago. Join it with 'dlpilot "
                "worker --storage URL --study {name}', or choose another --study.",
                name=name,
            )
        ) from None
    direction = study.direction.name.lower()
    if direction != ("maximize" if greater_is_better else "minimize"):
        if direction == "maximize":
            raise ConfigError(
                msg(
                    "Study '{name}' maximizes its score, but this run's metric goes the other "
                    "way: it belongs to another run. Choose another --study.",
                    name=name,
                )
            )
        raise ConfigError(
            msg(
                "Study '{name}' minimizes its score, but this run's metric goes the other "
                "way: it belongs to another run. Choose another --study.",
                name=name,
            )
        )
    shared.set_leader(study, worker=worker_id(), run_dir=str(run_dir.resolve()))
    return study


def shared_options(options: dict[str, Any]) -> dict[str, Any]:
    """The run's options as workers read them: a file source as an absolute path, no password."""
    d = dict(options)
    if Path(d["source"]).exists():
        d["source"] = str(Path(d["source"]).resolve())
    if d.get("data_dir"):
        d["data_dir"] = str(Path(d["data_dir"]).resolve())
    if d.get("storage"):
        d["storage"] = redact(d["storage"])
    return d


def split_digest(split: ProtocolChoice) -> str:
    """A short hash of the protocol's splits and the test size: equal data, equal digest."""
    h = hashlib.sha256()
    for fold in split.protocol.splits:
        h.update(np.asarray(fold.train, dtype=np.int64).tobytes())
        h.update(np.asarray(fold.val, dtype=np.int64).tobytes())
    h.update(str(split.test.n_samples).encode())
    return h.hexdigest()[:16]


def check_record(record: shared.StudyRecord, digest: str, name: str) -> None:
    """A resumed run's study must hold this run's split."""
    if record.split_digest != digest:
        raise ConfigError(
            msg(
                "Study '{name}' was started on other data or another split (split digest "
                "{recorded}, here {digest}). Use the same source and --seed, or "
                "choose another --study.",
                name=name,
                recorded=record.split_digest,
                digest=digest,
            )
        )


def announce_quietly(study: optuna.Study, worker: str, state: str, started_unix: float) -> None:
    """Tell the study this process is alive; the storage being away is no reason to stop."""
    try:
        trials = sum(
            1
            for t in study.get_trials(deepcopy=False)
            if t.user_attrs.get(WORKER_ATTR) == worker and t.state.is_finished()
        )
        shared.announce(
            study, worker, role="leader", state=state, trials=trials, started_unix=started_unix
        )
    except STORAGE_ERRORS:
        pass


def publish(
    study: optuna.Study, record: shared.StudyRecord, *, deadline: float, started_unix: float
) -> None:
    """Record the setup and open tuning until ``deadline`` (a ``time.monotonic()`` instant):
    workers wait for the record, so they start from here on."""
    shared.write_record(study, record)
    shared.open_tuning(study, deadline_unix=time.time() + deadline - time.monotonic())
    shared.announce(
        study, worker_id(), role="leader", state="tuning", trials=0, started_unix=started_unix
    )


def mark_study_final(study: optuna.Study, *, run_dir: Path, test: dict[str, Any]) -> bool:
    """Tell workers and `dlpilot status` that the final model exists; False if the storage
    could not be reached."""
    worker = worker_id()
    try:
        shared.mark_final(study, worker=worker, run_dir=str(run_dir.resolve()), test=test)
        announce_quietly(study, worker, "done", time.time())
    except STORAGE_ERRORS:
        return False
    return True


def write_trial_histories(study: optuna.Study, folder: Path) -> None:
    """Every finished trial's curves in ``folder``, whichever process ran the trial."""
    for t in study.get_trials(deepcopy=False):
        saved = t.user_attrs.get("history")
        path = folder / f"trial_{t.number:04d}.csv"
        if saved and not path.exists():
            History.from_dict(saved).to_csv(path)


class LeaderProgress:
    """What the leader shows and announces as trials end, and while it waits for workers.

    ``seconds_left()`` is the run's budget left; ``on_progress()`` saves the run's
    progress after every trial.
    """

    def __init__(
        self,
        study: optuna.Study,
        callback: TuningCallback,
        *,
        primary: str,
        holdout: bool,
        trial_cap: int | None,
        seconds_left: Callable[[], float],
        on_progress: Callable[[], None],
    ) -> None:
        self.study = study
        self.callback = callback
        self.primary = primary
        self.holdout = holdout
        self.trial_cap = trial_cap
        self.seconds_left = seconds_left
        self.on_progress = on_progress
        self.worker = worker_id()
        self.started_unix = time.time()
        self._idle_said = 0.0

    def on_trial(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        self.on_progress()
        seconds = trial.duration.total_seconds() if trial.duration else 0
        self.callback.on_trial_end(
            TrialReport(
                number=trial.number,
                state=trial.state.name.lower(),
                result=trial_result(trial, self.primary, holdout=self.holdout),
                details=(
                    msg("best {value}", value=best_value(study)),
                    format_seconds(seconds),
                    msg("{seconds} left", seconds=format_seconds(self.seconds_left())),
                ),
            )
        )
        announce_quietly(study, self.worker, "tuning", self.started_unix)

    def on_idle(self, finished: int, running: int) -> None:
        if time.monotonic() - self._idle_said >= IDLE_NOTE_SECONDS:
            self._idle_said = time.monotonic()
            self.callback.on_message(
                msg(
                    "  {finished} of {cap} trials finished; waiting for {running} "
                    "running on other workers",
                    finished=finished,
                    cap=self.trial_cap,
                    running=running,
                )
            )
            announce_quietly(self.study, self.worker, "waiting", self.started_unix)


def trial_result(trial: optuna.trial.FrozenTrial, primary: str, *, holdout: bool) -> Text:
    """What a finished trial scored, or why it did not."""
    if trial.state is optuna.trial.TrialState.COMPLETE and trial.value is not None:
        return msg("val {metric} {value}", metric=primary, value=f"{trial.value:.4f}")
    if trial.state is optuna.trial.TrialState.PRUNED:
        step = trial.last_step
        where = "?" if step is None else str(step if holdout else step + 1)
        if holdout:
            return msg("stopped at epoch {where}", where=where)
        return msg("stopped at fold {where}", where=where)
    if trial.user_attrs.get("diverged"):
        return msg("diverged")
    if "error" in trial.user_attrs:
        return msg("failed ({error})", error=trial.user_attrs["error"])
    return msg("failed (see the log)")


def best_value(study: optuna.Study) -> str:
    try:
        return f"{study.best_value:.4f}"
    except ValueError:
        return "—"
