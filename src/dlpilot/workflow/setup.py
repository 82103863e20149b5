"""The data stages 5–7 train and score on (`TrainingSetup`), for the run and for its workers.

A worker repeats stages 0–3 quietly from the options the run recorded in its study
(they are deterministic given the source and the seed) and cuts the same exploration
subset; the split digest tells it whether it got the same split.
"""

from __future__ import annotations

from typing import Any

from dlpilot.core.enums import MetricName
from dlpilot.core.records import ProblemSpec
from dlpilot.data import Dataset, load_source
from dlpilot.stages import baseline as stage_baseline
from dlpilot.stages._evaluate import Scoring, TrainingSetup
from dlpilot.stages.define import define_problem
from dlpilot.stages.metric import MetricChoice, choose_metric
from dlpilot.stages.prepare import PreparedData, prepare_data
from dlpilot.stages.protocol import choose_protocol
from dlpilot.tuning.leader import split_digest
from dlpilot.workflow.options import RunOptions


def training_setup(
    prepared: PreparedData, spec: ProblemSpec, metric: MetricChoice, human_error: float | None
) -> TrainingSetup:
    """Stage 3's folds, scored by stage 1's metric."""
    return TrainingSetup(
        folds=prepared.folds,
        spec=spec,
        scoring=Scoring.for_metric(spec.task, metric),
        input_shape=prepared.input_shape,
        vocab_size=prepared.vocab_size,
        human_error=human_error,
    )


def human_error_for(o: RunOptions, dataset: Dataset, metric: MetricChoice) -> float | None:
    """The stated human-level error, or the dataset's known human accuracy as an error."""
    if o.human_error is not None:
        return o.human_error
    if dataset.human_accuracy is not None and metric.primary is MetricName.ACCURACY:
        return 1.0 - dataset.human_accuracy
    return None


def training_setup_for(
    options: RunOptions, exploration: dict[str, Any]
) -> tuple[TrainingSetup, str]:
    """Stages 0–3 again, quietly, and stage 5's exploration subset: the data a worker's
    trials train and score on. Returns it with the split digest, which the worker checks
    against the study's record. The test set stays sealed; nothing here reads it."""
    o = options
    dataset = load_source(
        o.source,
        target=o.target,
        data_dir=o.data_dir,
        sep=o.sep,
        encoding=o.encoding,
        test=o.test,
    )
    spec = define_problem(dataset, task=o.task, modality=o.modality, drop_columns=o.drop).spec
    metric = choose_metric(spec, metric=o.metric, positive_class=o.positive_class)
    split = choose_protocol(dataset, spec, group=o.group, seed=o.seed)
    prepared = prepare_data(split.development, spec, split.protocol)
    full = training_setup(prepared, spec, metric, human_error_for(o, dataset, metric))
    plan = stage_baseline.ExplorationPlan.from_dict(exploration)
    return stage_baseline.subsample(full, plan, seed=o.seed), split_digest(split)


def worker_setup(options: dict[str, Any], exploration: dict[str, Any]) -> tuple[TrainingSetup, str]:
    """`training_setup_for` from the options as a study records them (what
    `dlpilot.tuning.worker.work` calls to rebuild the run's data)."""
    return training_setup_for(RunOptions.from_dict(options), exploration)
