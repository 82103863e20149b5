"""Hand-made inputs for the planning tests of stages 5–8: setups, evaluations, diagnoses.

Nothing here trains: an `Evaluation` is written down with the scores, times and
diagnosis a test needs, and a `TrainingSetup` holds tensors of the sizes it needs
(zero inputs; the class shares asked for, or 0…n−1 as regression targets). Imported
by name: this folder is on sys.path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch
from stage_data import numeric_spec

from dlpilot.core.enums import FindingCode, MetricName, Modality, Severity, Task
from dlpilot.core.history import History
from dlpilot.core.records import Finding, ProblemSpec
from dlpilot.diagnose import Diagnosis, NextStep
from dlpilot.engine import Architecture, ModelConfig, TensorData, TrainConfig
from dlpilot.stages._evaluate import Evaluation, Scoring, TrainingSetup
from dlpilot.stages._search_space import SearchSpace


@dataclass(frozen=True)
class Fold:
    """One protocol split as the stages read it (the real one also carries a preparer)."""

    train: TensorData
    val: TensorData


def labels(n: int, positive_share: float = 0.5) -> torch.Tensor:
    """Binary class indices, the positives first, with an exact share."""
    n_pos = round(n * positive_share)
    return torch.cat(
        [torch.ones(n_pos, dtype=torch.long), torch.zeros(n - n_pos, dtype=torch.long)]
    )


def fold(
    n_train: int, n_val: int, *, positive_share: float = 0.5, regression: bool = False
) -> Fold:
    def part(n: int) -> TensorData:
        y = torch.arange(n, dtype=torch.float32) if regression else labels(n, positive_share)
        return TensorData(torch.zeros(n, 2), y)

    return Fold(part(n_train), part(n_val))


def accuracy_scoring(task: Task = Task.BINARY) -> Scoring:
    return Scoring(
        task=task,
        primary=MetricName.ACCURACY,
        secondary=(),
        greater_is_better=True,
        positive_index=1 if task is Task.BINARY else None,
    )


def setup(
    n_train: int = 300,
    n_val: int = 100,
    *,
    n_folds: int = 1,
    spec: ProblemSpec | None = None,
    positive_share: float = 0.5,
) -> TrainingSetup:
    spec = spec or numeric_spec(n_train + n_val, 2)
    regression = spec.task.is_regression
    folds = tuple(
        fold(n_train, n_val, positive_share=positive_share, regression=regression)
        for _ in range(n_folds)
    )
    return TrainingSetup(
        folds=folds,
        spec=spec,
        scoring=accuracy_scoring(spec.task) if not regression else rmse_scoring(),
        input_shape=(2,),
        vocab_size=None,
    )


def rmse_scoring() -> Scoring:
    return Scoring(
        task=Task.REGRESSION,
        primary=MetricName.RMSE,
        secondary=(),
        greater_is_better=False,
        positive_index=None,
    )


def finding(code: FindingCode, evidence: str = "") -> Finding:
    return Finding(code, Severity.WARNING, "test", evidence or str(code), "act")


def diagnosis(*codes: FindingCode, next_step: NextStep = NextStep.KEEP_SCALING) -> Diagnosis:
    return Diagnosis(
        findings=tuple(finding(c) for c in codes),
        judged=True,
        next_step=next_step,
        reason="written by hand",
    )


def history(val_loss: Sequence[float]) -> History:
    """A history whose training loss falls steadily beside the given validation loss."""
    n = len(val_loss)
    return History(
        columns={"loss": [1.0 - 0.5 * i / n for i in range(n)], "val_loss": list(val_loss)},
        metric="accuracy",
    )


def evaluation(
    name: str = "baseline",
    *,
    model: ModelConfig | None = None,
    train: TrainConfig | None = None,
    val_score: float = 0.8,
    train_score: float = 0.85,
    best_epoch: int = 10,
    epochs_run: int = 20,
    seconds: float = 2.0,
    codes: Sequence[FindingCode] = (),
    next_step: NextStep = NextStep.KEEP_SCALING,
    val_loss: Sequence[float] | None = None,
    n_histories: int = 1,
    diverged: bool = False,
    stopped_by_time: bool = False,
    n_params: int = 1000,
) -> Evaluation:
    model = model or ModelConfig(Architecture.MLP, depth=2, width=64)
    train = train or TrainConfig(lr=1e-3, batch_size=32, epochs=epochs_run, seed=0)
    curve = history(
        val_loss if val_loss is not None else [1.0 / (i + 1) for i in range(epochs_run)]
    )
    return Evaluation(
        name=name,
        model=model,
        train=train,
        val_score=val_score,
        val_scores={"accuracy": val_score},
        train_score=train_score,
        best_epoch=best_epoch,
        epochs_run=epochs_run,
        seconds=seconds,
        diverged=diverged,
        stopped_by_time=stopped_by_time,
        histories=tuple(curve for _ in range(n_histories)),
        diagnosis=diagnosis(*codes, next_step=next_step),
        n_params=n_params,
    )


def v_shaped(n: int, lowest_at: int) -> list[float]:
    """A validation loss that falls to its lowest at epoch ``lowest_at`` (from 1), then rises."""
    return [1.0 + abs(epoch - lowest_at) * 0.05 for epoch in range(1, n + 1)]


class ScriptedSetup:
    """Stands in for a `TrainingSetup`: `evaluate` returns what ``script`` says, and the
    configurations asked for are kept in ``calls``. Nothing trains. Other attributes (the
    problem, the folds, ``n_train``) are those of ``base``, when one is given."""

    def __init__(
        self,
        script: Callable[[str, ModelConfig, TrainConfig], Evaluation],
        scoring: Scoring | None = None,
        *,
        base: TrainingSetup | None = None,
    ) -> None:
        self.script = script
        self.base = base
        self.scoring = scoring or (base.scoring if base is not None else accuracy_scoring())
        self.calls: list[tuple[str, ModelConfig, TrainConfig]] = []

    def evaluate(self, name: str, model: ModelConfig, train: TrainConfig, **_: Any) -> Evaluation:
        self.calls.append((name, model, train))
        return self.script(name, model, train)

    def __getattr__(self, name: str) -> Any:
        base = self.__dict__.get("base")
        if base is None:
            raise AttributeError(name)
        return getattr(base, name)


def at(evaluation_: Evaluation, model: ModelConfig, train: TrainConfig, name: str) -> Evaluation:
    """``evaluation_`` as the result of training ``model`` with ``train`` under ``name``."""
    return replace(evaluation_, name=name, model=model, train=train)


def never_called(*_: Any) -> Evaluation:
    raise AssertionError("this plan must not train anything")


def small_space(*, seed: int = 0, around: ModelConfig | None = None) -> SearchSpace:
    """Stage 7's space around a 2-layer, 64-wide MLP for a small binary table: 5-epoch trials."""
    return SearchSpace(
        around=around or ModelConfig(Architecture.MLP, depth=2, width=64),
        base=TrainConfig(seed=seed),
        baseline_depth=2,
        baseline_width=64,
        modality=Modality.TABULAR,
        task=Task.BINARY,
        n_train=300,
        max_epochs=5,
        patience=3,
    )
