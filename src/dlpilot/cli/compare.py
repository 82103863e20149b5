"""`dlpilot compare RUN_A RUN_B …`: finished runs side by side, where they differ marked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import JsonOpt, LangOpt
from dlpilot.core.messages import DEFAULT_LANGUAGE, Translator, check_language


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
    language: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """Compare finished runs: problem, metric, protocol, test scores with their noise, budgets,
    final configurations and findings; rows where the runs differ are marked."""
    from dlpilot.report.compare import compare_runs

    t = Translator(check_language(language))
    comparison = compare_runs(run_dirs, force=force)
    if html is not None:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(comparison.to_html(t.language), encoding="utf-8")
    if as_json:
        print(json.dumps(comparison.to_dict(), indent=2))
        return
    table = Table(show_lines=False)
    table.add_column("")
    for name in comparison.runs:
        table.add_column(name, overflow="fold")
    for label, values, differs in comparison.table(t.language):
        style = "yellow" if differs else None
        table.add_row(("* " if differs else "  ") + label, *values, style=style)
    console = Console()
    console.print(table)
    console.print(t("* the runs differ in this row"), highlight=False, markup=False)
    if html is not None:
        console.print(t("comparison page: {path}", path=str(html)), highlight=False, markup=False)
