"""The Optuna study's storage: SQLite on one machine, PostgreSQL (or any database SQLAlchemy
reaches) for many.

One machine: SQLite, the run directory's ``study.db``. Many processes or
machines: one study in PostgreSQL, which ``dlpilot run --storage URL --study
NAME`` starts and ``dlpilot worker`` joins. What the run records in the study
is in `dlpilot.tuning.record`.
"""

from __future__ import annotations

import inspect
import re
import warnings
from typing import Any

import optuna

from dlpilot.core.errors import ConfigError, StorageError
from dlpilot.core.messages import Text, msg
from dlpilot.tuning import loop as trial_loop

# Heartbeats of a running trial, and how many may be missed before it counts as dead.
HEARTBEAT_SECONDS = 10
GRACE_HEARTBEATS = 3
# SQLite: how long a process waits for another's write to finish before "database is locked".
SQLITE_BUSY_SECONDS = 60
# PostgreSQL/MySQL: how long connecting may take before the URL counts as unreachable.
CONNECT_TIMEOUT_SECONDS = 10


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def redact(url: str) -> str:
    """The URL without its password, for messages and records."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def open_storage(
    url: str, *, heartbeat_seconds: int | None = HEARTBEAT_SECONDS
) -> optuna.storages.RDBStorage:
    """An Optuna RDB storage for ``url``, with heartbeats; a `StorageError` if unusable.

    Heartbeats every ``heartbeat_seconds``; a trial silent for
    `GRACE_HEARTBEATS` of them is failed and queued again. SQLite waits up to
    `SQLITE_BUSY_SECONDS` for a lock and starts every transaction with
    ``BEGIN IMMEDIATE``, so that several local processes serialize their writes
    instead of failing with "database is locked" (and a claim on a waiting
    trial is atomic). Server databases check a pooled connection before using it
    (a restarted server costs no trial) and give up connecting after
    `CONNECT_TIMEOUT_SECONDS`.
    """
    shown = redact(url)
    url = with_driver(url)
    engine_kwargs: dict[str, Any]
    if is_sqlite(url):
        engine_kwargs = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    else:
        engine_kwargs = {"pool_pre_ping": True}
        if url.startswith(("postgresql", "mysql")):
            engine_kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    beats: dict[str, Any] = {}
    if heartbeat_seconds is not None:
        beats = {
            "heartbeat_interval": int(heartbeat_seconds),
            "grace_period": int(heartbeat_seconds) * GRACE_HEARTBEATS,
            _stale_callback_keyword(): trial_loop.requeue,
        }
    try:
        with warnings.catch_warnings():
            # Heartbeats are "experimental" in Optuna; they are what fails killed trials.
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            storage = optuna.storages.RDBStorage(url, engine_kwargs=engine_kwargs, **beats)
    except ImportError as exc:  # Optuna's wrapper of the driver's ModuleNotFoundError
        missing: Text = getattr(exc.__cause__, "name", None) or msg("the driver")
        raise StorageError(
            msg(
                "The database driver for '{url}' is not installed ({missing}). For "
                "PostgreSQL: pip install 'dlpilot[postgres]' (psycopg2-binary).",
                url=shown,
                missing=missing,
            )
        ) from None
    except Exception as exc:  # SQLAlchemy raises many kinds; all mean "cannot use it"
        raise StorageError(
            msg(
                "Cannot open the study storage '{url}': {reason} Check the URL, "
                "that the server is running and reachable, and the credentials.",
                url=shown,
                reason=_reason(exc),
            )
        ) from None
    if is_sqlite(url):
        _begin_immediate(storage)
    return storage


def with_driver(url: str) -> str:
    """``postgresql://`` with a driver that is installed: SQLAlchemy 2.1 takes it to mean
    psycopg 3, dlpilot's ``postgres`` extra installs psycopg2."""
    if not url.startswith("postgresql://"):
        return url
    import importlib.util

    if importlib.util.find_spec("psycopg") is None and importlib.util.find_spec("psycopg2"):
        return "postgresql+psycopg2://" + url[len("postgresql://") :]
    return url


def _stale_callback_keyword() -> str:
    params = inspect.signature(optuna.storages.RDBStorage.__init__).parameters
    return (
        "heartbeat_stale_trial_callback"
        if "heartbeat_stale_trial_callback" in params
        else "failed_trial_callback"
    )


def _begin_immediate(storage: optuna.storages.RDBStorage) -> None:
    """SQLAlchemy's recipe for SQLite: the driver emits no BEGIN; every transaction is
    ``BEGIN IMMEDIATE``, which takes the write lock at once (waiting up to the busy timeout)."""
    from sqlalchemy import event

    engine = storage.engine

    @event.listens_for(engine, "connect")
    def _no_driver_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    engine.dispose()  # connections opened before the listeners existed are dropped


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc.__cause__ or exc
    text = " ".join(str(inner).split())
    text = re.sub(r"\(Background on this error at: [^)]*\)", "", text).strip()
    text = text[:240] or type(inner).__name__
    return text if text.endswith((".", "?", "!")) else text + "."


def study_names(storage: optuna.storages.BaseStorage) -> list[str]:
    try:
        return [s.study_name for s in storage.get_all_studies()]
    except trial_loop.STORAGE_ERRORS as exc:
        raise StorageError(
            msg("Cannot read the study storage: {reason}", reason=_reason(exc))
        ) from None


def load_existing(storage: optuna.storages.BaseStorage, name: str, url: str) -> optuna.Study:
    """The study ``name``, or a `ConfigError` listing the studies the storage holds."""
    names = study_names(storage)
    if name not in names:
        held: Text = ", ".join(sorted(names)[:10]) or msg("none")
        raise ConfigError(
            msg(
                "No study '{name}' in {url} (studies there: {held}). Start it with "
                "'dlpilot run SOURCE --storage URL --study {name}', or check --study.",
                name=name,
                url=redact(url),
                held=held,
            )
        )
    with trial_loop.quiet_optuna():
        return optuna.load_study(study_name=name, storage=storage)
