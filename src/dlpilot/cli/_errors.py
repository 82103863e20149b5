"""The one place that turns known exceptions into a one-line message and an exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from dlpilot.core.errors import DlpilotError
from dlpilot.core.messages import DEFAULT_LANGUAGE, LANGUAGE_ENV, LANGUAGES, msg, render

T = TypeVar("T")
P = ParamSpec("P")

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 1
EXIT_INTERRUPTED = 130


def debug_enabled() -> bool:
    return os.environ.get("DLPILOT_DEBUG", "").strip() not in ("", "0", "false", "no")


def error_language(language: str | None = None) -> str:
    """The language of an error line: ``--lang``, else ``DLPILOT_LANG``, else English. An
    unknown one falls back to English here (the command itself says it is unknown)."""
    value = (language or os.environ.get(LANGUAGE_ENV) or DEFAULT_LANGUAGE).strip().lower()
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def run_guarded(fn: Callable[[], T], language: str | None = None) -> T:
    """Run ``fn``; print a known error as one line on stderr and exit, unless debugging."""
    try:
        return fn()
    except DlpilotError as exc:
        if debug_enabled():
            raise
        lang = error_language(language)
        _say(render(msg("Error: {text}", text=_one_line(exc.render(lang))), lang))
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        if debug_enabled():
            raise
        _say(
            render(
                msg(
                    "Interrupted. Finished work is saved; resume with "
                    "'dlpilot run --resume RUN_DIR'."
                ),
                error_language(language),
            )
        )
        raise SystemExit(EXIT_INTERRUPTED) from None


def report_internal_error(exc: BaseException) -> int:
    _say(
        f"Internal error: {type(exc).__name__}: {_one_line(exc)}. This is a bug in dlpilot; "
        "rerun with DLPILOT_DEBUG=1 for the traceback and report it."
    )
    return EXIT_INTERNAL_ERROR


def _one_line(exc: BaseException | str) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def guarded(fn: Callable[P, T]) -> Callable[P, T]:
    """Decorate a command so known errors end it with one line and exit code 2, in the
    command's ``--lang`` when it has one."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        language = kwargs.get("language")
        return run_guarded(
            lambda: fn(*args, **kwargs), language if isinstance(language, str) else None
        )

    return wrapper
