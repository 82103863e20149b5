"""Words dlpilot says, in the user's language: a message is an English template and its values.

A decision, a finding, an error and every sentence of the report is built as a `Msg`: the
English template (a `str.format` string) is both the default text and the key into each other
language's catalogue (`dlpilot.core.locales.<lang>.MESSAGES`, a dict from the English template
to the translated one). This is gettext's convention (the source string is the msgid) without
gettext's compile step: a catalogue is one Python file, checked by a test that walks the source
for every template and every catalogue for missing, stale or mismatched keys.

The run directory stores the English text and the message's structure side by side, so
`summary.json` is the same whatever language a run was watched in, and `dlpilot report
--lang ko` renders a run of yesterday in Korean. Values are data (numbers, names, keys) and stay
as they are; a value that is itself a `Msg` (or a `Join` of them) is rendered in the same
language.
"""

from __future__ import annotations

import importlib
import numbers
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dlpilot.core.errors import ConfigError

DEFAULT_LANGUAGE = "en"
# Each language but English is one module under dlpilot/core/locales/ (ko.py).
LANGUAGES = ("en", "ko")
# The environment variable the CLI reads when --lang is not given.
LANGUAGE_ENV = "DLPILOT_LANG"


@dataclass(frozen=True)
class Msg:
    """An English template and its values; ``str()`` is the English text."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: str = DEFAULT_LANGUAGE) -> str:
        template = self.template
        if language != DEFAULT_LANGUAGE:
            template = catalogue(language).get(template, template)
        if not self.params:
            # A template with no values is not formatted: its braces are literal.
            return template
        values = {k: _value(v, language) for k, v in self.params.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation that does not fit its values must not hide the message itself;
            # the catalogue test keeps this from happening.
            english = {k: _value(v, DEFAULT_LANGUAGE) for k, v in self.params.items()}
            return self.template.format(**english)

    def __str__(self) -> str:
        return self.render()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"t": self.template}
        if self.params:
            d["p"] = {k: _to_json(v) for k, v in self.params.items()}
        return d


@dataclass(frozen=True)
class Join:
    """Messages joined by a separator that needs no translation ("; ", ", ", " ")."""

    parts: tuple[Msg | Join | str, ...]
    sep: str = "; "

    def render(self, language: str = DEFAULT_LANGUAGE) -> str:
        return self.sep.join(render(p, language) for p in self.parts)

    def __str__(self) -> str:
        return self.render()

    def to_dict(self) -> dict[str, Any]:
        return {"j": self.sep, "parts": [_to_json(p) for p in self.parts]}


Text = Msg | Join | str


class EnglishReason:
    """For a frozen dataclass with ``reason: Text`` and ``message: Text | None`` fields: a
    reason given as a message is kept as English text in ``reason`` (tests and summary.json
    read it) and as the message in ``message``; `why` is the one to show a reader."""

    reason: Any
    message: Any

    def __post_init__(self) -> None:
        if self.reason is not None and not isinstance(self.reason, str):
            object.__setattr__(self, "message", self.reason)
            object.__setattr__(self, "reason", str(self.reason))

    @property
    def why(self) -> Any:
        """The reason as a message when there is one, else its English text (or None)."""
        return self.message if self.message is not None else self.reason


def msg(template: str, /, **params: Any) -> Msg:
    """A message: ``msg("{n} rows dropped", n=3)``; the template must be a literal string."""
    return Msg(template, params)


def join(parts: Iterable[Text], sep: str = "; ") -> Join:
    return Join(tuple(p for p in parts if p), sep)


def render(text: Text | Mapping[str, Any] | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The text in ``language``: a `Msg`, a `Join`, their stored form, or a plain string."""
    if text is None:
        return ""
    if isinstance(text, Msg | Join):
        return text.render(language)
    if isinstance(text, Mapping):
        return render(from_dict(text), language)
    return str(text)


def from_dict(d: Mapping[str, Any]) -> Text:
    """A message from its stored form (`Msg.to_dict`, `Join.to_dict`); anything else is text."""
    if "t" in d:
        return Msg(str(d["t"]), {k: _from_json(v) for k, v in (d.get("p") or {}).items()})
    if "j" in d:
        return Join(tuple(_from_json(p) for p in d.get("parts", [])), str(d["j"]))
    return str(d)


def stored(text: Text) -> dict[str, Any] | None:
    """The form a record keeps beside the English text; None for a plain string."""
    return text.to_dict() if isinstance(text, Msg | Join) else None


class Translator:
    """Renders templates and messages in one language: ``t("{n} samples", n=5)``, ``t(m)``."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = check_language(language)

    def __call__(self, text: Text | Mapping[str, Any] | None, /, **params: Any) -> str:
        if isinstance(text, str) and params:
            return Msg(text, params).render(self.language)
        if isinstance(text, str):
            # A bare literal is a template with no values; unknown text passes through.
            return Msg(text).render(self.language)
        return render(text, self.language)


def check_language(language: str | None) -> str:
    value = (language or DEFAULT_LANGUAGE).strip().lower()
    if value not in LANGUAGES:
        raise ConfigError(
            msg(
                "Unknown language {language!r}: use one of {choices} (--lang or {env}).",
                language=language,
                choices=", ".join(LANGUAGES),
                env=LANGUAGE_ENV,
            )
        )
    return value


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """The catalogue of ``language``: English template -> translated template."""
    if language == DEFAULT_LANGUAGE:
        return {}
    module = importlib.import_module(f"dlpilot.core.locales.{check_language(language)}")
    return module.MESSAGES


def fields_of(template: str) -> set[str]:
    """The names of a template's fields (what a translation must keep)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _value(v: Any, language: str) -> Any:
    if isinstance(v, Msg | Join):
        return v.render(language)
    if (
        isinstance(v, Sequence)
        and not isinstance(v, str)
        and any(isinstance(x, Msg | Join) for x in v)
    ):
        return ", ".join(render(x, language) for x in v)
    return v


def _to_json(v: Any) -> Any:
    if isinstance(v, Msg | Join):
        return v.to_dict()
    if isinstance(v, tuple | list):
        return [_to_json(x) for x in v]
    if isinstance(v, str | bool) or v is None:
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    return str(v)


def _from_json(v: Any) -> Any:
    if isinstance(v, Mapping) and ("t" in v or "j" in v):
        return from_dict(v)
    if isinstance(v, list):
        return [_from_json(x) for x in v]
    return v
