"""What a finished run leaves: ``summary.json``, ``evaluation.json``, the model bundle and
``report.html`` (all named in `dlpilot.core.rundir`), and the `RunResult` handed back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dlpilot import __version__
from dlpilot.core.enums import Modality
from dlpilot.core.messages import msg
from dlpilot.core.numbers import finite_or_none
from dlpilot.core.records import ProblemSpec
from dlpilot.core.rundir import (
    EVALUATION_FILE,
    MODEL_DIR,
    REPORT_FILE,
    SUMMARY_FILE,
    TEST_PREDICTIONS_FILE,
)
from dlpilot.data import Dataset
from dlpilot.engine import TrainConfig
from dlpilot.stages.baseline import ExplorationPlan
from dlpilot.stages.define import ProblemDefinition
from dlpilot.stages.final import FinalResult, Member
from dlpilot.stages.metric import MetricChoice
from dlpilot.stages.prepare import PreparedData
from dlpilot.stages.protocol import ProtocolChoice
from dlpilot.stages.score_to_beat import ScoreToBeat
from dlpilot.stages.tune import Tuning
from dlpilot.workflow.context import RunContext
from dlpilot.workflow.rundir import DONE_STATE, json_default


@dataclass
class RunResult:
    """What a finished run hands back."""

    run_dir: Path
    summary: dict[str, Any]
    members: list[Member] = field(default_factory=list, repr=False)
    _model: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def report_path(self) -> Path:
        return self.run_dir / REPORT_FILE

    @property
    def model_path(self) -> Path:
        return self.run_dir / MODEL_DIR

    @property
    def model(self) -> Any:
        """The final model as `dlpilot.load` gives it (a `TrainedModel`), read from
        ``model_path`` on first use."""
        if self._model is None:
            from dlpilot.bundle import load_bundle

            self._model = load_bundle(self.model_path)
        return self._model

    @property
    def summary_path(self) -> Path:
        return self.run_dir / SUMMARY_FILE


def build_summary(
    run: RunContext,
    *,
    dataset: Dataset,
    definition: ProblemDefinition,
    metric: MetricChoice,
    split: ProtocolChoice,
    baselines: ScoreToBeat,
    exploration: ExplorationPlan,
    scale_block: dict[str, Any],
    tuning: Tuning,
    final: FinalResult,
    transfer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The content of ``summary.json``; ``transfer`` is stage 5's comparison of a pretrained
    backbone with training from scratch (`BaselineNetwork.transfer`)."""
    findings = [f.to_dict() for r in run.records for f in r.findings]
    counts = tuning.counts()
    return {
        "dlpilot_version": __version__,
        "source": dataset.source,
        "dataset": dataset.name,
        "problem": definition.spec.to_dict(),
        "metric": metric.to_dict(),
        "protocol": split.to_dict(),
        "baselines": baselines.to_dict(),
        "stages": [r.to_dict() for r in run.records],
        "findings": findings,
        "scale": scale_block,
        "tuning": {
            "trials": len(tuning.trials),
            "complete": counts.get("COMPLETE", 0),
            "pruned": counts.get("PRUNED", 0),
            "failed": counts.get("FAIL", 0),
            "best_trial": tuning.best_number,
            "best_value": finite_or_none(tuning.best_value, digits=None),
            "importances": tuning.importances,
            # Check 5: the validation score's standard error and the trials tied with the best.
            "val_noise": finite_or_none(tuning.val_noise, digits=None),
            "tied_with_best": list(tuning.ties),
            # Check 6: the best configuration from more seeds (null when not measured).
            "seed_spread": None if tuning.seed_spread is None else tuning.seed_spread.to_dict(),
            # Check 4: the ranges the space grew to (equal to the start when none widened).
            "space_ranges": {
                "lr": list(tuning.space.lr_range),
                "weight_decay": list(tuning.space.weight_decay_range),
                "depth": list(tuning.space.depths()),
                "width": tuning.space.widths(),
            },
        },
        "exploration": exploration.to_dict(),
        "transfer": dict(transfer or {}),
        "final": final.to_dict(),
        "test_set_opened": final.test_opened,
        "budget": {
            "limit_seconds": run.options.budget_seconds,
            "used_seconds": round(run.clock.used, 2),
            "by_stage": {r.name: round(r.seconds, 2) for r in run.records},
        },
        # The language is how the run was shown, not what it did: summary.json is the same
        # in every language.
        "options": {k: v for k, v in run.options.to_dict().items() if k != "language"},
        "environment": run.environment,
    }


def table_columns(dataset: Dataset, spec: ProblemSpec) -> list[str]:
    """The input columns of a table source, in order (an array's are x0, x1, …)."""
    if spec.modality not in (Modality.TABULAR, Modality.TEXT):
        return []
    if isinstance(dataset.x, np.ndarray):
        return [f"x{i}" for i in range(int(np.prod(dataset.x.shape[1:])))]
    return [str(c) for c in getattr(dataset.x, "columns", [])]


def write_data_view(run: RunContext, development: Dataset, spec: ProblemSpec) -> None:
    """Samples per class and a feature summary for the report, from the development set only."""
    from dlpilot.report import write_data_view as write

    try:
        write(run.directory.path, development, spec, seed=run.options.seed)
    except Exception as exc:  # the report's extras must never cost the run
        run.say(
            msg(
                "  data view for the report not written: {kind}: {error}",
                kind=type(exc).__name__,
                error=str(exc),
            )
        )


NETWORK_VIEW_SAMPLES = 8


def write_network_view(
    run: RunContext,
    split: ProtocolChoice,
    prepared: PreparedData,
    spec: ProblemSpec,
    train: TrainConfig,
) -> None:
    """Check 7: a few training samples of the first split as read, as the network's first
    layer receives them (the split's fitted preparer) and after the final configuration's
    augmentation, for the report."""
    import torch

    from dlpilot.data.dataset import take
    from dlpilot.engine import augment_batch
    from dlpilot.report import write_network_view as write

    try:
        rng = np.random.default_rng(run.options.seed)
        rows = np.asarray(split.protocol.splits[0].train)
        idx = np.sort(rng.choice(rows, min(NETWORK_VIEW_SAMPLES, len(rows)), replace=False))
        raw = take(split.development.x, idx)
        x = prepared.folds[0].preparer.transform(raw)
        augmented = None
        if train.augment and spec.modality is Modality.IMAGE:
            generator = torch.Generator().manual_seed(run.options.seed)
            augmented = augment_batch(x.clone(), train.augment, generator).numpy()
        write(
            run.directory.path,
            raw=raw,
            prepared=x.numpy(),
            augmented=augmented,
            augment=[str(a) for a in train.augment],
            spec=spec,
        )
    except Exception as exc:  # the report's extras must never cost the run
        run.say(
            msg(
                "  network view for the report not written: {kind}: {error}",
                kind=type(exc).__name__,
                error=str(exc),
            )
        )


def _write_test_predictions(run_dir: Path, scores: Any) -> None:
    """An unlabelled test file's predictions, as `dlpilot predict` writes them (the saved
    bundle turns the scores into labels and probabilities)."""
    from dlpilot.bundle import load_bundle

    table = load_bundle(run_dir / MODEL_DIR).table_from_scores(scores)
    table.to_csv(run_dir / TEST_PREDICTIONS_FILE, index=False, float_format="%.6g")


def write_outputs(
    run: RunContext,
    summary: dict[str, Any],
    members: list[Member],
    final: FinalResult,
    spec: ProblemSpec,
    prepared: PreparedData,
    dataset: Dataset,
) -> None:
    """The test-set details, the model bundle, the summary, the state that says the run is
    done, then the report (whose failure costs nothing of the rest)."""
    directory = run.directory
    (directory.path / EVALUATION_FILE).write_text(json.dumps(final.details, default=json_default))
    from dlpilot.bundle import save_bundle

    save_bundle(
        directory.path / MODEL_DIR,
        members=members,
        spec=spec,
        model_config=final.model_config,
        vocab_size=prepared.vocab_size,
        metric=summary["metric"],
        table_columns=table_columns(dataset, spec),
        column_kinds=dataset.column_kinds,
    )
    if final.test_predictions is not None:
        _write_test_predictions(directory.path, final.test_predictions)
    summary["budget"]["used_seconds"] = round(run.clock.used, 2)
    from dlpilot.report import write_summary

    write_summary(directory.path, summary)
    run.save_progress()
    directory.save_state(DONE_STATE, {"finished": True})
    if not run.options.report:
        return
    from dlpilot.report import render_report

    try:
        render_report(directory.path, language=run.options.language)
    except Exception as exc:  # the run is complete and saved; a report bug must not undo that
        run.say(
            msg(
                "  report.html not written ({kind}: {error}); rebuild it with "
                "'dlpilot report {path}'",
                kind=type(exc).__name__,
                error=str(exc),
                path=directory.path,
            )
        )
    summary["budget"]["used_seconds"] = round(run.clock.used, 2)
    write_summary(directory.path, summary)
