"""Command-line interface: thin commands over the Python API."""

from __future__ import annotations

import sys

from dlpilot.cli._errors import debug_enabled, report_internal_error


def main(argv: list[str] | None = None) -> None:
    from dlpilot.cli.app import app

    try:
        app(args=argv, standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # anything unexpected: one line, unless debugging
        if debug_enabled():
            raise
        sys.exit(report_internal_error(exc))
