"""The base preparer: a fitted state is plain data, and the registry rebuilds it by kind."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
import torch
from stage_data import image_spec, mixed_table, table_dataset

from dlpilot.core.enums import Modality, Task
from dlpilot.core.errors import DataError
from dlpilot.core.records import ProblemSpec
from dlpilot.preprocessing import (
    STATE_VERSION,
    ImagePreparer,
    Preparer,
    SequencePreparer,
    TablePreparer,
    TextPreparer,
    fit_preparer,
)
from dlpilot.stages.define import define_problem


def _round_trip(prep: Preparer) -> Preparer:
    """Through JSON text and an .npz file in memory, as a bundle would save it (no pickle)."""
    meta, arrays = prep.state()
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as loaded:
        restored = {k: loaded[k] for k in loaded.files}
    return Preparer.from_state(json.loads(json.dumps(meta)), restored)


@pytest.mark.parametrize("kind", ["table", "image", "sequence", "text"])
def test_preparer_state_round_trips_through_json_and_arrays(kind):
    rng = np.random.default_rng(1)
    if kind == "table":
        dataset = table_dataset(mixed_table(120), "bought")
        spec = define_problem(dataset).spec
        prep = fit_preparer(dataset.x, None, spec, column_kinds=dataset.column_kinds)
        x = dataset.x
    elif kind == "image":
        x = rng.random((40, 3, 5, 5)).astype(np.float32)
        prep = fit_preparer(x, None, image_spec(40, (3, 5, 5)), grayscale=True)
    elif kind == "sequence":
        x = rng.normal(size=(40, 2, 30)).astype(np.float32)
        spec = image_spec(40, (2, 30))
        prep = fit_preparer(
            x, None, ProblemSpec(**{**spec.__dict__, "modality": Modality.SEQUENCE})
        )
    else:
        x = pd.DataFrame({"t": [" ".join(rng.choice(list("abcdefg"), 6)) for _ in range(40)]})
        spec = ProblemSpec(
            task=Task.BINARY,
            modality=Modality.TEXT,
            n_samples=40,
            n_features=1,
            input_shape=(1,),
            target_names=("y",),
            class_names=("0", "1"),
            feature_columns=("t",),
        )
        prep = fit_preparer(x, None, spec)
    restored = _round_trip(prep)
    assert type(restored) is type(prep)
    assert restored.input_shape == prep.input_shape
    assert restored.vocab_size == prep.vocab_size
    assert torch.equal(restored.transform(x), prep.transform(x))


def test_unknown_saved_state_is_a_clear_error():
    with pytest.raises(DataError, match="Unknown preparation kind 'audio'"):
        Preparer.from_state({"kind": "audio"}, {})


# --- the registry ----------------------------------------------------------------------------------


def _fitted_of_each_kind() -> list[Preparer]:
    rng = np.random.default_rng(2)
    table = pd.DataFrame({"a": rng.normal(size=12), "c": rng.choice(["x", "y"], size=12)})
    return [
        TablePreparer().fit(table),
        ImagePreparer(shape=(1, 4, 4)).fit(rng.integers(0, 256, size=(6, 1, 4, 4))),
        SequencePreparer(shape=(2, 5)).fit(rng.normal(size=(6, 2, 5))),
        TextPreparer().fit(pd.DataFrame({"t": ["a b c", "b c", "c a"]})),
    ]


def test_a_saved_state_of_each_kind_loads_back_as_the_class_of_that_kind():
    fitted = _fitted_of_each_kind()
    assert sorted(p.kind for p in fitted) == ["image", "sequence", "table", "text"]
    for prep in fitted:
        meta, arrays = prep.state()
        assert meta["kind"] == prep.kind and meta["version"] == STATE_VERSION
        assert type(Preparer.from_state(meta, arrays)) is type(prep)
        # The kind in the state decides, whichever class is asked.
        assert type(TablePreparer.from_state(meta, arrays)) is type(prep)


def test_an_unknown_kind_is_a_data_error_that_lists_the_known_ones():
    known = r"\['image', 'sequence', 'table', 'text'\]"
    with pytest.raises(DataError, match=rf"Unknown preparation kind 'audio'.*{known}"):
        Preparer.from_state({"kind": "audio", "version": STATE_VERSION}, {})
    with pytest.raises(DataError, match=r"Unknown preparation kind None"):
        Preparer.from_state({}, {})


def test_a_second_preparer_cannot_take_a_kind_already_registered():
    with pytest.raises(TypeError, match=r"kind 'table' .* already registered by .*TablePreparer"):

        class AnotherTablePreparer(Preparer):
            kind = "table"

    assert type(_round_trip(_fitted_of_each_kind()[0])) is TablePreparer
