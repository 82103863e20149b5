"""More trials of a study another run started, from this process: ``dlpilot worker``.

A worker reads what the run recorded in the study (`dlpilot.tuning.record.StudyRecord`),
repeats stages 0–3 on the same source (the same file path, or the same built-in
dataset), cuts the same exploration subset, and checks that its split matches
the run's (the split digest). Then it claims trials from the study until the
run's trial cap or tuning deadline is reached, or the run closes tuning. It
never trains the final model and never opens the test set: the run that
started the study does both, once.

Stages 0–3 are the workflow's: the caller hands in ``rebuild``, which turns the
recorded options and exploration plan into the same training data (the
workflow's `training_setup_for`), so this layer never imports the one above it.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna

from dlpilot.core.budget import format_seconds
from dlpilot.core.device import configure_threads, default_threads
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Text, msg
from dlpilot.stages._evaluate import TrainingSetup
from dlpilot.stages.tune import SearchSpace, make_objective
from dlpilot.tuning import record as shared
from dlpilot.tuning.loop import STORAGE_ERRORS, TrialOutcome, quiet_optuna, run_trials, worker_id
from dlpilot.tuning.progress import TrialReport, TuningCallback
from dlpilot.tuning.status import study_status
from dlpilot.tuning.storage import load_existing, open_storage, redact, study_names
from dlpilot.tuning.study import load_study

# (recorded options, exploration plan) -> the training data and its split digest.
Rebuild = Callable[[dict[str, Any], dict[str, Any]], tuple[TrainingSetup, str]]

# How long a worker waits for the run to start the study and record its setup.
WAIT_SECONDS = 600.0
WAIT_POLL_SECONDS = 2.0
# A waiting worker says so at most this often.
IDLE_NOTE_SECONDS = 30.0


@dataclass(frozen=True)
class WorkerResult:
    """What a worker did, and the study's status when it left."""

    study: str
    worker: str
    ran: int
    ended: str  # "cap", "deadline", "stopped", "exhausted", "closed"
    status: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "worker": self.worker,
            "ran": self.ran,
            "ended": self.ended,
            "status": self.status,
        }


def work(
    storage_url: str,
    study_name: str,
    *,
    rebuild: Rebuild,
    source: str | None = None,
    data_dir: str | None = None,
    threads: int | None = None,
    wait_seconds: float = WAIT_SECONDS,
    callback: TuningCallback | None = None,
    expect_source: str | None = None,
) -> WorkerResult:
    """Join study ``study_name`` in ``storage_url`` and run its trials until it needs no more.

    ``rebuild(options, exploration)`` repeats stages 0–3 from the recorded
    options (``source`` and ``data_dir`` replaced when given) and returns the
    training data with its split digest. ``source`` replaces the recorded
    source (a local copy of the same data; the split digest must still match),
    as ``data_dir`` does for built-ins. ``expect_source``: the source a joining
    ``dlpilot run`` named, which must be the one the study was started on.
    ``callback`` hears what the worker does (nothing is shown without one).
    """
    hooks = callback or TuningCallback()
    note = hooks.on_message

    configure_threads(threads if threads else default_threads())
    me = worker_id()
    plain = open_storage(storage_url, heartbeat_seconds=None)
    study, record = _wait_for_record(plain, study_name, storage_url, wait_seconds, note)
    recorded_source = str(record.options.get("source"))
    if expect_source is not None and not same_source(expect_source, recorded_source):
        raise ConfigError(
            msg(
                "Study '{name}' tunes on {recorded}, not {given}. Name the "
                "same source to join it, or choose another --study.",
                name=study_name,
                recorded=recorded_source,
                given=expect_source,
            )
        )
    if _closed(study):
        note(msg("Tuning of study '{name}' is over; nothing to do.", name=study_name))
        return WorkerResult(study_name, me, 0, "closed", study_status(study))

    options = {
        **record.options,
        "source": source or record.options.get("source"),
        "data_dir": data_dir or record.options.get("data_dir"),
    }
    note(
        msg(
            "Rebuilding the run's training data from {source} (stages 0–3) ...",
            source=options["source"],
        )
    )
    setup, digest = rebuild(options, record.exploration)
    if digest != record.split_digest or tuple(setup.input_shape) != record.input_shape:
        raise ConfigError(
            msg(
                "This worker's data differ from the run's: split digest {digest} (run: "
                "{run_digest}), input shape {shape} (run: {run_shape}). A worker needs the "
                "same data as the run: the same file (here {source}) or built-in dataset; "
                "pass --source with a copy of it.",
                digest=digest,
                run_digest=record.split_digest,
                shape=tuple(setup.input_shape),
                run_shape=record.input_shape,
                source=options["source"],
            )
        )
    space = SearchSpace.from_dict(record.space)

    storage = open_storage(storage_url, heartbeat_seconds=record.heartbeat_seconds)
    seed = int(record.options.get("seed", 0)) + 1 + zlib.crc32(me.encode()) % (2**20)
    study = load_study(storage, study_name, seed=seed)
    tuning = shared.tuning_state(study)
    deadline = time.monotonic() + float(tuning.get("deadline_unix", time.time())) - time.time()
    objective = make_objective(setup, space, deadline=lambda: deadline, history_dir=None)
    started = time.time()
    ran = [0]

    def announce(state: str) -> None:
        # Presence is a courtesy: trials carry the worker id anyway.
        with contextlib.suppress(*STORAGE_ERRORS):
            shared.announce(
                study, me, role="worker", state=state, trials=ran[0], started_unix=started
            )

    def show(outcome: TrialOutcome) -> None:
        t = outcome.trial
        if t is None:
            note(
                msg(
                    "  a trial was taken over by another process ({reason})",
                    reason=outcome.why,
                )
            )
            return
        ran[0] += 1
        value = "—" if t.value is None or t.value != t.value else f"{t.value:.4f}"
        hooks.on_trial_end(
            TrialReport(
                number=t.number,
                state=t.state.name.lower(),
                result=msg("val {metric} {value}", metric=record.metric, value=value),
                details=(
                    msg("{epochs} epochs", epochs=t.user_attrs.get("epochs_run", "?")),
                    format_seconds(t.user_attrs.get("seconds") or 0),
                    *([outcome.why] if outcome.reason else []),
                    *([msg("queued again")] if outcome.retried else []),
                ),
            )
        )
        announce("tuning")

    last_note = [0.0]

    def idle(finished: int, running: int) -> None:
        if time.monotonic() - last_note[0] >= IDLE_NOTE_SECONDS:
            last_note[0] = time.monotonic()
            note(
                msg(
                    "  {finished} of {cap} trials finished, {running} running "
                    "elsewhere; waiting in case one is queued again",
                    finished=finished,
                    cap=record.trial_cap,
                    running=running,
                )
            )
            announce("waiting")

    left = format_seconds(max(0.0, deadline - time.monotonic()))
    if record.trial_cap is not None:
        note(
            msg(
                "Worker {worker} joins study '{name}' (cap {cap} trials, {left} of tuning left)",
                worker=me,
                name=study_name,
                cap=record.trial_cap,
                left=left,
            )
        )
    else:
        note(
            msg(
                "Worker {worker} joins study '{name}' ({left} of tuning left)",
                worker=me,
                name=study_name,
                left=left,
            )
        )
    announce("tuning")
    try:
        with quiet_optuna():
            end = run_trials(
                study,
                objective,
                worker=me,
                cap=record.trial_cap,
                deadline=deadline,
                on_trial=show,
                should_stop=lambda: _closed(study),
                on_idle=idle,
            )
    finally:
        announce("left")
    return WorkerResult(study_name, me, end.ran, end.reason, study_status(study))


def _wait_for_record(
    storage: optuna.storages.BaseStorage,
    name: str,
    url: str,
    wait_seconds: float,
    note: Callable[[Text], None],
) -> tuple[optuna.Study, shared.StudyRecord]:
    """The study and its record, once the run has written them (waiting up to ``wait_seconds``)."""
    until = time.monotonic() + wait_seconds
    said = False
    while True:
        names = study_names(storage)
        if name in names:
            study = load_existing(storage, name, url)
            record = shared.read_record(study)
            if record is not None:
                return study, record
            if study.user_attrs.get(shared.FINAL_ATTR):
                raise ConfigError(
                    msg("Study '{name}' finished without tuning; nothing to do.", name=name)
                )
        if time.monotonic() >= until:
            waited = format_seconds(wait_seconds)
            if name in names:
                raise ConfigError(
                    msg(
                        "Study '{name}' in {url} has no recorded setup after {waited} of "
                        "waiting. Start it with 'dlpilot run SOURCE --storage URL --study "
                        "{name}', or check --study.",
                        name=name,
                        url=redact(url),
                        waited=waited,
                    )
                )
            held: Text = ", ".join(sorted(names)[:10]) or msg("none")
            raise ConfigError(
                msg(
                    "Study '{name}' in {url} does not exist (studies: {held}) after {waited} "
                    "of waiting. Start it with 'dlpilot run SOURCE --storage URL --study "
                    "{name}', or check --study.",
                    name=name,
                    url=redact(url),
                    held=held,
                    waited=waited,
                )
            )
        if not said:
            note(
                msg(
                    "Waiting for 'dlpilot run ... --study {name}' to reach tuning and record its "
                    "setup (up to {waited}) ...",
                    name=name,
                    waited=format_seconds(wait_seconds),
                )
            )
            said = True
        time.sleep(WAIT_POLL_SECONDS)


def _closed(study: optuna.Study) -> bool:
    return bool(shared.tuning_state(study).get("closed")) or bool(
        study.user_attrs.get(shared.FINAL_ATTR)
    )


def same_source(given: str, recorded: str) -> bool:
    """Whether ``given`` names the source the study records (a path or a built-in name)."""
    if given == recorded:
        return True
    return Path(given).exists() and str(Path(given).resolve()) == recorded
