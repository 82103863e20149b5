"""`dlpilot compare RUN_A RUN_B …`: finished runs side by side, where they differ marked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import JsonOpt


@guarded
def compare_command(
    run_dirs: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more run directories that 'dlpilot run' wrote.", show_default=False
        ),
    ],
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Also write the comparison as an HTML page here.", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Line up runs of different datasets or metrics anyway."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Compare finished runs: problem, metric, protocol, test scores with their noise, budgets,
    final configurations and findings; rows where the runs differ are marked."""
    from dlpilot.report.compare import compare_runs

    comparison = compare_runs(run_dirs, force=force)
    if html is not None:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(comparison.to_html(), encoding="utf-8")
    if as_json:
        print(json.dumps(comparison.to_dict(), indent=2))
        return
    table = Table(show_lines=False)
    table.add_column("")
    for name in comparison.runs:
        table.add_column(name, overflow="fold")
    for row in comparison.rows:
        style = "yellow" if row.differs else None
        table.add_row(("* " if row.differs else "  ") + row.field, *row.values, style=style)
    console = Console()
    console.print(table)
    console.print("* the runs differ in this row", highlight=False)
    if html is not None:
        console.print(f"comparison page: {html}", highlight=False)
