"""The Typer application; each command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="dlpilot",
    help="Run the deep-learning project workflow end to end on a dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    # Importing a command module adds its commands to `app`.
    from dlpilot.cli import (  # noqa: F401
        datasets,
        diagnose,
        export,
        inspect,
        predict,
        report,
        run,
        worker,
    )


_register()
