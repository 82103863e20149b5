"""`dlpilot report RUN_DIR`: rebuild report.html from a finished run directory."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import LangOpt
from dlpilot.core.messages import DEFAULT_LANGUAGE, check_language

RunDirArg = Annotated[
    Path,
    typer.Argument(help="A run directory that 'dlpilot run' wrote.", show_default=False),
]


@guarded
def report_command(
    run_dir: RunDirArg,
    open_report: Annotated[
        bool, typer.Option("--open", help="Open report.html in a browser when done.")
    ] = False,
    language: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """Rebuild RUN_DIR/report.html from the run directory alone (no training, no data), in
    any language: the run directory is the same whatever language it was watched in."""
    from dlpilot.report import render_report

    path = render_report(run_dir, language=check_language(language))
    print(path)
    if open_report:
        webbrowser.open(path.resolve().as_uri())
