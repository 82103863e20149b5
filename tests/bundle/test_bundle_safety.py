"""Loading a bundle executes nothing from it: planted pickles are never unpickled."""

from __future__ import annotations

import pathlib
import pickle
import re
import shutil

import numpy as np
import pytest

import dlpilot
from dlpilot.core.errors import BundleError

SRC = pathlib.Path(dlpilot.__file__).parent


class Touch:
    """Unpickling this creates the marker file: the proof that a pickle was executed."""

    def __init__(self, marker: pathlib.Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


@pytest.fixture
def payload(tmp_path):
    marker = tmp_path / "EXECUTED"
    data = pickle.dumps(Touch(marker))
    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(Touch(probe)))  # the payload is real: unpickling runs it
    assert probe.exists()
    return marker, data


def test_pickles_planted_beside_the_bundle_are_never_opened(synthetic_bundle, payload, cli):
    marker, data = payload
    for name in ("member_0.pt", "member_0.pth", "model.pkl", "member_0.preparation.pkl"):
        (synthetic_bundle / name).write_bytes(data)
    model = dlpilot.load(synthetic_bundle)
    x = np.zeros((3, 4), dtype=object)
    x[:, 3] = "red"
    assert len(model.predict(x)) == 3
    r = cli("predict", str(synthetic_bundle), str(_csv(synthetic_bundle.parent, x)))
    assert r.exit_code == 0, r.stderr
    assert not marker.exists()


def _csv(folder, x):
    import pandas as pd

    path = folder / "new.csv"
    pd.DataFrame(x, columns=["id", "size", "weight", "colour"]).to_csv(path, index=False)
    return path


def test_pickle_in_place_of_the_weights_is_refused(synthetic_bundle, payload, cli):
    marker, data = payload
    (synthetic_bundle / "member_0.safetensors").write_bytes(data)
    with pytest.raises(BundleError, match="safetensors"):
        dlpilot.load(synthetic_bundle)
    r = cli("predict", str(synthetic_bundle), "whatever.csv")
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")
    assert not marker.exists()


def test_object_array_in_the_preparation_is_refused(synthetic_bundle, payload):
    marker, _ = payload
    arrays = dict(np.load(synthetic_bundle / "member_0.preparation.npz"))
    evil = np.empty(1, dtype=object)
    evil[0] = Touch(marker)
    np.savez(synthetic_bundle / "member_0.preparation.npz", **{**arrays, "mean": evil})
    with pytest.raises(BundleError, match="plain NumPy arrays"):
        dlpilot.load(synthetic_bundle)
    assert not marker.exists()


def test_raw_pickle_in_place_of_the_preparation_arrays_is_refused(synthetic_bundle, payload):
    marker, data = payload
    (synthetic_bundle / "member_0.preparation.npz").write_bytes(data)
    with pytest.raises(BundleError, match="plain NumPy arrays"):
        dlpilot.load(synthetic_bundle)
    assert not marker.exists()


def test_tampered_run_directory_through_the_cli(tmp_path, synthetic_bundle, payload, cli):
    marker, _ = payload
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    shutil.copytree(synthetic_bundle, run_dir / "model")
    arrays = dict(np.load(run_dir / "model" / "member_0.preparation.npz"))
    evil = np.empty(1, dtype=object)
    evil[0] = Touch(marker)
    np.savez(run_dir / "model" / "member_0.preparation.npz", **{**arrays, "std": evil})
    r = cli("export", str(run_dir), "--format", "torchscript")
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "not loaded" in r.stderr
    assert not marker.exists()


def test_no_unsafe_loader_in_the_source():
    """torch.load only with weights_only=True; no pickle, no allow_pickle=True anywhere."""
    offenders = []
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        for call in re.finditer(r"torch\.load\((.*?)\)", text, flags=re.S):
            if "weights_only=True" not in call.group(1):
                offenders.append(f"{path}: torch.load without weights_only=True")
        if re.search(r"allow_pickle\s*=\s*True", text):
            offenders.append(f"{path}: allow_pickle=True")
        if re.search(r"\bpickle\.loads?\(|\bjoblib\.load\(|\bdill\.", text):
            offenders.append(f"{path}: unpickles")
    assert not offenders, offenders
