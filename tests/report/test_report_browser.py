"""report.html in a real headless Chromium: it loads offline with no console error, every image
decodes, the key numbers are those of summary.json, and both colour schemes read well.

Chromium comes from Debian's chromium package (scripts/system-deps installs it); the browser is
driven through the DevTools protocol over a pipe (tests/support/browser.py), so no Python package
is needed. A full-page screenshot of each report is kept under tests/artifacts/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import Browser, require_chromium
from PIL import Image

from dlpilot.report import render_report

pytestmark = pytest.mark.slow

CHROMIUM = require_chromium()

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
VIEWPORT = (1280, 900)  # a laptop screen
IMAGES = """Promise.all(Array.from(document.images).map(img => img.decode().then(
    () => ({src: img.src.slice(0, 30), w: img.naturalWidth, h: img.naturalHeight,
            shown: img.getBoundingClientRect().width}),
    e => ({src: img.src.slice(0, 30), w: 0, h: 0, error: String(e)}))))"""
KEYS = """Object.fromEntries(Array.from(document.querySelectorAll('[data-key]'))
    .map(e => [e.dataset.key, e.textContent]))"""
COLORS = """(() => {
    const s = getComputedStyle(document.body), r = getComputedStyle(document.documentElement);
    const muted = getComputedStyle(document.querySelector('.why') || document.body);
    return {fg: s.color, bg: r.backgroundColor, muted: muted.color};
})()"""


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM, width=VIEWPORT[0], height=VIEWPORT[1]) as b:
        yield b


@pytest.mark.parametrize("name", ["binary", "image"])
def test_report_in_chromium(browser, report_runs, name):
    run_dir = report_runs(name)
    summary = json.loads((run_dir / "summary.json").read_text())
    path = render_report(run_dir)

    browser.color_scheme("light")
    seen = browser.load(path)
    assert seen.console_errors == [], seen.console_errors
    # Offline: the page asks for nothing but itself and its inline data.
    outside = [u for u in seen.requests if not u.startswith(("data:", path.resolve().as_uri()))]
    assert outside == []

    images = browser.evaluate(IMAGES)
    failed = [i for i in images if not (i["w"] > 0 and i["h"] > 0)]
    assert failed == [], failed
    svgs = [i for i in images if i["src"].startswith("data:image/svg+xml")]
    assert len(svgs) == path.read_text().count('src="data:image/svg+xml') >= 6
    assert all(i["shown"] > 0 for i in images)
    if name == "image":
        pngs = [i for i in images if i["src"].startswith("data:image/png")]
        assert len(pngs) >= 9, "the sample images per class are missing"

    # Readable on a laptop: nothing wider than the window.
    assert browser.evaluate("document.documentElement.scrollWidth") <= VIEWPORT[0]

    primary = summary["metric"]["primary"]
    keys = browser.evaluate(KEYS)
    expected = {
        "test_score": summary["final"]["test"][primary],
        "val_score": summary["final"]["val"][primary],
        "common_sense": summary["baselines"]["common_sense"]["score"],
        "classical": summary["baselines"]["classical"]["score"],
        "trials": summary["tuning"]["trials"],
        "test_set_opened": summary["test_set_opened"],
    }
    assert set(keys) == set(expected)
    for key, value in expected.items():
        decimals = len(keys[key].split(".")[1]) if "." in keys[key] else 0
        assert abs(float(keys[key]) - value) <= 0.5 * 10**-decimals, (key, keys[key], value)
    assert keys["test_set_opened"] == "1"

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-{name}.png"
    width, height = browser.screenshot(shot)
    with Image.open(shot) as img:
        assert img.size == (width, height) and height > 3000
        assert len(img.convert("L").getcolors(1 << 16) or []) > 50, "a blank screenshot"
    light = browser.evaluate(COLORS)

    browser.color_scheme("dark")
    dark = browser.evaluate(COLORS)
    assert _luminance(dark["bg"]) < 0.1 < _luminance(light["bg"])
    for scheme in (light, dark):
        assert _contrast(scheme["fg"], scheme["bg"]) >= 7, scheme
        assert _contrast(scheme["muted"], scheme["bg"]) >= 4.5, scheme
    if name == "image":
        browser.screenshot(ARTIFACTS / f"report-{name}-dark.png")


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def _luminance(css: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
