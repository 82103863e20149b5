from __future__ import annotations

import pytest

from dlpilot.core.errors import ConfigError
from dlpilot.engine import (
    Architecture,
    Augmentation,
    ModelConfig,
    OptimizerName,
    Precision,
    ScheduleName,
    TrainConfig,
)


def test_strings_become_enums_and_round_trip() -> None:
    cfg = TrainConfig(optimizer="sgd", schedule="onecycle", augment=("flip", "crop"), nesterov=True)
    assert cfg.optimizer is OptimizerName.SGD
    assert cfg.schedule is ScheduleName.ONECYCLE
    assert cfg.augment == (Augmentation.FLIP, Augmentation.CROP)
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    model = ModelConfig("resnet", depth=3, width=32, batch_norm=True, activation="gelu")
    assert model.architecture is Architecture.RESNET
    assert ModelConfig.from_dict(model.to_dict()) == model


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"batch_size": 2048}, "batch_size=2048"),
        ({"batch_size": 0}, "batch_size=0"),
        ({"lr": -1.0}, "lr=-1.0"),
        ({"lr": float("nan")}, "lr=nan"),
        ({"epochs": 0}, "epochs=0"),
        ({"optimizer": "lbfgs"}, "optimizer='lbfgs' is not one of: adam, adamw, sgd"),
        ({"nesterov": True}, "nesterov=True needs optimizer='sgd'"),
        ({"warmup_epochs": 5, "epochs": 5}, "warmup_epochs=5"),
        ({"label_smoothing": 1.0}, "label_smoothing=1.0"),
        ({"class_weights": (1.0, -2.0)}, "class_weights"),
        ({"early_stopping_patience": 0}, "early_stopping_patience=0"),
        ({"momentum": 1.0}, "momentum=1.0"),
        ({"milestones": (5, 3)}, "milestones"),
        ({"precision": "fp16"}, "precision='fp16'"),
        ({"augment": ("mixup",)}, "augment='mixup'"),
    ],
)
def test_bad_train_config_is_one_clear_line(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        TrainConfig(**kwargs)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_bad_model_config_and_unknown_keys() -> None:
    with pytest.raises(ConfigError, match="architecture='vit'"):
        ModelConfig("vit")
    with pytest.raises(ConfigError, match=r"dropout=1\.5"):
        ModelConfig("mlp", dropout=1.5)
    with pytest.raises(ConfigError, match=r"Unknown TrainConfig keys \['lrate'\]"):
        TrainConfig.from_dict({"lrate": 0.1})


def test_defaults_match_the_documented_ones() -> None:
    cfg = TrainConfig()
    assert (cfg.optimizer, cfg.lr, cfg.batch_size, cfg.epochs) == (
        OptimizerName.ADAM,
        1e-3,
        128,
        20,
    )
    assert cfg.precision is Precision.AUTO
    assert cfg.early_stopping_patience is None
