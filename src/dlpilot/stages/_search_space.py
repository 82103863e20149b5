"""Stage 7's search space: plain data, so every process of a shared study rebuilds it.

Not a stage: `stages/tune.py` sizes the space around stage 6's network (`search_space`) and
re-exports these names; this module holds what a trial may draw (the regularizers, the
optimizer, its learning rate and schedule, the batch size, depth and width) and how a known
configuration is written as the space's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import optuna

from dlpilot.core.enums import Modality, Task
from dlpilot.core.policy import SMALL_BATCH_BELOW
from dlpilot.engine import (
    Architecture,
    Augmentation,
    ModelConfig,
    OptimizerName,
    ScheduleName,
    TrainConfig,
)

LR_RANGE = (1e-4, 3e-2)
WEIGHT_DECAY_RANGE = (1e-7, 1e-2)
L1_RANGE = (1e-9, 1e-4)
DROPOUT_RANGE = (0.0, 0.5)
AUGMENT_POLICIES: dict[str, tuple[Augmentation, ...]] = {
    "none": (),
    "crop": (Augmentation.CROP,),
    "flip_crop": (Augmentation.FLIP, Augmentation.CROP),
    "crop_erase": (Augmentation.CROP, Augmentation.ERASE),
    "flip_crop_erase": (Augmentation.FLIP, Augmentation.CROP, Augmentation.ERASE),
    "rotate_crop": (Augmentation.ROTATE, Augmentation.CROP),
}


@dataclass(frozen=True)
class SearchSpace:
    """The space around stage 6's network; plain data, so every worker can rebuild it."""

    around: ModelConfig
    base: TrainConfig
    baseline_depth: int
    baseline_width: int
    modality: Modality
    task: Task
    n_train: int
    max_epochs: int
    patience: int

    def depths(self) -> tuple[int, int]:
        low = max(1, min(self.baseline_depth, self.around.depth - 1))
        return low, max(low, self.around.depth + 1)

    def widths(self) -> list[int]:
        w = self.around.width
        return sorted({self.baseline_width, max(8, w // 2), w, min(2048, w * 2)})

    def batch_sizes(self) -> list[int]:
        largest = max(16, min(1024, self.n_train // 4))
        # A tiny split keeps the small batches its baseline used (stage 5's n/10 rule).
        smallest = 2 if self.n_train < SMALL_BATCH_BELOW else 16
        sizes = (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        return [b for b in sizes if smallest <= b <= largest] or [16]

    def suggest(self, trial: optuna.Trial) -> tuple[ModelConfig, TrainConfig]:
        """Draw one configuration from the space."""
        growable = self.around.architecture not in (
            Architecture.ALEXNET,
            Architecture.TV_RESNET18,
            Architecture.GOOGLENET,
        )
        model = replace(
            self.around,
            depth=trial.suggest_int("depth", *self.depths()) if growable else self.around.depth,
            width=trial.suggest_categorical("width", self.widths())
            if growable
            else self.around.width,
            dropout=trial.suggest_float("dropout", *DROPOUT_RANGE),
            batch_norm=trial.suggest_categorical("batch_norm", [True, False]),
        )
        optimizer = trial.suggest_categorical("optimizer", [o.value for o in OptimizerName])
        train = replace(
            self.base,
            optimizer=optimizer,
            nesterov=optimizer == OptimizerName.SGD.value,
            lr=trial.suggest_float("lr", *LR_RANGE, log=True),
            weight_decay=trial.suggest_float("weight_decay", *WEIGHT_DECAY_RANGE, log=True),
            l1=trial.suggest_float("l1", *L1_RANGE, log=True),
            schedule=trial.suggest_categorical("schedule", [s.value for s in ScheduleName]),
            batch_size=trial.suggest_categorical("batch_size", self.batch_sizes()),
            epochs=self.max_epochs,
            early_stopping_patience=self.patience,
            seed=self.base.seed + 1000 * (trial.number + 1),
        )
        if self.task is Task.MULTICLASS:
            train = replace(train, label_smoothing=trial.suggest_float("label_smoothing", 0.0, 0.2))
        if self.modality is Modality.IMAGE:
            policy = trial.suggest_categorical("augment", list(AUGMENT_POLICIES))
            train = replace(train, augment=AUGMENT_POLICIES[policy])
        return model, train

    def params_for(
        self,
        model: ModelConfig,
        train: TrainConfig,
        *,
        augment: str = "none",
        regularize: bool = False,
    ) -> dict[str, Any]:
        """The parameters that reproduce a known configuration, to enqueue it."""
        params: dict[str, Any] = {
            "depth": model.depth,
            "width": model.width if model.width in self.widths() else self.around.width,
            "dropout": 0.2 if regularize else 0.0,
            "batch_norm": model.batch_norm,
            "optimizer": str(train.optimizer),
            "lr": min(max(train.lr, LR_RANGE[0]), LR_RANGE[1]),
            "weight_decay": 1e-4 if regularize else WEIGHT_DECAY_RANGE[0],
            "l1": L1_RANGE[0],
            "schedule": ScheduleName.COSINE.value if regularize else ScheduleName.CONSTANT.value,
            "batch_size": min(self.batch_sizes(), key=lambda b: abs(b - train.batch_size)),
        }
        if self.task is Task.MULTICLASS:
            params["label_smoothing"] = 0.1 if regularize else 0.0
        if self.modality is Modality.IMAGE:
            params["augment"] = augment
        return params

    def to_dict(self) -> dict[str, Any]:
        return {
            "around": self.around.to_dict(),
            "base": self.base.to_dict(),
            "baseline_depth": self.baseline_depth,
            "baseline_width": self.baseline_width,
            "modality": str(self.modality),
            "task": str(self.task),
            "n_train": self.n_train,
            "max_epochs": self.max_epochs,
            "patience": self.patience,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SearchSpace:
        return cls(
            around=ModelConfig.from_dict(d["around"]),
            base=TrainConfig.from_dict(d["base"]),
            baseline_depth=int(d["baseline_depth"]),
            baseline_width=int(d["baseline_width"]),
            modality=Modality(d["modality"]),
            task=Task(d["task"]),
            n_train=int(d["n_train"]),
            max_epochs=int(d["max_epochs"]),
            patience=int(d["patience"]),
        )
