"""The nine stage wrappers: each announces its stage, runs it, records what it decided and
found, saves what a resumed run restores (through the result's ``from_dict``), and hands
its typed result on. `dlpilot.workflow.orchestration` calls them in order."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import optuna

from dlpilot import tuning as shared
from dlpilot.core.enums import Modality, ProtocolKind
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Text, from_dict, msg
from dlpilot.core.records import Decision, ProblemSpec
from dlpilot.data import Dataset, load_source
from dlpilot.engine import TRANSFER_ARCHITECTURES
from dlpilot.stages import baseline as stage_baseline
from dlpilot.stages import final as stage_final
from dlpilot.stages import scale as stage_scale
from dlpilot.stages import tune as stage_tune
from dlpilot.stages._evaluate import Evaluation, TrainingSetup
from dlpilot.stages._ship import (
    LINEAR_MODEL,
    ShipChoice,
    Shipped,
    choose_shipped,
    fit_linear_member,
    fit_minirocket_member,
    linear_shippable,
)
from dlpilot.stages._yardsticks import ROCKET_MODEL
from dlpilot.stages.define import ProblemDefinition, define_problem
from dlpilot.stages.metric import MetricChoice, choose_metric
from dlpilot.stages.prepare import PreparedData, prepare_data, prepare_development
from dlpilot.stages.protocol import ProtocolChoice, choose_protocol
from dlpilot.stages.score_to_beat import ScoreToBeat
from dlpilot.stages.score_to_beat import score_to_beat as compute_score_to_beat
from dlpilot.tuning import leader
from dlpilot.workflow import checkpoints
from dlpilot.workflow.budget import Budget, Marks
from dlpilot.workflow.context import RunContext
from dlpilot.workflow.outputs import write_data_view
from dlpilot.workflow.rundir import SPLIT_STATE


@dataclass
class Explored:
    """Stage 5's outcome: what stages 5–7 train on, its marks, and the baseline network."""

    exploration: stage_baseline.ExplorationPlan
    marks: Marks
    setup: TrainingSetup
    ladder_setup: TrainingSetup
    baseline: Evaluation
    # Stage 5's sanity checks found the pipeline broken: growing the network cannot help.
    scale_blocked: bool = False
    # Stage 5's transfer comparison (`BaselineNetwork.transfer`).
    transfer: dict[str, Any] = field(default_factory=dict)


def define(run: RunContext) -> tuple[Dataset, ProblemDefinition]:
    o = run.options
    run.begin(0, msg("define the problem"))
    with run.stage("define") as log:
        dataset = run.dataset
        if dataset is None:  # not handed in memory: read the source
            dataset = load_source(
                o.source,
                target=o.target,
                data_dir=o.data_dir,
                sep=o.sep,
                encoding=o.encoding,
                test=o.test,
            )
        definition = define_problem(dataset, task=o.task, modality=o.modality, drop_columns=o.drop)
        log.take(definition)
    return dataset, definition


def metric(run: RunContext, spec: ProblemSpec) -> MetricChoice:
    run.begin(1, msg("choose the metric"))
    with run.stage("metric") as log:
        metric = choose_metric(
            spec, metric=run.options.metric, positive_class=run.options.positive_class
        )
        log.take(metric)
    return metric


def open_study(run: RunContext, *, greater_is_better: bool) -> tuple[optuna.Study, str]:
    o = run.options
    name = leader.study_name(o.study)
    study = leader.open_study(
        o.storage or run.directory.study_url,
        name,
        greater_is_better=greater_is_better,
        seed=o.seed,
        heartbeat_seconds=o.heartbeat_seconds,
        load_if_exists=run.resumed or o.storage is None,
        run_dir=run.directory.path,
    )
    return study, name


def protocol(run: RunContext, dataset: Dataset, spec: ProblemSpec) -> ProtocolChoice:
    run.begin(2, msg("choose the evaluation protocol"))
    with run.stage("protocol") as log:
        split = choose_protocol(dataset, spec, group=run.options.group, seed=run.options.seed)
        log.take(split)
    digest = leader.split_digest(split)
    saved = run.directory.load_state(SPLIT_STATE)
    if saved is None:
        run.directory.save_state(SPLIT_STATE, {"digest": digest})
    elif saved["digest"] != digest:
        raise ConfigError(
            msg(
                "The data or its split differ from those the interrupted run used, so it "
                "cannot be resumed. Start a new run."
            )
        )
    return split


def prepare(run: RunContext, split: ProtocolChoice, spec: ProblemSpec) -> PreparedData:
    run.begin(3, msg("prepare the data"))
    with run.stage("prepare") as log:
        prepared = prepare_data(split.development, spec, split.protocol, test=split.test)
        log.take(prepared)
    write_data_view(run, split.development, spec)
    return prepared


def score_to_beat(
    run: RunContext, prepared: PreparedData, spec: ProblemSpec, metric: MetricChoice
) -> ScoreToBeat:
    """The score to beat, computed once and restored after an interruption."""
    run.begin(4, msg("set the score to beat"))
    saved = run.directory.load_state("score_to_beat")
    with run.stage("score_to_beat") as log:
        if saved is not None:
            log.decide(
                msg("baselines restored from the interrupted run"),
                msg("they were computed before; nothing is repeated"),
            )
            return ScoreToBeat.from_dict(saved["baselines"])
        baselines = compute_score_to_beat(
            prepared,
            spec,
            metric,
            yardstick_seconds=run.plan.yardstick_share * run.clock.left,
            seed=run.options.seed,
        )
        run.directory.save_state("score_to_beat", {"baselines": baselines.to_dict()})
        log.take(baselines)
    # Later stages compare with the scores as saved (rounded), so a resumed run decides alike.
    return ScoreToBeat.from_dict(baselines.to_dict())


def baseline(
    run: RunContext,
    full_setup: TrainingSetup,
    baselines: ScoreToBeat,
    budget: Budget,
    *,
    n_test: int = 0,
) -> Explored:
    """Stage 5: how much data to explore on, then the unregularized baseline network, and a
    pretrained backbone against it (``n_test``: the test images it will embed too)."""
    o, directory, plan = run.options, run.directory, budget.plan
    run.begin(5, msg("train a baseline network"))
    saved = directory.load_state("baseline")
    with run.stage("baseline") as log:
        if saved is None:
            model_cfg, train_cfg = stage_baseline.baseline_configs(full_setup, seed=o.seed)
            speed = stage_baseline.measure_throughput(full_setup, model_cfg, train_cfg)
            exploration = stage_baseline.plan_exploration(
                full_setup,
                seconds_whole=plan.marks(
                    kfold=budget.kfold, subset=False, scarce=budget.scarce
                ).tune
                * budget.span,
                seconds_subset=plan.subset.tune * budget.span,
                samples_per_second=speed,
            )
        else:
            exploration = stage_baseline.ExplorationPlan.from_dict(saved["exploration"])
        marks = plan.marks(kfold=budget.kfold, subset=exploration.subsampled, scarce=budget.scarce)
        setup = stage_baseline.subsample(full_setup, exploration, seed=o.seed)
        # The ladder compares capacities by their curves; one split shows where validation
        # loss turns up. Tuning then scores every configuration on all of the protocol's splits.
        ladder_setup = setup.first_fold()
        if len(setup.folds) > 1:
            log.decide(
                msg(
                    "stages 5–6 train on the first of the protocol's {n} splits",
                    n=len(setup.folds),
                ),
                msg(
                    "the baseline and the scale-up ladder are judged by their learning curves, "
                    "which one split shows; tuning scores every configuration on all splits"
                ),
            )
        log.decide(
            msg("budget policy"),
            plan.describe_message(
                kfold=budget.kfold, subset=exploration.subsampled, scarce=budget.scarce
            ),
            {"seconds_for_stages_5_to_8": round(budget.span, 1)},
        )
        log.decide(
            msg(
                "explore on {n:,} of {total:,} training samples",
                n=exploration.n_explore,
                total=exploration.n_train,
            ),
            exploration.why,
            exploration.to_dict(),
        )
        if saved is None:
            base = stage_baseline.train_baseline_network(
                ladder_setup,
                common_sense_score=baselines.common_sense.score,
                common_sense_model=baselines.common_sense.model,
                deadline=budget.at(marks.baseline),
                seed=o.seed,
                verbose=o.verbose,
            )
            # Features are computed once per input (`engine.backbones`): the development
            # inputs, which every split and the final model share, and the test inputs.
            # A text reaches the backbone through its split's own vocabulary (words rare in
            # that split are [UNK]), so the K splits mostly compute their own features: on
            # the fortunes set 5 folds missed the cache for most texts.
            n_dev = len(full_setup.folds[0].train) + len(full_setup.folds[0].val)
            copies = len(full_setup.folds) if full_setup.spec.modality is Modality.TEXT else 1
            base = stage_baseline.consider_transfer(
                base,
                ladder_setup,
                stage_baseline.backbone_weights(o.backbone, ladder_setup.spec.modality),
                inputs_to_embed=copies * (n_dev + n_test),
                seconds_available=budget.at(1.0) - time.monotonic(),
                verbose=o.verbose,
            )
            directory.save_state(
                "baseline", {**base.to_dict(), "exploration": exploration.to_dict()}
            )
        else:
            base = stage_baseline.BaselineNetwork.from_dict(
                saved, human_error=ladder_setup.human_error
            )
        log.take(base)
        base.evaluation.history.to_csv(directory.history_path("baseline"))
    return Explored(
        exploration,
        marks,
        setup,
        ladder_setup,
        base.evaluation,
        scale_blocked=base.scale_blocked,
        transfer=base.transfer,
    )


def scale(
    run: RunContext, explored: Explored, budget: Budget
) -> tuple[stage_scale.ScaleUp, dict[str, Any]]:
    """Stage 6: grow the baseline until it overfits. Returns the ladder and its summary block."""
    marks, directory = explored.marks, run.directory
    run.begin(6, msg("scale up until it overfits"), (marks.scale - marks.baseline) * budget.span)
    saved = directory.load_state("scale")
    with run.stage("scale") as log:
        if saved is None:
            scaled = stage_scale.scale_until_overfit(
                explored.ladder_setup,
                explored.baseline,
                deadline=budget.at(marks.scale),
                verbose=run.options.verbose,
                blocked=explored.scale_blocked,
            )
            saved = scaled.to_dict()
            directory.save_state("scale", saved)
        else:
            scaled = stage_scale.ScaleUp.from_dict(
                saved, human_error=explored.ladder_setup.human_error
            )
        log.take(scaled)
        for step in scaled.steps[1:]:
            step.history.to_csv(directory.history_path(step.name))
    block = {key: saved.get(key) for key in ("ladder", "overfit_step", "overfit_epoch", "chosen")}
    return scaled, block


def tune(
    run: RunContext,
    study: optuna.Study,
    study_name: str,
    split: ProtocolChoice,
    prepared: PreparedData,
    metric: MetricChoice,
    baselines: ScoreToBeat,
    explored: Explored,
    scaled: stage_scale.ScaleUp,
    budget: Budget,
) -> stage_tune.Tuning:
    """Stage 7: the Optuna study, on validation data only, shared with any workers."""
    o, directory = run.options, run.directory
    setup, marks = explored.setup, explored.marks
    run.begin(7, msg("regularize and tune"), (marks.tune - marks.scale) * budget.span)
    with run.stage("tune") as log:
        record = shared.read_record(study)
        digest = leader.split_digest(split)
        if record is None:
            space = stage_tune.search_space(
                setup,
                explored.baseline,
                scaled.chosen,
                seconds=budget.at(marks.tune) - time.monotonic(),
                scarce=split.protocol.kind is ProtocolKind.ITERATED_KFOLD,
            )
            record = shared.StudyRecord(
                options=leader.shared_options(o.to_dict()),
                space=space.to_dict(),
                exploration=explored.exploration.to_dict(),
                split_digest=digest,
                input_shape=tuple(prepared.input_shape),
                metric=str(metric.primary),
                greater_is_better=metric.greater_is_better,
                baselines=baselines.to_dict(),
                trial_cap=o.trials,
                heartbeat_seconds=o.heartbeat_seconds,
            )
        else:
            # Resumed: the space the study was started with stays, whatever time is left now.
            leader.check_record(record, digest, study_name)
            space = stage_tune.SearchSpace.from_dict(record.space)
        for number in shared.fail_dead_trials(study):
            run.say(
                msg(
                    "  trial {number} was running when this run stopped; it is queued again",
                    number=number,
                )
            )
        # Check 6's seed spread runs after the trials, in time set aside from them.
        reserve = stage_tune.spread_reserve(
            setup,
            space,
            scaled.chosen,
            tuning_seconds=budget.at(marks.tune) - time.monotonic(),
        )
        # A transfer network computes the sealed test inputs' features in stage 8 (they may
        # not be read before): their measured cost comes out of tuning's time; texts once
        # per fold model, through each split's vocabulary.
        copies = len(setup.folds) if setup.spec.modality is Modality.TEXT else 1
        test_features = (
            copies * split.test.n_samples * float(explored.transfer.get("seconds_per_input", 0.0))
            if explored.transfer.get("chosen")
            else 0.0
        )
        deadline = budget.at(marks.tune) - reserve - test_features
        progress = leader.LeaderProgress(
            study,
            run.callback,
            primary=str(setup.scoring.primary),
            holdout=len(setup.folds) == 1,
            trial_cap=record.trial_cap,
            seconds_left=lambda: run.clock.left,
            on_progress=run.save_progress,
        )
        tuning = shared.tune(
            setup,
            space,
            study,
            baseline=explored.baseline,
            scaled=scaled.chosen,
            deadline=deadline,
            n_trials=record.trial_cap,
            history_dir=directory.history_dir,
            worker=progress.worker,
            settle_seconds=o.heartbeat_seconds * shared.GRACE_HEARTBEATS,
            on_best=lambda number, evaluation: checkpoints.save_checkpoint(
                directory.checkpoint_dir, number, evaluation
            ),
            on_trial=lambda st, trial: _on_trial(run, progress, setup, st, trial),
            on_idle=progress.on_idle,
            on_ready=lambda: leader.publish(
                study, record, deadline=deadline, started_unix=progress.started_unix
            ),
        )
        shared.close_tuning(study)
        leader.write_trial_histories(study, directory.history_dir)
        tuning = stage_tune.seed_spread(
            setup, tuning, seconds=budget.at(marks.tune) - time.monotonic()
        )
        if tuning.seed_spread is not None:
            run.say(msg("  {what}", what=_message(tuning.decisions[-1], "what")))
        log.take(tuning)
    directory.save_state(
        "tune",
        {
            **tuning.to_dict(),
            "storage": shared.redact(o.storage or directory.study_url),
            "study": study_name,
            "curve": tuning.best_so_far(setup.scoring.greater_is_better),
        },
    )
    return tuning


def _on_trial(
    run: RunContext,
    progress: leader.LeaderProgress,
    setup: TrainingSetup,
    study: optuna.Study,
    trial: optuna.trial.FrozenTrial,
) -> None:
    """A finished trial: to the terminal, and to the live views with its parameters."""
    progress.on_trial(study, trial)
    if run.live is not None and run.live.active:
        run.live.trial(trial.number, trial.params, f"val_{setup.scoring.primary}", trial.value)


def final(
    run: RunContext,
    split: ProtocolChoice,
    spec: ProblemSpec,
    full_setup: TrainingSetup,
    prepared: PreparedData,
    baselines: ScoreToBeat,
    explored: Explored,
    scaled: stage_scale.ScaleUp,
    tuning: stage_tune.Tuning,
    budget: Budget,
) -> tuple[stage_final.FinalResult, list[stage_final.Member]]:
    """Stage 8: the final model, then the one look at the sealed test set."""
    o = run.options
    run.begin(8, msg("final model and the test set"))
    key = split.test.issue_final_key()  # tuning is over: only now can the test set be opened
    with run.stage("final") as log:
        if split.protocol.kind is ProtocolKind.ITERATED_KFOLD:
            tuning = _best_validated(log, tuning, explored, scaled, full_setup)
        # Every score the choice reads is a validation score, known before any retraining: a
        # classical model that wins is fitted instead of a network that would not ship.
        choice = choose_shipped(
            scoring=full_setup.scoring,
            network_val=tuning.best_value,
            linear=(baselines.classical.model, baselines.classical.score),
            yardsticks={name: b.score for name, b in baselines.yardsticks.items()},
            policy=o.ship,
            linear_shippable=linear_shippable(spec),
            fold_scores={
                b.model: b.fold_scores
                for b in (baselines.classical, *baselines.yardsticks.values())
            },
            # A trial is scored on every split; stages 5–6's networks on the first alone.
            network_splits=len(full_setup.folds) if tuning.best_number is not None else 1,
        )
        n_dev = len(split.development.y)
        if choice.ships_network:
            plan, members, history = _final_network(
                run, split, full_setup, prepared, explored, tuning, budget, spec
            )
            model_config, val_scores = tuning.best_model, tuning.best_val_scores
        else:
            history = None
            plan, members, model_config, val_scores = _final_classical(
                run, choice, split, spec, baselines, n_dev
            )
        final = stage_final.evaluate_once(
            members,
            split.test,
            key,
            spec=spec,
            scoring=full_setup.scoring,
            plan=plan,
            model_config=model_config,
            train_config=tuning.best_train,
            val_scores=val_scores,
            n_val=explored.exploration.n_val_explore * split.protocol.folds,
            common_sense=(baselines.common_sense.model, baselines.common_sense.score),
            classical=(baselines.best_classical.model, baselines.best_classical.score),
            history=history,
            choice=choice,
            val_noise=tuning.val_noise if choice.ships_network else math.nan,
        )
        log.take(final)
    return final, members


def _final_classical(
    run: RunContext,
    choice: ShipChoice,
    split: ProtocolChoice,
    spec: ProblemSpec,
    baselines: ScoreToBeat,
    n_dev: int,
) -> tuple[stage_final.FinalPlan, list[stage_final.Member], Any, dict[str, float]]:
    """The classical model that won on validation, refitted on the development data."""
    o = run.options
    assert choice.classical is not None
    name, _val = choice.classical
    run.say(msg("  shipping {name}: it beat the network on validation", name=name))
    preparer, data = prepare_development(split.development, spec)
    if choice.shipped == Shipped.LINEAR:
        network = fit_linear_member(preparer, data, spec, seed=o.seed)
        score = baselines.classical
        plan = stage_final.FinalPlan(
            stage_final.Approach.LINEAR,
            0,
            msg(
                "{name} refitted on all {n_dev:,} development samples, as a network of depth 0 "
                "(a Linear layer behind the same preparation)",
                name=name,
                n_dev=n_dev,
            ),
        )
        model_config = LINEAR_MODEL
    else:
        score = baselines.yardsticks[name]
        rows = min(n_dev, score.rows or n_dev)
        network = fit_minirocket_member(preparer, data, spec, max_rows=rows, seed=o.seed)
        if rows < n_dev:
            reason = msg(
                "{name} refitted on {rows:,} of the {n_dev:,} development samples, as stage 4 "
                "scored it on each split: MiniRocket's fixed convolution kernels, its ridge "
                "model in a Linear layer",
                name=name,
                rows=rows,
                n_dev=n_dev,
            )
        else:
            reason = msg(
                "{name} refitted on all {n_dev:,} development samples, as stage 4 scored it on "
                "each split: MiniRocket's fixed convolution kernels, its ridge model in a "
                "Linear layer",
                name=name,
                n_dev=n_dev,
            )
        plan = stage_final.FinalPlan(stage_final.Approach.MINIROCKET, 0, reason)
        model_config = ROCKET_MODEL
    return plan, [stage_final.Member(preparer, network)], model_config, dict(score.scores)


def _final_network(
    run: RunContext,
    split: ProtocolChoice,
    full_setup: TrainingSetup,
    prepared: PreparedData,
    explored: Explored,
    tuning: stage_tune.Tuning,
    budget: Budget,
    spec: ProblemSpec,
) -> tuple[stage_final.FinalPlan, list[stage_final.Member], Any]:
    """The network that ships: retrained on all development data, or the validated models."""
    o, clock = run.options, run.clock
    folder = run.directory.checkpoint_dir
    transfer = tuning.best_model.architecture in TRANSFER_ARCHITECTURES
    # Measured, not extrapolated: one short epoch of the chosen network on the real data. A
    # frozen backbone's head trains on cached features, so its trials' own seconds measure
    # it; a probe on new images would first pay for their features.
    speed = (
        math.nan
        if transfer
        else stage_baseline.measure_throughput(full_setup, tuning.best_model, tuning.best_train)
    )
    if transfer:
        per_sample_epoch = _seconds_per_sample_epoch(
            tuning, explored.baseline, explored.exploration
        )
    elif math.isfinite(speed):
        per_sample_epoch = 1.0 / speed
    elif full_setup.n_train <= stage_baseline.SMALL_DATA_MAX_TRAIN:
        # Small data: time two epochs of the chosen network (a trial's seconds span
        # every fold, which would overstate an epoch K times).
        per_sample_epoch = stage_baseline.measure_epoch_seconds(
            full_setup, tuning.best_model, tuning.best_train
        ) / max(full_setup.n_train, 1)
    else:
        per_sample_epoch = _seconds_per_sample_epoch(
            tuning, explored.baseline, explored.exploration
        )
    n_dev = len(split.development.y)
    plan = stage_final.plan_final(
        split.protocol.kind,
        fold_models_available=checkpoints.checkpoint_matches(
            folder, tuning.best_number, len(prepared.folds)
        ),
        trial_model_available=checkpoints.checkpoint_matches(folder, tuning.best_number, None),
        best_epoch=tuning.best_epoch,
        n_dev=n_dev,
        seconds_left=clock.left - budget.reserve,
        seconds_per_sample_epoch=per_sample_epoch,
        explored_on_subset=explored.exploration.subsampled,
    )
    history = None
    if plan.approach == stage_final.Approach.RETRAIN:
        run.say(
            msg(
                "  retraining on {n_dev:,} samples for {epochs} epoch(s)",
                n_dev=n_dev,
                epochs=plan.epochs,
            )
        )
        preparer, data = prepare_development(split.development, spec)
        # A forced minimal retrain may overrun the budget rather than stop mid-epoch.
        needed = 1.2 * plan.epochs * per_sample_epoch * n_dev
        model, history = stage_final.train_final(
            plan,
            tuning.best_model,
            tuning.best_train,
            data,
            spec=spec,
            input_shape=tuple(preparer.input_shape),
            vocab_size=preparer.vocab_size,
            pixel_stats=preparer.pixel_stats(),
            id_tokens=preparer.id_tokens(),
            deadline=time.monotonic() + max(clock.left - budget.reserve, needed),
            verbose=o.verbose,
            extra_callbacks=full_setup.epoch_callbacks("final")
            if full_setup.epoch_callbacks
            else (),
        )
        history.to_csv(run.directory.history_path("final"))
        members = [stage_final.Member(preparer, model)]
    else:
        members = checkpoints.load_members(
            folder,
            tuning,
            prepared,
            spec,
            all_folds=(plan.approach == stage_final.Approach.ENSEMBLE),
        )
    return plan, members, history


def _best_validated(
    log: Any,
    tuning: stage_tune.Tuning,
    explored: Explored,
    scaled: stage_scale.ScaleUp,
    setup: TrainingSetup,
) -> stage_tune.Tuning:
    """The tuning result, or the stage 5–6 network that validated better (scarce data)."""
    # No completed trial: tuning already fell back to a stage 5–6 network, which competes below.
    trials = (
        [
            stage_final.Candidate(
                f"trial #{tuning.best_number}",
                tuning.best_value,
                tuning.best_val_scores,
                tuning.best_model,
                tuning.best_train,
                tuning.best_epoch,
                len(setup.folds),
            )
        ]
        if tuning.best_number is not None
        else []
    )
    others = [
        stage_final.Candidate(
            e.name, e.val_score, e.val_scores, e.model, e.train, e.epochs_run, len(e.histories)
        )
        for e in {id(e): e for e in (explored.baseline, *scaled.steps)}.values()
        if not e.diverged
    ]
    best, decision = stage_final.pick_scarce_candidate([*trials, *others], setup.scoring)
    log.decisions.append(decision)
    if trials and best is trials[0]:
        return tuning
    return replace(
        tuning,
        best_number=None,
        best_model=best.model_config,
        best_train=best.train_config,
        best_value=best.val_score,
        best_val_scores=dict(best.val_scores),
        best_epoch=best.epochs,
    )


def _message(decision: Decision, name: str) -> Text:
    """A decision's field as its message when it has one, else its English text."""
    form = decision.texts.get(name)
    return from_dict(form) if form else getattr(decision, name)


def _seconds_per_sample_epoch(
    tuning: stage_tune.Tuning, base: Evaluation, exploration: stage_baseline.ExplorationPlan
) -> float:
    """Training cost of the chosen network per sample and epoch, from what was measured."""
    rows = [t for t in tuning.trials if t.number == tuning.best_number and t.seconds]
    n = exploration.n_explore
    if rows and rows[0].best_epoch:
        epochs = max(1, int(rows[0].best_epoch))
        return float(rows[0].seconds) / (n * epochs) * 1.2
    return base.seconds / max(1, base.epochs_run) / max(n, 1) * 2.0
