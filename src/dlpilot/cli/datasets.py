"""`dlpilot datasets`: the built-in datasets and whether each is available here."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from dlpilot.cli._errors import guarded
from dlpilot.cli._options import DataDirOpt, JsonOpt
from dlpilot.data.builtins import BUILTINS


@guarded
def datasets_command(data_dir: DataDirOpt = None, as_json: JsonOpt = False) -> None:
    """List the built-in datasets: modality, task, size, and whether each is available."""
    rows = []
    for b in BUILTINS.values():
        available, where = b.availability(data_dir)
        rows.append(
            {
                "name": b.name,
                "modality": str(b.modality),
                "task": str(b.task),
                "n_train": b.n_train,
                "n_test": b.n_test,
                "available": available,
                "where" if available else "how_to_get": where,
                "description": b.description,
            }
        )
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="Built-in datasets (no internet needed)")
    for col in ("name", "modality", "task", "size", "available"):
        table.add_column(col)
    notes = []
    for r in rows:
        size = f"{r['n_train']:,}" + (f" + {r['n_test']:,} test" if r["n_test"] else "")
        table.add_row(
            r["name"], r["modality"], r["task"], size, "yes" if r["available"] else "[red]no[/red]"
        )
        if not r["available"]:
            notes.append(f"{r['name']}: to get it, {r['how_to_get']}.")
    console = Console()
    console.print(table)
    for note in notes:
        console.print(note, soft_wrap=True, highlight=False)
