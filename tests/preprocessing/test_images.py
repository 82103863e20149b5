"""Images: new images of another size, layout or channel count are prepared like training."""

from __future__ import annotations

import numpy as np
import torch
from stage_data import image_spec

from dlpilot.preprocessing import fit_preparer


def test_new_images_of_another_size_layout_or_channel_count_are_prepared_like_training():
    rng = np.random.default_rng(11)
    x = rng.integers(0, 256, size=(60, 3, 8, 8)).astype(np.uint8)
    prep = fit_preparer(x, None, image_spec(60, (3, 8, 8)))
    image = x[:1]
    reference = prep.transform(image)
    assert torch.allclose(prep.transform(image.transpose(0, 2, 3, 1)), reference)  # H×W×C
    bigger = np.repeat(np.repeat(image, 2, axis=2), 2, axis=3)  # 16×16, same content
    assert prep.transform(bigger).shape == (1, 3, 8, 8)
    assert torch.allclose(prep.transform(bigger), reference, atol=1e-4)
    grey = prep.transform(rng.integers(0, 256, size=(2, 1, 8, 8)).astype(np.uint8))
    assert grey.shape == (2, 3, 8, 8)
    std = torch.tensor(prep.std_).view(1, 3, 1, 1)
    mean = torch.tensor(prep.mean_).view(1, 3, 1, 1)
    raw = grey.double() * std + mean
    assert torch.allclose(raw[:, 0], raw[:, 1], atol=1e-3)  # one grey channel, repeated
