"""Check 7, "look at what the network sees" (issue 16): a few training samples as read, as the
first layer receives them and after augmentation. A batch whose normalisation is wrong must
be visible as such: its prepared images turn white on the fixed standard-unit scale, and the
report says they are not standardised. Checked in headless Chromium, pixel by pixel.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from browser import Browser, find_chromium

from dlpilot.core.enums import Modality, Task
from dlpilot.core.records import ProblemSpec
from dlpilot.report import render_report, write_network_view
from dlpilot.report._record import read_record
from dlpilot.report._sections.sanity import network_view

pytestmark = pytest.mark.slow

SPEC = ProblemSpec(
    task=Task.MULTICLASS,
    modality=Modality.IMAGE,
    n_samples=8,
    n_features=256,
    input_shape=(1, 16, 16),
    target_names=("y",),
    class_names=("a", "b"),
)
# Per prepared image: its mean brightness (0–255) and the share of pure-white pixels.
PIXELS = """Array.from(document.querySelectorAll('.network-view .row')).map(row =>
    Array.from(row.querySelectorAll('img')).map(img => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let sum = 0, white = 0;
        for (let i = 0; i < d.length; i += 4) { sum += d[i]; if (d[i] >= 250) white++; }
        const n = d.length / 4;
        return {mean: sum / n, white: white / n};
    }))"""


def _raw() -> np.ndarray:
    """Eight 16×16 grey images on 0–255: a gradient, a square and noise."""
    rng = np.random.default_rng(0)
    ramp = np.linspace(0, 255, 16)[None, :].repeat(16, 0)
    images = []
    for k in range(8):
        img = 0.6 * ramp + 0.4 * rng.uniform(0, 255, (16, 16))
        img[4 + k % 4 : 10, 3:9] = 255 - 40 * k
        images.append(img)
    return np.clip(np.stack(images)[:, None], 0, 255)


def _write(run_dir, prepared: np.ndarray) -> None:
    raw = _raw()
    write_network_view(run_dir, raw=raw, prepared=prepared, augmented=None, augment=[], spec=SPEC)


def test_the_view_says_whether_the_prepared_inputs_are_standardised(tmp_path):
    raw = _raw()
    _write(tmp_path, (raw - raw.mean()) / raw.std())
    good = read_record_view(tmp_path)
    assert good["standardised"] and abs(good["prepared_stats"]["mean"]) < 1e-3
    assert "Not standardised" not in network_view(good)
    _write(tmp_path, raw)  # the normalisation forgotten: pixels 0–255 reach the network
    bad = read_record_view(tmp_path)
    assert not bad["standardised"] and bad["prepared_stats"]["mean"] > 100
    assert "Not standardised" in network_view(bad)


def read_record_view(path):
    return json.loads((path / "network_view.json").read_text())


CHROMIUM = find_chromium()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: run scripts/system-deps")
def test_wrong_normalisation_is_visible_in_chromium(report_runs, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(report_runs("image"), run_dir)
    raw = _raw()
    seen = {}
    with Browser(CHROMIUM, width=1280, height=900) as browser:
        for name, prepared in (
            ("right", (raw - raw.mean()) / raw.std()),
            ("wrong", raw),  # not normalised
            ("doubled", (raw - raw.mean()) / raw.std() / raw.std()),  # divided twice
        ):
            _write(run_dir, prepared)
            page = render_report(run_dir)
            load = browser.load(page)
            assert load.console_errors == []
            rows = browser.evaluate(PIXELS)
            assert len(rows) == 2 and all(len(r) == 8 for r in rows)  # as read, as received
            text = browser.evaluate(
                "document.querySelector('#network-view').parentElement.innerText"
            )
            seen[name] = (rows[1], "Not standardised" in text)
    right, right_warned = seen["right"]
    assert not right_warned
    # Standardised images use the scale: mid-grey on average, a few white pixels at most.
    assert all(40 < img["mean"] < 215 and img["white"] < 0.2 for img in right)
    wrong, wrong_warned = seen["wrong"]
    assert wrong_warned
    assert all(img["white"] > 0.9 for img in wrong)  # un-normalised pixels saturate to white
    doubled, doubled_warned = seen["doubled"]
    assert doubled_warned
    assert all(abs(img["mean"] - 128) < 4 for img in doubled)  # flat grey: no contrast left
    assert read_record(run_dir).network_view["modality"] == "image"
