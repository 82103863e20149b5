"""The test set is sealed from the moment stage 2 sets it aside until the final stage opens it."""

from __future__ import annotations

import copy
import pickle

import pytest
from stage_data import binary_table, table_dataset

from dlpilot.core.errors import SealedTestSetError
from dlpilot.core.sealed import FinalStageKey
from dlpilot.stages.define import define_problem
from dlpilot.stages.metric import choose_metric
from dlpilot.stages.prepare import prepare_data
from dlpilot.stages.protocol import choose_protocol
from dlpilot.stages.score_to_beat import score_to_beat


@pytest.fixture
def stages():
    dataset = table_dataset(binary_table(300, 0.4), "status")
    spec = define_problem(dataset).spec
    choice = choose_protocol(dataset, spec)
    prepared = prepare_data(choice.development, spec, choice.protocol, test=choice.test)
    return spec, choice, prepared


def test_reading_the_test_set_before_the_final_stage_fails(stages):
    _, choice, _ = stages
    with pytest.raises(SealedTestSetError, match="sealed until the final stage"):
        choice.test.open()
    # A key made by hand is not the key the seal issued.
    with pytest.raises(SealedTestSetError):
        choice.test.open(FinalStageKey(id(choice.test)))
    assert choice.test.times_opened == 0


def test_code_standing_in_for_tuning_cannot_reach_the_test_set(stages):
    spec, choice, prepared = stages

    def tune_and_peek_at_test(prepared, protocol_choice):
        """What a careless tuning loop would do: score a candidate on the test set."""
        score_to_beat(prepared, spec, choose_metric(spec))
        return protocol_choice.test.open()

    with pytest.raises(SealedTestSetError):
        tune_and_peek_at_test(prepared, choice)

    # Tuning workers get their inputs by pickling: the test set cannot travel with them...
    with pytest.raises(SealedTestSetError, match="cannot be pickled"):
        pickle.dumps(choice)
    with pytest.raises(SealedTestSetError):
        copy.deepcopy(choice.test)
    # ...while the prepared data tuning works on pickles fine, so nothing in it leads to the test.
    restored = pickle.loads(pickle.dumps(prepared))
    assert len(restored.folds) == len(prepared.folds)
    assert choice.to_dict()["test_times_opened"] == 0


def test_the_final_stage_opens_it_once_and_the_count_is_recorded(stages):
    _, choice, _ = stages
    key = choice.test.issue_final_key()
    opened = choice.test.open(key)
    assert len(opened.y) == choice.protocol.n_test
    assert choice.to_dict()["test_times_opened"] == 1
    assert choice.to_dict()["test_input_peeks"] == 1  # the shift check read inputs only
    with pytest.raises(SealedTestSetError, match="already issued"):
        choice.test.issue_final_key()
