"""The one place that runs the stages in order.

    0 define the problem      → 1 choose the metric     → 2 choose the protocol
    3 prepare the data        → 4 set the score to beat → 5 train a baseline network
    6 scale up until it overfits → 7 regularize and tune → 8 final model, one test

Each stage returns a typed result with its decisions and findings; its wrapper in
`dlpilot.workflow.steps` times it, records it in the run directory, and hands the
result forward. The
budget is split by a stated policy (`BudgetPlan`). State is saved after every
stage, and the tuning study after every trial, so `resume` continues an
interrupted run without repeating a finished stage or trial: a saved stage comes
back through its result's ``from_dict``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from dlpilot import __version__
from dlpilot.core.budget import Clock, format_seconds
from dlpilot.core.device import choose_device, configure_threads, default_threads
from dlpilot.core.enums import ProtocolKind
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import check_language, msg
from dlpilot.core.records import StageRecord
from dlpilot.core.rundir import RUN_STATE, STATE_DIR, SUMMARY_FILE
from dlpilot.data import Dataset
from dlpilot.tuning import leader
from dlpilot.tuning.worker import WorkerResult
from dlpilot.tuning.worker import work as work_study
from dlpilot.workflow import steps
from dlpilot.workflow.budget import Budget, BudgetPlan
from dlpilot.workflow.callbacks import PlainNarrator, RunCallback
from dlpilot.workflow.context import RunContext
from dlpilot.workflow.live import LiveLog
from dlpilot.workflow.options import RunOptions
from dlpilot.workflow.outputs import (
    RunResult,
    build_summary,
    write_network_view,
    write_outputs,
)
from dlpilot.workflow.rundir import (
    DONE_STATE,
    PROGRESS_STATE,
    RunDirectory,
    default_run_dir,
    has_state,
    read_state,
)
from dlpilot.workflow.setup import human_error_for, training_setup, worker_setup


def run(
    options: RunOptions,
    *,
    resume_dir: Path | None = None,
    dataset: Dataset | None = None,
    callback: RunCallback | None = None,
) -> RunResult | WorkerResult:
    """Run stages 0–8 on ``options.source`` (or on ``dataset``, data already in memory) and
    write the run directory.

    A run naming a shared study (``options.storage``) that another run started joins it as
    a worker and returns the `WorkerResult`; only the run that started a study trains its
    final model. ``callback`` hears the stages, decisions, findings and trials (default: a
    `PlainNarrator` when ``options.verbose``, else nothing).
    """
    callback = callback or (
        PlainNarrator(language=options.language) if options.verbose else RunCallback()
    )
    if resume_dir is None and options.storage:
        name = leader.study_name(options.study)
        if leader.study_started(options.storage, name):
            callback.on_message(
                msg(
                    "Study '{name}' exists: joining it as a worker. The run that started it "
                    "trains the final model; 'dlpilot status' shows progress.",
                    name=name,
                )
            )
            return work(
                options.storage,
                name,
                threads=options.threads,
                callback=callback,
                expect_source=options.source,
            )
    threads = configure_threads(options.threads if options.threads else default_threads())
    if resume_dir is not None:
        run_dir = Path(resume_dir)
    elif options.out:
        run_dir = Path(options.out)
    else:
        run_dir = default_run_dir(options.source)
    previous = read_state(run_dir, PROGRESS_STATE) if resume_dir is not None else None
    if previous is not None and has_state(run_dir, DONE_STATE):
        callback.on_message(
            msg("{run_dir} is complete already; its summary is unchanged.", run_dir=run_dir)
        )
        return RunResult(run_dir=run_dir, summary=json.loads((run_dir / SUMMARY_FILE).read_text()))
    if resume_dir is None and has_state(run_dir, PROGRESS_STATE):
        raise ConfigError(
            msg(
                "'{run_dir}' already holds a run. Resume it with 'dlpilot run --resume "
                "{run_dir}', or choose another --out.",
                run_dir=run_dir,
            )
        )
    directory = RunDirectory(run_dir)
    used_before = previous["used_seconds"] if previous else 0.0
    clock = Clock(options.budget_seconds, offset=used_before)
    state = RunContext(
        options,
        directory,
        clock,
        callback,
        BudgetPlan(),
        resumed=previous is not None,
        dataset=dataset,
    )
    if previous:
        state.records = [StageRecord.from_dict(r) for r in previous["records"]]
        state.say(
            msg(
                "Resuming {run_dir} ({used} of {budget} used before)",
                run_dir=run_dir,
                used=format_seconds(used_before),
                budget=format_seconds(options.budget_seconds),
            )
        )
    state.environment = {
        "threads": threads,
        "device": str(choose_device()),
        "torch": torch.__version__,
    }
    directory.save_state(RUN_STATE, {"options": options.to_dict(), "dlpilot_version": __version__})
    # Opened before any stage, so a missing package stops the run at once.
    state.live = LiveLog(options.log, directory.path, run_name=directory.path.name)
    try:
        return _workflow(state)
    finally:
        state.live.close()


def resume(
    run_dir: str | Path,
    *,
    verbose: bool = True,
    callback: RunCallback | None = None,
    language: str | None = None,
) -> RunResult:
    """Continue an interrupted run where it stopped (in ``language``, else the run's own)."""
    run_dir = Path(run_dir)
    saved = read_state(run_dir, RUN_STATE)
    if saved is None:
        raise ConfigError(
            msg(
                "'{run_dir}' holds no dlpilot run to resume (no {file}). "
                "Check the path, or start a new run.",
                run_dir=run_dir,
                file=f"{STATE_DIR}/{RUN_STATE}.json",
            )
        )
    options = replace(RunOptions.from_dict(saved["options"]), verbose=verbose)
    if language is not None:
        options = replace(options, language=check_language(language))
    result = run(options, resume_dir=run_dir, callback=callback)
    assert isinstance(result, RunResult)  # a resumed run leads its own study
    return result


def work(storage_url: str, study_name: str, **kwargs: Any) -> WorkerResult:
    """`dlpilot worker`: trials of a study another run started, on the data stages 0–3
    rebuild here from what that run recorded (see `dlpilot.tuning.worker.work`)."""
    return work_study(storage_url, study_name, rebuild=worker_setup, **kwargs)


def _workflow(run: RunContext) -> RunResult:
    dataset, definition = steps.define(run)
    spec = definition.spec
    metric = steps.metric(run, spec)
    # The study exists from here on (its direction follows from the metric): a second run
    # naming the same shared study finds it taken and joins as a worker instead.
    study, study_name = steps.open_study(run, greater_is_better=metric.greater_is_better)
    split = steps.protocol(run, dataset, spec)  # the test set is sealed from here on
    prepared = steps.prepare(run, split, spec)
    baselines = steps.score_to_beat(run, prepared, spec, metric)

    full_setup = training_setup(
        prepared, spec, metric, human_error_for(run.options, dataset, metric)
    )
    if run.live is not None and run.live.active:
        full_setup = replace(full_setup, epoch_callbacks=run.live.callbacks)
    # Only plain K-fold ships its fold models; iterated K-fold retrains, so it needs the time.
    budget = Budget.split(
        run.plan,
        run.clock.left,
        kfold=split.protocol.kind is ProtocolKind.KFOLD,
        scarce=split.protocol.kind is ProtocolKind.ITERATED_KFOLD,
    )
    explored = steps.baseline(run, full_setup, baselines, budget, n_test=split.test.n_samples)
    scaled, scale_block = steps.scale(run, explored, budget)
    tuning = steps.tune(
        run, study, study_name, split, prepared, metric, baselines, explored, scaled, budget
    )
    final, members = steps.final(
        run, split, spec, full_setup, prepared, baselines, explored, scaled, tuning, budget
    )

    summary = build_summary(
        run,
        dataset=dataset,
        definition=definition,
        metric=metric,
        split=split,
        baselines=baselines,
        exploration=explored.exploration,
        scale_block=scale_block,
        tuning=tuning,
        final=final,
        transfer=explored.transfer,
    )
    if run.live is not None:
        scores = final.to_dict()
        run.live.final(
            {f"test_{k}": v for k, v in (scores.get("test") or {}).items()}
            | {f"val_{k}": v for k, v in (scores.get("val") or {}).items()}
        )
    write_network_view(run, split, prepared, spec, final.train_config)
    write_outputs(run, summary, members, final, spec, prepared, dataset)
    if not leader.mark_study_final(study, run_dir=run.directory.path, test=final.to_dict()["test"]):
        run.say(msg("  (could not mark the study finished: its storage is unreachable)"))
    return RunResult(run_dir=run.directory.path, summary=summary, members=members)
