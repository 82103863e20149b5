"""What `dlpilot run` and `dlpilot worker` show on stderr while they work, with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from dlpilot.cli._style import severity_markup
from dlpilot.core.messages import DEFAULT_LANGUAGE, Text, check_language, render
from dlpilot.core.records import Decision, Finding
from dlpilot.tuning.progress import TrialReport, format_trial
from dlpilot.workflow import RunCallback
from dlpilot.workflow.callbacks import decision_line, finding_line, stage_times


class RichNarrator(RunCallback):
    """Stage names, results, the best so far and the time left, on stderr, in ``language``."""

    def __init__(self, console: Console | None = None, language: str = DEFAULT_LANGUAGE) -> None:
        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)
        self.language = check_language(language)

    def on_stage_begin(
        self, number: int, title: Text, *, seconds: float | None, seconds_left: float
    ) -> None:
        times = stage_times(seconds, seconds_left, self.language)
        self.console.rule(f"[bold]{number} · {escape(render(title, self.language))}[/bold]{times}")

    def on_decision(self, stage: str, decision: Decision) -> None:
        what, why = decision_line(decision, self.language)
        self.console.print(f"  [cyan]•[/cyan] {escape(what)} — [dim]{escape(why)}[/dim]")

    def on_finding(self, stage: str, finding: Finding) -> None:
        severity = severity_markup(finding.severity, self.language)
        self.console.print(f"  {severity} {escape(finding_line(finding, self.language))}")

    def on_message(self, text: Text) -> None:
        self.console.print(escape(render(text, self.language)))

    def on_trial_end(self, report: TrialReport) -> None:
        self.console.print(escape(format_trial(report, self.language)))


def narrator(*, quiet: bool, language: str = DEFAULT_LANGUAGE) -> RichNarrator | None:
    """The CLI's narrator; None when ``--quiet`` (the workflow then says nothing)."""
    return None if quiet else RichNarrator(language=language)
