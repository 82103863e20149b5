"""The Typer application: every command, registered here from the module that holds it.

Command modules never import this one (no import cycle); the order below is the order
``dlpilot --help`` lists them in.
"""

from __future__ import annotations

import typer

from dlpilot.cli import (
    compare,
    dashboard,
    datasets,
    diagnose,
    export,
    inspect,
    predict,
    report,
    run,
    worker,
)

app = typer.Typer(
    name="dlpilot",
    help="Run the deep-learning project workflow end to end on a dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

COMMANDS = (
    ("datasets", datasets.datasets_command),
    ("diagnose", diagnose.diagnose_command),
    ("predict", predict.predict_command),
    ("export", export.export_command),
    ("inspect", inspect.inspect_command),
    ("report", report.report_command),
    ("compare", compare.compare_command),
    ("dashboard", dashboard.dashboard_command),
    ("run", run.run_command),
    ("worker", worker.worker_command),
    ("status", worker.status_command),
)
for name, command in COMMANDS:
    app.command(name)(command)
