"""Train one configuration under the protocol and score it on validation data.

Not a stage: the shared step that stages 5, 6 and 7 all take. One evaluation
trains one model per protocol split (one for hold-out, K for K-fold), scores
each on its validation split with the primary metric at the restored best
weights, and averages.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from torch import nn

from dlpilot.core.enums import MetricName, Task
from dlpilot.core.history import History
from dlpilot.core.messages import Text, from_dict
from dlpilot.core.metrics import sampling_error, score, score_all
from dlpilot.core.numbers import beats, finite_or_none, nan_if_none
from dlpilot.core.records import Finding, ProblemSpec
from dlpilot.diagnose import Diagnosis, diagnose
from dlpilot.engine import (
    Callback,
    EpochMetric,
    ModelConfig,
    TensorData,
    TimeLimit,
    TrainConfig,
    build_model,
    fit,
    predict_scores,
    prior_logits,
    target_stats_from,
)

if TYPE_CHECKING:  # for annotations only: a stage's private helper imports no stage either
    from dlpilot.stages.metric import MetricChoice


@dataclass(frozen=True)
class Scoring:
    """What every evaluation scores with: the primary metric and its secondaries."""

    task: Task
    primary: MetricName
    secondary: tuple[MetricName, ...]
    greater_is_better: bool
    positive_index: int | None

    @classmethod
    def for_metric(cls, task: Task, metric: MetricChoice) -> Scoring:
        """Scoring by stage 1's choice of metric."""
        return cls(
            task=task,
            primary=metric.primary,
            secondary=metric.secondary,
            greater_is_better=metric.greater_is_better,
            positive_index=metric.positive_index,
        )

    def epoch_metric(self) -> EpochMetric:
        return EpochMetric(
            name=str(self.primary),
            fn=lambda y, s: score(
                self.primary, y, s, task=self.task, positive_index=self.positive_index
            ),
            greater_is_better=self.greater_is_better,
        )

    def all(self, y_true: np.ndarray, y_score: np.ndarray) -> dict[str, float]:
        return score_all(
            (self.primary, *self.secondary),
            y_true,
            y_score,
            task=self.task,
            positive_index=self.positive_index,
        )

    def better(self, a: float, b: float) -> bool:
        """Whether score ``a`` beats ``b`` (NaN never beats anything)."""
        return beats(a, b, greater_is_better=self.greater_is_better)

    def worst(self) -> float:
        return -math.inf if self.greater_is_better else math.inf


@dataclass(frozen=True)
class Evaluation:
    """One configuration, trained on every protocol split and scored on validation."""

    name: str
    model: ModelConfig
    train: TrainConfig
    val_score: float
    val_scores: dict[str, float]
    train_score: float
    best_epoch: int
    epochs_run: int
    seconds: float
    diverged: bool
    stopped_by_time: bool
    histories: tuple[History, ...]
    diagnosis: Diagnosis
    n_params: int
    models: tuple[nn.Module, ...] = field(default=(), repr=False, compare=False)
    # The primary score's sampling error (standard error) on validation, when asked for.
    val_noise: float = math.nan

    @property
    def history(self) -> History:
        return self.histories[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "model": self.model.to_dict(),
            "train": self.train.to_dict(),
            "val_score": finite_or_none(self.val_score),
            "val_scores": {k: finite_or_none(v) for k, v in self.val_scores.items()},
            "train_score": finite_or_none(self.train_score),
            "best_epoch": self.best_epoch,
            "epochs_run": self.epochs_run,
            "seconds": round(self.seconds, 3),
            "diverged": self.diverged,
            "stopped_by_time": self.stopped_by_time,
            "n_params": self.n_params,
            "val_noise": finite_or_none(self.val_noise, digits=None),
            "findings": [f.to_dict() for f in self.diagnosis.findings],
            "next_step": str(self.diagnosis.next_step),
            "histories": [h.to_dict() for h in self.histories],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, human_error: float | None = None) -> Evaluation:
        """The evaluation `to_dict` saved, without its trained models; the diagnosis is read
        again from the first history (with ``human_error``, as the training read it)."""
        histories = tuple(History.from_dict(h) for h in d["histories"])
        return cls(
            name=d["name"],
            model=ModelConfig.from_dict(d["model"]),
            train=TrainConfig.from_dict(d["train"]),
            val_score=nan_if_none(d["val_score"]),
            val_scores={k: nan_if_none(v) for k, v in d["val_scores"].items()},
            train_score=nan_if_none(d["train_score"]),
            best_epoch=int(d["best_epoch"]),
            epochs_run=int(d["epochs_run"]),
            seconds=float(d["seconds"]),
            diverged=bool(d["diverged"]),
            stopped_by_time=bool(d["stopped_by_time"]),
            histories=histories,
            diagnosis=diagnose(
                histories[0], stage=d.get("stage", "restored"), human_error=human_error
            ),
            n_params=int(d["n_params"]),
            val_noise=nan_if_none(d.get("val_noise")),
        )


@dataclass(frozen=True)
class TrainingSetup:
    """Everything an evaluation needs besides the configuration itself."""

    folds: tuple[Any, ...]
    spec: ProblemSpec
    scoring: Scoring
    input_shape: tuple[int, ...]
    vocab_size: int | None
    human_error: float | None = None
    # Callbacks that see every training's epochs, by the training's name ("trial_0003/fold0"):
    # the run's live logs (TensorBoard, MLflow). None: nothing listens.
    epoch_callbacks: Callable[[str], Sequence[Callback]] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def n_train(self) -> int:
        return len(self.folds[0].train)

    def network(self, model_config: ModelConfig, *, seed: int, fold: int = 0) -> nn.Module:
        """A fresh network of ``model_config`` for split ``fold`` (`fold_network`)."""
        return fold_network(
            model_config,
            self.folds[fold],
            self.spec,
            input_shape=self.input_shape,
            vocab_size=self.vocab_size,
            seed=seed,
        )

    def first_fold(self) -> TrainingSetup:
        """The same setup on the protocol's first split alone."""
        return replace(self, folds=self.folds[:1])

    def evaluate(
        self,
        name: str,
        model_config: ModelConfig,
        train_config: TrainConfig,
        *,
        deadline: float,
        stage: str,
        **kwargs: Any,
    ) -> Evaluation:
        return evaluate(
            name,
            model_config,
            train_config,
            folds=self.folds,
            spec=self.spec,
            scoring=self.scoring,
            input_shape=self.input_shape,
            vocab_size=self.vocab_size,
            deadline=deadline,
            stage=stage,
            human_error=self.human_error,
            epoch_callbacks=self.epoch_callbacks,
            **kwargs,
        )


def evaluate(
    name: str,
    model_config: ModelConfig,
    train_config: TrainConfig,
    *,
    folds: Sequence[Any],
    spec: ProblemSpec,
    scoring: Scoring,
    input_shape: tuple[int, ...],
    vocab_size: int | None,
    deadline: float,
    stage: str,
    human_error: float | None = None,
    at_largest_size: bool = False,
    verbose: bool = False,
    callbacks: Callable[[int], Sequence[Callback]] | None = None,
    on_fold_end: Callable[[int, float], None] | None = None,
    keep_models: bool = False,
    noise: bool = False,
    epoch_callbacks: Callable[[str], Sequence[Callback]] | None = None,
) -> Evaluation:
    """Train ``model_config`` with ``train_config`` on each fold; score on its validation split.

    ``deadline`` is a ``time.monotonic()`` instant: every training stops at the
    end of the epoch in which it passes. ``callbacks(fold)`` adds callbacks (a
    pruner, say); ``on_fold_end(fold, score)`` hears each fold's score. With ``noise``
    the result carries the validation score's sampling error (`val_noise`).
    """
    started = time.monotonic()
    fold_scores: list[float] = []
    fold_all: list[dict[str, float]] = []
    train_scores: list[float] = []
    histories: list[History] = []
    best_epochs: list[int] = []
    epochs_run = 0
    diverged = stopped_by_time = False
    models: list[nn.Module] = []
    n_params = 0
    val_noise = math.nan
    for i, fold in enumerate(folds):
        seeded = replace(train_config, seed=train_config.seed + i)
        model = fold_network(
            model_config,
            fold,
            spec,
            input_shape=input_shape,
            vocab_size=vocab_size,
            seed=seeded.seed,
            class_weights=seeded.class_weights,
        )
        n_params = sum(p.numel() for p in model.parameters())
        limit = TimeLimit.until(deadline)
        extra = list(callbacks(i)) if callbacks else []
        if epoch_callbacks is not None:
            extra += list(epoch_callbacks(f"{name}/fold{i}" if len(folds) > 1 else name))
        # One fold's epochs on screen are enough to follow; K-fold would print K times more.
        result = fit(
            model,
            fold.train,
            fold.val,
            seeded,
            task=spec.task,
            metric=scoring.epoch_metric(),
            callbacks=[limit, *extra],
            verbose=verbose and i == 0,
        )
        history = result.history
        history.metric, history.greater_is_better = str(scoring.primary), scoring.greater_is_better
        histories.append(history)
        epochs_run = max(epochs_run, result.epochs_run)
        best_epochs.append(result.best_epoch)
        stopped_by_time = stopped_by_time or (
            time.monotonic() >= deadline and result.epochs_run < seeded.epochs
        )
        if result.diverged:
            diverged = True
            fold_scores.append(math.nan)
            break
        y_val = fold.val.y.cpu().numpy()
        inputs = fold.val.x if isinstance(fold.val, TensorData) else fold.val
        y_score = predict_scores(result.model, inputs, task=spec.task)
        val_scores = scoring.all(y_val, y_score)
        if noise and i == 0:
            val_noise = _fold_noise(scoring, y_val, y_score, folds)
        fold_all.append(val_scores)
        fold_scores.append(val_scores[str(scoring.primary)])
        train_value = _value_at(history, str(scoring.primary), result.best_epoch)
        train_scores.append(train_value)
        if keep_models:
            models.append(result.model)
        if on_fold_end is not None:
            on_fold_end(i, fold_scores[-1])
        if time.monotonic() >= deadline and i + 1 < len(folds):
            stopped_by_time = True
            break
    val_score = float(np.mean(fold_scores)) if fold_scores and not diverged else math.nan
    mean_all = {
        k: float(np.nanmean([d[k] for d in fold_all])) for k in (fold_all[0] if fold_all else {})
    }
    diagnosis = diagnose(
        histories[0], stage=stage, human_error=human_error, at_largest_size=at_largest_size
    )
    return Evaluation(
        name=name,
        model=model_config,
        train=train_config,
        val_score=val_score,
        val_scores=mean_all,
        train_score=float(np.mean(train_scores)) if train_scores else math.nan,
        best_epoch=int(round(float(np.mean(best_epochs)))) if best_epochs else 0,
        epochs_run=epochs_run,
        seconds=time.monotonic() - started,
        diverged=diverged,
        stopped_by_time=stopped_by_time,
        histories=tuple(histories),
        diagnosis=diagnosis,
        n_params=n_params,
        models=tuple(models),
        val_noise=val_noise,
    )


def _fold_noise(
    scoring: Scoring, y_val: np.ndarray, y_score: np.ndarray, folds: Sequence[Any]
) -> float:
    """The validation score's standard error: the first fold's, shrunk to the number of
    distinct samples every fold's mean rests on (`scored_samples`)."""
    se = sampling_error(
        scoring.primary, y_val, y_score, task=scoring.task, positive_index=scoring.positive_index
    )
    return se * math.sqrt(len(y_val) / max(scored_samples(folds), 1))


def scored_samples(folds: Sequence[Any]) -> int:
    """How many distinct samples a score averaged over ``folds`` rests on: every fold's
    validation samples, but iterated K-fold scores the same samples again, so at most all
    of them once."""
    n_all = len(folds[0].train) + len(folds[0].val)
    return min(sum(len(f.val) for f in folds), n_all)


def new_network(
    model_config: ModelConfig,
    spec: ProblemSpec,
    *,
    input_shape: tuple[int, ...],
    vocab_size: int | None = None,
    train_y: Any,
    seed: int = 0,
    class_weights: Sequence[float] | None = None,
    pixel_stats: Any = None,
    id_tokens: Any = None,
) -> nn.Module:
    """A fresh network of ``model_config`` for inputs of ``input_shape``, its output layer
    started at the training targets ``train_y``: their mean and spread (regression,
    `target_stats_from`) or their class prior, weighted as the loss will be
    (`prior_logits`). ``pixel_stats`` (images: the preparer's `pixel_stats`) feed a
    pretrained backbone the pixels it was trained on; ``id_tokens`` (text: the preparer's
    `id_tokens`) let it read the words."""
    return build_model(
        model_config,
        input_shape=tuple(input_shape),
        n_outputs=spec.n_outputs,
        vocab_size=vocab_size,
        seed=seed,
        target_stats=target_stats_from(train_y, spec.task),
        head_bias=prior_logits(
            train_y, spec.task, n_outputs=spec.n_outputs, class_weights=class_weights
        ),
        pixel_stats=pixel_stats,
        id_tokens=id_tokens,
    )


def fold_network(
    model_config: ModelConfig,
    fold: Any,
    spec: ProblemSpec,
    *,
    input_shape: tuple[int, ...],
    vocab_size: int | None,
    seed: int = 0,
    class_weights: Sequence[float] | None = None,
) -> nn.Module:
    """The network for one protocol split: the split's own input width and vocabulary
    (`fold_inputs`), its output layer started at the split's training targets."""
    shape, vocab = fold_inputs(fold, input_shape, vocab_size)
    preparer = getattr(fold, "preparer", None)
    return new_network(
        model_config,
        spec,
        input_shape=shape,
        vocab_size=vocab,
        train_y=fold.train.y,
        seed=seed,
        class_weights=class_weights,
        pixel_stats=preparer.pixel_stats() if preparer is not None else None,
        id_tokens=preparer.id_tokens() if preparer is not None else None,
    )


def fold_inputs(
    fold: Any, input_shape: tuple[int, ...], vocab_size: int | None
) -> tuple[tuple[int, ...], int | None]:
    """A fold's own input shape and vocabulary size.

    One-hot widths, missing-value indicators and vocabularies follow the
    training rows each fold's preparer saw, so K folds can differ in width.
    """
    preparer = getattr(fold, "preparer", None)
    if preparer is None:
        return input_shape, vocab_size
    return tuple(preparer.input_shape), preparer.vocab_size


def _value_at(history: History, key: str, epoch: int) -> float:
    values = history.get(key)
    if not values or epoch < 1:
        return math.nan
    return float(values[min(epoch, len(values)) - 1])


def evidence_of(finding: Finding) -> Text:
    """A finding's evidence as its message when it has one (its English text otherwise), so a
    decision that quotes it renders in the reader's language."""
    form = finding.texts.get("evidence")
    return from_dict(form) if form else finding.evidence
