"""Stage 7's search space: plain data, so every process of a shared study rebuilds it.

Not a stage: `stages/tune.py` sizes the space around stage 6's network (`search_space`) and
re-exports these names; this module holds what a trial may draw (the regularizers, the
optimizer, its learning rate and schedule, the batch size, depth and width) and how a known
configuration is written as the space's parameters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import optuna

from dlpilot.core.enums import Modality, Task
from dlpilot.core.messages import Msg, msg
from dlpilot.core.policy import SMALL_BATCH_BELOW
from dlpilot.engine import (
    TRANSFER_ARCHITECTURES,
    Architecture,
    Augmentation,
    ModelConfig,
    OptimizerName,
    ScheduleName,
    TrainConfig,
)

LR_RANGE = (1e-4, 3e-2)
WEIGHT_DECAY_RANGE = (1e-7, 1e-2)
# How far the edge rule may widen a range (`SearchSpace.widen`): one decade per widening,
# never past these; weight decay's lower end is "none" in effect and never widens.
LR_LIMITS = (1e-6, 1.0)
WEIGHT_DECAY_LIMIT = 1e-1
MIN_WIDTH, MAX_WIDTH = 8, 2048
MAX_DEPTH = 8  # stage 6 grows the families to 3–6 layers; the search may go a little past
# A best value within this share of its range's end (in log units for log-scaled ranges) sits
# at the edge (issue 16, check 4: "the outer tenth of its range").
EDGE_SHARE = 0.1
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
    # The ranges the edge rule widens; None: the defaults around stage 6's network.
    lr_range: tuple[float, float] = LR_RANGE
    weight_decay_range: tuple[float, float] = WEIGHT_DECAY_RANGE
    depth_range: tuple[int, int] | None = None
    width_steps: tuple[int, int] | None = None

    @property
    def growable(self) -> bool:
        """Whether trials draw depth and width (torchvision backbones keep their size)."""
        return self.around.architecture not in (
            Architecture.ALEXNET,
            Architecture.TV_RESNET18,
            Architecture.GOOGLENET,
        )

    @property
    def augments(self) -> bool:
        """Whether trials draw an augmentation policy: images, unless a frozen backbone's
        features are cached (augmented images would need the backbone every step)."""
        return self.modality is Modality.IMAGE and (
            self.around.architecture not in TRANSFER_ARCHITECTURES
        )

    def depths(self) -> tuple[int, int]:
        if self.depth_range is not None:
            return self.depth_range
        low = max(1, min(self.baseline_depth, self.around.depth - 1))
        return low, max(low, self.around.depth + 1)

    def steps(self) -> tuple[int, int]:
        """The range of ``width_step``: a trial's width is stage 6's × 2^step, from the
        baseline's width (or half stage 6's) to twice stage 6's."""
        if self.width_steps is not None:
            return self.width_steps
        to_baseline = round(math.log2(max(self.baseline_width, 1) / max(self.around.width, 1)))
        floor, ceiling = self._step_limits()
        return max(floor, min(-1, to_baseline)), min(ceiling, 1)

    def _step_limits(self) -> tuple[int, int]:
        """The width steps to the first width clipped to `MIN_WIDTH` or `MAX_WIDTH` units."""
        width = max(self.around.width, 1)
        return (
            min(0, -math.ceil(math.log2(width / MIN_WIDTH))),
            max(0, math.ceil(math.log2(MAX_WIDTH / width))),
        )

    def width_at(self, step: int) -> int:
        return int(min(MAX_WIDTH, max(MIN_WIDTH, round(self.around.width * 2.0**step))))

    def widths(self) -> list[int]:
        low, high = self.steps()
        return sorted({self.width_at(s) for s in range(low, high + 1)})

    def batch_sizes(self) -> list[int]:
        largest = max(16, min(1024, self.n_train // 4))
        # A tiny split keeps the small batches its baseline used (stage 5's n/10 rule).
        smallest = 2 if self.n_train < SMALL_BATCH_BELOW else 16
        sizes = (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        return [b for b in sizes if smallest <= b <= largest] or [16]

    def suggest(self, trial: optuna.Trial) -> tuple[ModelConfig, TrainConfig]:
        """Draw one configuration from the space."""
        growable = self.growable
        model = replace(
            self.around,
            depth=trial.suggest_int("depth", *self.depths()) if growable else self.around.depth,
            width=self.width_at(trial.suggest_int("width_step", *self.steps()))
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
            lr=trial.suggest_float("lr", *self.lr_range, log=True),
            weight_decay=trial.suggest_float("weight_decay", *self.weight_decay_range, log=True),
            l1=trial.suggest_float("l1", *L1_RANGE, log=True),
            schedule=trial.suggest_categorical("schedule", [s.value for s in ScheduleName]),
            batch_size=trial.suggest_categorical("batch_size", self.batch_sizes()),
            epochs=self.max_epochs,
            early_stopping_patience=self.patience,
            seed=self.base.seed + 1000 * (trial.number + 1),
        )
        if self.task is Task.MULTICLASS:
            train = replace(train, label_smoothing=trial.suggest_float("label_smoothing", 0.0, 0.2))
        if self.augments:
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
        low, high = self.steps()
        step = round(math.log2(max(model.width, 1) / max(self.around.width, 1)))
        params: dict[str, Any] = {
            "depth": min(max(model.depth, self.depths()[0]), self.depths()[1]),
            "width_step": min(max(step, low), high),
            "dropout": 0.2 if regularize else 0.0,
            "batch_norm": model.batch_norm,
            "optimizer": str(train.optimizer),
            "lr": min(max(train.lr, self.lr_range[0]), self.lr_range[1]),
            "weight_decay": 1e-4 if regularize else self.weight_decay_range[0],
            "l1": L1_RANGE[0],
            "schedule": ScheduleName.COSINE.value if regularize else ScheduleName.CONSTANT.value,
            "batch_size": min(self.batch_sizes(), key=lambda b: abs(b - train.batch_size)),
        }
        if self.task is Task.MULTICLASS:
            params["label_smoothing"] = 0.1 if regularize else 0.0
        if self.augments:
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
            "lr_range": list(self.lr_range),
            "weight_decay_range": list(self.weight_decay_range),
            "depth_range": None if self.depth_range is None else list(self.depth_range),
            "width_steps": None if self.width_steps is None else list(self.width_steps),
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
            lr_range=_pair(d.get("lr_range"), LR_RANGE, float),
            weight_decay_range=_pair(d.get("weight_decay_range"), WEIGHT_DECAY_RANGE, float),
            depth_range=_pair(d.get("depth_range"), None, int),
            width_steps=_pair(d.get("width_steps"), None, int),
        )

    # --- the edge rule (issue 16, check 4) -------------------------------------------

    def edges(self, params: Mapping[str, Any]) -> tuple[SearchEdge, ...]:
        """Where ``params`` (a trial's) sit in the outer tenth of a range this rule watches:
        the learning rate (both ends), weight decay (its upper end; the lower is "none" in
        effect), and depth and width (both ends), each with the range it may grow to."""
        found: list[SearchEdge] = []
        watched: list[tuple[str, tuple[float, float], bool, tuple[float | None, float | None]]]
        watched = [
            ("lr", self.lr_range, True, LR_LIMITS),
            ("weight_decay", self.weight_decay_range, True, (None, WEIGHT_DECAY_LIMIT)),
        ]
        if self.growable:
            watched += [
                ("depth", self.depths(), False, (1, MAX_DEPTH)),
                ("width_step", self.steps(), False, self._step_limits()),
            ]
        for name, (low, high), log, (floor, ceiling) in watched:
            if name not in params:
                continue
            value = float(params[name])
            if log:
                span, at = math.log(high / low), math.log(value / low)
            else:
                span, at = high - low, value - low
            if span <= 0:
                continue
            share = at / span
            if share <= EDGE_SHARE and floor is not None:
                grown = (min(low, max(floor, low / 10 if log else low - 1)), high)
                found.append(SearchEdge(name, "low", value, (low, high), grown))
            if share >= 1 - EDGE_SHARE and ceiling is not None:
                grown = (low, max(high, min(ceiling, high * 10 if log else high + 1)))
                found.append(SearchEdge(name, "high", value, (low, high), grown))
        return tuple(found)

    def widen(self, edges: tuple[SearchEdge, ...]) -> SearchSpace:
        """This space with each of ``edges``' ranges grown past the end it sits at."""
        space = self
        for e in edges:
            if not e.can_widen:
                continue
            low, high = e.widened
            if e.param == "lr":
                space = replace(space, lr_range=(low, high))
            elif e.param == "weight_decay":
                space = replace(space, weight_decay_range=(low, high))
            elif e.param == "depth":
                space = replace(space, depth_range=(int(low), int(high)))
            elif e.param == "width_step":
                space = replace(space, width_steps=(int(low), int(high)))
        return space


@dataclass(frozen=True)
class SearchEdge:
    """A value in the outer tenth of its range, and the range the edge rule may grow it to."""

    param: str
    side: str  # "low" or "high"
    value: float
    bounds: tuple[float, float]
    widened: tuple[float, float]  # equal to ``bounds`` where the range is at its limit

    @property
    def can_widen(self) -> bool:
        return self.widened != self.bounds

    def describe(self) -> str:
        """`message` in English."""
        return str(self.message())

    def message(self) -> Msg:
        """Where the value sits: "lr 0.0291 in the highest tenth of 0.0001–0.03"."""
        values = {
            "param": self.param,
            "value": _num(self.value),
            "range": format_range(self.bounds),
        }
        if self.side == "low":
            return msg("{param} {value} in the lowest tenth of {range}", **values)
        return msg("{param} {value} in the highest tenth of {range}", **values)

    def to_dict(self) -> dict[str, Any]:
        return {
            "param": self.param,
            "side": self.side,
            "value": self.value,
            "bounds": list(self.bounds),
            "widened": list(self.widened),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SearchEdge:
        return cls(
            str(d["param"]),
            str(d["side"]),
            float(d["value"]),
            (d["bounds"][0], d["bounds"][1]),
            (d["widened"][0], d["widened"][1]),
        )


def format_range(bounds: tuple[float, float]) -> str:
    """``low–high``, integers as integers, other values to 3 significant digits."""
    return "–".join(_num(x) for x in bounds)


def _num(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.3g}"


def _pair(value: Any, default: Any, kind: type) -> Any:
    return default if value is None else (kind(value[0]), kind(value[1]))
