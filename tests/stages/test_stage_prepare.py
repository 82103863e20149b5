"""Stage 3: preparation is fitted on training data alone, is plain data, and checks the splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from stage_data import mixed_table, table_dataset

from dlpilot.core.enums import FindingCode, Modality
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data.dataset import Dataset, ImageFiles, take
from dlpilot.data.images import load_image_folder
from dlpilot.engine.data import TensorData
from dlpilot.preprocessing import ImageStream
from dlpilot.stages import prepare as stage
from dlpilot.stages._shift import ADVERSARIAL_AUC_SHIFT
from dlpilot.stages.define import define_problem
from dlpilot.stages.prepare import prepare_data
from dlpilot.stages.protocol import choose_protocol


def _run(dataset: Dataset, **kwargs):
    spec = define_problem(dataset).spec
    choice = choose_protocol(dataset, spec)
    prepared = prepare_data(choice.development, spec, choice.protocol, test=choice.test, **kwargs)
    return spec, choice, prepared


def _codes(prepared) -> set[FindingCode]:
    return {f.code for f in prepared.findings}


# --- fitted on the training split alone -----------------------------------------------------------


def test_table_statistics_are_those_of_the_training_split_alone():
    frame = mixed_table(400)
    # A trend along the rows makes every fold's statistics differ from the whole set's.
    frame["age"] = frame["age"] + np.linspace(0, 30, len(frame))
    _, choice, prepared = _run(table_dataset(frame, "bought"))
    dev = choice.development.x
    for fold, split in zip(prepared.folds, choice.protocol.splits, strict=True):
        prep = fold.preparer
        train = dev.iloc[split.train]
        columns = [n["column"] for n in prep.numeric_]
        age, income = columns.index("age"), columns.index("income")
        assert prep.mean_[age] == pytest.approx(train["age"].mean())
        assert prep.std_[age] == pytest.approx(train["age"].std(ddof=0))
        assert prep.median_[income] == pytest.approx(train["income"].median())
        assert prep.mean_[age] != pytest.approx(dev["age"].mean())
        # Standardized with training statistics: the training column has mean 0, std 1.
        x_age = fold.train.x[:, age].double()
        assert x_age.mean().item() == pytest.approx(0.0, abs=1e-5)
        assert x_age.std(unbiased=False).item() == pytest.approx(1.0, abs=1e-5)


def test_image_channel_statistics_are_those_of_the_training_split_alone():
    rng = np.random.default_rng(0)
    n = 300
    x = rng.integers(0, 256, size=(n, 3, 6, 6)).astype(np.uint8)
    x[:, 1] = (x[:, 1] // 2 + np.arange(n)[:, None, None] // 3).astype(np.uint8)  # drifts by row
    y = np.asarray(["cat", "dog"] * (n // 2), dtype=object)
    dataset = Dataset("img", "img", x, y, ("label",), modality_hint=Modality.IMAGE)
    _, choice, prepared = _run(dataset)
    dev = choice.development.x.astype(np.float64)
    for fold, split in zip(prepared.folds, choice.protocol.splits, strict=True):
        train = dev[split.train]
        assert np.allclose(fold.preparer.mean_, train.mean(axis=(0, 2, 3)))
        assert np.allclose(fold.preparer.std_, train.std(axis=(0, 2, 3)))
        assert not np.allclose(fold.preparer.mean_, dev.mean(axis=(0, 2, 3)), rtol=0, atol=1e-6)
    assert prepared.input_shape == (3, 6, 6)
    assert prepared.augmentations == ("flip", "crop", "rotate", "erase")


# --- images ---------------------------------------------------------------------------------------


def test_images_mixing_0_1_and_0_255_are_found_and_brought_to_one_scale():
    rng = np.random.default_rng(2)
    n = 200
    x = rng.integers(0, 256, size=(n, 1, 8, 8)).astype(np.float32)
    x[::2] /= 255.0  # every other image exported on a 0–1 scale
    y = np.asarray(["a", "b"] * (n // 2), dtype=object)
    dataset = Dataset("px", "px", x, y, ("label",), modality_hint=Modality.IMAGE)
    _, _, prepared = _run(dataset)
    assert FindingCode.MIXED_PIXEL_RANGE in _codes(prepared)
    finding = next(f for f in prepared.findings if f.code is FindingCode.MIXED_PIXEL_RANGE)
    assert "0–1" in finding.evidence and "0–255" in finding.evidence

    prep = prepared.folds[0].preparer
    image = rng.integers(0, 256, size=(1, 1, 8, 8)).astype(np.float32)
    assert torch.allclose(prep.transform(image), prep.transform(image / 255.0), atol=1e-4)


def test_images_on_one_scale_raise_no_pixel_range_finding():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 256, size=(120, 1, 8, 8)).astype(np.float32)
    y = np.asarray(["a", "b"] * 60, dtype=object)
    dataset = Dataset("px", "px", x, y, ("label",), modality_hint=Modality.IMAGE)
    _, _, prepared = _run(dataset)
    assert FindingCode.MIXED_PIXEL_RANGE not in _codes(prepared)


def _write_images(root, sizes: dict[str, list[tuple[int, int]]]) -> None:
    from PIL import Image

    rng = np.random.default_rng(4)
    for split, split_sizes in sizes.items():
        for i, (w, h) in enumerate(split_sizes):
            label = "cat" if i % 2 else "dog"
            folder = root / split / label
            folder.mkdir(parents=True, exist_ok=True)
            pixels = rng.integers(0, 256, size=(h, w, 3)).astype(np.uint8)
            Image.fromarray(pixels).save(folder / f"{i}.png")


def test_image_folder_test_images_of_another_size_are_found_and_resized(tmp_path):
    _write_images(tmp_path, {"train": [(8, 8)] * 24, "test": [(8, 8)] * 18 + [(12, 10)] * 6})
    dataset = load_image_folder(tmp_path)
    spec, choice, prepared = _run(dataset, grayscale=True)
    assert spec.input_shape == (3, 8, 8)
    assert prepared.input_shape == (1, 8, 8)  # grayscale asked for
    finding = next(f for f in prepared.findings if f.code is FindingCode.MIXED_IMAGE_SIZES)
    assert "6 of 24 test images" in finding.evidence
    assert choice.test.times_opened == 0 and choice.test.input_peeks == 1

    prep = prepared.folds[0].preparer
    big = ImageFiles(tuple(p for p in dataset.test.peek_inputs().paths if "cat" in str(p)))
    assert prep.transform(big).shape == (len(big), 1, 8, 8)
    # The folder was decoded once and prepared in memory.
    assert isinstance(prepared.folds[0].train, TensorData)


def test_images_over_the_memory_cap_are_prepared_as_they_are_read(monkeypatch):
    rng = np.random.default_rng(5)
    x = rng.integers(0, 256, size=(100, 1, 6, 6)).astype(np.uint8)
    y = np.asarray(["a", "b"] * 50, dtype=object)
    dataset = Dataset("img", "img", x, y, ("label",), modality_hint=Modality.IMAGE)
    spec = define_problem(dataset).spec
    choice = choose_protocol(dataset, spec)
    in_memory = prepare_data(choice.development, spec, choice.protocol)
    monkeypatch.setattr(stage, "IMAGE_MEMORY_CAP_BYTES", 1000)
    streamed = prepare_data(choice.development, spec, choice.protocol)

    fold = streamed.folds[0]
    assert isinstance(fold.train, ImageStream) and len(fold.train) == len(in_memory.folds[0].train)
    x0, y0 = fold.val[3]
    assert torch.allclose(x0, in_memory.folds[0].val.x[3], atol=1e-6)
    assert y0 == in_memory.folds[0].val.y[3]
    assert any("one at a time" in d.what for d in streamed.decisions)


# --- train vs test ---------------------------------------------------------------------------------


def _official(train: pd.DataFrame, test: pd.DataFrame, target: str) -> Dataset:
    dataset = table_dataset(train, target)
    sealed = SealedTestSet(
        test.drop(columns=[target]).reset_index(drop=True),
        test[target].to_numpy(),
        origin="official",
    )
    return Dataset(**{**dataset.__dict__, "test": sealed})


def test_a_test_split_from_a_shifted_distribution_is_found():
    train, test = mixed_table(600, seed=6), mixed_table(300, seed=7)
    test["age"] = test["age"] + 15.0  # the test population is older
    _, choice, prepared = _run(_official(train, test, "bought"))
    assert FindingCode.SPLIT_DISTRIBUTION_SHIFT in _codes(prepared)
    finding = next(f for f in prepared.findings if f.code is FindingCode.SPLIT_DISTRIBUTION_SHIFT)
    assert "ROC-AUC" in finding.evidence and "'age' (KS" in finding.evidence
    assert "'income'" not in finding.evidence
    # Inputs were read once, labels never.
    assert choice.test.input_peeks == 1 and choice.test.times_opened == 0


def test_a_test_split_from_the_same_distribution_raises_no_shift():
    train, test = mixed_table(600, seed=8), mixed_table(300, seed=9)
    _, _, prepared = _run(_official(train, test, "bought"))
    assert FindingCode.SPLIT_DISTRIBUTION_SHIFT not in _codes(prepared)
    check = next(d for d in prepared.decisions if d.what.startswith("train-vs-test shift"))
    assert check.numbers["adversarial_auc"] < ADVERSARIAL_AUC_SHIFT
    assert check.numbers["features_drifting"] == 0


def test_shifted_images_are_found():
    rng = np.random.default_rng(10)
    x = rng.integers(0, 200, size=(300, 1, 8, 8)).astype(np.uint8)
    x_test = (rng.integers(0, 200, size=(100, 1, 8, 8)) + 50).astype(np.uint8)  # brighter
    y = np.asarray(["a", "b"] * 150, dtype=object)
    test = SealedTestSet(x_test, np.asarray(["a", "b"] * 50, dtype=object), origin="official")
    dataset = Dataset("img", "img", x, y, ("label",), modality_hint=Modality.IMAGE, test=test)
    _, _, prepared = _run(dataset)
    finding = next(f for f in prepared.findings if f.code is FindingCode.SPLIT_DISTRIBUTION_SHIFT)
    assert "channel 0 mean" in finding.evidence


def test_prepared_targets_are_encoded_tensors_in_the_spec_order():
    dataset = table_dataset(mixed_table(200), "bought")
    spec, choice, prepared = _run(dataset)
    fold, split = prepared.folds[0], choice.protocol.splits[0]
    assert fold.train.x.dtype == torch.float32 and fold.train.y.dtype == torch.int64
    names = np.asarray(spec.class_names, dtype=object)[fold.val.y.numpy()]
    assert np.array_equal(names, choice.development.y[split.val])
    assert len(fold.val) == len(split.val)
    assert torch.equal(fold.val.x, fold.preparer.transform(take(choice.development.x, split.val)))
