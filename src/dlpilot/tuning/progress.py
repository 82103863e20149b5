"""What tuning tells whoever watches: a callback of empty hooks, Keras-style.

The trial loop's callers (the run leading a study, a worker joining one) call these
hooks; the terminal's implementation lives under `dlpilot.cli`, and the workflow's
`RunCallback` adds the hooks of the stages. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrialReport:
    """One trial this process ran, as a line of the terminal shows it."""

    number: int
    state: str  # "complete", "pruned", "fail"
    result: str  # what it scored, or why it stopped: "val accuracy 0.9731", "diverged"
    details: tuple[str, ...] = ()  # further facts, in order: "best 0.9800", "12s", "3m left"


class TuningCallback:
    """Hooks called while trials run; every hook does nothing unless overridden."""

    def on_message(self, text: str) -> None:
        """A line of narration: a trial queued again, waiting for other workers, …"""

    def on_trial_end(self, report: TrialReport) -> None:
        """A trial this process ran has finished (complete, pruned or failed)."""


def format_trial(report: TrialReport) -> str:
    """``"  trial   3 complete val accuracy 0.9731 · best 0.9800 · 12s · 3m left"``."""
    line = f"  trial {report.number:>3} {report.state:<8} {report.result}"
    return line + "".join(f" · {d}" for d in report.details)
