"""The diagnosis on synthetic histories whose cause is known, at several noise seeds."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.errors import ConfigError, HistoryError
from dlpilot.core.history import History
from dlpilot.diagnose import MIN_EPOCHS, NextStep, diagnose, diagnose_mismatch
from dlpilot.diagnose.synthetic import CAUSES, make_case, make_mismatch

SEEDS = range(10)
FAULTS = [c for c in CAUSES if c != "healthy"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("cause", FAULTS)
def test_the_known_cause_is_found(cause: str, seed: int) -> None:
    case = make_case(cause, seed)
    d = diagnose(case.history, human_error=case.human_error, stage="scale")
    assert d.judged
    assert FindingCode(cause) in d.codes, (cause, seed, [str(f) for f in d.findings])
    for f in d.findings:
        assert f.stage == "scale"
        assert any(ch.isdigit() for ch in f.evidence), f  # evidence carries numbers
        assert f.action


@pytest.mark.parametrize("seed", range(20))
def test_a_healthy_history_gives_no_warning(seed: int) -> None:
    case = make_case("healthy", seed)
    d = diagnose(case.history, human_error=case.human_error)
    assert d.judged
    assert [f for f in d.findings if f.severity.rank >= Severity.WARNING.rank] == []
    assert d.next_step is NextStep.KEEP_SCALING
    assert diagnose(case.history, at_largest_size=True).next_step is NextStep.GO_TUNE


@pytest.mark.parametrize("seed", SEEDS)
def test_overfitting_names_the_epoch_where_validation_turns_up(seed: int) -> None:
    case = make_case("overfitting", seed)
    d = diagnose(case.history)
    true_epoch = case.truth["overfit_epoch"]
    tolerance = max(3, round(0.1 * len(case.history)))
    assert d.overfit_epoch is not None
    assert abs(d.overfit_epoch - true_epoch) <= tolerance, (d.overfit_epoch, true_epoch)
    finding = next(f for f in d.findings if f.code is FindingCode.OVERFITTING)
    assert f"epoch {d.overfit_epoch}" in finding.evidence
    assert f"Stop at epoch {d.overfit_epoch}" in finding.action
    assert d.next_step is NextStep.STOP_SCALING


@pytest.mark.parametrize("seed", SEEDS)
def test_diverged_nan_names_the_epoch(seed: int) -> None:
    case = make_case("diverged_nan", seed)
    d = diagnose(case.history)
    finding = next(f for f in d.findings if f.code is FindingCode.DIVERGED_NAN)
    assert finding.severity is Severity.ERROR
    assert f"at epoch {case.truth['nan_epoch']}" in finding.evidence
    assert d.next_step is NextStep.LOWER_LR


@pytest.mark.parametrize(
    ("cause", "step"),
    [
        ("lr_too_high", NextStep.LOWER_LR),
        ("undertrained", NextStep.MORE_EPOCHS),
        ("lr_too_low", NextStep.RAISE_LR),
        ("high_variance", NextStep.STOP_SCALING),
        ("underfitting", NextStep.KEEP_SCALING),
    ],
)
def test_the_next_step_follows_the_finding(cause: str, step: NextStep) -> None:
    for seed in range(3):
        case = make_case(cause, seed)
        assert diagnose(case.history, human_error=case.human_error).next_step is step


def test_underfitting_at_the_largest_size_goes_on_to_tuning_and_says_more_data_wont_help() -> None:
    case = make_case("underfitting", 0)
    d = diagnose(case.history, at_largest_size=True)
    assert d.next_step is NextStep.GO_TUNE
    assert "more data will not help" in d.reason.lower()
    finding = next(f for f in d.findings if f.code is FindingCode.UNDERFITTING)
    assert "more data will not help" in finding.evidence


def test_avoidable_bias_needs_a_human_level_error() -> None:
    case = make_case("avoidable_bias", 0)
    assert not diagnose(case.history).has(FindingCode.AVOIDABLE_BIAS)
    assert diagnose(case.history, human_error=case.human_error).has(FindingCode.AVOIDABLE_BIAS)
    # a human error at the training error leaves no avoidable bias
    train_error = 1 - case.history.columns["accuracy"][-1]
    assert not diagnose(case.history, human_error=train_error).has(FindingCode.AVOIDABLE_BIAS)


@pytest.mark.parametrize("n", [0, 1, MIN_EPOCHS - 1])
def test_too_short_a_history_is_not_judged(n: int) -> None:
    history = History(metric="accuracy")
    for i in range(n):
        history.append({"loss": 2.0 - 0.5 * i, "val_loss": 2.1 - 0.1 * i, "accuracy": 0.1 * i})
    d = diagnose(history)
    assert not d.judged
    assert d.findings == ()
    assert "not enough epochs to judge" in d.reason.lower()
    assert d.next_step is NextStep.MORE_EPOCHS


def test_a_nan_in_a_short_history_is_still_reported() -> None:
    history = History(columns={"loss": [2.3, math.nan], "val_loss": [2.2, math.nan]})
    d = diagnose(history)
    assert not d.judged
    assert d.codes == (FindingCode.DIVERGED_NAN,)
    assert d.next_step is NextStep.LOWER_LR


def test_gaps_in_the_validation_loss_are_not_divergence() -> None:
    # validation every second epoch (Keras validation_freq=2, Lightning check_val_every_n_epoch)
    loss = [2.0 * 0.8**i + 0.2 for i in range(21)]
    val = [v * 1.05 if i % 2 else math.nan for i, v in enumerate(loss)]
    d = diagnose(History(columns={"loss": loss, "val_loss": val}))
    assert not d.has(FindingCode.DIVERGED_NAN)


def test_without_validation_it_judges_the_training_curve_only() -> None:
    case = make_case("underfitting", 1)
    history = History(columns={"loss": case.history.columns["loss"]})
    d = diagnose(history)
    assert d.has(FindingCode.UNDERFITTING)
    assert d.best_epoch is None
    healthy = make_case("healthy", 1).history
    d = diagnose(History(columns={"loss": healthy.columns["loss"]}))
    assert d.findings == ()
    assert "no validation curve" in d.reason


def test_bad_arguments_are_refused() -> None:
    history = make_case("healthy", 0).history
    with pytest.raises(ConfigError, match="human_error"):
        diagnose(history, human_error=-0.1)
    with pytest.raises(ConfigError, match="human_error"):
        diagnose(history, human_error=math.nan)
    with pytest.raises(HistoryError, match=r"no 'loss' column\. Columns: val_loss"):
        diagnose(History(columns={"val_loss": [1.0, 0.9, 0.8]}))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(min_value=0, max_value=1e6), st.just(math.nan), st.just(math.inf)),
        max_size=40,
    ),
    st.lists(st.one_of(st.floats(min_value=0, max_value=1e6), st.just(math.nan)), max_size=40),
)
def test_any_history_gives_a_diagnosis(loss: list[float], val: list[float]) -> None:
    history = History()
    for i in range(max(len(loss), len(val))):
        row = {"loss": loss[i] if i < len(loss) else math.nan}
        if i < len(val):
            row["val_loss"] = val[i]
        history.append(row)
    if not history.columns:
        history.columns["loss"] = []
    d = diagnose(history)
    assert isinstance(d.next_step, NextStep)
    assert d.reason
    assert len(set(d.codes)) == len(d.codes)


# --- data_mismatch ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_data_mismatch_found_when_test_differs(seed: int) -> None:
    scores = make_mismatch(seed, mismatched=True)
    found = diagnose_mismatch(metric="accuracy", greater_is_better=True, **scores)
    assert [f.code for f in found] == [FindingCode.DATA_MISMATCH]
    assert found[0].severity is Severity.WARNING
    assert found[0].stage == "final"
    assert "test is worse" in found[0].evidence


@pytest.mark.parametrize("seed", SEEDS)
def test_no_data_mismatch_when_splits_agree(seed: int) -> None:
    scores = make_mismatch(seed, mismatched=False)
    assert diagnose_mismatch(metric="accuracy", greater_is_better=True, **scores) == ()


def test_data_mismatch_for_train_vs_train_dev_and_for_errors() -> None:
    found = diagnose_mismatch(
        val_score=0.95,
        test_score=0.80,
        metric="accuracy",
        greater_is_better=True,
        names=("train-dev", "dev"),
        stage="final",
    )
    assert "train-dev error (1 − accuracy) 0.05 against dev 0.2" in found[0].evidence
    # lower is better: RMSE 10 on validation, 14 on test
    found = diagnose_mismatch(
        val_score=10.0, test_score=14.0, metric="rmse", greater_is_better=False
    )
    assert found and found[0].code is FindingCode.DATA_MISMATCH
    assert (
        diagnose_mismatch(val_score=10.0, test_score=10.2, metric="rmse", greater_is_better=False)
        == ()
    )
    # test much better than validation is a mismatch too, but not a warning
    (better,) = diagnose_mismatch(
        val_score=0.70, test_score=0.90, metric="accuracy", greater_is_better=True
    )
    assert better.severity is Severity.INFO
    with pytest.raises(ConfigError):
        diagnose_mismatch(
            val_score=math.nan, test_score=0.9, metric="accuracy", greater_is_better=True
        )


def test_a_loss_that_reaches_exactly_zero_is_diagnosed_without_error() -> None:
    # BCE on saturated logits underflows to 0.0 in float32: a breast-cancer trial at a high
    # LR once crashed a whole run with ZeroDivisionError here.
    zeros_then_up = [0.6, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.6, 0.9, 1.2, 1.5]
    d = diagnose(History(columns={"loss": zeros_then_up, "val_loss": zeros_then_up}))
    assert d.has(FindingCode.LR_TOO_HIGH)
    overfit = diagnose(
        History(
            columns={
                "loss": [0.6, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0],
                "val_loss": zeros_then_up,
            }
        )
    )
    assert overfit.has(FindingCode.OVERFITTING)
    assert "epoch 3" in next(f.evidence for f in overfit.findings if f.code == "overfitting")
