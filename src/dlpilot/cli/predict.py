"""`dlpilot predict RUN_DIR INPUT`: the final model of a run on new inputs."""

from __future__ import annotations

import sys
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dlpilot.cli._errors import guarded
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg

DEFAULT_BATCH_SIZE = 1024
FLOAT_FORMAT = "%.6g"

RunDirArg = Annotated[
    Path,
    typer.Argument(
        metavar="RUN_DIR",
        help="A finished run directory, or its model/ folder.",
        show_default=False,
    ),
]


class OutputFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@guarded
def predict_command(
    run_dir: RunDirArg,
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="A CSV/Parquet table with the training columns, an image file or folder, or "
            "a NumPy .npz holding an array 'x'.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the predictions to this file (CSV; JSON with --format json or a .json "
            "name) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: csv, or json for an --out ending in .json).",
            show_default=False,
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows prepared and scored at a time.")
    ] = DEFAULT_BATCH_SIZE,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary line.")
    ] = False,
) -> None:
    """Predict with the final model of a run: the class and per-class probabilities, the
    labels, or the regression values, one row per input row (or image)."""
    from dlpilot.bundle import InputWarning, load_bundle, read_inputs

    if out is not None and out.is_dir():
        raise ConfigError(
            msg("--out '{out}' is a folder; give a file name, e.g. {out}/preds.csv.", out=str(out))
        )
    chosen = fmt or (
        OutputFormat.JSON if out is not None and out.suffix.lower() == ".json" else OutputFormat.CSV
    )
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    model = load_bundle(run_dir)
    data = read_inputs(input_path, model.modality)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        inputs = model.check_inputs(data.x)
    for w in caught:
        if issubclass(w.category, InputWarning):
            err.print(f"[yellow]Warning:[/yellow] {w.message}")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    scores = _score(model, inputs, batch_size=batch_size, console=err, quiet=quiet)
    table = model.table_from_scores(scores)
    if data.names is not None:
        table.insert(0, "file", list(data.names))
    text = _render(table, chosen)
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    if not quiet:
        where = f" → {out}" if out is not None else ""
        err.print(
            f"Predicted {len(table):,} row(s) with the {model.task} model of {run_dir}{where}",
        )


def _score(model: Any, inputs: Any, *, batch_size: int, console: Console, quiet: bool) -> Any:
    n = len(inputs)
    if quiet or n <= batch_size:
        return model.score_checked(inputs, batch_size=batch_size)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("predicting", total=n)
        return model.score_checked(
            inputs, batch_size=batch_size, on_batch=lambda rows: progress.advance(task, rows)
        )


def _render(table: Any, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.JSON:
        return table.to_json(orient="records", double_precision=6) + "\n"
    return table.to_csv(index=False, float_format=FLOAT_FORMAT)
