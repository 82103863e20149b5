"""The one place that runs the stages in order.

    0 define the problem      → 1 choose the metric     → 2 choose the protocol
    3 prepare the data        → 4 set the score to beat → 5 train a baseline network
    6 scale up until it overfits → 7 regularize and tune → 8 final model, one test

Each stage returns a typed result with its decisions and findings; this module
times it, records it in the run directory, and hands its outputs forward. The
budget is split by a stated policy (`BudgetPlan`). State is saved after every
stage, and the tuning study after every trial, so `resume` continues an
interrupted run without repeating a finished stage or trial.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import torch
from rich.console import Console

from dlpilot import __version__
from dlpilot import study as study_mod
from dlpilot.core.budget import Clock, format_seconds
from dlpilot.core.device import choose_device, configure_threads
from dlpilot.core.enums import MetricName, Modality, ProtocolKind, Task
from dlpilot.core.errors import ConfigError, DlpilotError
from dlpilot.core.history import History
from dlpilot.core.records import Decision, Finding, ProblemSpec, StageRecord
from dlpilot.data import Dataset, load_source
from dlpilot.diagnose import diagnose
from dlpilot.engine import ModelConfig, TrainConfig, build_model, target_stats_from
from dlpilot.stages import baseline as stage_baseline
from dlpilot.stages import final as stage_final
from dlpilot.stages import scale as stage_scale
from dlpilot.stages import tune as stage_tune
from dlpilot.stages._evaluate import Evaluation, Scoring, TrainingSetup, fold_inputs
from dlpilot.stages.define import ProblemDefinition, define_problem
from dlpilot.stages.metric import MetricChoice, choose_metric
from dlpilot.stages.prepare import PreparedData, prepare_data, prepare_development
from dlpilot.stages.protocol import ProtocolChoice, choose_protocol
from dlpilot.stages.score_to_beat import score_to_beat

STATE_DIR = "state"
HISTORY_DIR = "histories"
CHECKPOINT_DIR = "checkpoints"
STUDY_FILE = "study.db"


@dataclass(frozen=True)
class Marks:
    """Cumulative deadlines, as fractions of the time stages 5–8 get."""

    baseline: float
    scale: float
    tune: float


@dataclass(frozen=True)
class BudgetPlan:
    """How the time budget is split: the stated policy, in fractions of what stages 5–8 get.

    Stages 0–4 take what they need (seconds, mostly). Of the rest, after a
    reserve for writing the report, the baseline network may use up to 10%,
    scaling up to the 30% mark, tuning to the 70% mark (to the 95% mark with
    K-fold, whose final model is the fold ensemble and needs no retraining),
    and the final training the rest. When the training split is too large to
    explore whole in that time, stages 5–7 explore on a subset and the final
    training on all the data, which then decides the result, gets the larger
    share: marks at 5%, 15% and 35%. Deadlines are cumulative, so time a stage
    leaves unused passes to the next.
    """

    whole: Marks = Marks(baseline=0.10, scale=0.30, tune=0.70)
    whole_kfold: Marks = Marks(baseline=0.10, scale=0.30, tune=0.95)
    subset: Marks = Marks(baseline=0.05, scale=0.15, tune=0.35)
    report_reserve: float = 0.03
    min_report_reserve_seconds: float = 2.0

    def marks(self, *, kfold: bool, subset: bool) -> Marks:
        if subset:
            return self.subset
        return self.whole_kfold if kfold else self.whole

    def describe(self, *, kfold: bool, subset: bool) -> str:
        m = self.marks(kfold=kfold, subset=subset)
        regime = (
            "the training split is too large to explore whole, so stages 5–7 explore on a "
            "subset and the final training on all the data gets the larger share: "
            if subset
            else ""
        )
        return (
            f"stages 0–4 take what they need; of the rest (after {self.report_reserve:.0%} kept "
            f"for the report) {regime}the baseline network gets up to {m.baseline:.0%}, scaling "
            f"runs to the {m.scale:.0%} mark, tuning to the {m.tune:.0%} mark, and the final "
            "model gets the rest; time a stage leaves unused passes to the next"
        )


@dataclass(frozen=True)
class RunOptions:
    """Everything a user can set for a run; plain data, saved in the run directory."""

    source: str
    target: tuple[str, ...] = ()
    budget_seconds: float = 300.0
    task: Task | None = None
    modality: Modality | None = None
    metric: MetricName | None = None
    positive_class: str | None = None
    group: str | None = None
    drop: tuple[str, ...] = ()
    data_dir: str | None = None
    out: str | None = None
    storage: str | None = None
    study: str | None = None
    seed: int = 0
    trials: int | None = None
    human_error: float | None = None
    threads: int | None = None
    heartbeat_seconds: int = study_mod.HEARTBEAT_SECONDS
    verbose: bool = True
    # Rendering report.html costs a second or two; a run nobody will read (an estimator's
    # temporary run) can skip it. `dlpilot report RUN_DIR` renders it later.
    report: bool = True

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("task", "modality", "metric"):
            d[key] = None if d[key] is None else str(d[key])
        d["target"], d["drop"] = list(self.target), list(self.drop)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunOptions:
        return cls(
            **{
                **d,
                "target": tuple(d.get("target", ())),
                "drop": tuple(d.get("drop", ())),
                "task": Task(d["task"]) if d.get("task") else None,
                "modality": Modality(d["modality"]) if d.get("modality") else None,
                "metric": MetricName(d["metric"]) if d.get("metric") else None,
            }
        )


@dataclass
class RunResult:
    """What a finished run hands back."""

    run_dir: Path
    summary: dict[str, Any]
    members: list[stage_final.Member] = field(default_factory=list, repr=False)
    _model: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def report_path(self) -> Path:
        return self.run_dir / "report.html"

    @property
    def model_path(self) -> Path:
        return self.run_dir / "model"

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
        return self.run_dir / "summary.json"


# --- the run directory --------------------------------------------------------


class RunDirectory:
    """Paths and saved state of one run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        (path / STATE_DIR).mkdir(parents=True, exist_ok=True)
        (path / HISTORY_DIR).mkdir(exist_ok=True)

    @property
    def study_url(self) -> str:
        return f"sqlite:///{(self.path / STUDY_FILE).resolve()}"

    def history_path(self, name: str) -> Path:
        return self.path / HISTORY_DIR / f"{name}.csv"

    def save_state(self, name: str, data: dict[str, Any]) -> None:
        target = self.path / STATE_DIR / f"{name}.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, default=_json_default))
        os.replace(tmp, target)  # atomic: a kill never leaves half a state file

    def load_state(self, name: str) -> dict[str, Any] | None:
        path = self.path / STATE_DIR / f"{name}.json"
        return json.loads(path.read_text()) if path.exists() else None

    def append_decisions(self, record: StageRecord) -> None:
        with (self.path / "decisions.jsonl").open("a") as fh:
            for d in record.decisions:
                fh.write(
                    json.dumps({"stage": record.name, **d.to_dict()}, default=_json_default) + "\n"
                )


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)


def default_run_dir(source: str) -> Path:
    stem = Path(source).stem if Path(source).suffix else Path(source).name or "run"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path("runs") / f"{stem}-{stamp}"


# --- the narrator: what the terminal shows ------------------------------------


class Narrator:
    """Stage names, results, the best so far and the time left, on stderr."""

    def __init__(self, clock: Clock, *, enabled: bool) -> None:
        self.clock = clock
        self.enabled = enabled
        self.console = Console(stderr=True, highlight=False, soft_wrap=True)

    def stage(self, number: int, title: str, share: float | None = None) -> None:
        if self.enabled:
            extra = f" · up to {format_seconds(share)}" if share is not None else ""
            self.console.rule(
                f"[bold]{number} · {title}[/bold]{extra} · {format_seconds(self.clock.left)} left"
            )

    def say(self, text: str) -> None:
        if self.enabled:
            self.console.print(text)

    def record(self, record: StageRecord) -> None:
        if not self.enabled:
            return
        for d in record.decisions:
            self.console.print(f"  [cyan]•[/cyan] {d.what} — [dim]{d.why}[/dim]")
        for f in record.findings:
            color = {"info": "cyan", "warning": "yellow", "error": "red"}[str(f.severity)]
            self.console.print(f"  [{color}]{f.severity}[/{color}] {f.code}: {f.evidence}")


# --- the workflow -------------------------------------------------------------


@dataclass
class _StageLog:
    """What one stage decided and found, gathered as it runs."""

    decisions: list[Decision] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def take(self, result: Any) -> None:
        """A stage result's own decisions and findings."""
        self.decisions.extend(result.decisions)
        self.findings.extend(result.findings)

    def decide(self, what: str, why: str, numbers: dict[str, Any] | None = None) -> None:
        self.decisions.append(Decision(what=what, why=why, numbers=numbers or {}))

    def restore(self, saved: dict[str, Any]) -> None:
        """Decisions and findings saved before an interruption."""
        self.decisions.extend(Decision.from_dict(d) for d in saved["decisions"])
        self.findings.extend(Finding.from_dict(f) for f in saved["findings"])


@dataclass
class _Run:
    """The state a run carries from stage to stage."""

    options: RunOptions
    directory: RunDirectory
    clock: Clock
    narrator: Narrator
    plan: BudgetPlan
    records: list[StageRecord] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)
    resumed: bool = False

    @contextmanager
    def stage(self, name: str) -> Iterator[_StageLog]:
        """Time a stage and record what it decided and found, even when it returns early."""
        log = _StageLog()
        started = time.monotonic()
        yield log
        self.add(
            StageRecord(
                name=name,
                seconds=time.monotonic() - started,
                decisions=tuple(log.decisions),
                findings=tuple(log.findings),
            )
        )

    def add(self, record: StageRecord) -> None:
        self.records = [r for r in self.records if r.name != record.name] + [record]
        self.directory.append_decisions(record)
        self.narrator.record(record)
        self.save_progress()

    def save_progress(self) -> None:
        self.directory.save_state(
            "progress",
            {
                "records": [r.to_dict() for r in self.records],
                "used_seconds": self.clock.used,
            },
        )


def run(options: RunOptions, *, resume_dir: Path | None = None) -> RunResult:
    """Run stages 0–8 on ``options.source`` and write the run directory."""
    threads = configure_threads(options.threads if options.threads else _default_threads())
    if resume_dir is not None:
        run_dir = Path(resume_dir)
    elif options.out:
        run_dir = Path(options.out)
    else:
        run_dir = default_run_dir(options.source)
    previous = _load_previous(run_dir) if resume_dir is not None else None
    if previous is not None and (run_dir / STATE_DIR / "done.json").exists():
        narrator = Narrator(Clock(options.budget_seconds), enabled=options.verbose)
        narrator.say(f"{run_dir} is complete already; its summary is unchanged.")
        return RunResult(
            run_dir=run_dir, summary=json.loads((run_dir / "summary.json").read_text())
        )
    if resume_dir is None and (run_dir / STATE_DIR / "progress.json").exists():
        raise ConfigError(
            f"'{run_dir}' already holds a run. Resume it with 'dlpilot run --resume {run_dir}', "
            "or choose another --out."
        )
    if resume_dir is None and options.storage:
        _refuse_started_study(options)
    directory = RunDirectory(run_dir)
    used_before = previous["used_seconds"] if previous else 0.0
    clock = Clock(options.budget_seconds, offset=used_before)
    narrator = Narrator(clock, enabled=options.verbose)
    state = _Run(options, directory, clock, narrator, BudgetPlan(), resumed=previous is not None)
    if previous:
        state.records = [StageRecord.from_dict(r) for r in previous["records"]]
        narrator.say(
            f"Resuming {run_dir} ({format_seconds(used_before)} of "
            f"{format_seconds(options.budget_seconds)} used before)"
        )
    state.environment = {
        "threads": threads,
        "device": str(choose_device()),
        "torch": torch.__version__,
    }
    directory.save_state("run", {"options": options.to_dict(), "dlpilot_version": __version__})
    return _workflow(state)


def _default_threads() -> int | None:
    """All cores when OpenMP waits passively (set by ``import dlpilot`` before PyTorch loads);
    otherwise only the cores other processes leave idle (see core.device.choose_threads)."""
    if os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE":
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:
            return os.cpu_count() or 1
    return None


def resume(run_dir: str | Path, *, verbose: bool = True) -> RunResult:
    """Continue an interrupted run where it stopped."""
    run_dir = Path(run_dir)
    saved = (
        json.loads((run_dir / STATE_DIR / "run.json").read_text())
        if (run_dir / STATE_DIR / "run.json").exists()
        else None
    )
    if saved is None:
        raise ConfigError(
            f"'{run_dir}' holds no dlpilot run to resume (no {STATE_DIR}/run.json). Check the "
            "path, or start a new run."
        )
    options = replace(RunOptions.from_dict(saved["options"]), verbose=verbose)
    return run(options, resume_dir=run_dir)


def _load_previous(run_dir: Path) -> dict[str, Any] | None:
    path = run_dir / STATE_DIR / "progress.json"
    return json.loads(path.read_text()) if path.exists() else None


def _workflow(run: _Run) -> RunResult:
    dataset, definition = _define_problem(run)
    spec = definition.spec
    metric = _choose_metric(run, spec)
    # The study exists from here on (its direction follows from the metric): a second run
    # naming the same shared study finds it taken and joins as a worker instead.
    study, study_name = _open_study(run, greater_is_better=metric.greater_is_better)
    split = _choose_protocol(run, dataset, spec)  # the test set is sealed from here on
    prepared = _prepare_data(run, split, spec)
    baselines = _score_to_beat(run, prepared, spec, metric)

    full_setup = TrainingSetup(
        folds=prepared.folds,
        spec=spec,
        scoring=Scoring.for_metric(spec.task, metric),
        input_shape=prepared.input_shape,
        vocab_size=prepared.vocab_size,
        human_error=_human_error(run.options, dataset, metric),
    )
    budget = _Budget.split(run, kfold=split.protocol.kind is not ProtocolKind.HOLDOUT)
    explored = _baseline_network(run, full_setup, baselines, budget)
    scaled = _scale_up(run, explored, budget)
    tuning = _tune(
        run, study, study_name, split, prepared, metric, baselines, explored, scaled, budget
    )
    final, members = _final_model(
        run, split, spec, full_setup, prepared, baselines, explored, tuning, budget
    )

    summary = _summary(
        run,
        dataset,
        definition,
        metric,
        split,
        baselines,
        final,
        tuning,
        scaled.block,
        explored.exploration,
    )
    _write_outputs(run, summary, members, final, spec, prepared, dataset)
    _mark_study_final(run, study, final)
    return RunResult(run_dir=run.directory.path, summary=summary, members=members)


# --- the stages, each recorded and, after an interruption, restored ---------------------


@dataclass
class _Budget:
    """The time stages 5–8 share, from ``t0`` on, split by the `BudgetPlan`'s marks."""

    t0: float
    span: float
    reserve: float
    kfold: bool
    plan: BudgetPlan

    @classmethod
    def split(cls, run: _Run, *, kfold: bool) -> _Budget:
        reserve = max(run.plan.min_report_reserve_seconds, run.plan.report_reserve * run.clock.left)
        return cls(time.monotonic(), max(0.0, run.clock.left - reserve), reserve, kfold, run.plan)

    def at(self, fraction: float) -> float:
        """The ``time.monotonic()`` instant of a mark."""
        return self.t0 + fraction * self.span


@dataclass
class _Explored:
    """Stage 5's outcome: what stages 5–7 train on, its marks, and the baseline network."""

    exploration: stage_baseline.ExplorationPlan
    marks: Marks
    setup: TrainingSetup
    ladder_setup: TrainingSetup
    baseline: Evaluation


@dataclass
class _Scaled:
    """Stage 6's outcome: the ladder's steps, the one tuning starts from, the summary block."""

    steps: list[Evaluation]
    chosen: Evaluation
    block: dict[str, Any]


def _define_problem(run: _Run) -> tuple[Dataset, ProblemDefinition]:
    o = run.options
    run.narrator.stage(0, "define the problem")
    with run.stage("define") as log:
        dataset = load_source(o.source, target=o.target, data_dir=o.data_dir)
        definition = define_problem(dataset, task=o.task, modality=o.modality, drop_columns=o.drop)
        log.take(definition)
    return dataset, definition


def _choose_metric(run: _Run, spec: ProblemSpec) -> MetricChoice:
    run.narrator.stage(1, "choose the metric")
    with run.stage("metric") as log:
        metric = choose_metric(
            spec, metric=run.options.metric, positive_class=run.options.positive_class
        )
        log.take(metric)
    return metric


def _choose_protocol(run: _Run, dataset: Dataset, spec: ProblemSpec) -> ProtocolChoice:
    run.narrator.stage(2, "choose the evaluation protocol")
    with run.stage("protocol") as log:
        split = choose_protocol(dataset, spec, group=run.options.group, seed=run.options.seed)
        log.take(split)
    _check_same_split(run.directory, split)
    return split


def _prepare_data(run: _Run, split: ProtocolChoice, spec: ProblemSpec) -> PreparedData:
    run.narrator.stage(3, "prepare the data")
    with run.stage("prepare") as log:
        prepared = prepare_data(split.development, spec, split.protocol, test=split.test)
        log.take(prepared)
    _write_data_view(run, split.development, spec)
    return prepared


def _score_to_beat(
    run: _Run, prepared: PreparedData, spec: ProblemSpec, metric: MetricChoice
) -> dict[str, Any]:
    """The summary's ``baselines`` block, computed once and restored after an interruption."""
    run.narrator.stage(4, "set the score to beat")
    saved = run.directory.load_state("score_to_beat")
    with run.stage("score_to_beat") as log:
        if saved is not None:
            log.decide(
                "baselines restored from the interrupted run",
                "they were computed before; nothing is repeated",
            )
            return saved["baselines"]
        baselines = score_to_beat(prepared, spec, metric)
        run.directory.save_state("score_to_beat", {"baselines": baselines.to_dict()})
        log.take(baselines)
    return baselines.to_dict()


def _baseline_network(
    run: _Run, full_setup: TrainingSetup, baselines: dict[str, Any], budget: _Budget
) -> _Explored:
    """Stage 5: how much data to explore on, then the unregularized baseline network."""
    o, directory = run.options, run.directory
    run.narrator.stage(5, "train a baseline network")
    saved = directory.load_state("baseline")
    with run.stage("baseline") as log:
        if saved is None:
            model_cfg, train_cfg = stage_baseline.baseline_configs(full_setup, seed=o.seed)
            speed = stage_baseline.measure_throughput(full_setup, model_cfg, train_cfg)
            whole = budget.plan.marks(kfold=budget.kfold, subset=False).tune
            exploration = stage_baseline.plan_exploration(
                full_setup,
                seconds_whole=whole * budget.span,
                seconds_subset=budget.plan.subset.tune * budget.span,
                samples_per_second=speed,
            )
        else:
            exploration = _exploration_plan(saved["exploration"])
        marks = budget.plan.marks(kfold=budget.kfold, subset=exploration.subsampled)
        setup = stage_baseline.subsample(full_setup, exploration, seed=o.seed)
        # The ladder compares capacities by their curves; one split shows where validation
        # loss turns up. Tuning then scores every configuration on all of the protocol's splits.
        ladder_setup = setup.first_fold()
        if len(setup.folds) > 1:
            log.decide(
                f"stages 5–6 train on the first of the protocol's {len(setup.folds)} splits",
                "the baseline and the scale-up ladder are judged by their learning curves, "
                "which one split shows; tuning scores every configuration on all splits",
            )
        log.decide(
            "budget policy",
            budget.plan.describe(kfold=budget.kfold, subset=exploration.subsampled),
            {"seconds_for_stages_5_to_8": round(budget.span, 1)},
        )
        log.decide(
            f"explore on {exploration.n_explore:,} of {exploration.n_train:,} training samples",
            exploration.reason,
            exploration.to_dict(),
        )
        if saved is None:
            base = stage_baseline.train_baseline_network(
                ladder_setup,
                common_sense_score=float(baselines["common_sense"]["score"]),
                common_sense_model=baselines["common_sense"]["model"],
                deadline=budget.at(marks.baseline),
                seed=o.seed,
                verbose=o.verbose,
            )
            evaluation = base.evaluation
            _save_evaluations(
                directory,
                "baseline",
                [evaluation],
                extra={
                    "exploration": exploration.to_dict(),
                    "lr_finder": base.lr_finder,
                    "decisions": [d.to_dict() for d in base.decisions],
                    "findings": [f.to_dict() for f in base.findings],
                },
            )
            log.take(base)
        else:
            evaluation = _restore_evaluations(saved, ladder_setup)[0]
            log.restore(saved)
        evaluation.history.to_csv(directory.history_path("baseline"))
    return _Explored(exploration, marks, setup, ladder_setup, evaluation)


def _scale_up(run: _Run, explored: _Explored, budget: _Budget) -> _Scaled:
    """Stage 6: grow the baseline until it overfits."""
    marks, directory = explored.marks, run.directory
    run.narrator.stage(
        6, "scale up until it overfits", (marks.scale - marks.baseline) * budget.span
    )
    saved = directory.load_state("scale")
    with run.stage("scale") as log:
        if saved is None:
            scaled = stage_scale.scale_until_overfit(
                explored.ladder_setup,
                explored.baseline,
                deadline=budget.at(marks.scale),
                verbose=run.options.verbose,
            )
            steps = list(scaled.steps)
            chosen = next(i for i, e in enumerate(steps) if e is scaled.chosen)
            saved = {
                "chosen": chosen,
                "ladder": scaled.ladder(),
                "overfit_step": scaled.overfit_step,
                "overfit_epoch": scaled.overfit_epoch,
                "decisions": [d.to_dict() for d in scaled.decisions],
                "findings": [f.to_dict() for f in scaled.findings],
            }
            _save_evaluations(directory, "scale", steps, extra=saved)
            log.take(scaled)
        else:
            steps = _restore_evaluations(saved, explored.ladder_setup)
            log.restore(saved)
        for step in steps[1:]:
            step.history.to_csv(directory.history_path(step.name))
    block = {key: saved.get(key) for key in ("ladder", "overfit_step", "overfit_epoch", "chosen")}
    return _Scaled(steps, steps[saved["chosen"]], block)


def _tune(
    run: _Run,
    study: optuna.Study,
    study_name: str,
    split: ProtocolChoice,
    prepared: PreparedData,
    metric: MetricChoice,
    baselines: dict[str, Any],
    explored: _Explored,
    scaled: _Scaled,
    budget: _Budget,
) -> stage_tune.Tuning:
    """Stage 7: the Optuna study, on validation data only, shared with any workers."""
    o, directory, say, clock = run.options, run.directory, run.narrator, run.clock
    setup, marks = explored.setup, explored.marks
    scoring = setup.scoring
    worker = stage_tune.worker_id()
    say.stage(7, "regularize and tune", (marks.tune - marks.scale) * budget.span)
    with run.stage("tune") as log:
        record = study_mod.read_record(study)
        digest = _split_digest(split)
        if record is None:
            space = stage_tune.search_space(
                setup,
                explored.baseline,
                scaled.chosen,
                seconds=budget.at(marks.tune) - time.monotonic(),
            )
            record = study_mod.StudyRecord(
                options=_shared_options(o),
                space=space.to_dict(),
                exploration=explored.exploration.to_dict(),
                split_digest=digest,
                input_shape=tuple(prepared.input_shape),
                metric=str(metric.primary),
                greater_is_better=metric.greater_is_better,
                baselines=baselines,
                trial_cap=o.trials,
                heartbeat_seconds=o.heartbeat_seconds,
            )
        else:
            # Resumed: the space the study was started with stays, whatever time is left now.
            _check_record(record, digest, study_name)
            space = stage_tune.SearchSpace.from_dict(record.space)
        for number in stage_tune.fail_dead_trials(study):
            say.say(f"  trial {number} was running when this run stopped; it is queued again")
        deadline = budget.at(marks.tune)
        started_unix = time.time()

        def ready() -> None:
            # Workers wait for the record; the queue is in place by now, so they find trials.
            study_mod.write_record(study, record)
            study_mod.open_tuning(study, deadline_unix=time.time() + deadline - time.monotonic())
            study_mod.announce(
                study, worker, role="leader", state="tuning", trials=0, started_unix=started_unix
            )

        def keep_best(number: int, evaluation: Evaluation) -> None:
            _save_checkpoint(directory.path / CHECKPOINT_DIR, number, evaluation)

        def show_trial(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
            run.save_progress()
            say.say(
                f"  trial {trial.number:>3} {trial.state.name.lower():<8} "
                f"{_trial_result(trial, scoring, holdout=len(setup.folds) == 1)} · "
                f"best {_best_value(study)} · "
                f"{format_seconds(trial.duration.total_seconds() if trial.duration else 0)} · "
                f"{format_seconds(clock.left)} left"
            )
            _announce_quietly(study, worker, "tuning", started_unix)

        idle_said = [0.0]

        def show_idle(finished: int, running: int) -> None:
            if time.monotonic() - idle_said[0] >= 30:
                idle_said[0] = time.monotonic()
                say.say(
                    f"  {finished} of {record.trial_cap} trials finished; waiting for {running} "
                    "running on other workers"
                )
                _announce_quietly(study, worker, "waiting", started_unix)

        tuning = stage_tune.tune(
            setup,
            space,
            study,
            baseline=explored.baseline,
            scaled=scaled.chosen,
            deadline=deadline,
            n_trials=record.trial_cap,
            history_dir=directory.path / HISTORY_DIR,
            worker=worker,
            settle_seconds=o.heartbeat_seconds * study_mod.GRACE_HEARTBEATS,
            on_best=keep_best,
            on_trial=show_trial,
            on_idle=show_idle,
            on_ready=ready,
        )
        study_mod.close_tuning(study)
        _write_trial_histories(directory, study)
        log.take(tuning)
    directory.save_state(
        "tune",
        {
            "trials": [t.to_dict() for t in tuning.trials],
            "importances": tuning.importances,
            "best_number": tuning.best_number,
            "best_value": tuning.best_value,
            "space": space.to_dict(),
            "storage": study_mod.redact(o.storage or directory.study_url),
            "study": study_name,
            "curve": tuning.best_so_far(scoring.greater_is_better),
        },
    )
    return tuning


def _trial_result(trial: optuna.trial.FrozenTrial, scoring: Scoring, *, holdout: bool) -> str:
    if trial.state is optuna.trial.TrialState.COMPLETE and trial.value is not None:
        return f"val {scoring.primary} {trial.value:.4f}"
    if trial.state is optuna.trial.TrialState.PRUNED:
        step = trial.last_step
        where = "?" if step is None else str(step if holdout else step + 1)
        return f"stopped at {'epoch' if holdout else 'fold'} {where}"
    if trial.user_attrs.get("diverged"):
        return "diverged"
    return f"failed ({trial.user_attrs.get('error', 'see the log')})"


def _final_model(
    run: _Run,
    split: ProtocolChoice,
    spec: ProblemSpec,
    full_setup: TrainingSetup,
    prepared: PreparedData,
    baselines: dict[str, Any],
    explored: _Explored,
    tuning: stage_tune.Tuning,
    budget: _Budget,
) -> tuple[stage_final.FinalResult, list[stage_final.Member]]:
    """Stage 8: the final model, then the one look at the sealed test set."""
    o, say, clock = run.options, run.narrator, run.clock
    checkpoints = run.directory.path / CHECKPOINT_DIR
    say.stage(8, "final model and the test set")
    key = split.test.issue_final_key()  # tuning is over: only now can the test set be opened
    with run.stage("final") as log:
        # Measured, not extrapolated: one short epoch of the chosen network on the real data.
        speed = stage_baseline.measure_throughput(full_setup, tuning.best_model, tuning.best_train)
        per_sample_epoch = (
            1.0 / speed
            if math.isfinite(speed)
            else _seconds_per_sample_epoch(tuning, explored.baseline, explored.exploration)
        )
        n_dev = len(split.development.y)
        plan = stage_final.plan_final(
            split.protocol.kind,
            fold_models_available=_checkpoint_matches(
                checkpoints, tuning.best_number, len(prepared.folds)
            ),
            trial_model_available=_checkpoint_matches(checkpoints, tuning.best_number, None),
            best_epoch=tuning.best_epoch,
            n_dev=n_dev,
            seconds_left=clock.left - budget.reserve,
            seconds_per_sample_epoch=per_sample_epoch,
            explored_on_subset=explored.exploration.subsampled,
        )
        history = None
        if plan.approach == stage_final.Approach.RETRAIN:
            say.say(f"  retraining on {n_dev:,} samples for {plan.epochs} epoch(s)")
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
                deadline=time.monotonic() + max(clock.left - budget.reserve, needed),
                verbose=o.verbose,
            )
            history.to_csv(run.directory.history_path("final"))
            members = [stage_final.Member(preparer, model)]
        else:
            members = _load_members(
                checkpoints,
                tuning,
                prepared,
                spec,
                all_folds=(plan.approach == stage_final.Approach.ENSEMBLE),
            )
        final = stage_final.evaluate_once(
            members,
            split.test,
            key,
            spec=spec,
            scoring=full_setup.scoring,
            plan=plan,
            model_config=tuning.best_model,
            train_config=tuning.best_train,
            val_scores=tuning.best_val_scores,
            n_val=explored.exploration.n_val_explore * split.protocol.folds,
            common_sense=(
                baselines["common_sense"]["model"],
                float(baselines["common_sense"]["score"]),
            ),
            classical=(baselines["classical"]["model"], float(baselines["classical"]["score"])),
            history=history,
        )
        log.take(final)
    return final, members


def _mark_study_final(run: _Run, study: optuna.Study, final: stage_final.FinalResult) -> None:
    """Tell workers and `dlpilot status` that the final model exists."""
    worker = stage_tune.worker_id()
    try:
        study_mod.mark_final(
            study,
            worker=worker,
            run_dir=str(run.directory.path.resolve()),
            test=final.to_dict()["test"],
        )
        _announce_quietly(study, worker, "done", time.time())
    except stage_tune.STORAGE_ERRORS:
        run.narrator.say("  (could not mark the study finished: its storage is unreachable)")


# --- what a worker trains on ---------------------------------------------------------


def training_setup_for(
    options: RunOptions, exploration: dict[str, Any]
) -> tuple[TrainingSetup, str]:
    """Stages 0–3 again, quietly, and stage 5's exploration subset: the data a worker's
    trials train and score on. Returns it with the split digest, which the worker checks
    against the study's record. The test set stays sealed; nothing here reads it."""
    o = options
    dataset = load_source(o.source, target=o.target, data_dir=o.data_dir)
    spec = define_problem(dataset, task=o.task, modality=o.modality, drop_columns=o.drop).spec
    metric = choose_metric(spec, metric=o.metric, positive_class=o.positive_class)
    split = choose_protocol(dataset, spec, group=o.group, seed=o.seed)
    prepared = prepare_data(split.development, spec, split.protocol)
    full = TrainingSetup(
        folds=prepared.folds,
        spec=spec,
        scoring=Scoring.for_metric(spec.task, metric),
        input_shape=prepared.input_shape,
        vocab_size=prepared.vocab_size,
        human_error=_human_error(o, dataset, metric),
    )
    setup = stage_baseline.subsample(full, _exploration_plan(exploration), seed=o.seed)
    return setup, _split_digest(split)


# --- helpers of the workflow ------------------------------------------------------------


def _exploration_plan(saved: dict[str, Any]) -> stage_baseline.ExplorationPlan:
    plan = dict(saved)
    if plan["samples_per_second"] is None:  # saved as null: the split was too small to probe
        plan["samples_per_second"] = math.inf
    return stage_baseline.ExplorationPlan(**plan)


def _human_error(o: RunOptions, dataset: Dataset, metric: MetricChoice) -> float | None:
    if o.human_error is not None:
        return o.human_error
    if dataset.human_accuracy is not None and metric.primary is MetricName.ACCURACY:
        return 1.0 - dataset.human_accuracy
    return None


def _storage(o: RunOptions, directory: RunDirectory) -> tuple[Any, str]:
    name = o.study or "dlpilot"
    url = o.storage or directory.study_url
    return study_mod.open_storage(url, heartbeat_seconds=o.heartbeat_seconds), name


def _refuse_started_study(o: RunOptions) -> None:
    """A new run may not take over a shared study another run started (it may join it)."""
    name = o.study or "dlpilot"
    storage = study_mod.open_storage(o.storage or "", heartbeat_seconds=None)
    if name in study_mod.study_names(storage):
        raise ConfigError(
            f"Study '{name}' in {study_mod.redact(o.storage or '')} was started by another run. "
            f"Join it with 'dlpilot worker --storage URL --study {name}' (or 'dlpilot run' from "
            "the command line, which joins), resume that run with 'dlpilot run --resume "
            "RUN_DIR', or choose another --study."
        )


def _open_study(run: _Run, *, greater_is_better: bool) -> tuple[optuna.Study, str]:
    """Create the run's study (load it when resuming) and record this process as its leader."""
    o, directory = run.options, run.directory
    storage, name = _storage(o, directory)
    try:
        study = stage_tune.make_study(
            storage,
            name,
            greater_is_better=greater_is_better,
            seed=o.seed,
            load_if_exists=run.resumed or o.storage is None,
        )
    except optuna.exceptions.DuplicatedStudyError:
        raise ConfigError(
            f"Study '{name}' was started by another run a moment ago. Join it with 'dlpilot "
            f"worker --storage URL --study {name}', or choose another --study."
        ) from None
    if study.direction.name.lower() != ("maximize" if greater_is_better else "minimize"):
        raise ConfigError(
            f"Study '{name}' {study.direction.name.lower()}s its score, but this run's metric "
            "goes the other way: it belongs to another run. Choose another --study."
        )
    study_mod.set_leader(
        study, worker=stage_tune.worker_id(), run_dir=str(directory.path.resolve())
    )
    return study, name


def _shared_options(o: RunOptions) -> dict[str, Any]:
    """The options as workers read them: a file source as an absolute path, no password."""
    d = o.to_dict()
    if Path(o.source).exists():
        d["source"] = str(Path(o.source).resolve())
    if o.data_dir:
        d["data_dir"] = str(Path(o.data_dir).resolve())
    if o.storage:
        d["storage"] = study_mod.redact(o.storage)
    return d


def _check_record(record: study_mod.StudyRecord, digest: str, name: str) -> None:
    if record.split_digest != digest:
        raise ConfigError(
            f"Study '{name}' was started on other data or another split (split digest "
            f"{record.split_digest}, here {digest}). Use the same source and --seed, or "
            "choose another --study."
        )


def _announce_quietly(study: optuna.Study, worker: str, state: str, started_unix: float) -> None:
    """Tell the study this process is alive; the storage being away is no reason to stop."""
    try:
        trials = sum(
            1
            for t in study.get_trials(deepcopy=False)
            if t.user_attrs.get(stage_tune.WORKER_ATTR) == worker and t.state.is_finished()
        )
        study_mod.announce(
            study, worker, role="leader", state=state, trials=trials, started_unix=started_unix
        )
    except stage_tune.STORAGE_ERRORS:
        pass


def _write_trial_histories(directory: RunDirectory, study: optuna.Study) -> None:
    """Every finished trial's curves in ``histories/``, whichever process ran the trial."""
    for t in study.get_trials(deepcopy=False):
        saved = t.user_attrs.get("history")
        path = directory.history_path(f"trial_{t.number:04d}")
        if saved and not path.exists():
            History.from_dict(saved).to_csv(path)


def _best_value(study: optuna.Study) -> str:
    try:
        return f"{study.best_value:.4f}"
    except ValueError:
        return "—"


def _save_evaluations(
    directory: RunDirectory, name: str, evaluations: Sequence[Evaluation], extra: dict[str, Any]
) -> None:
    directory.save_state(
        name,
        {
            "evaluations": [
                {**e.to_dict(), "histories": [h.to_dict() for h in e.histories]}
                for e in evaluations
            ],
            **extra,
        },
    )


def _restore_evaluations(saved: dict[str, Any], setup: TrainingSetup) -> list[Evaluation]:
    out = []
    for e in saved["evaluations"]:
        histories = tuple(History.from_dict(h) for h in e["histories"])
        out.append(
            Evaluation(
                name=e["name"],
                model=ModelConfig.from_dict(e["model"]),
                train=TrainConfig.from_dict(e["train"]),
                val_score=_nan(e["val_score"]),
                val_scores={k: _nan(v) for k, v in e["val_scores"].items()},
                train_score=_nan(e["train_score"]),
                best_epoch=int(e["best_epoch"]),
                epochs_run=int(e["epochs_run"]),
                seconds=float(e["seconds"]),
                diverged=bool(e["diverged"]),
                stopped_by_time=bool(e["stopped_by_time"]),
                histories=histories,
                diagnosis=diagnose(
                    histories[0], stage=e.get("stage", "restored"), human_error=setup.human_error
                ),
                n_params=int(e["n_params"]),
            )
        )
    return out


def _nan(v: float | None) -> float:
    return math.nan if v is None else float(v)


def _check_same_split(directory: RunDirectory, split: ProtocolChoice) -> None:
    digest = _split_digest(split)
    saved = directory.load_state("split")
    if saved is None:
        directory.save_state("split", {"digest": digest})
    elif saved["digest"] != digest:
        raise ConfigError(
            "The data or its split differ from those the interrupted run used, so it cannot "
            "be resumed. Start a new run."
        )


def _split_digest(split: ProtocolChoice) -> str:
    import hashlib

    h = hashlib.sha256()
    for fold in split.protocol.splits:
        h.update(np.asarray(fold.train, dtype=np.int64).tobytes())
        h.update(np.asarray(fold.val, dtype=np.int64).tobytes())
    h.update(str(split.test.n_samples).encode())
    return h.hexdigest()[:16]


def _save_checkpoint(folder: Path, number: int, evaluation: Evaluation) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    for i, model in enumerate(evaluation.models):
        state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
        save_file(state, str(folder / f"fold_{i}.safetensors"))
    (folder / "best.json").write_text(
        json.dumps(
            {
                "trial": number,
                "folds": len(evaluation.models),
                "model": evaluation.model.to_dict(),
                "val_score": _json_default(evaluation.val_score),
            }
        )
    )


def _checkpoint_matches(folder: Path, number: int | None, n_folds: int | None) -> bool:
    """Whether the saved checkpoint is trial ``number``'s, with ``n_folds`` models (or any)."""
    meta = folder / "best.json"
    if number is None or not meta.exists():
        return False
    saved = json.loads(meta.read_text())
    return saved["trial"] == number and (n_folds is None or saved["folds"] == n_folds)


def _load_members(
    folder: Path, tuning: stage_tune.Tuning, prepared: PreparedData, spec: Any, *, all_folds: bool
) -> list[stage_final.Member]:
    from safetensors.torch import load_file

    if not _checkpoint_matches(
        folder, tuning.best_number, len(prepared.folds) if all_folds else None
    ):
        raise DlpilotError(
            "No saved model of the best configuration is available and there is no time to "
            "retrain one. Give a larger --budget."
        )
    members = []
    for i, fold in enumerate(prepared.folds if all_folds else prepared.folds[:1]):
        shape, vocab = fold_inputs(fold, prepared.input_shape, prepared.vocab_size)
        model = build_model(
            tuning.best_model,
            input_shape=shape,
            n_outputs=spec.n_outputs,
            vocab_size=vocab,
            target_stats=target_stats_from(fold.train.y, spec.task),
        )
        model.load_state_dict(load_file(str(folder / f"fold_{i}.safetensors")))
        model.eval()
        members.append(stage_final.Member(fold.preparer, model))
    return members


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


def _write_data_view(run: _Run, development: Dataset, spec: Any) -> None:
    """Samples per class and a feature summary for the report, from the development set only."""
    from dlpilot.report import write_data_view

    try:
        write_data_view(run.directory.path, development, spec, seed=run.options.seed)
    except Exception as exc:  # the report's extras must never cost the run
        run.narrator.say(f"  data view for the report not written: {type(exc).__name__}: {exc}")


def _summary(
    run: _Run,
    dataset: Dataset,
    definition: ProblemDefinition,
    metric: MetricChoice,
    split: ProtocolChoice,
    baselines: dict[str, Any],
    final: stage_final.FinalResult,
    tuning: stage_tune.Tuning,
    scale_block: dict[str, Any],
    exploration: stage_baseline.ExplorationPlan,
) -> dict[str, Any]:
    findings = [f.to_dict() for r in run.records for f in r.findings]
    counts = tuning.counts()
    return {
        "dlpilot_version": __version__,
        "source": dataset.source,
        "dataset": dataset.name,
        "problem": definition.spec.to_dict(),
        "metric": metric.to_dict(),
        "protocol": split.to_dict(),
        "baselines": baselines,
        "stages": [r.to_dict() for r in run.records],
        "findings": findings,
        "scale": scale_block,
        "tuning": {
            "trials": len(tuning.trials),
            "complete": counts.get("COMPLETE", 0),
            "pruned": counts.get("PRUNED", 0),
            "failed": counts.get("FAIL", 0),
            "best_trial": tuning.best_number,
            "best_value": float(tuning.best_value) if math.isfinite(tuning.best_value) else None,
            "importances": tuning.importances,
        },
        "exploration": exploration.to_dict(),
        "final": final.to_dict(),
        "test_set_opened": final.test_opened,
        "budget": {
            "limit_seconds": run.options.budget_seconds,
            "used_seconds": round(run.clock.used, 2),
            "by_stage": {r.name: round(r.seconds, 2) for r in run.records},
        },
        "options": run.options.to_dict(),
        "environment": run.environment,
    }


def _table_columns(dataset: Dataset, spec: Any) -> list[str]:
    """The input columns of a table source, in order (an array's are x0, x1, …)."""
    if spec.modality not in (Modality.TABULAR, Modality.TEXT):
        return []
    if isinstance(dataset.x, np.ndarray):
        return [f"x{i}" for i in range(int(np.prod(dataset.x.shape[1:])))]
    return [str(c) for c in getattr(dataset.x, "columns", [])]


def _write_outputs(
    run: _Run,
    summary: dict[str, Any],
    members: list[stage_final.Member],
    final: stage_final.FinalResult,
    spec: Any,
    prepared: PreparedData,
    dataset: Dataset,
) -> None:
    directory = run.directory
    (directory.path / "evaluation.json").write_text(
        json.dumps(final.details, default=_json_default)
    )
    from dlpilot.bundle import save_bundle

    save_bundle(
        directory.path / "model",
        members=members,
        spec=spec,
        model_config=final.model_config,
        vocab_size=prepared.vocab_size,
        metric=summary["metric"],
        table_columns=_table_columns(dataset, spec),
        column_kinds=dataset.column_kinds,
    )
    summary["budget"]["used_seconds"] = round(run.clock.used, 2)
    from dlpilot.report import write_summary

    write_summary(directory.path, summary)
    run.save_progress()
    directory.save_state("done", {"finished": True})
    if not run.options.report:
        return
    from dlpilot.report import render_report

    try:
        render_report(directory.path)
    except Exception as exc:  # the run is complete and saved; a report bug must not undo that
        run.narrator.say(
            f"  report.html not written ({type(exc).__name__}: {exc}); rebuild it with "
            f"'dlpilot report {directory.path}'"
        )
    summary["budget"]["used_seconds"] = round(run.clock.used, 2)
    write_summary(directory.path, summary)
