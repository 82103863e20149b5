"""`dlpilot diagnose HISTORY`: read a learning-curve history and say what is wrong."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import JsonOpt
from dlpilot.cli._style import severity_style
from dlpilot.core.enums import Severity
from dlpilot.diagnose import Diagnosis, LoadedHistory, diagnose, load_history, plot_curves

# Exit code when --fail-on finds what it was told to fail on (2 is a user error).
EXIT_FINDINGS = 3

HistoryArg = Annotated[
    Path,
    typer.Argument(
        help="A history CSV: Keras CSVLogger, Lightning CSVLogger metrics.csv (or its folder), "
        "dlpilot's history.csv, or any CSV with loss and val_loss columns.",
        show_default=False,
    ),
]
FailOnOpt = Annotated[
    Severity | None,
    typer.Option(
        "--fail-on",
        help=f"Exit with code {EXIT_FINDINGS} when a finding of this severity or worse exists.",
        show_default=False,
    ),
]
HumanErrorOpt = Annotated[
    float | None,
    typer.Option(
        "--human-error",
        help="Human-level (Bayes) error in the metric's error units, for avoidable bias: "
        "0.165 for Fashion-MNIST (human accuracy 0.835), about 0.04 for MNIST-1D.",
        show_default=False,
    ),
]


@guarded
def diagnose_command(
    history: HistoryArg,
    as_json: JsonOpt = False,
    fail_on: FailOnOpt = None,
    human_error: HumanErrorOpt = None,
) -> None:
    """Diagnose learning curves: overfitting, undertraining, learning rate, bias, variance."""
    loaded = load_history(history)
    diagnosis = diagnose(loaded.history, human_error=human_error)
    if as_json:
        print(json.dumps(diagnosis_json(loaded, diagnosis), indent=2))
    else:
        print_diagnosis(Console(highlight=False), loaded, diagnosis)
    if fail_on is not None:
        hits = [f for f in diagnosis.findings if f.severity.rank >= fail_on.rank]
        if hits:
            codes = ", ".join(sorted({str(f.code) for f in hits}))
            print(
                f"Failing (--fail-on {fail_on}): {len(hits)} finding(s) at {fail_on} or worse: "
                f"{codes}.",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_FINDINGS)


def diagnosis_json(loaded: LoadedHistory, diagnosis: Diagnosis) -> dict[str, Any]:
    return {
        "history": str(loaded.path),
        "format": str(loaded.format),
        "epochs": len(loaded.history),
        "metric": loaded.history.metric,
        **diagnosis.to_dict(),
    }


def print_diagnosis(console: Console, loaded: LoadedHistory, diagnosis: Diagnosis) -> None:
    h = loaded.history
    metric = f"; metric {h.metric}" if h.metric else ""
    val = "" if h.get("val_loss") else "; no validation loss"
    console.print(
        f"[bold]{loaded.path.name}[/bold]: {len(h)} epochs ({loaded.format.label}){metric}{val}"
    )
    console.print(Text(plot_curves(h, mark_epoch=diagnosis.overfit_epoch or diagnosis.best_epoch)))
    if not diagnosis.judged:
        console.print(f"[bold]Not judged[/bold]: {diagnosis.reason}", soft_wrap=True)
    console.print("[bold]Findings[/bold]" + ("" if diagnosis.findings else ": none"))
    for f in diagnosis.findings:
        style = severity_style(f.severity)
        console.print(
            Text.assemble("  - ", (str(f.severity), style), f" {f.code}: {f.evidence}"),
            soft_wrap=True,
        )
        console.print(Text(f"    → {f.action}"), soft_wrap=True)
    console.print(
        Text.assemble(("Next step: ", "bold"), f"{diagnosis.next_step} — {diagnosis.reason}"),
        soft_wrap=True,
    )
