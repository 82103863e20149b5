"""Small pieces every model family shares."""

from __future__ import annotations

from torch import nn

from dlpilot.engine.config import Activation


def activation(kind: Activation) -> nn.Module:
    return {Activation.RELU: nn.ReLU, Activation.SWISH: nn.SiLU, Activation.GELU: nn.GELU}[kind]()


def classifier_head(in_features: int, n_outputs: int, dropout: float) -> nn.Sequential:
    """Flatten, optional dropout, one linear layer."""
    layers: list[nn.Module] = [nn.Flatten()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(in_features, n_outputs))
    return nn.Sequential(*layers)
