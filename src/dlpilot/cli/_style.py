"""The terminal's colours for what a run finds, in one place."""

from __future__ import annotations

from dlpilot.core.enums import Severity
from dlpilot.core.messages import DEFAULT_LANGUAGE
from dlpilot.core.records import severity_word

SEVERITY_STYLE = {Severity.INFO: "cyan", Severity.WARNING: "yellow", Severity.ERROR: "red"}


def severity_style(severity: Severity | str) -> str:
    """The Rich style of a finding's severity."""
    return SEVERITY_STYLE[Severity(severity)]


def severity_markup(severity: Severity | str, language: str = DEFAULT_LANGUAGE) -> str:
    """The severity's name in its colour, as Rich markup: ``[yellow]warning[/yellow]``."""
    style = severity_style(severity)
    return f"[{style}]{severity_word(severity, language)}[/{style}]"
