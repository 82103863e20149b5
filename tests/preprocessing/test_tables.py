"""Tables: numbers standardized and imputed with an indicator, categories one-hot with a bucket."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from stage_data import mixed_table, table_dataset

from dlpilot.core.errors import DataError
from dlpilot.preprocessing import fit_preparer
from dlpilot.stages.define import define_problem


def test_missing_values_are_imputed_with_an_indicator_and_unknown_categories_get_a_bucket():
    frame = mixed_table(200)
    dataset = table_dataset(frame, "bought")
    spec = define_problem(dataset).spec
    prep = fit_preparer(dataset.x, dataset.y, spec, column_kinds=dataset.column_kinds)
    names = prep.feature_names
    assert "income:missing" in names and "colour=<unknown>" in names
    assert prep.input_shape == (len(names),)

    new = pd.DataFrame(
        {"age": [40.0], "income": [np.nan], "colour": ["purple"], "extra": [1]}
    )  # extra columns are ignored
    row = prep.transform(new)[0]
    income = [n["column"] for n in prep.numeric_].index("income")
    expected = (prep.median_[income] - prep.mean_[income]) / prep.std_[income]
    assert row[names.index("income")].item() == pytest.approx(expected, rel=1e-5)
    assert row[names.index("income:missing")].item() == 1.0
    assert row[names.index("colour=<unknown>")].item() == 1.0
    assert row[[i for i, n in enumerate(names) if n.startswith("colour=")]].sum().item() == 1.0

    # Booleans may arrive as the words the loader reads.
    flags = pd.DataFrame({"f": [1.0, 0.0, 1.0, np.nan], "y": ["a", "b", "a", "b"]})
    flagged = table_dataset(flags.assign(f=["yes", "no", "yes", None]), "y")
    prep_flags = fit_preparer(
        flagged.x, None, define_problem(flagged).spec, column_kinds=flagged.column_kinds
    )
    assert torch.equal(
        prep_flags.transform(pd.DataFrame({"f": ["YES", "no"]})),
        prep_flags.transform(pd.DataFrame({"f": [1.0, 0.0]})),
    )

    with pytest.raises(DataError, match=r"lacks column\(s\) \['colour'\]"):
        prep.transform(new.drop(columns=["colour"]))
    with pytest.raises(DataError, match=r"Column 'age' must be numeric.*'old'"):
        prep.transform(new.assign(age=["old"]))
