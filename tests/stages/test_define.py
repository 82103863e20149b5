"""Stage 0: every inference, every sanity finding, every override."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlpilot.core.enums import FindingCode, Modality, Severity, Task
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.data import load_source
from dlpilot.data.tables import table_to_dataset
from dlpilot.stages.define import define_problem


def table(frame: pd.DataFrame, *target: str):
    return table_to_dataset(frame, target=list(target), name="t", source="t")


def codes(definition) -> list[str]:
    return [str(f.code) for f in definition.findings]


rng = np.random.default_rng(0)


@pytest.mark.parametrize(
    ("y", "task"),
    [
        (rng.choice(["cat", "dog"], 100), Task.BINARY),
        (rng.integers(0, 2, 100), Task.BINARY),
        (rng.choice(["a", "b", "c", "d"], 100), Task.MULTICLASS),
        (rng.integers(0, 5, 100), Task.MULTICLASS),
        (rng.normal(size=100), Task.REGRESSION),
        (rng.integers(0, 300, 100).astype(float), Task.REGRESSION),  # integral but a quantity
    ],
)
def test_task_from_one_target(y, task):
    frame = pd.DataFrame({"f": rng.normal(size=100), "y": y})
    spec = define_problem(table(frame, "y")).spec
    assert spec.task is task


def test_vector_regression_and_multilabel():
    frame = pd.DataFrame(
        {
            "f": rng.normal(size=50),
            "a": rng.normal(size=50),
            "b": rng.normal(size=50),
            "l1": rng.integers(0, 2, 50),
            "l2": rng.integers(0, 2, 50),
            "l3": rng.integers(0, 2, 50),
        }
    )
    vec = define_problem(table(frame.drop(columns=["l1", "l2", "l3"]), "a", "b")).spec
    assert vec.task is Task.VECTOR_REGRESSION and vec.n_outputs == 2
    ml = define_problem(table(frame.drop(columns=["a", "b"]), "l1", "l2", "l3")).spec
    assert ml.task is Task.MULTILABEL and ml.n_classes == 3
    assert ml.class_counts == {f"l{i}": int(frame[f"l{i}"].sum()) for i in (1, 2, 3)}


def test_sklearn_sets_are_defined_right():
    expected = {
        "digits": (Task.MULTICLASS, Modality.IMAGE, 10, (1, 8, 8)),
        "breast-cancer": (Task.BINARY, Modality.TABULAR, 2, (30,)),
        "wine": (Task.MULTICLASS, Modality.TABULAR, 3, (13,)),
        "iris": (Task.MULTICLASS, Modality.TABULAR, 3, (4,)),
        "diabetes": (Task.REGRESSION, Modality.TABULAR, None, (10,)),
    }
    for name, (task, modality, n_classes, shape) in expected.items():
        spec = define_problem(load_source(name)).spec
        assert (spec.task, spec.modality, spec.n_classes, spec.input_shape) == (
            task,
            modality,
            n_classes,
            shape,
        ), name
    bc = define_problem(load_source("breast-cancer")).spec
    assert bc.class_names == ("malignant", "benign")
    assert bc.class_counts == {"malignant": 212, "benign": 357}
    assert bc.minority_share == pytest.approx(212 / 569, abs=1e-6)


def test_mnist1d_is_a_sequence_with_official_test():
    spec = define_problem(load_source("mnist1d")).spec
    assert spec.modality is Modality.SEQUENCE and spec.input_shape == (1, 40)
    assert spec.n_samples == 4000 and spec.n_test_official == 1000


def test_flat_signals_are_sequences_and_features_are_tables():
    t = np.linspace(0, 6, 64)
    phases = rng.uniform(0, 6, size=(300, 1))
    signals = np.sin(t[None, :] + phases) + 0.1 * rng.normal(size=(300, 64))
    from dlpilot.data.dataset import Dataset

    seq = Dataset(name="s", source="s", x=signals, y=rng.integers(0, 2, 300), target_names=("y",))
    assert define_problem(seq).spec.modality is Modality.SEQUENCE
    feats = Dataset(
        name="f",
        source="f",
        x=rng.normal(size=(300, 64)),
        y=rng.integers(0, 2, 300),
        target_names=("y",),
    )
    assert define_problem(feats).spec.modality is Modality.TABULAR


def test_text_column_makes_a_text_problem():
    words = ["good", "bad", "film", "plot", "actor", "boring", "great", "long", "fun"]
    reviews = [" ".join(rng.choice(words, 8)) + f" {i}" for i in range(80)]
    frame = pd.DataFrame({"review": reviews, "stars": rng.integers(1, 3, 80)})
    spec = define_problem(table(frame, "stars")).spec
    assert spec.modality is Modality.TEXT and spec.feature_columns == ("review",)


def test_imbalance_finding_has_evidence():
    y = np.array(["failure"] * 30 + ["ok"] * 970)
    frame = pd.DataFrame({"f": rng.normal(size=1000), "status": y})
    d = define_problem(table(frame, "status"))
    found = [f for f in d.findings if f.code is FindingCode.IMBALANCED_CLASSES]
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert "'failure' is 3.0%" in found[0].evidence and "32.3:1" in found[0].evidence
    assert d.spec.minority_class == "failure"
    balanced = pd.DataFrame({"f": rng.normal(size=100), "y": ["a", "b"] * 50})
    assert "imbalanced_classes" not in codes(define_problem(table(balanced, "y")))


def test_constant_and_id_columns_are_found_and_dropped():
    n = 200
    frame = pd.DataFrame(
        {
            "row_id": np.arange(n),
            "customer": [f"C{i:05d}" for i in rng.permutation(n)],
            "const": 7.0,
            "x": rng.normal(size=n),
            "y": rng.integers(0, 2, n),
        }
    )
    d = define_problem(table(frame, "y"))
    found = {(str(f.code), f.evidence.split("'")[1]) for f in d.findings}
    assert ("id_like_column", "row_id") in found
    assert ("id_like_column", "customer") in found
    assert ("constant_column", "const") in found
    assert d.spec.feature_columns == ("x",)
    assert set(d.spec.ignored_columns) == {"row_id", "customer", "const"}


def test_continuous_features_are_not_ids():
    frame = pd.DataFrame(
        {"a": rng.normal(size=300), "b": rng.uniform(size=300), "y": rng.integers(0, 2, 300)}
    )
    assert not {"id_like_column", "constant_column"} & set(codes(define_problem(table(frame, "y"))))


def test_duplicate_rows_and_conflicting_targets():
    frame = pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, 1.0, 1.0] * 10,
            "b": [0.5] * 50,
            "y": (["p", "q", "p", "p", "q"] * 10),
        }
    )
    frame["a"] = frame["a"] + np.repeat(np.arange(10), 5) * 10
    d = define_problem(table(frame, "y"))
    dup = [f for f in d.findings if f.code is FindingCode.DUPLICATE_ROWS]
    assert len(dup) == 1
    assert "10 of 50 rows" in dup[0].evidence and "different targets" in dup[0].evidence
    clean = pd.DataFrame({"a": rng.normal(size=50), "y": rng.integers(0, 2, 50)})
    assert "duplicate_rows" not in codes(define_problem(table(clean, "y")))


def test_target_leak_is_suspected():
    n = 300
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame(
        {"noise": rng.normal(size=n), "refund_issued": y * 10 + rng.uniform(0, 1, n), "y": y}
    )
    d = define_problem(table(frame, "y"))
    leaks = [f for f in d.findings if f.code is FindingCode.TARGET_LEAK_SUSPECTED]
    assert len(leaks) == 1 and "'refund_issued'" in leaks[0].evidence
    assert "--drop refund_issued" in leaks[0].action
    dropped = define_problem(table(frame, "y"), drop_columns=["refund_issued"])
    assert "target_leak_suspected" not in codes(dropped)
    assert dropped.spec.feature_columns == ("noise",)


def test_no_leak_on_honest_data():
    d = define_problem(load_source("breast-cancer"))
    assert "target_leak_suspected" not in codes(d)


def test_mixed_image_sizes_is_a_warning(tmp_path, make_images):
    make_images(tmp_path / "imgs", ["a"], 5, size=(16, 16))
    make_images(tmp_path / "imgs", ["b"], 3, size=(32, 24), seed=3)
    d = define_problem(load_source(tmp_path / "imgs"))
    sizes = [f for f in d.findings if f.code is FindingCode.MIXED_IMAGE_SIZES]
    assert sizes and sizes[0].severity is Severity.WARNING
    assert "5 are 16×16" in sizes[0].evidence
    assert d.spec.input_shape == (1, 16, 16)


def test_mixed_modes_convert_to_rgb(tmp_path, make_images):
    make_images(tmp_path / "imgs", ["a"], 3, mode="L")
    make_images(tmp_path / "imgs", ["b"], 3, mode="RGB")
    d = define_problem(load_source(tmp_path / "imgs"))
    assert d.spec.input_shape == (3, 10, 12)
    assert any("colour modes" in f.evidence for f in d.findings)


def test_overrides_are_recorded_and_checked():
    frame = pd.DataFrame({"f": rng.normal(size=60), "y": rng.integers(0, 4, 60)})
    d = define_problem(table(frame, "y"), task=Task.REGRESSION)
    assert d.spec.task is Task.REGRESSION
    assert any("overridden" in x.what for x in d.decisions)
    with pytest.raises(ConfigError, match="--task binary needs 2 target values"):
        define_problem(table(frame, "y"), task=Task.BINARY)
    text = pd.DataFrame({"f": rng.normal(size=60), "y": rng.choice(["a", "b", "c"], 60)})
    with pytest.raises(ConfigError, match="needs a numeric target"):
        define_problem(table(text, "y"), task=Task.REGRESSION)
    digits = load_source("digits")
    flat = define_problem(digits, modality=Modality.TABULAR)
    # Three of digits' 64 pixels are 0 in every image: constant columns, dropped.
    assert codes(flat).count("constant_column") == 3
    assert flat.spec.input_shape == (61,)
    with pytest.raises(ConfigError, match="--modality text does not fit"):
        define_problem(digits, modality=Modality.TEXT)


def test_one_class_target_is_an_error():
    frame = pd.DataFrame({"f": [1.0, 2.0, 3.0], "y": ["a", "a", "a"]})
    with pytest.raises(DataError, match="has one value \\('a'\\) in all 3 rows"):
        define_problem(table(frame, "y"))


def test_identifier_as_target_is_an_error():
    frame = pd.DataFrame({"f": rng.normal(size=100), "name": [f"n{i}" for i in range(100)]})
    with pytest.raises(DataError, match="looks like an identifier"):
        define_problem(table(frame, "name"))
