"""`dlpilot inspect`: load a source and print stage 0's definition of the problem."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import (
    DataDirOpt,
    DropOpt,
    EncodingOpt,
    JsonOpt,
    ModalityOpt,
    SepOpt,
    SourceArg,
    TargetOpt,
    TaskOpt,
)
from dlpilot.cli._style import severity_markup
from dlpilot.data import load_source
from dlpilot.stages.define import ProblemDefinition, define_problem


@guarded
def inspect_command(
    source: SourceArg,
    target: TargetOpt = None,
    task: TaskOpt = None,
    modality: ModalityOpt = None,
    drop: DropOpt = None,
    data_dir: DataDirOpt = None,
    sep: SepOpt = None,
    encoding: EncodingOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Define the problem: task, modality, sizes, class balance and data findings."""
    dataset = load_source(
        source, target=target or (), data_dir=data_dir, sep=sep, encoding=encoding
    )
    definition = define_problem(dataset, task=task, modality=modality, drop_columns=drop or ())
    if as_json:
        print(
            json.dumps(
                {
                    "source": dataset.source,
                    "problem": definition.spec.to_dict(),
                    "decisions": [d.to_dict() for d in definition.decisions],
                    "findings": [f.to_dict() for f in definition.findings],
                },
                indent=2,
            )
        )
        return
    print_definition(Console(), dataset.name, definition)


def print_definition(console: Console, name: str, definition: ProblemDefinition) -> None:
    spec = definition.spec
    console.print(f"[bold]{name}[/bold]: {spec.task} {spec.modality} problem", highlight=False)
    shape = "×".join(str(s) for s in spec.input_shape)
    test = (
        f", plus an official test split of {spec.n_test_official:,}" if spec.n_test_official else ""
    )
    console.print(
        f"  {spec.n_samples:,} samples{test}; {spec.n_features:,} features per sample "
        f"(shape {shape})",
        highlight=False,
    )
    if spec.ignored_columns:
        console.print(f"  columns left out: {', '.join(spec.ignored_columns)}", highlight=False)
    if spec.class_counts:
        title = "labels (positives per label)" if spec.task == "multilabel" else "classes"
        table = Table(title=title, title_justify="left")
        table.add_column("class")
        table.add_column("count", justify="right")
        table.add_column("share", justify="right")
        total = spec.n_samples
        for cls, count in spec.class_counts.items():
            table.add_row(cls, f"{count:,}", f"{count / total:.1%}")
        console.print(table)
        console.print(
            f"  minority share {spec.minority_share:.1%}, imbalance ratio "
            f"{spec.imbalance_ratio:.1f}:1",
            highlight=False,
        )
    console.print("[bold]Decisions[/bold]")
    for d in definition.decisions:
        console.print(f"  - {d.what}: {d.why}", highlight=False, soft_wrap=True)
    console.print("[bold]Findings[/bold]" + ("" if definition.findings else ": none"))
    for f in definition.findings:
        console.print(
            f"  - {severity_markup(f.severity)} {f.code}: {f.evidence}\n    → {f.action}",
            highlight=False,
            soft_wrap=True,
        )
