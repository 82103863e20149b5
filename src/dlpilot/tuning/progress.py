"""What tuning tells whoever watches: a callback of empty hooks, Keras-style.

The trial loop's callers (the run leading a study, a worker joining one) call these
hooks; the terminal's implementation lives under `dlpilot.cli`, and the workflow's
`RunCallback` adds the hooks of the stages. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlpilot.core.messages import DEFAULT_LANGUAGE, Text, msg, render


@dataclass(frozen=True)
class TrialReport:
    """One trial this process ran, as a line of the terminal shows it."""

    number: int
    state: str  # "complete", "pruned", "fail"
    result: Text  # what it scored, or why it stopped: "val accuracy 0.9731", "diverged"
    details: tuple[Text, ...] = ()  # further facts, in order: "best 0.9800", "12s", "3m left"


class TuningCallback:
    """Hooks called while trials run; every hook does nothing unless overridden."""

    def on_message(self, text: Text) -> None:
        """A line of narration: a trial queued again, waiting for other workers, …"""

    def on_trial_end(self, report: TrialReport) -> None:
        """A trial this process ran has finished (complete, pruned or failed)."""


# The word for each trial state, as the terminal shows it (the state itself stays English).
STATE_WORDS = {"complete": msg("complete"), "pruned": msg("pruned"), "fail": msg("fail")}


def format_trial(report: TrialReport, language: str = DEFAULT_LANGUAGE) -> str:
    """``"  trial   3 complete val accuracy 0.9731 · best 0.9800 · 12s · 3m left"``."""
    state = render(STATE_WORDS.get(report.state, report.state), language)
    line = render(
        msg(
            "  trial {number:>3} {state:<8} {result}",
            number=report.number,
            state=state,
            result=render(report.result, language),
        ),
        language,
    )
    return line + "".join(f" · {render(d, language)}" for d in report.details)
