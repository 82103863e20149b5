"""Tables: numbers standardized and imputed with an indicator, categories one-hot with a bucket."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from stage_data import mixed_table, table_dataset

from dlpilot.core.enums import ColumnKind
from dlpilot.core.errors import DataError
from dlpilot.preprocessing import TablePreparer, fit_preparer
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


def test_the_preparer_names_the_columns_it_reads_and_the_categories_it_has_no_level_for():
    frame = pd.DataFrame(
        {
            "age": [30.0, 40.0, np.nan, 50.0],
            "colour": ["red", "blue", "red", None],
            "smoker": [1.0, 0.0, 0.0, 1.0],
        }
    )
    kinds = {"age": ColumnKind.NUMERIC, "colour": ColumnKind.CATEGORICAL}
    prep = TablePreparer(column_kinds={**kinds, "smoker": ColumnKind.BOOLEAN}).fit(frame)
    assert prep.input_columns() == (
        ("age", ColumnKind.NUMERIC),
        ("colour", ColumnKind.CATEGORICAL),
        ("smoker", ColumnKind.BOOLEAN),
    )
    # The loader's types, where given, win over the fitted ones.
    assert prep.input_columns({"age": ColumnKind.CATEGORICAL})[0] == ("age", ColumnKind.CATEGORICAL)
    assert prep.raw_shape == (3,)

    new = pd.DataFrame({"colour": ["green", "red", None, "green", "pink"]})
    # A missing value is a level of its own, so it is not unknown.
    assert prep.unknown_categories(new) == {"colour": {"green": 2, "pink": 1}}
    levels = prep.categorical_[0]["levels"]
    codes = prep.category_codes(new)["colour"]
    assert (
        codes.tolist()
        == [len(levels), levels.index("red"), levels.index("<missing>")] + [len(levels)] * 2
    )
    with pytest.raises(DataError, match=r"lacks column\(s\) \['colour'\]"):
        prep.unknown_categories(new.rename(columns={"colour": "color"}))
