"""The trial loop that every process of a study runs: the run that started it, and its workers.

The mechanics under stage 7 that make one study safe to share.

- **A cap holds across processes.** With ``--trials N`` the study holds one
  waiting trial per allowed trial (`enqueue_slots`), and a process only ever
  claims a waiting trial. Optuna switches a trial from WAITING to RUNNING with
  a conditional update under a row lock (on SQLite, under the write lock that
  `dlpilot.tuning.storage.open_storage` takes at the start of every transaction), so two
  processes never claim the same one; when none is left, nobody starts another. Without a cap, a process
  creates a new trial whenever the queue is empty, until the deadline.
- **A killed process leaves no trial RUNNING.** While a trial runs, a thread
  records a heartbeat in the storage. A RUNNING trial whose heartbeat is older
  than the storage's grace period is failed by whichever process looks next
  (Optuna's ``fail_stale_trials``), and the storage's stale-trial callback
  (`requeue`, Optuna's ``RetryHeartbeatStaleTrialCallback`` without the dead
  trial's user attributes) queues a copy with the same parameters. A finished
  trial is never touched, so none is lost or counted twice.
- **A lost database connection fails one trial, not the process.** A storage
  error inside a trial fails that trial and queues its copy; storage errors
  between trials are retried with a growing pause, for up to
  `STORAGE_RETRY_SECONDS`.

Optuna's own ``Study.optimize`` would create a trial whenever its queue is
empty, which breaks a shared cap; this loop is ``optimize``'s ask-run-tell with
the claim made explicit. It touches a few of Optuna's private attributes
(``study._storage``, ``study._study_id``, ``trial._trial_id``), all here.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import optuna
import sqlalchemy.exc
from optuna.trial import FrozenTrial, TrialState

from dlpilot.core.errors import StorageError
from dlpilot.core.messages import EnglishReason, Text, msg

log = logging.getLogger("dlpilot")

WORKER_ATTR = "worker"  # trial user attr: the process (host:pid) that ran it
SLOT_ATTR = "slot"  # trial user attr of a queued trial: its index among the cap's trials
# A trial whose process died is queued again at most this many times.
MAX_RETRIES = 2
# How often a process with nothing to claim looks again.
POLL_SECONDS = 1.0
# How long storage errors between trials are retried before the process gives up.
STORAGE_RETRY_SECONDS = 120.0
STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    optuna.exceptions.StorageInternalError,
    sqlalchemy.exc.SQLAlchemyError,
)

T = TypeVar("T")


@contextmanager
def quiet_optuna() -> Iterator[None]:
    """Optuna's own per-trial log lines duplicate ours; hush them while we run, then restore."""
    before = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        yield
    finally:
        optuna.logging.set_verbosity(before)


def worker_id() -> str:
    """This process, as other processes see it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def requeue(study: optuna.Study, trial: FrozenTrial) -> None:
    """Queue a copy of a failed ``trial`` with its parameters (at most `MAX_RETRIES` times).

    Optuna's ``RetryHeartbeatStaleTrialCallback`` does the same and also copies
    the dead trial's user attributes (its worker, its partial results); this copy
    keeps only what the sampler fixed and the slot it fills. The retry history
    uses Optuna's keys, so ``RetryHeartbeatStaleTrialCallback.retried_trial_number``
    reads it.
    """
    history = [*trial.system_attrs.get("retry_history", []), trial.number]
    if len(history) > MAX_RETRIES:
        return
    system_attrs: dict[str, Any] = {
        "failed_trial": trial.system_attrs.get("failed_trial", trial.number),
        "retry_history": history,
    }
    if "fixed_params" in trial.system_attrs:
        system_attrs["fixed_params"] = trial.system_attrs["fixed_params"]
    user_attrs = {k: trial.user_attrs[k] for k in (SLOT_ATTR,) if k in trial.user_attrs}
    study.add_trial(
        optuna.trial.create_trial(
            state=TrialState.WAITING,
            params=trial.params,
            distributions=trial.distributions,
            user_attrs=user_attrs,
            system_attrs=system_attrs,
        )
    )


@dataclass(frozen=True)
class TrialOutcome(EnglishReason):
    """What happened to one trial this process ran.

    ``reason`` is kept as English text; given as a message, the message is in ``message``
    (`why`), for the reader's language.
    """

    trial: FrozenTrial | None  # None when another process finished it first
    reason: Text | None = None  # why it failed, when it did
    retried: bool = False  # a copy was queued
    message: Text | None = field(default=None, compare=False, repr=False)


def enqueue_slots(study: optuna.Study, known: Sequence[dict[str, Any]], cap: int | None) -> None:
    """Queue the first trials: the ``known`` configurations, then empty slots up to ``cap``.

    Each queued trial carries its slot index, so a run interrupted while
    queueing tops the queue up on resume instead of queueing twice.
    """
    wanted = len(known) if cap is None else cap
    have = {t.user_attrs.get(SLOT_ATTR) for t in study.get_trials(deepcopy=False)}
    for slot in range(wanted):
        if slot in have:
            continue
        params = dict(known[slot]) if slot < len(known) else {}
        study.enqueue_trial(params, user_attrs={SLOT_ATTR: slot})


def finished_count(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED)))


def running_trials(study: optuna.Study) -> list[FrozenTrial]:
    return study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))


def fail_dead_trials(study: optuna.Study) -> list[int]:
    """Fail (and queue again) RUNNING trials of dead processes on this host; return their numbers.

    For a run resumed after a kill: its trial need not wait out the heartbeat
    grace period. A trial of a live process, or of another host, is left to
    the heartbeats, so a worker that is still training is never failed.
    """
    host = socket.gethostname()
    failed = []
    for t in running_trials(study):
        owner = str(t.user_attrs.get(WORKER_ATTR, ""))
        owner_host, _, pid = owner.rpartition(":")
        if owner_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if study._storage.set_trial_state_values(t._trial_id, TrialState.FAIL):
                requeue(study, study._storage.get_trial(t._trial_id))
                failed.append(t.number)
        except optuna.exceptions.UpdateFinishedTrialError:
            pass  # another process got there first
    return failed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def fail_stale_trials(study: optuna.Study) -> None:
    """Optuna's heartbeat check: fail RUNNING trials whose heartbeat stopped; queue their copies."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)


class _Heartbeat:
    """Records that this process is alive while its trial runs; survives storage errors."""

    def __init__(self, study: optuna.Study, trial_id: int) -> None:
        self.storage = study._storage
        self.trial_id = trial_id
        interval = getattr(self.storage, "get_heartbeat_interval", lambda: None)()
        self.interval = float(interval) if interval else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Heartbeat:
        if self.interval is not None:
            self._thread = threading.Thread(
                target=self._beat, name="dlpilot-heartbeat", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)

    def _beat(self) -> None:
        assert self.interval is not None
        while not self._stop.is_set():
            # The database away: beat again later, or go stale if it stays away.
            with contextlib.suppress(Exception):
                self.storage.record_heartbeat(self.trial_id)
            self._stop.wait(self.interval)


def _claim(study: optuna.Study, *, create: bool) -> int | None:
    """Switch one waiting trial to RUNNING for this process; its id, or None if none is left."""
    storage = study._storage
    beats = getattr(storage, "get_heartbeat_interval", lambda: None)() is not None
    for t in study.get_trials(deepcopy=False, states=(TrialState.WAITING,)):
        # A heartbeat first: if this process dies right after the claim, the trial still goes
        # stale. (A claim another process wins overwrites it with its own beats.)
        if beats:
            storage.record_heartbeat(t._trial_id)
        try:
            if storage.set_trial_state_values(t._trial_id, TrialState.RUNNING):
                return t._trial_id
        except optuna.exceptions.UpdateFinishedTrialError:
            continue
    if not create:
        return None
    trial_id = storage.create_new_trial(study._study_id)
    if beats:
        storage.record_heartbeat(trial_id)
    return trial_id


def _with_retries(fn: Callable[[], T], *, what: Text, give_up_after: float) -> T:
    """``fn()``, retried with a growing pause while the storage fails, for ``give_up_after`` s."""
    started = time.monotonic()
    pause = 1.0
    while True:
        try:
            return fn()
        except STORAGE_ERRORS as exc:
            waited = time.monotonic() - started
            if waited >= give_up_after:
                raise StorageError(
                    msg(
                        "Lost the study storage while {what} and it did not come back in "
                        "{waited:.0f}s ({cause}). Finished trials are saved in it; start "
                        "this process again when the database is reachable.",
                        what=what,
                        waited=waited,
                        cause=_cause(exc),
                    )
                ) from None
            log.warning("storage error while %s (%s); retrying in %.0fs", what, _cause(exc), pause)
            time.sleep(pause)
            pause = min(pause * 2, 10.0)


def _cause(exc: BaseException) -> str:
    inner = exc.__cause__ or exc
    return " ".join(str(inner).split())[:200] or type(inner).__name__


def run_trial(
    study: optuna.Study, trial_id: int, objective: Callable[[optuna.Trial], float], *, worker: str
) -> TrialOutcome:
    """Run one claimed trial under a heartbeat and tell the study how it ended."""
    trial = optuna.trial.Trial(study, trial_id)
    value: float | None = None
    state = TrialState.COMPLETE
    reason: Text | None = None
    retry = False
    with _Heartbeat(study, trial_id):
        try:
            trial.set_user_attr(WORKER_ATTR, worker)
            value = objective(trial)
        except optuna.TrialPruned:
            state = TrialState.PRUNED
        except optuna.exceptions.UpdateFinishedTrialError:
            # Another process failed this trial (its heartbeat came late) and queued its copy.
            return TrialOutcome(None, msg("failed meanwhile by another process; its copy runs"))
        except STORAGE_ERRORS as exc:
            state, reason, retry = (
                TrialState.FAIL,
                msg("lost the database: {cause}", cause=_cause(exc)),
                True,
            )
        except (ValueError, RuntimeError) as exc:
            state, reason = TrialState.FAIL, f"{type(exc).__name__}: {_cause(exc)}"
        except BaseException as exc:  # Ctrl-C, a bug: fail it, queue its copy, stop here
            try:
                if _tell(study, trial, None, TrialState.FAIL) is not None:
                    requeue(study, study._storage.get_trial(trial_id))
            except Exception:
                pass  # the heartbeat stops with this process; the trial goes stale instead
            raise exc from None
    frozen = _with_retries(
        lambda: _tell(study, trial, value, None if state is TrialState.COMPLETE else state),
        what=msg("recording trial {number}", number=trial.number),
        give_up_after=STORAGE_RETRY_SECONDS,
    )
    if frozen is None:
        return TrialOutcome(None, msg("finished meanwhile by another process"))
    if retry:
        _with_retries(
            lambda: requeue(study, frozen),
            what=msg("queueing trial {number} again", number=trial.number),
            give_up_after=STORAGE_RETRY_SECONDS,
        )
    if reason is None and frozen.state is TrialState.FAIL and frozen.user_attrs.get("diverged"):
        reason = msg("diverged")
    return TrialOutcome(frozen, reason, retry)


def _tell(
    study: optuna.Study, trial: optuna.Trial, value: float | None, state: TrialState | None
) -> FrozenTrial | None:
    """``study.tell``; None when another process already finished the trial."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a NaN value fails the trial, which is what we want
        try:
            if state is None:
                return study.tell(trial, value if value is not None else math.nan)
            return study.tell(trial, state=state)
        except optuna.exceptions.UpdateFinishedTrialError:
            return None
        except ValueError as exc:
            if "Cannot tell" in str(exc):  # finished by another process's heartbeat check
                return None
            raise


@dataclass(frozen=True)
class LoopEnd:
    """How a process's share of the tuning ended."""

    ran: int
    reason: str  # "cap", "deadline", "stopped", "exhausted"


def run_trials(
    study: optuna.Study,
    objective: Callable[[optuna.Trial], float],
    *,
    worker: str,
    cap: int | None,
    deadline: float,
    on_trial: Callable[[TrialOutcome], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_idle: Callable[[int, int], None] | None = None,
) -> LoopEnd:
    """Claim and run trials until the study holds ``cap`` finished ones or ``deadline`` passes.

    ``deadline`` is a ``time.monotonic()`` instant. ``should_stop()`` is asked
    between trials (a worker asks whether the run closed the study).
    ``on_idle(finished, running)`` hears that nothing is left to claim while
    other processes still run trials; this process waits, in case one of them
    dies and its trial is queued again.
    """
    ran = finished = 0
    quiet_at: int | None = None  # how many trials the study held when nothing was left to run

    def storage(fn: Callable[[], T], what: Text) -> T:
        return _with_retries(fn, what=what, give_up_after=STORAGE_RETRY_SECONDS)

    while True:
        if time.monotonic() >= deadline:
            return LoopEnd(ran, "deadline")
        if should_stop is not None and storage(should_stop, msg("reading the study")):
            return LoopEnd(ran, "stopped")
        storage(lambda: fail_stale_trials(study), msg("checking heartbeats"))
        if cap is not None:
            finished = storage(lambda: finished_count(study), msg("counting trials"))
            if finished >= cap:
                return LoopEnd(ran, "cap")
        trial_id = storage(lambda: _claim(study, create=cap is None), msg("claiming a trial"))
        if trial_id is None:
            running = storage(lambda: len(running_trials(study)), msg("counting trials"))
            if running == 0:
                # Another process may have finished the last trial since the count above.
                if (
                    cap is not None
                    and storage(lambda: finished_count(study), msg("counting trials")) >= cap
                ):
                    return LoopEnd(ran, "cap")
                # Nothing queued, nothing running, and the cap not reached: the missing trials
                # failed for reasons a retry would not cure (an error, a divergence) -- unless
                # another process is between failing a dead trial and queueing its copy (two
                # transactions). So the end is declared only when a second look, a poll later,
                # sees the same trials.
                seen = storage(
                    lambda: len(study.get_trials(deepcopy=False)), msg("counting trials")
                )
                if seen == quiet_at:
                    return LoopEnd(ran, "exhausted")
                quiet_at = seen
                time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
                continue
            quiet_at = None
            if on_idle is not None:
                on_idle(finished, running)
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            continue
        quiet_at = None
        outcome = run_trial(study, trial_id, objective, worker=worker)
        ran += 1
        if on_trial is not None:
            on_trial(outcome)


def settle(
    study: optuna.Study, *, seconds: float, on_idle: Callable[[int], None] | None = None
) -> int:
    """Wait up to ``seconds`` for other processes' RUNNING trials to end; return how many still run.

    At the deadline every trial stops within about one epoch; its result is
    worth the wait. Stale trials are failed meanwhile.
    """
    until = time.monotonic() + seconds
    while True:
        try:
            fail_stale_trials(study)
            running = len(running_trials(study))
        except STORAGE_ERRORS:
            running = -1
        if running == 0 or time.monotonic() >= until:
            return max(running, 0)
        if on_idle is not None and running > 0:
            on_idle(running)
        time.sleep(POLL_SECONDS)
