"""What a run tells whoever watches it: `RunCallback`, a Keras-style callback of empty hooks.

The workflow calls the hooks as stages begin and end, as each decision and finding is
recorded, and as trials end; it never prints. `dlpilot run` and `dlpilot worker` pass the
terminal's implementation (under `dlpilot.cli`); `dlpilot.run` and the estimators get a
quiet `RunCallback` or, with ``verbose``, a `PlainNarrator`.
"""

from __future__ import annotations

import sys
from typing import TextIO

from dlpilot.core.budget import format_seconds
from dlpilot.core.records import Decision, Finding, StageRecord
from dlpilot.tuning.progress import TrialReport, TuningCallback, format_trial


class RunCallback(TuningCallback):
    """Hooks of a run; every hook does nothing unless overridden (and `on_message` and
    `on_trial_end` come from `TuningCallback`, which workers call too)."""

    def on_stage_begin(
        self, number: int, title: str, *, seconds: float | None, seconds_left: float
    ) -> None:
        """Stage ``number`` starts; ``seconds`` is the most it may take, when it has a share."""

    def on_decision(self, stage: str, decision: Decision) -> None:
        """A decision the stage recorded (called for each, when the stage ends)."""

    def on_finding(self, stage: str, finding: Finding) -> None:
        """A finding the stage recorded (called for each, after its decisions)."""

    def on_stage_end(self, record: StageRecord) -> None:
        """The stage is recorded: its seconds, decisions and findings."""


def stage_times(seconds: float | None, seconds_left: float) -> str:
    """What follows a stage's title: ``" · up to 30s · 4m left"``."""
    extra = f" · up to {format_seconds(seconds)}" if seconds is not None else ""
    return f"{extra} · {format_seconds(seconds_left)} left"


class PlainNarrator(RunCallback):
    """Stage names, decisions, findings, trials and notes as plain lines on stderr."""

    def __init__(self, file: TextIO | None = None) -> None:
        self.file = file

    def _print(self, text: str) -> None:
        print(text, file=self.file or sys.stderr, flush=True)

    def on_stage_begin(
        self, number: int, title: str, *, seconds: float | None, seconds_left: float
    ) -> None:
        self._print(f"── {number} · {title}{stage_times(seconds, seconds_left)} ──")

    def on_decision(self, stage: str, decision: Decision) -> None:
        self._print(f"  • {decision.what} — {decision.why}")

    def on_finding(self, stage: str, finding: Finding) -> None:
        self._print(f"  {finding.severity} {finding.code}: {finding.evidence}")

    def on_message(self, text: str) -> None:
        self._print(text)

    def on_trial_end(self, report: TrialReport) -> None:
        self._print(format_trial(report))
