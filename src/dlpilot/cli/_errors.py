"""The one place that turns known exceptions into a one-line message and an exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from dlpilot.core.errors import DlpilotError

T = TypeVar("T")
P = ParamSpec("P")

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 1
EXIT_INTERRUPTED = 130


def debug_enabled() -> bool:
    return os.environ.get("DLPILOT_DEBUG", "").strip() not in ("", "0", "false", "no")


def run_guarded(fn: Callable[[], T]) -> T:
    """Run ``fn``; print a known error as one line on stderr and exit, unless debugging."""
    try:
        return fn()
    except DlpilotError as exc:
        if debug_enabled():
            raise
        _say(f"Error: {_one_line(exc)}")
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        if debug_enabled():
            raise
        _say("Interrupted. Finished work is saved; resume with 'dlpilot run --resume RUN_DIR'.")
        raise SystemExit(EXIT_INTERRUPTED) from None


def report_internal_error(exc: BaseException) -> int:
    _say(
        f"Internal error: {type(exc).__name__}: {_one_line(exc)}. This is a bug in dlpilot; "
        "rerun with DLPILOT_DEBUG=1 for the traceback and report it."
    )
    return EXIT_INTERNAL_ERROR


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def guarded(fn: Callable[P, T]) -> Callable[P, T]:
    """Decorate a command so known errors end it with one line and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_guarded(lambda: fn(*args, **kwargs))

    return wrapper
