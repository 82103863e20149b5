"""data_view.json's samples: images drawn on their own value range, whatever it is."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.data.dataset import Dataset
from dlpilot.report.data_view import write_data_view


def _pngs(view):
    for group in view["samples"]["groups"]:
        for item in group["items"]:
            yield np.asarray(Image.open(io.BytesIO(base64.b64decode(item["png"]))))


@pytest.mark.parametrize(
    ("scale", "dtype"), [(16, np.float64), (1, np.float32), (255, np.float64), (255, np.uint8)]
)
def test_images_are_drawn_on_their_own_range(tmp_path, scale, dtype):
    # digits' pixels run 0–16: drawn on 0–255 they were nearly black.
    gen = np.random.default_rng(0)
    x = np.zeros((40, 1, 8, 8))
    x[:, :, 2:6, 2:6] = scale  # a bright square on black
    x = (x + gen.uniform(0, 0.05 * scale, x.shape)).clip(0, scale).astype(dtype)
    y = np.array(["a", "b"] * 20)
    spec = ProblemSpec(
        task=Task.BINARY,
        modality=Modality.IMAGE,
        n_samples=40,
        n_features=64,
        input_shape=(1, 8, 8),
        target_names=("y",),
        class_names=("a", "b"),
    )
    data = Dataset(name="squares", source="test", x=x, y=y, target_names=("y",))
    view = json.loads(write_data_view(tmp_path, data, spec).read_text())
    low, high = view["samples"]["value_range"]
    assert low == pytest.approx(0.0, abs=0.05 * scale) and high == pytest.approx(scale, rel=0.01)
    images = list(_pngs(view))
    assert len(images) == 12
    for img in images:
        assert img[3:5, 3:5].min() >= 230  # the square is white
        assert img[0, 0] <= 30  # the background black
