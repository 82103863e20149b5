"""Image folders: one sub-folder per class; ``train/`` and ``test/`` are an official split."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dlpilot.core.enums import Modality
from dlpilot.core.errors import DataError, SourceNotFoundError
from dlpilot.core.messages import msg
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data.dataset import IMAGE_SUFFIXES, Dataset, ImageFiles


def load_image_folder(root: str | Path, *, name: str | None = None) -> Dataset:
    """Index an image folder without decoding it; pixels are read when needed."""
    root = Path(root)
    if not root.is_dir():
        raise SourceNotFoundError(
            msg("Image folder '{root}' not found. Check the path.", root=str(root))
        )
    train_dir, test_dir = root / "train", root / "test"
    if train_dir.is_dir() and test_dir.is_dir():
        files, labels = _index_classes(train_dir)
        test_files, test_labels = _index_classes(test_dir)
        unknown = sorted(set(test_labels) - set(labels))
        if unknown:
            raise DataError(
                msg(
                    "'{test_dir}' has classes {unknown} that '{train_dir}' lacks. Give the "
                    "training split every class the test split has.",
                    test_dir=str(test_dir),
                    unknown=unknown,
                    train_dir=str(train_dir),
                )
            )
        test = SealedTestSet(test_files, np.asarray(test_labels, dtype=object), origin="official")
    else:
        files, labels = _index_classes(root)
        test = None
    return Dataset(
        name=name or root.name,
        source=str(root),
        x=files,
        y=np.asarray(labels, dtype=object),
        target_names=("label",),
        modality_hint=Modality.IMAGE,
        test=test,
        description=f"image folder with {len(set(labels))} classes",
    )


def _index_classes(root: Path) -> tuple[ImageFiles, list[str]]:
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    paths: list[Path] = []
    labels: list[str] = []
    for d in class_dirs:
        found = sorted(
            p for p in d.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        )
        paths.extend(found)
        labels.extend([d.name] * len(found))
    if not paths:
        loose = [p for p in root.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
        if loose:
            raise DataError(
                msg(
                    "No images found in class sub-folders of '{root}' ({n} images lie directly "
                    "in it: move them into one sub-folder per class). Expected "
                    "{root}/<class>/*.png (PNG, JPEG or BMP).",
                    root=str(root),
                    n=len(loose),
                )
            )
        raise DataError(
            msg(
                "No images found in class sub-folders of '{root}'. Expected "
                "{root}/<class>/*.png (PNG, JPEG or BMP).",
                root=str(root),
            )
        )
    return ImageFiles(tuple(paths)), labels


def scan_headers(files: ImageFiles) -> tuple[np.ndarray, np.ndarray]:
    """Sizes (N×2, width and height) and modes of every image, from headers alone.

    A file whose header cannot be read is corrupt, and the error names it.
    """
    sizes = np.empty((len(files), 2), dtype=np.int64)
    modes = np.empty(len(files), dtype=object)
    for i in range(len(files)):
        size, mode = files.header(i)
        sizes[i] = size
        modes[i] = mode
    return sizes, modes
