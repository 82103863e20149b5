"""A Korean report in a real headless Chromium: every sentence a reader sees is Korean, the
numbers and the structure are those of the English report, and summary.json is untouched.

"English sentence" here: three or more Latin-letter words in a row (only spaces and light
punctuation between them) that include an English function word ("the", "of", "is", …), once
the run's own names (columns, classes, models, files) are taken out. Names, numbers, codes and
keys may stay Latin; a sentence may not.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from browser import Browser, require_chromium

from dlpilot.report import render_report

pytestmark = pytest.mark.slow

CHROMIUM = require_chromium()

HANGUL = re.compile(r"[\uac00-\ud7a3]")
FUNCTION_WORDS = {
    "the", "a", "an", "of", "to", "is", "are", "was", "were", "be", "been", "on", "in",
    "for", "with", "and", "or", "it", "its", "by", "from", "than", "not", "this", "that",
    "at", "as", "has", "have", "no", "which", "when", "each", "per", "so", "but", "if",
}  # fmt: skip
# A run of Latin words joined only by spaces and light punctuation.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,:;()/-]+[A-Za-z][A-Za-z'’]*)+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
TEXT = """(() => {
    document.querySelectorAll('details').forEach(d => d.open = true);
    return document.body.innerText;
})()"""
KEYS = """Object.fromEntries(Array.from(document.querySelectorAll('[data-key]'))
    .map(e => [e.dataset.key, e.textContent]))"""


def english_sentences(text: str, names: set[str]) -> list[str]:
    """The runs of English words in ``text`` that read as a sentence, not as names."""
    found = []
    for match in LATIN_RUN.finditer(text):
        words = [w for w in WORD.findall(match.group()) if w.lower() not in names]
        if len(words) >= 3 and any(w.lower() in FUNCTION_WORDS for w in words):
            found.append(match.group())
    return found


def run_names(summary: dict) -> set[str]:
    """Words that are the run's data, not the report's language."""
    names: set[str] = set()
    p = summary.get("problem", {})
    values = [
        *(p.get("class_names") or []),
        *(p.get("feature_columns") or []),
        *(p.get("target_names") or []),
        *(p.get("ignored_columns") or []),
        summary.get("source", ""),
        summary.get("dataset", ""),
    ]
    for value in values:
        names.update(w.lower() for w in WORD.findall(str(value)))
    return names


def test_the_detector_finds_english_sentences_and_lets_names_pass():
    names = {"churn", "colour"}
    assert english_sentences("검증 점수: the network failed to beat it", names)
    assert english_sentences("정확도 0.91 (LogisticRegression, accuracy)", names) == []
    assert english_sentences("churn colour 열", names) == []


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM) as b:
        yield b


@pytest.mark.parametrize("name", ["binary", "image", "regression"])
def test_a_korean_report_has_no_english_sentence(browser, report_runs, tmp_path, name):
    run_dir = shutil.copytree(report_runs(name), tmp_path / name)
    summary_bytes = (run_dir / "summary.json").read_bytes()
    summary = json.loads(summary_bytes)

    english_page = render_report(run_dir, language="en")
    browser.load(english_page)
    english_keys = browser.evaluate(KEYS)
    english_text = browser.evaluate(TEXT)

    path = render_report(run_dir, language="ko")
    seen = browser.load(path)
    assert seen.console_errors == [], seen.console_errors
    text = browser.evaluate(TEXT)
    assert '<html lang="ko">' in path.read_text(encoding="utf-8")
    assert len(HANGUL.findall(text)) > 500, text[:1000]
    leftovers = english_sentences(text, run_names(summary))
    assert leftovers == [], "\n".join(leftovers[:40])

    # The same numbers, the same sections, and the run directory untouched.
    assert browser.evaluate(KEYS) == english_keys
    assert len(text.splitlines()) == pytest.approx(len(english_text.splitlines()), rel=0.1)
    assert (run_dir / "summary.json").read_bytes() == summary_bytes
