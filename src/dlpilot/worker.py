"""More trials of a study another run started, from this process: ``dlpilot worker``.

A worker reads what the run recorded in the study (`dlpilot.study.StudyRecord`),
repeats stages 0–3 on the same source (the same file path, or the same built-in
dataset), cuts the same exploration subset, and checks that its split matches
the run's (the split digest). Then it claims trials from the study until the
run's trial cap or tuning deadline is reached, or the run closes tuning. It
never trains the final model and never opens the test set: the run that
started the study does both, once.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import optuna
from rich.console import Console

from dlpilot import study as study_mod
from dlpilot.core.budget import format_seconds
from dlpilot.core.device import configure_threads
from dlpilot.core.errors import ConfigError
from dlpilot.stages import tune as stage_tune

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
    source: str | None = None,
    data_dir: str | None = None,
    threads: int | None = None,
    wait_seconds: float = WAIT_SECONDS,
    verbose: bool = True,
    expect_source: str | None = None,
) -> WorkerResult:
    """Join study ``study_name`` in ``storage_url`` and run its trials until it needs no more.

    ``source`` replaces the recorded source (a local copy of the same data;
    the split digest must still match), as ``data_dir`` does for built-ins.
    ``expect_source``: the source a joining ``dlpilot run`` named, which must be
    the one the study was started on.
    """
    from dlpilot.workflow import RunOptions, _default_threads, training_setup_for

    say = Console(stderr=True, highlight=False, soft_wrap=True) if verbose else None

    def note(text: str) -> None:
        if say is not None:
            say.print(text)

    configure_threads(threads if threads else _default_threads())
    me = stage_tune.worker_id()
    plain = study_mod.open_storage(storage_url, heartbeat_seconds=None)
    study, record = _wait_for_record(plain, study_name, storage_url, wait_seconds, note)
    recorded_source = str(record.options.get("source"))
    if expect_source is not None and not same_source(expect_source, recorded_source):
        raise ConfigError(
            f"Study '{study_name}' tunes on {recorded_source}, not {expect_source}. Name the "
            "same source to join it, or choose another --study."
        )
    if _closed(study):
        note(f"Tuning of study '{study_name}' is over; nothing to do.")
        return WorkerResult(study_name, me, 0, "closed", study_mod.study_status(study))

    options = RunOptions.from_dict(record.options)
    options = replace(
        options,
        source=source or options.source,
        data_dir=data_dir or options.data_dir,
        storage=storage_url,
        threads=threads,
        verbose=False,
    )
    note(f"Rebuilding the run's training data from {options.source} (stages 0–3) ...")
    setup, digest = training_setup_for(options, record.exploration)
    if digest != record.split_digest or tuple(setup.input_shape) != record.input_shape:
        raise ConfigError(
            f"This worker's data differ from the run's: split digest {digest} (run: "
            f"{record.split_digest}), input shape {tuple(setup.input_shape)} (run: "
            f"{record.input_shape}). A worker needs the same data as the run: the same file "
            f"(here {options.source}) or built-in dataset; pass --source with a copy of it."
        )
    space = stage_tune.SearchSpace.from_dict(record.space)

    storage = study_mod.open_storage(storage_url, heartbeat_seconds=record.heartbeat_seconds)
    seed = int(record.options.get("seed", 0)) + 1 + zlib.crc32(me.encode()) % (2**20)
    study = stage_tune.load_study(storage, study_name, seed=seed)
    tuning = study_mod.tuning_state(study)
    deadline = time.monotonic() + float(tuning.get("deadline_unix", time.time())) - time.time()
    objective = stage_tune.make_objective(setup, space, deadline=lambda: deadline, history_dir=None)
    started = time.time()
    ran = [0]

    def announce(state: str) -> None:
        # Presence is a courtesy: trials carry the worker id anyway.
        with contextlib.suppress(*stage_tune.STORAGE_ERRORS):
            study_mod.announce(
                study, me, role="worker", state=state, trials=ran[0], started_unix=started
            )

    def show(outcome: stage_tune.TrialOutcome) -> None:
        t = outcome.trial
        if t is None:
            note(f"  a trial was taken over by another process ({outcome.reason})")
            return
        ran[0] += 1
        value = "—" if t.value is None or t.value != t.value else f"{t.value:.4f}"
        note(
            f"  trial {t.number:>3} {t.state.name.lower():<8} val {record.metric} {value} · "
            f"{t.user_attrs.get('epochs_run', '?')} epochs · "
            f"{format_seconds(t.user_attrs.get('seconds') or 0)}"
            + (f" · {outcome.reason}" if outcome.reason else "")
            + (" · queued again" if outcome.retried else "")
        )
        announce("tuning")

    last_note = [0.0]

    def idle(finished: int, running: int) -> None:
        if time.monotonic() - last_note[0] >= IDLE_NOTE_SECONDS:
            last_note[0] = time.monotonic()
            note(
                f"  {finished} of {record.trial_cap} trials finished, {running} running "
                "elsewhere; waiting in case one is queued again"
            )
            announce("waiting")

    note(
        f"Worker {me} joins study '{study_name}' "
        + (f"(cap {record.trial_cap} trials, " if record.trial_cap is not None else "(")
        + f"{format_seconds(max(0.0, deadline - time.monotonic()))} of tuning left)"
    )
    announce("tuning")
    try:
        with stage_tune.quiet_optuna():
            end = stage_tune.run_trials(
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
    return WorkerResult(study_name, me, end.ran, end.reason, study_mod.study_status(study))


def study_started(storage_url: str, study_name: str) -> bool:
    """Whether ``study_name`` exists in the storage (a `StorageError` if it is unreachable)."""
    storage = study_mod.open_storage(storage_url, heartbeat_seconds=None)
    return study_name in study_mod.study_names(storage)


def _wait_for_record(
    storage: optuna.storages.BaseStorage,
    name: str,
    url: str,
    wait_seconds: float,
    note: Any,
) -> tuple[optuna.Study, study_mod.StudyRecord]:
    """The study and its record, once the run has written them (waiting up to ``wait_seconds``)."""
    until = time.monotonic() + wait_seconds
    said = False
    while True:
        names = study_mod.study_names(storage)
        if name in names:
            study = study_mod.load_existing(storage, name, url)
            record = study_mod.read_record(study)
            if record is not None:
                return study, record
            if study.user_attrs.get(study_mod.FINAL_ATTR):
                raise ConfigError(f"Study '{name}' finished without tuning; nothing to do.")
        if time.monotonic() >= until:
            held = ", ".join(sorted(names)[:10]) or "none"
            raise ConfigError(
                f"Study '{name}' in {study_mod.redact(url)} "
                + (
                    "has no recorded setup"
                    if name in names
                    else f"does not exist (studies: {held})"
                )
                + f" after {format_seconds(wait_seconds)} of waiting. Start it with 'dlpilot run "
                f"SOURCE --storage URL --study {name}', or check --study."
            )
        if not said:
            note(
                f"Waiting for 'dlpilot run ... --study {name}' to reach tuning and record its "
                f"setup (up to {format_seconds(wait_seconds)}) ..."
            )
            said = True
        time.sleep(WAIT_POLL_SECONDS)


def _closed(study: optuna.Study) -> bool:
    return bool(study_mod.tuning_state(study).get("closed")) or bool(
        study.user_attrs.get(study_mod.FINAL_ATTR)
    )


def same_source(given: str, recorded: str) -> bool:
    """Whether ``given`` names the source the study records (a path or a built-in name)."""
    if given == recorded:
        return True
    return Path(given).exists() and str(Path(given).resolve()) == recorded
