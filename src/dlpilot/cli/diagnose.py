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
from dlpilot.cli._options import JsonOpt, LangOpt
from dlpilot.cli._style import severity_style
from dlpilot.core.enums import Severity
from dlpilot.core.messages import DEFAULT_LANGUAGE, Translator, check_language
from dlpilot.core.records import severity_word
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
    language: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """Diagnose learning curves: overfitting, undertraining, learning rate, bias, variance."""
    t = Translator(check_language(language))
    loaded = load_history(history)
    diagnosis = diagnose(loaded.history, human_error=human_error)
    if as_json:
        print(json.dumps(diagnosis_json(loaded, diagnosis), indent=2))
    else:
        print_diagnosis(Console(highlight=False), loaded, diagnosis, t.language)
    if fail_on is not None:
        hits = [f for f in diagnosis.findings if f.severity.rank >= fail_on.rank]
        if hits:
            codes = ", ".join(sorted({str(f.code) for f in hits}))
            print(
                t(
                    "Failing (--fail-on {fail_on}): {n} finding(s) at {fail_on} or worse: {codes}.",
                    fail_on=str(fail_on),
                    n=len(hits),
                    codes=codes,
                ),
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


def print_diagnosis(
    console: Console,
    loaded: LoadedHistory,
    diagnosis: Diagnosis,
    language: str = DEFAULT_LANGUAGE,
) -> None:
    t = Translator(language)
    h = loaded.history
    metric = t("; metric {metric}", metric=h.metric) if h.metric else ""
    val = "" if h.get("val_loss") else t("; no validation loss")
    console.print(
        Text.assemble(
            (loaded.path.name, "bold"),
            t(
                ": {n} epochs ({format}){metric}{val}",
                n=len(h),
                format=t(loaded.format.label),
                metric=metric,
                val=val,
            ),
        )
    )
    mark = diagnosis.overfit_epoch or diagnosis.best_epoch
    console.print(Text(plot_curves(h, mark_epoch=mark, language=language)))
    if not diagnosis.judged:
        console.print(
            Text.assemble((t("Not judged"), "bold"), f": {t(diagnosis.why)}"), soft_wrap=True
        )
    console.print(Text.assemble((t("Findings"), "bold"), "" if diagnosis.findings else t(": none")))
    for f in diagnosis.findings:
        style = severity_style(f.severity)
        console.print(
            Text.assemble(
                "  - ",
                (severity_word(f.severity, language), style),
                f" {f.code}: {f.text('evidence', language)}",
            ),
            soft_wrap=True,
        )
        console.print(Text(f"    → {f.text('action', language)}"), soft_wrap=True)
    console.print(
        Text.assemble((t("Next step: "), "bold"), f"{diagnosis.next_step} — {t(diagnosis.why)}"),
        soft_wrap=True,
    )
