"""One front door for every source: a path or a built-in name in, a `Dataset` out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dlpilot.core.errors import DataError, SourceNotFoundError
from dlpilot.core.messages import msg
from dlpilot.data.arrays import load_npz
from dlpilot.data.builtins import is_builtin, load_builtin
from dlpilot.data.dataset import Dataset
from dlpilot.data.images import load_image_folder
from dlpilot.data.tables import load_table

TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")


def load_source(
    source: str | Path,
    *,
    target: Sequence[str] = (),
    data_dir: str | Path | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    test: str | Path | None = None,
) -> Dataset:
    """Load a CSV/Parquet file (needs ``target``; ``sep`` and ``encoding`` override what is
    detected; ``test`` is a table of the same columns to be the sealed test set), an image
    folder, an ``.npz`` or a built-in."""
    text = str(source)
    path = Path(text).expanduser()
    is_table = path.exists() and path.is_file() and path.suffix.lower() in TABLE_SUFFIXES
    if test is not None and not is_table:
        raise DataError(
            msg(
                "--test takes a table for a table source (CSV or Parquet). An .npz carries its "
                "test split as x_test and y_test; an image folder as train/ and test/ "
                "sub-folders."
            )
        )
    if path.exists():
        if path.is_dir():
            return load_image_folder(path)
        suffix = path.suffix.lower()
        if suffix in TABLE_SUFFIXES:
            return load_table(path, target=list(target), sep=sep, encoding=encoding, test=test)
        if suffix == ".npz":
            return load_npz(path)
        raise DataError(
            msg(
                "Unsupported file type '{kind}'. Give a CSV or Parquet file (with --target), a "
                "NumPy .npz, an image folder, or a built-in name.",
                kind=suffix or path.name,
            )
        )
    if is_builtin(text):
        return load_builtin(text, data_dir=Path(data_dir) if data_dir is not None else None)
    if path.suffix or "/" in text or "\\" in text:
        raise SourceNotFoundError(
            msg("File '{path}' not found. Check the path and try again.", path=text)
        )
    return load_builtin(text)
