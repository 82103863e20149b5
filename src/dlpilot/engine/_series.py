"""The time-series networks the literature trusts on small sets.

FCN and ResNet of Wang, Yan and Oates, "Time series classification from scratch with
deep neural networks: a strong baseline" (IJCNN 2017), as re-measured by Fawaz et al.,
"Deep learning for time series classification: a review" (DMKD 2019): on the 85 UCR sets
they were the two best of nine deep families (mean accuracy ResNet 0.845 / FCN 0.843 on
ArrowHead, 0.991 / 1.000 on GunPoint). Both convolve at full resolution with wide kernels
and pool only once, globally, so a network trained on 30–50 series sees every time step.
Kernels are odd (7, 5, 3 instead of the papers' 8, 5, 3) so symmetric padding keeps the
length without the padded copy that an even 'same' kernel costs in torch.
"""

from __future__ import annotations

import torch
from torch import nn

from dlpilot.engine._layers import activation, classifier_head
from dlpilot.engine.config import ModelConfig

_KERNELS = (7, 5, 3)


def _kernel(i: int, depth: int) -> int:
    """7 for the first block, 3 for the last, 5 in between."""
    if i == 0:
        return _KERNELS[0]
    return _KERNELS[2] if i == depth - 1 else _KERNELS[1]


def _conv(c_in: int, c_out: int, k: int, cfg: ModelConfig) -> list[nn.Module]:
    layers: list[nn.Module] = [nn.Conv1d(c_in, c_out, k, padding=k // 2, bias=not cfg.batch_norm)]
    if cfg.batch_norm:
        layers.append(nn.BatchNorm1d(c_out))
    layers.append(activation(cfg.activation))
    return layers


def fcn(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """``depth`` × (conv, [BN], act) at widths w, 2w, …, 2w, w; global average pool; head."""
    c, _length = shape
    depth = max(cfg.depth, 1)
    widths = [cfg.width if i in (0, depth - 1) else 2 * cfg.width for i in range(depth)]
    layers: list[nn.Module] = []
    for i, w in enumerate(widths):
        layers += _conv(c, w, _kernel(i, depth), cfg)
        c = w
    layers.append(nn.AdaptiveAvgPool1d(1))
    return nn.Sequential(*layers, classifier_head(c, n_out, cfg.dropout))


class ResidualBlock1d(nn.Module):
    """Three convolutions (7, 5, 3) and a shortcut (1×1 conv when the width changes)."""

    def __init__(self, c_in: int, c_out: int, cfg: ModelConfig) -> None:
        super().__init__()
        body = _conv(c_in, c_out, 7, cfg) + _conv(c_out, c_out, 5, cfg)
        body += [nn.Conv1d(c_out, c_out, 3, padding=1, bias=not cfg.batch_norm)]
        if cfg.batch_norm:
            body.append(nn.BatchNorm1d(c_out))
        self.body = nn.Sequential(*body)
        shortcut: list[nn.Module] = []
        if c_in != c_out:
            shortcut.append(nn.Conv1d(c_in, c_out, 1, bias=not cfg.batch_norm))
        if cfg.batch_norm:
            shortcut.append(nn.BatchNorm1d(c_out))
        self.shortcut = nn.Sequential(*shortcut)
        self.act = activation(cfg.activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.body(x) + self.shortcut(x))


def resnet1d(cfg: ModelConfig, shape: tuple[int, ...], n_out: int, _: int | None) -> nn.Module:
    """``depth`` residual blocks at widths w, 2w, 2w, …; global average pool; head."""
    c, _length = shape
    blocks: list[nn.Module] = []
    for i in range(max(cfg.depth, 1)):
        w = cfg.width if i == 0 else 2 * cfg.width
        blocks.append(ResidualBlock1d(c, w, cfg))
        c = w
    return nn.Sequential(*blocks, nn.AdaptiveAvgPool1d(1), classifier_head(c, n_out, cfg.dropout))
