"""Stage 2: the protocol follows the sample count, stratifies, keeps groups, seals the test set."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from stage_data import binary_table, numeric_spec, table_dataset

from dlpilot.core.enums import ProtocolKind
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data.dataset import Dataset
from dlpilot.stages import protocol as stage
from dlpilot.stages.define import define_problem
from dlpilot.stages.protocol import choose_protocol


def _choose(frame: pd.DataFrame, target: str, **kwargs):
    dataset = table_dataset(frame, target)
    spec = define_problem(dataset).spec
    return dataset, choose_protocol(dataset, spec, **kwargs)


def _with_row_id(frame: pd.DataFrame) -> pd.DataFrame:
    # A float feature that identifies each row, to follow rows through the splits.
    return frame.assign(row=np.arange(len(frame)) + 0.5)


def test_400_samples_get_stratified_kfold_that_covers_every_sample_once():
    frame = _with_row_id(binary_table(400, 0.3))
    _, choice = _choose(frame, "status")
    protocol = choice.protocol

    assert protocol.kind is ProtocolKind.KFOLD
    assert (protocol.folds, protocol.repeats) == (stage.KFOLD_FOLDS, 1)
    assert len(protocol.splits) == stage.KFOLD_FOLDS
    n_dev = choice.development.n_samples
    assert n_dev + protocol.n_test == 400
    val = np.concatenate([s.val for s in protocol.splits])
    assert np.array_equal(np.sort(val), np.arange(n_dev))
    y = choice.development.y
    for split in protocol.splits:
        assert not set(split.train) & set(split.val)
        # Stratified: each validation fold keeps the 30% share of 'fail'.
        assert np.mean(y[split.val] == "fail") == pytest.approx(0.3, abs=0.03)
    assert "scarce" in protocol.reason and f"{n_dev}" in protocol.reason


def test_very_few_samples_get_iterated_kfold_and_plenty_get_holdout():
    _, few = _choose(binary_table(150, 0.5), "status")
    assert few.protocol.kind is ProtocolKind.ITERATED_KFOLD
    assert few.protocol.repeats == stage.ITERATED_KFOLD_REPEATS
    assert len(few.protocol.splits) == stage.KFOLD_FOLDS * stage.ITERATED_KFOLD_REPEATS
    # Reshuffled: the repeats do not reuse the same folds.
    first, second = few.protocol.splits[0].val, few.protocol.splits[stage.KFOLD_FOLDS].val
    assert not np.array_equal(first, second)

    _, many = _choose(binary_table(8000, 0.5), "status")
    assert many.protocol.kind is ProtocolKind.HOLDOUT
    assert len(many.protocol.splits) == 1
    assert many.protocol.n_test == 1600
    assert many.protocol.n_val == round(stage.VAL_FRACTION * 6400)


def test_two_million_rows_get_holdout_with_10000_validation_and_10000_test():
    started = time.perf_counter()
    n = 2_000_000
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = (rng.random(n) < 0.5).astype(np.int64)
    dataset = Dataset(name="big", source="generated", x=x, y=y, target_names=("y",))
    choice = choose_protocol(dataset, numeric_spec(n, 2))
    protocol = choice.protocol

    assert protocol.kind is ProtocolKind.HOLDOUT
    assert protocol.n_val == 10_000 and len(protocol.splits[0].val) == 10_000
    assert protocol.n_test == 10_000 and choice.test.n_samples == 10_000
    assert protocol.n_train == n - 20_000
    assert time.perf_counter() - started <= 20


def test_a_group_never_spans_train_validation_and_test():
    rng = np.random.default_rng(3)
    n_patients = 60
    patient = np.repeat([f"p{i}" for i in range(n_patients)], 8)
    frame = pd.DataFrame(
        {
            "patient": patient,
            "signal": rng.normal(size=len(patient)),
            "sick": np.where(rng.random(len(patient)) < 0.4, "yes", "no"),
        }
    )
    _, choice = _choose(frame, "sick", group="patient")
    test_groups = set(choice.test.peek_inputs()["patient"])
    dev_groups = choice.development.x["patient"].to_numpy()
    assert test_groups and not test_groups & set(dev_groups)
    for split in choice.protocol.splits:
        assert not set(dev_groups[split.train]) & set(dev_groups[split.val])
    assert choice.protocol.group == "patient"
    assert "whole groups" in choice.decisions[0].what


def test_group_column_errors_name_the_problem():
    frame = binary_table(100, 0.5).assign(site=["a", "b"] * 50)
    dataset = table_dataset(frame, "status")
    spec = define_problem(dataset).spec
    with pytest.raises(DataError, match=r"Group column 'sit' not found\. Did you mean 'site'\?"):
        choose_protocol(dataset, spec, group="sit")
    with pytest.raises(DataError, match="2 distinct group"):
        choose_protocol(dataset, spec, group="site")
    arrays = Dataset("a", "a", np.zeros((10, 2)), np.arange(10) % 2, ("y",))
    with pytest.raises(DataError, match="needs a table"):
        choose_protocol(arrays, numeric_spec(10, 2), group="site")


def test_an_official_test_split_is_the_test_set():
    rng = np.random.default_rng(4)
    official = SealedTestSet(rng.normal(size=(50, 3)), rng.integers(0, 2, 50), origin="official")
    dataset = Dataset(
        "npz", "npz", rng.normal(size=(400, 3)), rng.integers(0, 2, 400), ("y",), test=official
    )
    choice = choose_protocol(dataset, define_problem(dataset).spec)
    assert choice.test is official
    assert choice.development.n_samples == 400
    assert choice.development.test is None
    assert choice.protocol.test_origin == "official" and choice.protocol.n_test == 50


def test_the_carved_test_set_is_sealed_and_disjoint_from_development():
    frame = _with_row_id(binary_table(400, 0.5))
    _, choice = _choose(frame, "status")
    assert isinstance(choice.test, SealedTestSet) and choice.test.origin == "held out"
    assert choice.development.test is None
    test_rows = set(choice.test.peek_inputs()["row"])
    dev_rows = set(choice.development.x["row"])
    assert not test_rows & dev_rows
    assert len(test_rows | dev_rows) == 400
    assert choice.to_dict()["test_times_opened"] == 0


def test_tiny_classes_get_fewer_folds_or_a_clear_error():
    labels = ["a"] * 100 + ["b"] * 100 + ["c"] * 4
    frame = pd.DataFrame({"f": np.arange(len(labels), dtype=float) % 7, "label": labels})
    _, choice = _choose(frame, "label")
    assert choice.protocol.folds < stage.KFOLD_FOLDS
    assert any("folds instead of" in d.what for d in choice.decisions)

    frame = pd.DataFrame({"f": np.arange(202, dtype=float) % 7, "label": labels[:200] + ["c"] * 2})
    with pytest.raises(DataError, match=r"'c' \(2\) have fewer than 3 samples"):
        _choose(frame, "label")


def test_regression_splits_are_plain_kfold_and_the_same_seed_gives_the_same_splits():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"f": rng.normal(size=500), "price": rng.normal(size=500)})
    _, a = _choose(frame, "price", seed=7)
    _, b = _choose(frame, "price", seed=7)
    assert a.protocol.kind is ProtocolKind.KFOLD and a.protocol.stratified is False
    for sa, sb in zip(a.protocol.splits, b.protocol.splits, strict=True):
        assert np.array_equal(sa.val, sb.val)


def test_kind_override_and_the_summary_block():
    _, choice = _choose(binary_table(400, 0.5), "status", kind="holdout")
    assert choice.protocol.kind is ProtocolKind.HOLDOUT
    assert "asked for" in choice.protocol.reason and "kfold" in choice.protocol.reason
    block = choice.to_dict()
    for key in ("kind", "folds", "repeats", "n_train", "n_val", "n_test", "reason"):
        assert key in block
    with pytest.raises(ConfigError, match="Unknown protocol 'bootstrap'"):
        _choose(binary_table(100, 0.5), "status", kind="bootstrap")
