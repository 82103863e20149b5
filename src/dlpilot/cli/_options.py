"""Options several commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dlpilot.core.enums import Modality, Task
from dlpilot.core.messages import LANGUAGE_ENV, LANGUAGES

SourceArg = Annotated[
    str,
    typer.Argument(
        help="A CSV/Parquet file (with --target), an image folder, a .npz file, or a built-in "
        "dataset name (see 'dlpilot datasets').",
        show_default=False,
    ),
]
TargetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        "-t",
        help="Target column of a table; repeat for several (vector regression, multilabel).",
        show_default=False,
    ),
]
TaskOpt = Annotated[
    Task | None, typer.Option("--task", help="Override the inferred task.", show_default=False)
]
ModalityOpt = Annotated[
    Modality | None,
    typer.Option("--modality", help="Override the inferred modality.", show_default=False),
]
DropOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--drop", help="Leave this column out of the features; repeatable.", show_default=False
    ),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder holding a built-in's files (Fashion-MNIST's four IDX files).",
        show_default=False,
    ),
]
SepOpt = Annotated[
    str | None,
    typer.Option(
        "--sep",
        help="A table's delimiter, when detection cannot tell: ',', ';', tab, '|' or any one "
        "character.",
        show_default=False,
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="A table's text encoding, when detection cannot tell (utf-8, utf-16, latin-1, …).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        envvar=LANGUAGE_ENV,
        help="Language of the report, the narration and the error messages: "
        f"{', '.join(LANGUAGES)}. summary.json and --json output are the same in every language.",
    ),
]
