"""Messages in the user's language, and the Korean catalogue's completeness."""

from __future__ import annotations

import json

import pytest

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.locales.ko import MESSAGES as KO
from dlpilot.core.messages import (
    Msg,
    Translator,
    check_language,
    fields_of,
    from_dict,
    join,
    msg,
    render,
)
from dlpilot.core.records import Decision, Finding
from tests.support import catalogue

HANGUL = set(range(0xAC00, 0xD7A4))


def test_a_message_is_english_by_default_and_translated_on_request():
    m = msg(
        "Unknown language {language!r}: use one of {choices} (--lang or {env}).",
        language="fr",
        choices="en, ko",
        env="DLPILOT_LANG",
    )
    assert str(m) == "Unknown language 'fr': use one of en, ko (--lang or DLPILOT_LANG)."
    ko = m.render("ko")
    assert "'fr'" in ko and "DLPILOT_LANG" in ko and ko != str(m)
    assert any(ord(c) in HANGUL for c in ko)


def test_nested_messages_and_joins_render_in_one_language_and_survive_json():
    inner = msg(
        "Unknown language {language!r}: use one of {choices} (--lang or {env}).",
        language="x",
        choices="en",
        env="E",
    )
    outer = join([inner, "plain words"], sep=" | ")
    back = from_dict(json.loads(json.dumps(outer.to_dict())))
    assert render(back, "en") == render(outer, "en")
    assert render(back, "ko") == render(outer, "ko") != render(outer, "en")
    assert render(back, "ko").endswith(" | plain words")


def test_a_template_without_values_keeps_its_braces_and_unknown_text_passes_through():
    assert Msg("a {literal} brace").render("ko") == "a {literal} brace"
    assert Translator("ko")("text no catalogue has") == "text no catalogue has"


def test_numpy_values_are_stored_as_numbers():
    np = pytest.importorskip("numpy")
    d = msg("{x:.2f}", x=np.float32(0.5)).to_dict()
    assert json.loads(json.dumps(d))["p"]["x"] == 0.5
    assert render(from_dict(d)) == "0.50"


def test_an_unknown_language_is_a_one_line_config_error():
    with pytest.raises(ConfigError, match="Unknown language 'fr'"):
        check_language("fr")
    assert check_language(" KO ") == "ko"


def test_errors_keep_english_text_and_render_in_the_users_language():
    exc = DataError(
        msg(
            "Unknown language {language!r}: use one of {choices} (--lang or {env}).",
            language="fr",
            choices="en",
            env="E",
        )
    )
    assert str(exc).startswith("Unknown language 'fr'")
    assert exc.render("en") == str(exc)
    assert any(ord(c) in HANGUL for c in exc.render("ko"))
    assert DataError("plain").render("ko") == "plain"


def test_records_store_english_text_and_the_message_beside_it():
    m = msg(
        "Unknown language {language!r}: use one of {choices} (--lang or {env}).",
        language="fr",
        choices="en",
        env="E",
    )
    d = Decision(what=m, why="plain why")
    assert isinstance(d.what, str) and d.what == str(m)
    stored = json.loads(json.dumps(d.to_dict()))
    again = Decision.from_dict(stored)
    assert again == d and again.text("what", "ko") == m.render("ko")
    assert again.text("why", "ko") == "plain why"
    f = Finding(FindingCode.OVERFITTING, Severity.WARNING, "tune", m, m)
    assert Finding.from_dict(json.loads(json.dumps(f.to_dict()))).text("action", "ko") == (
        m.render("ko")
    )


# --- the catalogue ------------------------------------------------------------------------


def test_every_template_in_the_source_has_a_korean_translation():
    gaps = catalogue.missing(KO)
    assert not gaps, f"{len(gaps)} template(s) lack Korean:\n" + "\n".join(map(str, gaps[:40]))


def test_no_user_facing_text_is_built_as_a_plain_english_string():
    plain = catalogue.plain_sites()
    assert not plain, f"{len(plain)} plain string(s):\n" + "\n".join(map(str, plain[:40]))


def test_the_catalogue_has_no_stale_keys():
    used = set(catalogue.templates())
    stale = sorted(k for k in KO if k not in used)
    assert not stale, f"{len(stale)} key(s) no code uses:\n" + "\n".join(stale[:40])


@pytest.mark.parametrize("template", sorted(KO))
def test_each_translation_keeps_its_fields_and_is_korean(template):
    korean = KO[template]
    assert fields_of(korean) == fields_of(template), template
    assert any(ord(c) in HANGUL for c in korean), template


def test_a_reason_given_as_a_message_keeps_english_text_and_the_message():
    from dataclasses import dataclass, field

    from dlpilot.core.messages import EnglishReason

    @dataclass(frozen=True)
    class Plan(EnglishReason):
        reason: object
        message: object = field(default=None, compare=False)

    m = msg("{n} epochs", n=3)
    plan = Plan(m)
    assert plan.reason == "3 epochs" and plan.why is m
    assert Plan("plain").why == "plain" and Plan(None).why is None
