"""Fit the preparation a problem's modality calls for."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from dlpilot.core.enums import ColumnKind, Modality
from dlpilot.core.records import ProblemSpec
from dlpilot.data.dataset import Inputs
from dlpilot.preprocessing.base import Preparer
from dlpilot.preprocessing.images import ImagePreparer
from dlpilot.preprocessing.sequences import SequencePreparer
from dlpilot.preprocessing.tables import TablePreparer
from dlpilot.preprocessing.text import TextPreparer


def fit_preparer(
    x: Inputs,
    y: np.ndarray | None,
    spec: ProblemSpec,
    *,
    grayscale: bool = False,
    column_kinds: Mapping[str, ColumnKind] | None = None,
) -> Preparer:
    """Fit the preparation ``spec.modality`` calls for on training inputs ``x`` alone.

    ``y`` is accepted for target-aware encodings; none of the current ones uses it.
    """
    del y
    if spec.modality is Modality.TABULAR:
        return TablePreparer(columns=spec.feature_columns or None, column_kinds=column_kinds).fit(x)
    if spec.modality is Modality.TEXT:
        return TextPreparer(columns=spec.feature_columns or None).fit(x)
    if spec.modality is Modality.IMAGE:
        return ImagePreparer(shape=spec.input_shape, grayscale=grayscale).fit(x)
    return SequencePreparer(shape=spec.input_shape).fit(x)
