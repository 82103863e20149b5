"""Every source becomes one typed Dataset."""

from __future__ import annotations

import gzip
import random
import struct

import numpy as np
import pandas as pd
import pytest

from dlpilot.core.enums import ColumnKind, Modality
from dlpilot.core.errors import DataError, SealedTestSetError, SourceNotFoundError
from dlpilot.data import BUILTINS, ImageFiles, load_source, scan_headers
from dlpilot.data.builtins import FASHION_MNIST_DIR


def test_csv_columns_are_typed(tmp_path):
    n = 60
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "price": rng.normal(size=n),
            "city": rng.choice(["paris", "rome", "oslo"], size=n),
            "rooms": rng.integers(1, 6, size=n),
            "garden": rng.choice(["yes", "no"], size=n),
            "flag01": rng.integers(0, 2, size=n),
            "review": [f"this flat number {i} is quite lovely and bright" for i in range(n)],
            "area": np.where(np.arange(n) % 7 == 0, np.nan, rng.uniform(20, 90, size=n)),
            "label": rng.choice(["a", "b"], size=n),
        }
    )
    path = tmp_path / "flats.csv"
    frame.to_csv(path, index=False)
    ds = load_source(path, target=["label"])
    assert ds.column_kinds == {
        "price": ColumnKind.NUMERIC,
        "city": ColumnKind.CATEGORICAL,
        "rooms": ColumnKind.CATEGORICAL,
        "garden": ColumnKind.BOOLEAN,
        "flag01": ColumnKind.BOOLEAN,
        "review": ColumnKind.TEXT,
        "area": ColumnKind.NUMERIC,
    }
    assert "label" not in ds.x.columns
    assert ds.x["area"].isna().sum() == 9  # missing values stay missing, to be imputed
    assert set(ds.x["garden"].unique()) == {0.0, 1.0}
    assert ds.x["rooms"].map(type).eq(str).all()
    assert ds.target_names == ("label",)
    assert ds.test is None


def test_parquet_reads_like_csv(tmp_path):
    frame = pd.DataFrame({"a": [1.5, 2.5, 3.5, 4.5], "b": ["x", "y", "x", "y"], "t": [0, 1, 0, 1]})
    frame.to_parquet(tmp_path / "t.parquet")
    frame.to_csv(tmp_path / "t.csv", index=False)
    p = load_source(tmp_path / "t.parquet", target=["t"])
    c = load_source(tmp_path / "t.csv", target=["t"])
    pd.testing.assert_frame_equal(p.x, c.x)
    assert p.column_kinds == c.column_kinds
    np.testing.assert_array_equal(p.y, c.y)


def test_several_targets_give_a_matrix(tmp_path):
    frame = pd.DataFrame(
        {"f": range(10), "x1": np.linspace(0, 1, 10), "y1": range(10), "y2": np.arange(10) * 0.5}
    )
    frame.to_csv(tmp_path / "v.csv", index=False)
    ds = load_source(tmp_path / "v.csv", target=["y1", "y2"])
    assert ds.y.shape == (10, 2)
    assert ds.target_names == ("y1", "y2")


def test_image_folder_is_lazy_and_typed(tmp_path, make_images):
    make_images(tmp_path / "pets", ["cat", "dog"], 4)
    ds = load_source(tmp_path / "pets")
    assert isinstance(ds.x, ImageFiles)
    assert ds.modality_hint is Modality.IMAGE
    assert sorted(set(ds.y)) == ["cat", "dog"] and len(ds.y) == 8
    pixels = ds.x.read(0)
    assert pixels.shape == (10, 12, 1) and pixels.dtype == np.uint8
    sizes, modes = scan_headers(ds.x)
    assert (sizes == [12, 10]).all() and set(modes) == {"L"}


def test_image_folder_train_test_is_the_official_split(tmp_path, make_images):
    make_images(tmp_path / "d" / "train", ["a", "b"], 5, seed=1)
    make_images(tmp_path / "d" / "test", ["a", "b"], 2, seed=2)
    ds = load_source(tmp_path / "d")
    assert len(ds.y) == 10
    assert ds.test is not None and ds.test.n_samples == 4 and ds.test.origin == "official"
    with pytest.raises(SealedTestSetError):
        ds.test.open()


def test_image_formats_jpeg_and_bmp(tmp_path, make_images):
    make_images(tmp_path / "f", ["a"], 2, fmt="jpg", mode="RGB")
    make_images(tmp_path / "f", ["b"], 2, fmt="bmp", mode="RGB")
    ds = load_source(tmp_path / "f")
    assert len(ds.y) == 4
    assert ds.x.read(3).shape == (10, 12, 3)


def test_npz_with_official_split_and_orientation(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(
        tmp_path / "img.npz",
        x=rng.random((20, 16, 16, 3)),
        y=rng.integers(0, 2, 20),
        x_test=rng.random((5, 16, 16, 3)),
        y_test=rng.integers(0, 2, 5),
    )
    ds = load_source(tmp_path / "img.npz")
    assert ds.x.shape == (20, 3, 16, 16)  # channels-last turned channels-first
    assert ds.modality_hint is Modality.IMAGE
    assert ds.test is not None and ds.test.n_samples == 5

    np.savez(tmp_path / "seq.npz", x=rng.random((20, 2, 50)), y=rng.integers(0, 3, 20))
    assert load_source(tmp_path / "seq.npz").modality_hint is Modality.SEQUENCE
    np.savez(tmp_path / "flat.npz", x=rng.random((20, 5)), y=rng.random(20))
    flat = load_source(tmp_path / "flat.npz")
    assert flat.x.shape == (20, 5) and flat.modality_hint is None


def test_npz_missing_arrays_is_a_clear_error(tmp_path):
    np.savez(tmp_path / "bad.npz", inputs=np.zeros((3, 2)))
    with pytest.raises(DataError, match=r"lacks array\(s\) \['x', 'y'\].*holds \['inputs'\]"):
        load_source(tmp_path / "bad.npz")


@pytest.mark.parametrize("name", ["digits", "breast-cancer", "wine", "iris", "diabetes"])
def test_sklearn_builtins(name):
    ds = load_source(name)
    info = BUILTINS[name]
    assert len(ds.y) == info.n_train
    assert ds.test is None


def test_digits_are_images():
    ds = load_source("digits")
    assert ds.x.shape == (1797, 1, 8, 8)
    assert ds.modality_hint is Modality.IMAGE


def test_mnist1d_keeps_its_split_and_leaves_global_rngs_alone():
    np.random.seed(123)
    random.seed(123)
    before = (np.random.random(), random.random())
    np.random.seed(123)
    random.seed(123)
    ds = load_source("mnist1d")
    after = (np.random.random(), random.random())
    assert before == after
    assert ds.x.shape == (4000, 1, 40)
    assert ds.test.n_samples == 1000
    assert ds.human_accuracy == pytest.approx(0.96)


def _write_idx(path, arr: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, arr.ndim) + b"".join(
        struct.pack(">I", s) for s in arr.shape
    )
    with gzip.open(path, "wb") as fh:
        fh.write(header + arr.astype(np.uint8).tobytes())


def test_fashion_mnist_from_a_data_dir(tmp_path):
    rng = np.random.default_rng(0)
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", rng.integers(0, 256, (30, 28, 28)))
    _write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.arange(30) % 10)
    _write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", rng.integers(0, 256, (10, 28, 28)))
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.arange(10) % 10)
    ds = load_source("fashion-mnist", data_dir=tmp_path)
    assert ds.x.shape == (30, 1, 28, 28) and ds.x.dtype == np.uint8
    assert ds.y[0] == "T-shirt/top" and ds.y[9] == "Ankle boot"
    assert ds.test.n_samples == 10


def test_fashion_mnist_truncated_file_is_named(tmp_path):
    for stem in (
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ):
        (tmp_path / stem).write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x05ab")
    with pytest.raises(DataError, match="truncated"):
        load_source("fashion-mnist", data_dir=tmp_path)


def test_fashion_mnist_absent_says_how_to_get_it(tmp_path):
    with pytest.raises(SourceNotFoundError, match="apt-get install dataset-fashion-mnist"):
        load_source("fashion-mnist", data_dir=tmp_path)


@pytest.mark.skipif(not FASHION_MNIST_DIR.is_dir(), reason="dataset-fashion-mnist not installed")
def test_fashion_mnist_from_debian_package():
    ds = load_source("fashion-mnist")
    assert ds.x.shape == (60000, 1, 28, 28)
    assert ds.test.n_samples == 10000
    assert sorted(pd.Series(ds.y).value_counts().unique()) == [6000]
