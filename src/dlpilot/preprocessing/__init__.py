"""Fitted preprocessing: what turns raw inputs into the tensors a network reads.

Each preparer is fitted on a training split alone and then applied unchanged to
validation, test and new inputs; stage 3 fits them, a model bundle saves their state
(plain JSON values and NumPy arrays, no pickle) and ``Preparer.from_state`` rebuilds
them at predict time, picking the class by the saved ``kind``.

- ``TablePreparer`` (``tables``): numeric columns standardized, missing values imputed with
  the training median plus an indicator, categorical columns one-hot with an unknown bucket;
- ``ImagePreparer`` (``images``): one pixel scale, one shape, optional grayscale,
  per-channel mean/std; image decoding and resizing; ``ImageStream`` for sets too large
  to hold prepared;
- ``SequencePreparer`` (``sequences``): per-channel mean/std;
- ``TextPreparer`` (``text``): a tokenizer and a vocabulary, token ids.

``fit_preparer`` picks and fits the one a problem's modality calls for. The settings
(``MAX_CATEGORY_LEVELS``, ``MAX_VOCABULARY``, ``UNIT_RANGE_MAX``, …) live in the module
of their kind.
"""

from __future__ import annotations

from dlpilot.preprocessing.base import STATE_VERSION, Preparer
from dlpilot.preprocessing.fit import fit_preparer
from dlpilot.preprocessing.images import ImagePreparer, ImageStream, decode_images, pixel_groups
from dlpilot.preprocessing.sequences import SequencePreparer
from dlpilot.preprocessing.tables import TablePreparer
from dlpilot.preprocessing.text import TextPreparer, tokenize

__all__ = [
    "STATE_VERSION",
    "ImagePreparer",
    "ImageStream",
    "Preparer",
    "SequencePreparer",
    "TablePreparer",
    "TextPreparer",
    "decode_images",
    "fit_preparer",
    "pixel_groups",
    "tokenize",
]
