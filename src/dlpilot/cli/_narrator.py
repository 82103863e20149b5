"""What `dlpilot run` and `dlpilot worker` show on stderr while they work, with Rich."""

from __future__ import annotations

from rich.console import Console

from dlpilot.cli._style import severity_markup
from dlpilot.core.records import Decision, Finding
from dlpilot.tuning.progress import TrialReport, format_trial
from dlpilot.workflow import RunCallback
from dlpilot.workflow.callbacks import stage_times


class RichNarrator(RunCallback):
    """Stage names, results, the best so far and the time left, on stderr."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)

    def on_stage_begin(
        self, number: int, title: str, *, seconds: float | None, seconds_left: float
    ) -> None:
        self.console.rule(f"[bold]{number} · {title}[/bold]{stage_times(seconds, seconds_left)}")

    def on_decision(self, stage: str, decision: Decision) -> None:
        self.console.print(f"  [cyan]•[/cyan] {decision.what} — [dim]{decision.why}[/dim]")

    def on_finding(self, stage: str, finding: Finding) -> None:
        self.console.print(
            f"  {severity_markup(finding.severity)} {finding.code}: {finding.evidence}"
        )

    def on_message(self, text: str) -> None:
        self.console.print(text)

    def on_trial_end(self, report: TrialReport) -> None:
        self.console.print(format_trial(report))


def narrator(*, quiet: bool) -> RichNarrator | None:
    """The CLI's narrator; None when ``--quiet`` (the workflow then says nothing)."""
    return None if quiet else RichNarrator()
