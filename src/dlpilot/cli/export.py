"""`dlpilot export RUN_DIR --format onnx|torchscript`: the final model as one portable file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dlpilot.bundle.formats import ExportFormat
from dlpilot.cli._errors import guarded
from dlpilot.cli.predict import RunDirArg


@guarded
def export_command(
    run_dir: RunDirArg,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="ONNX (onnxruntime) or TorchScript.")
    ] = ExportFormat.ONNX,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to write it (default: RUN_DIR/model.onnx or RUN_DIR/model.pt).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export the final model. It takes the prepared tensors (input_0, input_1, … one per
    member network) and returns the scores after the final activation; the export is run
    once on a random batch and checked against PyTorch."""
    from dlpilot.bundle import export_model, load_bundle
    from dlpilot.core.enums import Task

    model = load_bundle(run_dir, device="cpu")
    result = export_model(model, out, format=fmt)
    if model.task is Task.BINARY:
        meaning = f"P({model.classes[1]!r})"
    elif model.task in (Task.MULTICLASS, Task.MULTILABEL):
        meaning = f"probabilities of {list(model.classes)}"
    else:
        meaning = f"values of {list(model.target_names)}"
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"Exported the {model.task} model of {run_dir} as {fmt}: {result.describe()}; "
        f"scores are {meaning}."
    )
    print(result.path)
