"""Networks for every modality, each built from a `ModelConfig`.

Every model maps a batch to ``n_outputs`` raw outputs (logits or values); the
task's activation and loss live in `heads`. Input shapes exclude the batch:
(F,) tabular, (C, H, W) images, (C, L) sequences, (L,) token ids for text
(id 0 is padding).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import torch
from torch import nn

from dlpilot.core.enums import Modality
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg
from dlpilot.core.seeding import seeded
from dlpilot.engine._layers import activation, classifier_head
from dlpilot.engine._series import fcn, resnet1d
from dlpilot.engine._weights import load_into as _load_into
from dlpilot.engine._weights import load_state_dict
from dlpilot.engine.backbones import BACKBONES, TransferNetwork, build_frozen_backbone
from dlpilot.engine.config import Architecture, ModelConfig
from dlpilot.engine.heads import Rescale
from dlpilot.engine.linear import linear
from dlpilot.engine.rocket import minirocket_network

# Images whose shorter side is below this get torchvision backbones' stems
# adapted (stride 1, no early max-pool) so 28×28 inputs are not reduced to 1×1.
SMALL_IMAGE_SIDE = 64

IMAGE_ARCHITECTURES = frozenset(
    {
        Architecture.CNN,
        Architecture.RESNET,
        Architecture.ALEXNET,
        Architecture.TV_RESNET18,
        Architecture.GOOGLENET,
        Architecture.EFFICIENTNET_LITE0,
    }
)
# A frozen pretrained backbone and a trainable head (`dlpilot.engine.backbones`).
TRANSFER_ARCHITECTURES = frozenset({Architecture.EFFICIENTNET_LITE0, Architecture.MINILM_L6})
SEQUENCE_ARCHITECTURES = frozenset(
    {
        Architecture.CONV1D,
        Architecture.FCN,
        Architecture.RESNET1D,
        Architecture.GRU,
        Architecture.MINIROCKET,
    }
)
TEXT_ARCHITECTURES = frozenset(
    {Architecture.TEXT_GRU, Architecture.TEXT_CNN, Architecture.TEXT_BAG, Architecture.MINILM_L6}
)
TORCHVISION_ARCHITECTURES = frozenset(
    {Architecture.ALEXNET, Architecture.TV_RESNET18, Architecture.GOOGLENET}
)


def default_architecture(modality: Modality) -> Architecture:
    """The baseline architecture per modality, chosen by accuracy per CPU-second here.

    Images: on Fashion-MNIST (2-core AVX2 CPU, one thread, equal ~4.6 min budgets)
    the plain CNN d3 w32 reached 92.3% test accuracy, the ResNet-style d3 w16
    91.2%, a 2-stage ResNet w32 87.5% in 3.7 min (benchmarks/image_default_candidates.py).
    Sequences: the 1-D CNN d3 w32 reached 98.9% on MNIST-1D in 25 s, a GRU 93.6% in 44 s.
    Text: the 1-D CNN runs 2.7× faster per epoch than the GRU and learns as well.
    """
    return {
        Modality.TABULAR: Architecture.MLP,
        Modality.IMAGE: Architecture.CNN,
        Modality.SEQUENCE: Architecture.CONV1D,
        Modality.TEXT: Architecture.TEXT_CNN,
    }[Modality(modality)]


def default_model_config(modality: Modality) -> ModelConfig:
    """A good first network for ``modality``: the default architecture at a measured size."""
    arch = default_architecture(modality)
    if arch in (Architecture.CNN, Architecture.CONV1D):
        return ModelConfig(arch, depth=3, width=32, batch_norm=True)
    if arch is Architecture.TEXT_CNN:
        return ModelConfig(arch, depth=1, width=64)
    return ModelConfig(arch, depth=2, width=64)


def build_model(
    config: ModelConfig,
    *,
    input_shape: tuple[int, ...],
    n_outputs: int,
    vocab_size: int | None = None,
    seed: int = 0,
    target_stats: tuple[Sequence[float], Sequence[float]] | None = None,
    head_bias: Sequence[float] | None = None,
    pixel_stats: tuple[Sequence[float], Sequence[float]] | None = None,
    id_tokens: Sequence[str] | None = None,
) -> nn.Module:
    """Build the network ``config`` describes, its weights initialised from ``seed``.

    Initialisation runs under its own seed and leaves torch's global generator
    as it found it. ``config.pretrained`` loads a local weights file: for the
    torchvision backbones the file holds the backbone's own (e.g. ImageNet)
    weights, loaded before the stem and classifier are adapted; for the
    others it is a state dict this function's model saved. ``target_stats``
    (regression: the training targets' mean and standard deviation per output)
    ends the network with a `Rescale`, so it predicts in the targets' units. ``head_bias``
    (``n_outputs`` values, `dlpilot.engine.heads.prior_logits`) starts the output layer's
    bias there, so the untrained network predicts the class prior. ``pixel_stats`` (the
    per-channel mean and std stage 3 standardised with, on 0–1 pixels) lets a transfer
    architecture's backbone see the pixels it was trained on; ``id_tokens`` (text: the token
    each id stands for) let it read the words, through its own WordPiece vocabulary.
    """
    input_shape = tuple(int(s) for s in input_shape)
    if n_outputs < 1:
        raise ConfigError(msg("n_outputs={n_outputs} must be ≥ 1.", n_outputs=n_outputs))
    _check_input(config.architecture, input_shape, vocab_size)
    with seeded(seed):
        if config.architecture in TORCHVISION_ARCHITECTURES:
            model = _torchvision(config, input_shape, n_outputs)
        elif config.architecture in TRANSFER_ARCHITECTURES:
            model = _transfer(config, input_shape, n_outputs, vocab_size, pixel_stats, id_tokens)
        else:
            model = _BUILDERS[config.architecture](config, input_shape, n_outputs, vocab_size)
            if config.pretrained is not None:
                _load_into(model, load_state_dict(config.pretrained), config.pretrained)
    if head_bias is not None:
        _start_head_at(model, head_bias, n_outputs)
    if target_stats is not None:
        mean, std = (torch.as_tensor(v, dtype=torch.float32).reshape(-1) for v in target_stats)
        if len(mean) != n_outputs or len(std) != n_outputs or bool((std <= 0).any()):
            raise ConfigError(
                msg(
                    "target_stats need {n_outputs} means and {n_outputs} positive standard "
                    "deviations; got {n_mean} and {n_std}.",
                    n_outputs=n_outputs,
                    n_mean=len(mean),
                    n_std=len(std),
                )
            )
        model = nn.Sequential(model, Rescale(mean, std))
    return model


def _start_head_at(model: nn.Module, bias: Sequence[float], n_outputs: int) -> None:
    """Set the bias of the output layer: the last linear layer with ``n_outputs`` outputs."""
    values = torch.as_tensor(list(bias), dtype=torch.float32)
    if len(values) != n_outputs:
        raise ConfigError(
            msg("head_bias needs {n_outputs} values; got {n}.", n_outputs=n_outputs, n=len(values))
        )
    heads = [m for m in model.modules() if isinstance(m, nn.Linear) and m.out_features == n_outputs]
    if heads and heads[-1].bias is not None:
        with torch.no_grad():
            heads[-1].bias.copy_(values)


def _check_input(arch: Architecture, shape: tuple[int, ...], vocab_size: int | None) -> None:
    if arch in IMAGE_ARCHITECTURES and len(shape) != 3:
        raise ConfigError(
            msg(
                "architecture '{arch}' needs image inputs shaped (C, H, W); got input_shape {shape}.",
                arch=arch,
                shape=shape,
            )
        )
    if arch in SEQUENCE_ARCHITECTURES and len(shape) != 2:
        raise ConfigError(
            msg(
                "architecture '{arch}' needs sequence inputs shaped (C, L); got input_shape {shape}.",
                arch=arch,
                shape=shape,
            )
        )
    if arch in TEXT_ARCHITECTURES:
        if len(shape) != 1:
            raise ConfigError(
                msg(
                    "architecture '{arch}' needs token ids shaped (L,); got input_shape {shape}.",
                    arch=arch,
                    shape=shape,
                )
            )
        if vocab_size is None or vocab_size < 2:
            raise ConfigError(
                msg(
                    "architecture '{arch}' needs vocab_size ≥ 2 (id 0 is padding); got {vocab_size}.",
                    arch=arch,
                    vocab_size=vocab_size,
                )
            )
    if any(s < 1 for s in shape) or not shape:
        raise ConfigError(msg("input_shape {shape} must have positive sizes.", shape=shape))


# --- tabular ---------------------------------------------------------------------------


def _mlp(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """Flatten, then ``depth`` × (linear, [BN], activation, [dropout]), then a linear head."""
    features = 1
    for s in shape:
        features *= s
    layers: list[nn.Module] = [nn.Flatten()]
    for _i in range(cfg.depth):
        layers.append(nn.Linear(features, cfg.width, bias=not cfg.batch_norm))
        if cfg.batch_norm:
            layers.append(nn.BatchNorm1d(cfg.width))
        layers.append(activation(cfg.activation))
        if cfg.dropout > 0:
            layers.append(nn.Dropout(cfg.dropout))
        features = cfg.width
    layers.append(nn.Linear(features, n_out))
    return nn.Sequential(*layers)


# --- images ----------------------------------------------------------------------------


def _conv_bn_act(c_in: int, c_out: int, cfg: ModelConfig, *, pool: bool) -> list[nn.Module]:
    # Pooling right after the convolution, before BN and activation, as airbench
    # does: BN and the activation then run on a quarter of the pixels.
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, 3, padding=1, bias=not cfg.batch_norm)]
    if pool:
        layers.append(nn.MaxPool2d(2))
    if cfg.batch_norm:
        layers.append(nn.BatchNorm2d(c_out))
    layers.append(activation(cfg.activation))
    return layers


def _cnn(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """Plain conv stack: ``depth`` × (conv 3×3, 2×2 max-pool, [BN], act), global average pool."""
    c, h, w = shape
    layers: list[nn.Module] = []
    for i in range(max(cfg.depth, 1)):
        c_out = cfg.width * 2 ** min(i, 3)
        pool = min(h, w) >= 2
        layers += _conv_bn_act(c, c_out, cfg, pool=pool)
        if pool:
            h, w = h // 2, w // 2
        c = c_out
    layers.append(nn.AdaptiveAvgPool2d(1))
    return nn.Sequential(*layers, classifier_head(c, n_out, cfg.dropout))


class Residual(nn.Module):
    """x + f(x), with f two conv-[BN]-act layers; f's last BN starts at zero so f starts as 0."""

    def __init__(self, channels: int, cfg: ModelConfig) -> None:
        super().__init__()
        self.body = nn.Sequential(
            *_conv_bn_act(channels, channels, cfg, pool=False),
            *_conv_bn_act(channels, channels, cfg, pool=False),
        )
        if cfg.batch_norm:
            nn.init.zeros_(self.body[-2].weight)  # type: ignore[arg-type]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


def _resnet(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """ResNet-style, after airbench / the DAWNBench ResNet-9: a stem conv, then
    ``depth`` stages of (conv, 2×2 max-pool, [BN], act, residual block), global max pool.

    Few, wide layers, pooling early: most of the work runs on small feature maps.
    """
    c, h, w = shape
    stem = cfg.width // 2 if cfg.width >= 16 else cfg.width
    layers: list[nn.Module] = _conv_bn_act(c, stem, cfg, pool=False)
    c = stem
    for i in range(max(cfg.depth, 1)):
        c_out = cfg.width * 2 ** min(i, 3)
        pool = min(h, w) >= 2
        layers += _conv_bn_act(c, c_out, cfg, pool=pool)
        if pool:
            h, w = h // 2, w // 2
        layers.append(Residual(c_out, cfg))
        c = c_out
    layers.append(nn.AdaptiveMaxPool2d(1))
    return nn.Sequential(*layers, classifier_head(c, n_out, cfg.dropout))


# --- transfer: a frozen pretrained backbone and a head ---------------------------------


def _transfer(
    cfg: ModelConfig,
    shape: tuple[int, ...],
    n_out: int,
    vocab: int | None,
    pixel_stats: tuple[Sequence[float], Sequence[float]] | None,
    id_tokens: Sequence[str] | None,
) -> nn.Module:
    """The backbone (weights from ``cfg.pretrained``; random without), frozen, then an MLP
    of ``depth`` hidden layers on its features."""
    spec = BACKBONES[str(cfg.architecture)]
    frozen = build_frozen_backbone(
        spec, shape, cfg.pretrained, side=cfg.image_side, vocab_size=vocab, id_tokens=id_tokens
    )
    if pixel_stats is not None:
        frozen.input.set_pixel_stats(*pixel_stats)
    head_cfg = replace(cfg, architecture=Architecture.MLP, pretrained=None, image_side=None)
    return TransferNetwork(frozen, _mlp(head_cfg, (spec.features,), n_out, None))


# --- torchvision backbones -------------------------------------------------------------


def _torchvision(cfg: ModelConfig, shape: tuple[int, ...], n_out: int) -> nn.Module:
    from torchvision import models as tvm

    c, h, w = shape
    small = min(h, w) < SMALL_IMAGE_SIDE
    state = load_state_dict(cfg.pretrained) if cfg.pretrained is not None else None
    if cfg.architecture is Architecture.ALEXNET:
        model: nn.Module = tvm.alexnet(weights=None)
        if state is not None:
            _load_into(model, state, cfg.pretrained)
        conv1 = model.features[0]
        model.features[0] = _adapt_conv(conv1, c, stride=1 if small else None)
        if small:
            # Stride 1 instead of 4 keeps 28×28 inputs at 2×2 after the three poolings.
            model.features[0].padding = (5, 5)
        model.classifier = nn.Sequential(
            nn.Dropout(cfg.dropout),
            nn.Linear(256 * 6 * 6, cfg.width),
            activation(cfg.activation),
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.width, n_out),
        )
        return model
    if cfg.architecture is Architecture.TV_RESNET18:
        model = tvm.resnet18(weights=None)
        if state is not None:
            _load_into(model, state, cfg.pretrained)
        model.conv1 = _adapt_conv(model.conv1, c, stride=1 if small else None)
        if small:
            model.maxpool = nn.Identity()
        model.fc = classifier_head(model.fc.in_features, n_out, cfg.dropout)
        return model
    # GoogLeNet: no auxiliary classifiers (they only help very deep ImageNet training)
    # and no ImageNet input transform (stage 3 normalises with the data's own statistics).
    model = tvm.googlenet(weights=None, aux_logits=False, transform_input=False, init_weights=True)
    if state is not None:
        state = {k: v for k, v in state.items() if not k.startswith(("aux1.", "aux2."))}
        _load_into(model, state, cfg.pretrained)
    model.conv1.conv = _adapt_conv(model.conv1.conv, c, stride=1 if small else None)
    if small:
        model.maxpool1 = nn.Identity()
    model.dropout = nn.Dropout(cfg.dropout)
    model.fc = nn.Linear(model.fc.in_features, n_out)
    return model


def _adapt_conv(conv: nn.Conv2d, in_channels: int, *, stride: int | None) -> nn.Conv2d:
    """The same convolution for ``in_channels`` inputs (and another stride), keeping weights.

    Pretrained RGB filters become grey ones by summing over the colour axis
    (a grey image is R = G = B); other channel counts use the mean filter.
    """
    if in_channels == conv.in_channels and (stride is None or conv.stride == (stride, stride)):
        return conv
    new = nn.Conv2d(
        in_channels,
        conv.out_channels,
        conv.kernel_size,  # type: ignore[arg-type]
        stride=conv.stride if stride is None else stride,  # type: ignore[arg-type]
        padding=conv.padding,  # type: ignore[arg-type]
        bias=conv.bias is not None,
    )
    with torch.no_grad():
        weight = conv.weight
        if in_channels == conv.in_channels:
            new.weight.copy_(weight)
        elif in_channels == 1:
            new.weight.copy_(weight.sum(dim=1, keepdim=True))
        else:
            mean = weight.mean(dim=1, keepdim=True)
            new.weight.copy_(mean.expand(-1, in_channels, -1, -1) * conv.in_channels / in_channels)
        if conv.bias is not None and new.bias is not None:
            new.bias.copy_(conv.bias)
    return new


# --- sequences -------------------------------------------------------------------------


def _conv1d(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """``depth`` × (conv k=5, [BN], act, 2× max-pool while long enough), global average pool."""
    c, length = shape
    layers: list[nn.Module] = []
    for i in range(max(cfg.depth, 1)):
        c_out = cfg.width * 2 ** min(i, 3)
        layers += [nn.Conv1d(c, c_out, 5, padding=2, bias=not cfg.batch_norm)]
        if cfg.batch_norm:
            layers.append(nn.BatchNorm1d(c_out))
        layers.append(activation(cfg.activation))
        if length >= 4:
            layers.append(nn.MaxPool1d(2))
            length //= 2
        c = c_out
    layers.append(nn.AdaptiveAvgPool1d(1))
    return nn.Sequential(*layers, classifier_head(c, n_out, cfg.dropout))


class GRUNet(nn.Module):
    """GRU over the time axis; the head reads the last hidden state and the mean over time."""

    def __init__(self, cfg: ModelConfig, n_inputs: int, n_out: int, embed: nn.Module | None):
        super().__init__()
        self.embed = embed
        self.gru = nn.GRU(
            n_inputs,
            cfg.width,
            num_layers=max(cfg.depth, 1),
            batch_first=True,
            dropout=cfg.dropout if cfg.depth > 1 else 0.0,
        )
        self.head = classifier_head(2 * cfg.width, n_out, cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Sequences arrive N×C×L, token ids N×L; the GRU reads N×L×features.
        seq = self.embed(x) if self.embed is not None else x.transpose(1, 2)
        out, last = self.gru(seq)
        return self.head(torch.cat([last[-1], out.mean(dim=1)], dim=1))


def _gru(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    return GRUNet(cfg, shape[0], n_out, embed=None)


# --- text ------------------------------------------------------------------------------


def _text_gru(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, vocab: int | None) -> nn.Module:
    assert vocab is not None
    return GRUNet(cfg, cfg.width, n_out, embed=nn.Embedding(vocab, cfg.width, padding_idx=0))


class TextCNN(nn.Module):
    """Embeddings, ``depth`` × (conv k=3, [BN], act), max over time (padding masked out)."""

    def __init__(self, cfg: ModelConfig, vocab: int, n_out: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, cfg.width, padding_idx=0)
        layers: list[nn.Module] = []
        c = cfg.width
        for i in range(max(cfg.depth, 1)):
            c_out = cfg.width * 2 ** min(i, 2)
            layers.append(nn.Conv1d(c, c_out, 3, padding=1, bias=not cfg.batch_norm))
            if cfg.batch_norm:
                layers.append(nn.BatchNorm1d(c_out))
            layers.append(activation(cfg.activation))
            c = c_out
        self.convs = nn.Sequential(*layers)
        self.head = classifier_head(c, n_out, cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.convs(self.embed(x).transpose(1, 2))
        pad = (x == 0).unsqueeze(1)
        h = h.masked_fill(pad, torch.finfo(h.dtype).min).amax(dim=2)
        # An all-padding text would give -inf features; read it as zeros instead.
        return self.head(torch.where(pad.all(dim=2), torch.zeros_like(h), h))


def _text_cnn(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, vocab: int | None) -> nn.Module:
    assert vocab is not None
    return TextCNN(cfg, vocab, n_out)


class TextBag(nn.Module):
    """Mean of the tokens' embeddings (padding excluded), then an MLP of ``depth`` layers."""

    def __init__(self, cfg: ModelConfig, vocab: int, n_out: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, cfg.width, padding_idx=0)
        mlp_cfg = ModelConfig(
            Architecture.MLP,
            depth=cfg.depth,
            width=cfg.width,
            dropout=cfg.dropout,
            batch_norm=cfg.batch_norm,
            activation=cfg.activation,
        )
        self.mlp = _mlp(mlp_cfg, (cfg.width,), n_out, None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = (x != 0).unsqueeze(2).to(self.embed.weight.dtype)
        total = (self.embed(x) * mask).sum(dim=1)
        return self.mlp(total / mask.sum(dim=1).clamp(min=1.0))


def _text_bag(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, vocab: int | None) -> nn.Module:
    assert vocab is not None
    return TextBag(cfg, vocab, n_out)


_BUILDERS: dict[
    Architecture, Callable[[ModelConfig, tuple[int, ...], int, int | None], nn.Module]
] = {
    Architecture.LINEAR: linear,
    Architecture.MINIROCKET: minirocket_network,
    Architecture.MLP: _mlp,
    Architecture.CNN: _cnn,
    Architecture.RESNET: _resnet,
    Architecture.CONV1D: _conv1d,
    Architecture.FCN: fcn,
    Architecture.RESNET1D: resnet1d,
    Architecture.GRU: _gru,
    Architecture.TEXT_GRU: _text_gru,
    Architecture.TEXT_CNN: _text_cnn,
    Architecture.TEXT_BAG: _text_bag,
}
