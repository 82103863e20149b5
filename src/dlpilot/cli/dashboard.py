"""`dlpilot dashboard RUN_DIR`: optuna-dashboard on the run's study (an optional extra)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Annotated

import typer

from dlpilot.cli._errors import guarded
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.messages import msg
from dlpilot.core.rundir import STATE_DIR, STUDY_FILE

DEFAULT_PORT = 8080


def study_storage(run_dir: Path, storage: str | None) -> str:
    """The storage URL of a run's study: ``storage`` when given, else the run's own SQLite
    file; a run whose study lives elsewhere (a shared PostgreSQL study) needs ``--storage``,
    since the run directory keeps its URL without the password."""
    if storage:
        return storage
    if not run_dir.is_dir():
        raise DataError(
            msg(
                "Run directory '{run_dir}' does not exist. Give the folder 'dlpilot run' wrote.",
                run_dir=str(run_dir),
            )
        )
    local = run_dir / STUDY_FILE
    if local.exists():
        return f"sqlite:///{local.resolve()}"
    saved = run_dir / STATE_DIR / "tune.json"
    where = json.loads(saved.read_text()).get("storage") if saved.exists() else None
    if where:
        raise ConfigError(
            msg(
                "This run's study is in {where}; give its full URL with --storage (the run "
                "directory does not keep the password).",
                where=where,
            )
        )
    raise DataError(
        msg(
            "'{run_dir}' holds no study ({file}): the run stopped before tuning. "
            "Give a run directory that reached stage 7.",
            run_dir=str(run_dir),
            file=STUDY_FILE,
        )
    )


@guarded
def dashboard_command(
    run_dir: Annotated[
        Path, typer.Argument(help="A run directory that 'dlpilot run' wrote.", show_default=False)
    ],
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = DEFAULT_PORT,
    storage: Annotated[
        str | None,
        typer.Option(
            "--storage",
            help="The study's storage URL, for a run whose study is not in RUN_DIR/study.db.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Open optuna-dashboard on the run's tuning study: its trials, their curves and the
    hyperparameter importances, live while the run tunes. Stop it with Ctrl-C."""
    url = study_storage(run_dir, storage)
    if importlib.util.find_spec("optuna_dashboard") is None:
        raise ConfigError(
            msg(
                "dlpilot dashboard needs optuna-dashboard, which is not installed: "
                "pip install 'dlpilot[dashboard]'"
            )
        )
    import optuna_dashboard

    typer.echo(f"optuna-dashboard on {url}: http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    optuna_dashboard.run_server(url, host=host, port=port)
