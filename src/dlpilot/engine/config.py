"""What to build and how to train it: two small frozen configs with closed choices.

Both check their values when they are made and raise a one-line `ConfigError`
naming the field, the value and the allowed range. Strings are accepted where
an enum is expected (``optimizer="sgd"``), so configs read from JSON or the
CLI need no conversion step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Msg, msg

MAX_BATCH_SIZE = 1024


class Architecture(StrEnum):
    LINEAR = "linear"
    MINIROCKET = "minirocket"
    MLP = "mlp"
    CNN = "cnn"
    RESNET = "resnet"
    ALEXNET = "alexnet"
    TV_RESNET18 = "tv_resnet18"
    GOOGLENET = "googlenet"
    EFFICIENTNET_LITE0 = "efficientnet_lite0"
    MINILM_L6 = "minilm_l6"
    CONV1D = "conv1d"
    FCN = "fcn"
    RESNET1D = "resnet1d"
    GRU = "gru"
    TEXT_GRU = "text_gru"
    TEXT_CNN = "text_cnn"
    TEXT_BAG = "text_bag"


class Activation(StrEnum):
    RELU = "relu"
    SWISH = "swish"
    GELU = "gelu"


class OptimizerName(StrEnum):
    ADAM = "adam"
    ADAMW = "adamw"
    SGD = "sgd"
    RMSPROP = "rmsprop"
    ADAGRAD = "adagrad"


class ScheduleName(StrEnum):
    CONSTANT = "constant"
    STEP = "step"
    MULTISTEP = "multistep"
    EXPONENTIAL = "exponential"
    PLATEAU = "plateau"
    COSINE = "cosine"
    ONECYCLE = "onecycle"


class Augmentation(StrEnum):
    FLIP = "flip"
    CROP = "crop"
    ROTATE = "rotate"
    ERASE = "erase"


class Precision(StrEnum):
    AUTO = "auto"
    BF16 = "bf16"
    FP32 = "fp32"


def _enum(cls: type[StrEnum], name: str, value: Any) -> StrEnum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ConfigError(
            msg(
                "{name}={value!r} is not one of: {allowed}.",
                name=name,
                value=value,
                allowed=allowed,
            )
        ) from None


def _check(ok: bool, message: Msg) -> None:
    if not ok:
        raise ConfigError(message)


def _set(obj: object, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # frozen dataclass: normalise once, in __post_init__


@dataclass(frozen=True)
class ModelConfig:
    """A network's shape. What depth and width mean depends on the architecture.

    linear: the linear baseline, a network of depth 0 (depth and width unused).
    mlp: ``depth`` hidden layers of ``width`` units. cnn: ``depth`` conv blocks
    (conv-BN-act, 2×2 max-pool), ``width`` channels in the first, doubling.
    resnet: ``depth`` stages of conv + pool + one residual block, ``width``
    channels in the first stage, doubling. conv1d: ``depth`` conv blocks of
    ``width`` channels, doubling. fcn: ``depth`` conv blocks
    without pooling (Wang et al. 2017), ``width`` channels outside, twice that inside.
    resnet1d: ``depth`` residual blocks of three convolutions, ``width`` channels in the
    first, twice that after. gru / text_gru: ``depth`` GRU layers of
    ``width`` units. text_cnn / text_bag: embeddings of ``width``, then
    ``depth`` conv blocks / hidden layers. alexnet: ``width`` hidden units in
    the replaced classifier. tv_resnet18, googlenet: fixed by torchvision.
    efficientnet_lite0: a frozen pretrained backbone (`dlpilot.engine.backbones`), then an
    MLP head of ``depth`` hidden layers of ``width`` units on its features; ``image_side`` is
    the side images are resized to for it (None: the backbone's own, 224). minilm_l6: the
    same for text, on all-MiniLM-L6-v2's 384 sentence features.
    ``pretrained`` is a local weights file (.pt/.pth state dict or .safetensors).
    """

    architecture: Architecture
    depth: int = 2
    width: int = 64
    dropout: float = 0.0
    batch_norm: bool = False
    activation: Activation = Activation.RELU
    pretrained: str | None = None
    image_side: int | None = None

    def __post_init__(self) -> None:
        _set(self, "architecture", _enum(Architecture, "architecture", self.architecture))
        _set(self, "activation", _enum(Activation, "activation", self.activation))
        _check(
            isinstance(self.depth, int) and 0 <= self.depth <= 64,
            msg("depth={depth!r} must be an integer from 0 to 64.", depth=self.depth),
        )
        _check(
            isinstance(self.width, int) and 1 <= self.width <= 8192,
            msg("width={width!r} must be an integer from 1 to 8192.", width=self.width),
        )
        _check(
            0.0 <= self.dropout < 1.0,
            msg("dropout={dropout!r} must be in [0, 1).", dropout=self.dropout),
        )
        if self.pretrained is not None:
            _set(self, "pretrained", str(self.pretrained))
        _check(
            self.image_side is None
            or (isinstance(self.image_side, int) and 32 <= self.image_side <= 1024),
            msg(
                "image_side={image_side!r} must be an integer from 32 to 1024.",
                image_side=self.image_side,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["architecture"] = str(self.architecture)
        d["activation"] = str(self.activation)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ModelConfig:
        return cls(**_known(cls, d))


@dataclass(frozen=True)
class TrainConfig:
    """How to train: optimizer, learning-rate schedule, regularisation, data handling.

    Schedules: ``step`` multiplies the LR by ``lr_gamma`` (default 0.1) every
    ``step_size`` epochs (default a third of them); ``multistep`` at
    ``milestones`` (default half and three quarters of the epochs);
    ``exponential`` every epoch by ``lr_gamma`` (default: down to 1% at the
    end); ``plateau`` by ``lr_gamma`` (default 0.1) after ``plateau_patience``
    validations without improvement; ``cosine`` anneals per epoch to
    ``min_lr``; ``onecycle`` steps per batch with ``lr`` as its peak. A linear
    warm-up over ``warmup_epochs`` precedes any schedule (for one-cycle it sets
    the rising phase).
    """

    optimizer: OptimizerName = OptimizerName.ADAM
    lr: float = 1e-3
    weight_decay: float = 0.0
    l1: float = 0.0
    momentum: float = 0.9
    nesterov: bool = False
    batch_size: int = 128
    epochs: int = 20
    schedule: ScheduleName = ScheduleName.CONSTANT
    warmup_epochs: int = 0
    label_smoothing: float = 0.0
    class_weights: tuple[float, ...] | None = None
    augment: tuple[Augmentation, ...] = ()
    early_stopping_patience: int | None = None
    precision: Precision = Precision.AUTO
    seed: int = 0
    # Schedule parameters; None picks the default the class docstring states.
    lr_gamma: float | None = None
    step_size: int | None = None
    milestones: tuple[int, ...] | None = None
    plateau_patience: int = 2
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        _set(self, "optimizer", _enum(OptimizerName, "optimizer", self.optimizer))
        _set(self, "schedule", _enum(ScheduleName, "schedule", self.schedule))
        _set(self, "precision", _enum(Precision, "precision", self.precision))
        _set(self, "augment", tuple(_enum(Augmentation, "augment", a) for a in self.augment))
        _check(
            len(set(self.augment)) == len(self.augment),
            msg("augment={augment} repeats.", augment=self.augment),
        )
        _check(
            isinstance(self.lr, int | float) and math.isfinite(self.lr) and self.lr > 0,
            msg("lr={lr!r} must be a positive finite number.", lr=self.lr),
        )
        _check(
            self.weight_decay >= 0,
            msg("weight_decay={weight_decay!r} must be ≥ 0.", weight_decay=self.weight_decay),
        )
        _check(self.l1 >= 0, msg("l1={l1!r} must be ≥ 0.", l1=self.l1))
        _check(
            0.0 <= self.momentum < 1.0,
            msg("momentum={momentum!r} must be in [0, 1).", momentum=self.momentum),
        )
        _check(
            not self.nesterov or (self.optimizer is OptimizerName.SGD and self.momentum > 0),
            msg("nesterov=True needs optimizer='sgd' with momentum > 0."),
        )
        _check(
            isinstance(self.batch_size, int) and 1 <= self.batch_size <= MAX_BATCH_SIZE,
            msg(
                "batch_size={batch_size!r} must be an integer from 1 to {max}.",
                batch_size=self.batch_size,
                max=MAX_BATCH_SIZE,
            ),
        )
        _check(
            isinstance(self.epochs, int) and 1 <= self.epochs <= 100_000,
            msg("epochs={epochs!r} must be an integer from 1 to 100000.", epochs=self.epochs),
        )
        _check(
            isinstance(self.warmup_epochs, int) and 0 <= self.warmup_epochs < self.epochs,
            msg(
                "warmup_epochs={warmup_epochs!r} must be an integer from 0 to epochs-1 ({last}).",
                warmup_epochs=self.warmup_epochs,
                last=self.epochs - 1,
            ),
        )
        _check(
            0.0 <= self.label_smoothing < 1.0,
            msg(
                "label_smoothing={label_smoothing!r} must be in [0, 1).",
                label_smoothing=self.label_smoothing,
            ),
        )
        if self.class_weights is not None:
            weights = tuple(float(w) for w in self.class_weights)
            _check(
                len(weights) > 0 and all(math.isfinite(w) and w > 0 for w in weights),
                msg(
                    "class_weights={class_weights!r} must be positive finite numbers.",
                    class_weights=self.class_weights,
                ),
            )
            _set(self, "class_weights", weights)
        _check(
            self.early_stopping_patience is None
            or (
                isinstance(self.early_stopping_patience, int) and self.early_stopping_patience >= 1
            ),
            msg(
                "early_stopping_patience={patience!r} must be None or ≥ 1.",
                patience=self.early_stopping_patience,
            ),
        )
        _check(
            isinstance(self.seed, int) and self.seed >= 0,
            msg("seed={seed!r} must be an integer ≥ 0.", seed=self.seed),
        )
        _check(
            self.lr_gamma is None or 0.0 < self.lr_gamma < 1.0,
            msg("lr_gamma={lr_gamma!r} must be in (0, 1).", lr_gamma=self.lr_gamma),
        )
        _check(
            self.step_size is None or (isinstance(self.step_size, int) and self.step_size >= 1),
            msg(
                "step_size={step_size!r} must be None or an integer ≥ 1.", step_size=self.step_size
            ),
        )
        if self.milestones is not None:
            ms = tuple(int(m) for m in self.milestones)
            _check(
                len(ms) > 0 and all(m >= 1 for m in ms) and list(ms) == sorted(set(ms)),
                msg(
                    "milestones={milestones!r} must be increasing epochs ≥ 1.",
                    milestones=self.milestones,
                ),
            )
            _set(self, "milestones", ms)
        _check(
            isinstance(self.plateau_patience, int) and self.plateau_patience >= 0,
            msg(
                "plateau_patience={plateau_patience!r} must be an integer ≥ 0.",
                plateau_patience=self.plateau_patience,
            ),
        )
        _check(
            0.0 <= self.min_lr < self.lr,
            msg("min_lr={min_lr!r} must be in [0, lr={lr}).", min_lr=self.min_lr, lr=self.lr),
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("optimizer", "schedule", "precision"):
            d[key] = str(d[key])
        d["augment"] = [str(a) for a in self.augment]
        for key in ("class_weights", "milestones"):
            if d[key] is not None:
                d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TrainConfig:
        kwargs = _known(cls, d)
        for key in ("augment", "class_weights", "milestones"):
            if kwargs.get(key) is not None:
                kwargs[key] = tuple(kwargs[key])
        return cls(**kwargs)


def _known(cls: type, d: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(d) - names)
    if unknown:
        raise ConfigError(
            msg(
                "Unknown {cls} keys {unknown}; known keys: {known}.",
                cls=cls.__name__,
                unknown=unknown,
                known=", ".join(sorted(names)),
            )
        )
    return dict(d)
