"""The state a run carries from stage to stage, and the log each stage keeps as it runs."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from dlpilot.core.budget import Clock
from dlpilot.core.messages import Text
from dlpilot.core.records import Decision, Finding, StageRecord
from dlpilot.data import Dataset
from dlpilot.workflow.budget import BudgetPlan
from dlpilot.workflow.callbacks import RunCallback
from dlpilot.workflow.options import RunOptions
from dlpilot.workflow.rundir import PROGRESS_STATE, RunDirectory

if TYPE_CHECKING:
    from dlpilot.workflow.live import LiveLog


class StageResult(Protocol):
    """What every stage returns besides its own outputs."""

    @property
    def decisions(self) -> Sequence[Decision]: ...

    @property
    def findings(self) -> Sequence[Finding]: ...


@dataclass
class StageLog:
    """What one stage decided and found, gathered as it runs."""

    decisions: list[Decision] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def take(self, result: StageResult) -> None:
        """A stage result's own decisions and findings."""
        self.decisions.extend(result.decisions)
        self.findings.extend(result.findings)

    def decide(self, what: Text, why: Text, numbers: dict[str, Any] | None = None) -> None:
        self.decisions.append(Decision(what=what, why=why, numbers=numbers or {}))


@dataclass
class RunContext:
    """One run as it goes: its options, directory, clock, callback and the stages so far.

    ``dataset`` is set when the data came in memory (an estimator's ``fit``), not from
    ``options.source``.
    """

    options: RunOptions
    directory: RunDirectory
    clock: Clock
    callback: RunCallback
    plan: BudgetPlan
    records: list[StageRecord] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)
    resumed: bool = False
    dataset: Dataset | None = None
    # The live views `--log` asked for (TensorBoard, MLflow); None: none.
    live: LiveLog | None = None

    def begin(self, number: int, title: Text, seconds: float | None = None) -> None:
        """Tell the callback that stage ``number`` starts."""
        self.callback.on_stage_begin(number, title, seconds=seconds, seconds_left=self.clock.left)

    def say(self, text: Text) -> None:
        self.callback.on_message(text)

    @contextmanager
    def stage(self, name: str) -> Iterator[StageLog]:
        """Time a stage and record what it decided and found, even when it returns early."""
        log = StageLog()
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
        for d in record.decisions:
            self.callback.on_decision(record.name, d)
        for f in record.findings:
            self.callback.on_finding(record.name, f)
        self.callback.on_stage_end(record)
        self.save_progress()

    def save_progress(self) -> None:
        self.directory.save_state(
            PROGRESS_STATE,
            {
                "records": [r.to_dict() for r in self.records],
                "used_seconds": self.clock.used,
            },
        )
