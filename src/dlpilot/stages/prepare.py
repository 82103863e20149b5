"""Stage 3 — prepare the data.

Vectorize and normalize with statistics of the training split alone, then apply
the same fitted preparation to validation, test and, later, new inputs. The
preparers are `dlpilot.preprocessing`'s (one per modality):

- tables: numeric columns standardized, missing values imputed with the
  training median plus a missing-value indicator, categorical columns one-hot
  with an unknown bucket (a linear layer over a one-hot block is an embedding);
- images: one pixel scale, one shape, optional grayscale, per-channel mean/std;
- sequences: per-channel mean/std;
- text: a tokenizer and a vocabulary fitted on the training split, token ids.

This stage fits one per protocol split, decides whether prepared images are held
in memory, and describes what it did. It also checks (`stages._shift`), with
evidence, that the test inputs look like the training inputs
(``split_distribution_shift``) and that images share one pixel range
(``mixed_pixel_range``) and size (``mixed_image_sizes``). It reads the sealed test
set only through ``peek_inputs()``: inputs, never labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from dlpilot.core.enums import Modality
from dlpilot.core.errors import DataError
from dlpilot.core.messages import Msg, msg
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.core.sealed import SealedTestSet
from dlpilot.core.targets import encode_target
from dlpilot.data.dataset import Dataset, ImageFiles, take
from dlpilot.engine.data import TensorData
from dlpilot.preprocessing import (
    ImagePreparer,
    ImageStream,
    Preparer,
    SequencePreparer,
    TablePreparer,
    TextPreparer,
    decode_images,
    fit_preparer,
)
from dlpilot.preprocessing.tables import MAX_CATEGORY_LEVELS
from dlpilot.preprocessing.text import SEQUENCE_LENGTH_QUANTILE
from dlpilot.stages._shift import (
    check_distribution_shift,
    compare_test_images,
    pixel_range_findings,
)

if TYPE_CHECKING:  # for annotations only: stages pass typed results, never import each other
    from dlpilot.stages.protocol import Protocol

STAGE = "prepare"

# Images: prepared tensors of every fold are kept in memory while they fit under this many
# bytes (float32); beyond it each fold's images are prepared one by one as the engine reads them.
IMAGE_MEMORY_CAP_BYTES = 2 * 1024**3

# Augmentation policies for images; the engine implements them and tuning switches them on.
IMAGE_AUGMENTATIONS = ("flip", "crop", "rotate", "erase")


@dataclass(frozen=True, eq=False)
class PreparedFold:
    """One protocol split, prepared by a preparer fitted on its training part alone."""

    train: TensorData | torch.utils.data.Dataset
    val: TensorData | torch.utils.data.Dataset
    preparer: Preparer


@dataclass(frozen=True, eq=False)
class PreparedData:
    """Stage 3's result: every split prepared, with what preparation decided and found."""

    folds: tuple[PreparedFold, ...]
    input_shape: tuple[int, ...]
    vocab_size: int | None
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    # Augmentation policies that apply to this modality; tuning may switch them on.
    augmentations: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"PreparedData(folds={len(self.folds)}, input_shape={self.input_shape}, "
            f"vocab_size={self.vocab_size}, findings={[str(f.code) for f in self.findings]})"
        )


def prepare_development(
    development: Dataset, spec: ProblemSpec, *, grayscale: bool = False
) -> tuple[Preparer, TensorData | ImageStream]:
    """Fit the preparation on all development data and apply it: the final training set.

    Images that do not fit the memory cap stream, as in `prepare_data`.
    """
    x_dev: Any = development.x
    y_dev = torch.from_numpy(encode_target(development.y, spec))
    stream = False
    if spec.modality is Modality.IMAGE:
        x_dev, stream = _image_storage(x_dev, spec, grayscale, 1, [])
    preparer = fit_preparer(
        x_dev, development.y, spec, grayscale=grayscale, column_kinds=development.column_kinds
    )
    if stream:
        assert isinstance(preparer, ImagePreparer)
        return preparer, ImageStream(x_dev, np.arange(len(y_dev)), y_dev, preparer)
    return preparer, TensorData(preparer.transform(x_dev), y_dev)


def prepare_data(
    development: Dataset,
    spec: ProblemSpec,
    protocol: Protocol,
    *,
    test: SealedTestSet | None = None,
    grayscale: bool = False,
) -> PreparedData:
    """Fit a preparer on each split's training part, apply it to both parts, and check the data.

    ``protocol`` is stage 2's `Protocol` (its ``splits`` index ``development``). ``test``, if
    given, is read through ``peek_inputs()`` only, for the train-vs-test checks.
    """
    decisions: list[Decision] = []
    findings: list[Finding] = []
    x_dev: Any = development.x
    y_dev = torch.from_numpy(encode_target(development.y, spec))
    splits = tuple(protocol.splits)
    if not splits:
        raise DataError(
            msg("The protocol has no splits; choose the protocol before preparing data.")
        )

    stream = False
    if spec.modality is Modality.IMAGE:
        x_dev, stream = _image_storage(x_dev, spec, grayscale, len(splits), decisions)
        findings.extend(pixel_range_findings(x_dev, msg("the development set")))

    folds: list[PreparedFold] = []
    for split in splits:
        x_train = take(x_dev, split.train)
        preparer = fit_preparer(
            x_train,
            development.y[split.train],
            spec,
            grayscale=grayscale,
            column_kinds=development.column_kinds,
        )
        if stream:
            assert isinstance(preparer, ImagePreparer)
            train: Any = ImageStream(x_dev, split.train, y_dev[split.train], preparer)
            val: Any = ImageStream(x_dev, split.val, y_dev[split.val], preparer)
        else:
            train = TensorData(preparer.transform(x_train), y_dev[split.train])
            val = TensorData(preparer.transform(take(x_dev, split.val)), y_dev[split.val])
        folds.append(PreparedFold(train=train, val=val, preparer=preparer))

    first = folds[0].preparer
    decisions.extend(_describe(first, spec, len(splits)))
    augmentations: tuple[str, ...] = ()
    if spec.modality is Modality.IMAGE:
        augmentations = IMAGE_AUGMENTATIONS
        decisions.append(
            Decision(
                what=msg(
                    "augmentation policies available to tuning: {policies}",
                    policies=", ".join(augmentations),
                ),
                why=msg(
                    "random flips, crops with padding, small rotations and random erasing "
                    "multiply the images a network sees; they are a regularizer, so tuning "
                    "switches them on and keeps them only if validation improves"
                ),
            )
        )

    if test is not None:
        test_x = test.peek_inputs()
        if spec.modality is Modality.IMAGE:
            findings.extend(compare_test_images(x_dev, test_x, spec))
        shift_findings, shift_decisions = check_distribution_shift(first, spec, x_dev, test_x)
        findings.extend(shift_findings)
        decisions.extend(shift_decisions)
    else:
        decisions.append(
            Decision(
                what=msg("no train-vs-test shift check"),
                why=msg("no test set was given to the preparation stage"),
            )
        )
    return PreparedData(
        folds=tuple(folds),
        input_shape=tuple(first.input_shape),
        vocab_size=first.vocab_size,
        decisions=tuple(decisions),
        findings=tuple(findings),
        augmentations=augmentations,
    )


def _describe(prep: Preparer, spec: ProblemSpec, n_splits: int) -> list[Decision]:
    fitted: Msg = (
        msg("fitted on each of the {n_splits} training splits alone", n_splits=n_splits)
        if n_splits > 1
        else msg("fitted on the training split alone")
    )
    out: list[Decision] = []
    if isinstance(prep, TablePreparer):
        plain = [n["column"] for n in prep.numeric_ if not n["from_category"]]
        imputed = [n["column"] for n in prep.numeric_ if n["indicator"]]
        if plain:
            out.append(
                Decision(
                    what=msg("standardize {n} numeric column(s)", n=len(plain)),
                    why=msg(
                        "mean 0 and standard deviation 1 keep gradients balanced; statistics "
                        "{fitted}",
                        fitted=fitted,
                    ),
                    numbers={"columns": plain[:20]},
                )
            )
        if imputed:
            out.append(
                Decision(
                    what=msg(
                        "impute missing values in {columns} with the training median, plus "
                        "a missing-value indicator each",
                        columns=imputed[:10],
                    ),
                    why=msg(
                        "a network cannot read NaN, and whether a value was missing can itself "
                        "carry signal"
                    ),
                    numbers={"columns": imputed},
                )
            )
        if prep.categorical_:
            widths = {c["column"]: len(c["levels"]) + 1 for c in prep.categorical_}
            out.append(
                Decision(
                    what=msg(
                        "one-hot encode {n} categorical column(s) with an unknown bucket each",
                        n=len(widths),
                    ),
                    why=msg(
                        "each keeps at most its {levels} most frequent training "
                        "levels; rarer and unseen levels go to the unknown bucket. A linear layer "
                        "over a one-hot block is an embedding lookup",
                        levels=MAX_CATEGORY_LEVELS,
                    ),
                    numbers={"widths": widths},
                )
            )
        out.append(
            Decision(
                what=msg("tabular inputs become {n} features", n=prep.input_shape[0]),
                why=msg("numeric values, missing-value indicators and one-hot blocks side by side"),
            )
        )
    elif isinstance(prep, ImagePreparer):
        c, h, w = prep.input_shape
        out.append(
            Decision(
                what=msg("images as {c}×{h}×{w} tensors, normalized per channel", c=c, h=h, w=w),
                why=msg(
                    "per-channel mean and standard deviation {fitted}; grayscale was asked for "
                    "to cut compute",
                    fitted=fitted,
                )
                if prep.grayscale
                else msg("per-channel mean and standard deviation {fitted}", fitted=fitted),
                numbers={
                    "mean": np.round(prep.mean_, 4).tolist(),
                    "std": np.round(prep.std_, 4).tolist(),
                    "images_for_statistics": prep.stats_images_,
                },
            )
        )
    elif isinstance(prep, SequencePreparer):
        out.append(
            Decision(
                what=msg(
                    "signals as {shape} tensors, standardized per channel",
                    shape="×".join(map(str, prep.input_shape)),
                ),
                why=msg("per-channel mean and standard deviation {fitted}", fitted=fitted),
                numbers={
                    "mean": np.round(prep.mean_, 4).tolist(),
                    "std": np.round(prep.std_, 4).tolist(),
                },
            )
        )
    elif isinstance(prep, TextPreparer):
        out.append(
            Decision(
                what=msg(
                    "text as token ids: a vocabulary of {vocab:,} (padding and unknown "
                    "included), sequences of {length} tokens",
                    vocab=prep.vocab_size,
                    length=prep.length_,
                ),
                why=msg(
                    "lower-cased word and punctuation tokens seen at least {min_count} times "
                    "in training (at most {max_vocabulary:,}); the length is the "
                    "{quantile:.0%} quantile of training lengths (at most "
                    "{max_length}); vocabulary {fitted}",
                    min_count=prep.min_count,
                    max_vocabulary=prep.max_vocabulary,
                    quantile=SEQUENCE_LENGTH_QUANTILE,
                    max_length=prep.max_length,
                    fitted=fitted,
                ),
                numbers={
                    "vocab_size": prep.vocab_size,
                    "length": prep.length_,
                    **prep.train_lengths_,
                },
            )
        )
    return out


def _image_storage(
    x: Any, spec: ProblemSpec, grayscale: bool, n_splits: int, decisions: list[Decision]
) -> tuple[Any, bool]:
    """Decide whether prepared images are held in memory; decode an image folder once if so."""
    channels, height, width = (int(s) for s in spec.input_shape)
    out_channels = 1 if grayscale else channels
    n = len(x)
    prepared_bytes = n_splits * n * out_channels * height * width * 4
    decoded_bytes = n * channels * height * width
    in_memory = prepared_bytes <= IMAGE_MEMORY_CAP_BYTES
    mib = prepared_bytes / 2**20
    cap = IMAGE_MEMORY_CAP_BYTES / 2**30
    if in_memory:
        decisions.append(
            Decision(
                what=msg("hold the prepared images in memory ({mib:,.0f} MiB)", mib=mib),
                why=msg(
                    "{n_splits} split(s) of {n:,} images fit under the {cap:.0f} GiB cap",
                    n_splits=n_splits,
                    n=n,
                    cap=cap,
                ),
                numbers={"bytes": prepared_bytes, "cap_bytes": IMAGE_MEMORY_CAP_BYTES},
            )
        )
    if isinstance(x, ImageFiles) and (in_memory or decoded_bytes <= IMAGE_MEMORY_CAP_BYTES):
        x = decode_images(x, channels=channels, size=(height, width))
    if not in_memory:
        decisions.append(
            Decision(
                what=msg("prepare images one at a time as training reads them (from memory)")
                if isinstance(x, np.ndarray)
                else msg("prepare images one at a time as training reads them (from disk)"),
                why=msg(
                    "prepared tensors of {n_splits} split(s) would take {mib:,.0f} MiB, over "
                    "the {cap:.0f} GiB cap",
                    n_splits=n_splits,
                    mib=mib,
                    cap=cap,
                ),
                numbers={"bytes": prepared_bytes, "cap_bytes": IMAGE_MEMORY_CAP_BYTES},
            )
        )
    return x, not in_memory
