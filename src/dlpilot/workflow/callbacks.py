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
from dlpilot.core.messages import DEFAULT_LANGUAGE, Text, check_language, msg, render
from dlpilot.core.records import Decision, Finding, StageRecord, severity_word
from dlpilot.tuning.progress import TrialReport, TuningCallback, format_trial


class RunCallback(TuningCallback):
    """Hooks of a run; every hook does nothing unless overridden (and `on_message` and
    `on_trial_end` come from `TuningCallback`, which workers call too)."""

    def on_stage_begin(
        self, number: int, title: Text, *, seconds: float | None, seconds_left: float
    ) -> None:
        """Stage ``number`` starts; ``seconds`` is the most it may take, when it has a share."""

    def on_decision(self, stage: str, decision: Decision) -> None:
        """A decision the stage recorded (called for each, when the stage ends)."""

    def on_finding(self, stage: str, finding: Finding) -> None:
        """A finding the stage recorded (called for each, after its decisions)."""

    def on_stage_end(self, record: StageRecord) -> None:
        """The stage is recorded: its seconds, decisions and findings."""


def stage_times(
    seconds: float | None, seconds_left: float, language: str = DEFAULT_LANGUAGE
) -> str:
    """What follows a stage's title: ``" · up to 30s · 4m left"``."""
    extra = (
        render(msg(" · up to {seconds}", seconds=format_seconds(seconds)), language)
        if seconds is not None
        else ""
    )
    return extra + render(msg(" · {seconds} left", seconds=format_seconds(seconds_left)), language)


def finding_line(finding: Finding, language: str = DEFAULT_LANGUAGE) -> str:
    """``"warning overfitting: <evidence>"`` without the severity (the caller styles it)."""
    return f"{finding.code}: {finding.text('evidence', language)}"


def decision_line(decision: Decision, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """A decision's what and why in ``language``."""
    return decision.text("what", language), decision.text("why", language)


class PlainNarrator(RunCallback):
    """Stage names, decisions, findings, trials and notes as plain lines on stderr."""

    def __init__(self, file: TextIO | None = None, language: str = DEFAULT_LANGUAGE) -> None:
        self.file = file
        self.language = check_language(language)

    def _print(self, text: str) -> None:
        print(text, file=self.file or sys.stderr, flush=True)

    def on_stage_begin(
        self, number: int, title: Text, *, seconds: float | None, seconds_left: float
    ) -> None:
        times = stage_times(seconds, seconds_left, self.language)
        self._print(f"── {number} · {render(title, self.language)}{times} ──")

    def on_decision(self, stage: str, decision: Decision) -> None:
        what, why = decision_line(decision, self.language)
        self._print(f"  • {what} — {why}")

    def on_finding(self, stage: str, finding: Finding) -> None:
        severity = severity_word(finding.severity, self.language)
        self._print(f"  {severity} {finding_line(finding, self.language)}")

    def on_message(self, text: Text) -> None:
        self._print(render(text, self.language))

    def on_trial_end(self, report: TrialReport) -> None:
        self._print(format_trial(report, self.language))
