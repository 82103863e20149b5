"""The one typed dataset object every source produces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dlpilot.core.enums import ColumnKind, Modality
from dlpilot.core.errors import DataError
from dlpilot.core.messages import Text, msg
from dlpilot.core.sealed import SealedTestSet

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


@dataclass(frozen=True)
class ImageFiles:
    """Images on disk, read one at a time so a folder larger than memory works."""

    paths: tuple[Path, ...]

    def __len__(self) -> int:
        return len(self.paths)

    def header(self, i: int) -> tuple[tuple[int, int], str]:
        """(width, height) and PIL mode, read from the file header without decoding pixels."""
        from PIL import Image, UnidentifiedImageError

        path = self.paths[i]
        try:
            with Image.open(path) as im:
                return im.size, im.mode
        except (UnidentifiedImageError, OSError) as exc:
            raise DataError(_corrupt(path, exc)) from None

    def read(
        self, i: int, *, mode: str | None = None, size: tuple[int, int] | None = None
    ) -> np.ndarray:
        """Decode image ``i`` as an HxWxC uint8 array, optionally converted and resized."""
        from PIL import Image, UnidentifiedImageError

        path = self.paths[i]
        try:
            with Image.open(path) as im:
                im.load()
                if mode is not None and im.mode != mode:
                    im = im.convert(mode)
                elif im.mode not in ("L", "RGB"):
                    im = im.convert("RGB")
                if size is not None and im.size != size:
                    im = im.resize(size, Image.Resampling.BILINEAR)
                arr = np.asarray(im, dtype=np.uint8)
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise DataError(_corrupt(path, exc)) from None
        return arr[:, :, None] if arr.ndim == 2 else arr


def _corrupt(path: Path, exc: Exception) -> Text:
    return msg(
        "Corrupt or unreadable image file '{path}': {error}. Remove or replace it.",
        path=str(path),
        error=str(exc),
    )


Inputs = pd.DataFrame | np.ndarray | ImageFiles


@dataclass(frozen=True)
class Dataset:
    """Inputs and targets from one source, with what the source knows about them.

    ``x`` is a DataFrame (tables, text), an array (images as N×C×H×W, sequences
    as N×C×L, or flat N×F features) or `ImageFiles`. ``y`` holds the raw
    targets: 1-D for one target, N×k for several. ``classes`` is the source's
    own class order when it has one (labels are then these names). An official
    test split, if the source has one, arrives already sealed.
    """

    name: str
    source: str
    x: Inputs
    y: np.ndarray
    target_names: tuple[str, ...]
    modality_hint: Modality | None = None
    # What in the data's shape or content gave the hint, in words (empty: the source's say).
    modality_evidence: Text = ""
    column_kinds: Mapping[str, ColumnKind] = field(default_factory=dict)
    classes: tuple[str, ...] = ()
    test: SealedTestSet | None = None
    human_accuracy: float | None = None
    description: str = ""
    # How the source was read, as (what, why) decisions: a file's delimiter and encoding,
    # rows set aside for a missing target. Stage 0 records them. Given as messages, they are
    # kept here as English text and in ``note_texts`` as the messages, for a reader in
    # another language (``Decision(what=what, why=why) for what, why in note_texts``).
    notes: tuple[tuple[Text, Text], ...] = ()
    note_texts: tuple[tuple[Text, Text], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        n_x, n_y = n_rows(self.x), len(self.y)
        if n_x != n_y:
            raise DataError(
                msg(
                    "Dataset '{name}' has {n_x} inputs but {n_y} targets; they must match.",
                    name=self.name,
                    n_x=n_x,
                    n_y=n_y,
                )
            )
        given = tuple((what, why) for what, why in self.notes)
        english = tuple((str(what), str(why)) for what, why in given)
        # `replace` passes both back: English notes that match the messages keep them.
        if given != english or [(str(w), str(y)) for w, y in self.note_texts] != list(english):
            object.__setattr__(self, "note_texts", given)
        object.__setattr__(self, "notes", english)

    @property
    def n_samples(self) -> int:
        return len(self.y)

    def __repr__(self) -> str:
        kind = type(self.x).__name__
        test = f", test={self.test.n_samples}" if self.test is not None else ""
        return f"Dataset({self.name!r}, n={self.n_samples}, x={kind}{test})"


def n_rows(x: Inputs | Sequence[Any]) -> int:
    return len(x)


def table_view(x: Inputs) -> pd.DataFrame:
    """Inputs as a table: a DataFrame as is, an array flattened to columns x0, x1, …"""
    if isinstance(x, pd.DataFrame):
        return x
    if isinstance(x, np.ndarray):
        flat = x.reshape(len(x), -1)
        return pd.DataFrame(flat, columns=[f"x{i}" for i in range(flat.shape[1])])
    raise DataError(
        msg(
            "An image folder cannot be read as a table; leave --modality out or use "
            "--modality image."
        )
    )


def take(x: Inputs, idx: np.ndarray | Sequence[int]) -> Inputs:
    """Rows ``idx`` of any kind of inputs, in that order (a DataFrame gets a fresh 0..n-1 index)."""
    idx = np.asarray(idx, dtype=np.int64)
    if isinstance(x, pd.DataFrame):
        return x.iloc[idx].reset_index(drop=True)
    if isinstance(x, ImageFiles):
        return ImageFiles(tuple(x.paths[i] for i in idx))
    if isinstance(x, np.ndarray):
        return x[idx]
    raise DataError(
        msg(
            "Inputs of type {kind} cannot be subset; expected a DataFrame, an array or ImageFiles.",
            kind=type(x).__name__,
        )
    )


def subset(dataset: Dataset, idx: np.ndarray | Sequence[int]) -> Dataset:
    """The rows ``idx`` of a dataset, with everything the source said about it.

    The test split does not travel with a subset: the result's ``test`` is None.
    """
    idx = np.asarray(idx, dtype=np.int64)
    return replace(dataset, x=take(dataset.x, idx), y=np.asarray(dataset.y)[idx], test=None)
