"""New inputs from files: a CSV/Parquet table, an image file or folder, or an .npz with ``x``."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dlpilot.core.enums import Modality
from dlpilot.core.errors import DataError, SourceNotFoundError
from dlpilot.core.messages import msg
from dlpilot.data.dataset import IMAGE_SUFFIXES, ImageFiles

TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")


@dataclass(frozen=True)
class InputFile:
    """Inputs read from ``path``; ``names`` label the rows (image files, relative to ``path``)."""

    path: Path
    x: Any
    names: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self.x)


def read_inputs(path: str | Path, modality: Modality) -> InputFile:
    """Read a file or folder of new inputs for a model of ``modality``."""
    path = Path(path).expanduser()
    if not path.exists():
        raise SourceNotFoundError(
            msg("Input '{path}' not found. Check the path and try again.", path=str(path))
        )
    if path.is_dir():
        files = _image_paths(path)
        _check_images_wanted(path, modality)
        return InputFile(
            path, ImageFiles(files), tuple(p.relative_to(path).as_posix() for p in files)
        )
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        _check_images_wanted(path, modality)
        return InputFile(path, ImageFiles((path,)), (path.name,))
    if suffix in TABLE_SUFFIXES:
        from dlpilot.data.tables import read_table

        frame, _how = read_table(path)  # predict files are sniffed as training files are
        if modality in (Modality.TABULAR, Modality.TEXT):
            return InputFile(path, frame)
        return InputFile(path, frame.to_numpy())
    if suffix == ".npz":
        return InputFile(path, _read_npz(path))
    raise DataError(
        msg(
            "Unsupported input file type '{kind}'. Give a CSV or Parquet table, an image file or "
            "folder (PNG, JPEG, BMP), or a NumPy .npz holding an array 'x'.",
            kind=suffix or path.name,
        )
    )


def _image_paths(folder: Path) -> tuple[Path, ...]:
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
    )
    if not found:
        raise DataError(
            msg(
                "No images (PNG, JPEG, BMP) found in folder '{folder}' or its sub-folders. Give "
                "an image folder, an image file, a table or an .npz.",
                folder=str(folder),
            )
        )
    return tuple(found)


def _check_images_wanted(path: Path, modality: Modality) -> None:
    if modality is Modality.IMAGE:
        return
    if modality in (Modality.TABULAR, Modality.TEXT):
        raise DataError(
            msg(
                "'{path}' holds images, but the model reads {modality} inputs. Give a "
                "CSV/Parquet table with the training columns.",
                path=str(path),
                modality=str(modality),
            )
        )
    raise DataError(
        msg(
            "'{path}' holds images, but the model reads {modality} inputs. Give a NumPy .npz "
            "holding an array 'x'.",
            path=str(path),
            modality=str(modality),
        )
    )


def _read_npz(path: Path) -> np.ndarray:
    try:
        with np.load(path, allow_pickle=False) as npz:
            keys = list(npz.files)
            if "x" not in keys:
                raise DataError(
                    msg(
                        "'{path}' holds no array 'x' (it holds {keys}). Save the inputs with "
                        "numpy.savez(path, x=...).",
                        path=str(path),
                        keys=keys,
                    )
                )
            return np.asarray(npz["x"])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(
            msg(
                "Cannot read '{path}' as a NumPy .npz file ({error}). Save it with "
                "numpy.savez(path, x=...); object arrays are not accepted.",
                path=str(path),
                error=str(exc),
            )
        ) from None
