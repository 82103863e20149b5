"""DLPilotClassifier and DLPilotRegressor against scikit-learn's estimator checks, in a
Pipeline and cross_val_score, and on DataFrames.

Every fit runs the whole workflow under a 1 s budget, so the checks take a few minutes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import (
    check_methods_sample_order_invariance,
    check_methods_subset_invariance,
    parametrize_with_checks,
)

from dlpilot import DLPilotClassifier, DLPilotRegressor
from dlpilot.core.enums import Task

pytestmark = pytest.mark.slow

BUDGET = 1.0

# Training stops at a time budget, so two fits on the same data may train different numbers
# of epochs and disagree on a few predictions; the estimators say so with the
# `non_deterministic` tag. These checks fit twice and compare the predictions:
TWO_FITS = (
    "fits twice and compares the predictions; training stops at a time budget, so two fits "
    "may train different numbers of epochs and disagree (the non_deterministic tag)"
)
EXPECTED_FAILURES = {
    "DLPilotClassifier": {
        "check_classifier_data_not_an_array": TWO_FITS,
        "check_classifiers_multilabel_representation_invariance": TWO_FITS,
        "check_supervised_y_2d": TWO_FITS,
        "check_fit_idempotent": TWO_FITS,
    },
    "DLPilotRegressor": {
        "check_regressor_data_not_an_array": TWO_FITS,
        "check_regressors_int": TWO_FITS,  # int and float targets, two fits (failed on CI)
        "check_supervised_y_2d": TWO_FITS,
        "check_fit_idempotent": TWO_FITS,
        "check_regressors_train": (
            "asks for R² > 0.5 on the training data; the 1 s budget of these checks leaves the "
            "final network a few epochs (R² 0.13 at 1.5 s), while a 30 s budget reached 0.63"
        ),
    },
}
# Checks scikit-learn itself skips for these estimators, and why:
#   check_pipeline_consistency: skipped for non_deterministic estimators (two fits compared);
#     test_pipeline_and_cross_val_score below uses a Pipeline instead.
#   check_methods_sample_order_invariance, check_methods_subset_invariance: not run for
#     non_deterministic estimators; they compare predictions of one fit, so they are run
#     below (test_predictions_do_not_depend_on_order_or_batch).
#   check_sample_weight_*, check_classifiers_one_label_sample_weights (in part): fit takes no
#     sample_weight.
#   check_array_api_*: the estimators take NumPy arrays and DataFrames, not the Array API.
#   check_classifiers_multilabel_output_format_decision_function: no decision_function.


def expected_failed_checks(estimator):
    return EXPECTED_FAILURES[type(estimator).__name__]


@parametrize_with_checks(
    [DLPilotClassifier(budget=BUDGET, trials=1), DLPilotRegressor(budget=BUDGET, trials=1)],
    expected_failed_checks=expected_failed_checks,
    xfail_strict=False,
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)


@pytest.mark.parametrize(
    "estimator", [DLPilotClassifier(budget=BUDGET, trials=1), DLPilotRegressor(budget=BUDGET)]
)
@pytest.mark.parametrize(
    "check", [check_methods_sample_order_invariance, check_methods_subset_invariance]
)
def test_predictions_do_not_depend_on_order_or_batch(estimator, check):
    check(type(estimator).__name__, estimator)


def test_pipeline_and_cross_val_score():
    x, y = load_iris(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), DLPilotClassifier(budget=BUDGET, trials=1))
    scores = cross_val_score(pipe, x, y, cv=2)
    assert scores.shape == (2,)
    assert scores.min() > 0.6, scores  # three classes: chance is 0.33


def test_params_clone_and_learned_attributes():
    est = DLPilotClassifier(budget="3m", metric="f1", positive_class="yes", trials=4)
    assert est.get_params()["budget"] == "3m"
    copy = clone(est).set_params(budget=2.5)
    assert copy.get_params() == {**est.get_params(), "budget": 2.5}
    assert not [k for k in vars(est) if k.endswith("_")]


def test_dataframe_with_categories_missing_values_and_string_labels(tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    size = rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], size=n)
    frame = pd.DataFrame(
        {"size": np.where(rng.random(n) < 0.1, np.nan, size), "colour": colour},
        index=np.arange(n) * 3,  # an index that is not 0..n-1
    )
    y = np.where(size + (colour == "red") > 0.5, "fail", "ok")
    clf = DLPilotClassifier(
        budget=4, trials=1, positive_class="fail", out=tmp_path / "run", random_state=3
    )
    assert clf.fit(frame, y) is clf
    assert clf.task_ is Task.BINARY
    assert list(clf.classes_) == ["fail", "ok"]
    assert list(clf.feature_names_in_) == ["size", "colour"] and clf.n_features_in_ == 2
    assert clf.run_dir_.parent == tmp_path / "run"
    assert (clf.run_dir_ / "model" / "config.json").exists()
    assert clf.summary_["metric"]["positive_class"] == "0"  # "fail" is class 0 of classes_
    predicted = clf.predict(frame)
    assert set(predicted) <= {"fail", "ok"}
    proba = clf.predict_proba(frame)
    assert proba.shape == (n, 2)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], predicted)
    assert 0.0 <= clf.score(frame, y) <= 1.0
    with pytest.raises(ValueError, match="feature names"):
        clf.predict(frame.rename(columns={"colour": "color"}))


def test_multiclass_labels_keep_their_type_and_order():
    x, y = load_iris(return_X_y=True)
    labels = np.array([10, 20, 30])[y]
    clf = DLPilotClassifier(budget=BUDGET, trials=1).fit(x, labels)
    np.testing.assert_array_equal(clf.classes_, [10, 20, 30])
    predicted = clf.predict(x)
    assert predicted.dtype == labels.dtype and set(predicted) <= {10, 20, 30}
    proba = clf.predict_proba(x)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], predicted)


def test_regressor_with_several_targets():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(160, 3))
    y = np.stack([x[:, 0] * 2, x[:, 1] - x[:, 2]], axis=1)
    reg = DLPilotRegressor(budget=BUDGET, trials=1).fit(x, y)
    assert reg.task_ is Task.VECTOR_REGRESSION
    assert reg.predict(x).shape == (160, 2)
