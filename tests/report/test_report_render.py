"""The renderer without a browser: every task renders every section from the run directory alone."""

from __future__ import annotations

import base64
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from dlpilot.report import render_report
from dlpilot.report._record import read_record
from dlpilot.report.render import build_page

pytestmark = pytest.mark.slow

SECTIONS = ("problem", "metric", "data", "baselines", "sanity", "stages", "result", "budget")
STAGE_ANCHORS = ("stage-baseline", "stage-scale", "stage-tune", "stage-final", "next")
VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr", "col", "area", "base"}
TASKS = ("binary", "image", "regression", "vector_regression", "multilabel")
EXPECTED_TASK = {
    "binary": "binary",
    "image": "multiclass",
    "regression": "regression",
    "vector_regression": "vector_regression",
    "multilabel": "multilabel",
}
# Plots each task must show, by their alt text.
EXPECTED_PLOTS = {
    "binary": ["class balance", "confusion matrix", "ROC and precision–recall", "learning rate"],
    "image": ["class balance", "confusion matrix", "learning rate"],
    "regression": ["distribution of the target", "predicted against actual"],
    "vector_regression": ["distribution of the target", "predicted against actual"],
    "multilabel": ["class balance", "average precision per label", "sample signals"],
}


class Page(HTMLParser):
    """Collects what the tests check; fails on a closing tag that does not match."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.keys: dict[str, str] = {}
        self._key: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        if a.get("data-key"):
            self._key = a["data-key"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._key:
            self.keys[self._key] = data.strip()
            self._key = None


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed tags {page.stack}"
    return page


@pytest.fixture(scope="module")
def rendered(report_runs):
    cache = {}

    def get(name):
        if name not in cache:
            run_dir = report_runs(name)
            path = render_report(run_dir)
            html = path.read_text()
            cache[name] = (run_dir, html, parse(html))
        return cache[name]

    return get


@pytest.mark.parametrize("name", TASKS)
def test_every_task_renders_every_section_self_contained(rendered, name):
    run_dir, html, page = rendered(name)
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["problem"]["task"] == EXPECTED_TASK[name]
    for anchor in (*SECTIONS, *STAGE_ANCHORS):
        assert anchor in page.ids, f"section #{anchor} missing"
    # The three sanity checks ran and passed on these sound pipelines, each with its numbers.
    checks = [d for st in summary["stages"] if st["name"] == "baseline" for d in st["decisions"]]
    assert sum(d["what"].startswith("sanity:") for d in checks) == 3
    for title in ("loss at initialisation", "one batch overfit", "the inputs matter"):
        assert title in html
    assert "initial loss" in html and "expected" in html
    # Check 7: the network's inputs as it receives them, written by the run itself.
    assert "network-view" in page.ids and (run_dir / "network_view.json").exists()
    view = json.loads((run_dir / "network_view.json").read_text())
    assert view["standardised"] or view["modality"] == "text"
    # Stage 7's checks of its search follow, each with its result.
    for title in ("best trial inside the search space", "validation noise floor"):
        assert title in html
    tuning = summary["tuning"]
    if tuning["best_trial"] is not None and tuning["val_noise"] is not None:
        assert f"standard error {tuning['val_noise']:.4g}" in html
    # Self-contained: no script, every link an in-page anchor, every source a data URI.
    assert not [t for t, _ in page.tags if t in ("script", "iframe", "object", "link")]
    for _, attrs in page.tags:
        if attrs.get("href"):
            assert attrs["href"].startswith("#"), attrs["href"]
            assert attrs["href"][1:] in page.ids
        if attrs.get("src"):
            assert attrs["src"].startswith("data:image/"), attrs["src"][:60]
    assert not re.search(r"https?://", html), "an external URL in the page"
    assert "prefers-color-scheme: dark" in html
    # Every plot is a well-formed SVG of non-zero size.
    alts = []
    for tag, attrs in page.tags:
        if tag == "img" and attrs["src"].startswith("data:image/svg+xml;base64,"):
            svg = ET.fromstring(base64.b64decode(attrs["src"].split(",", 1)[1]))
            assert float(svg.get("width").rstrip("pt")) > 0
            assert float(svg.get("height").rstrip("pt")) > 0
            alts.append(attrs["alt"])
    for wanted in EXPECTED_PLOTS[name]:
        assert any(wanted in a for a in alts), f"no plot of {wanted!r} in {alts}"
    assert any("Baseline network" in a for a in alts)
    assert any("tuning" in a for a in alts) or "No tuning trial completed" in html


@pytest.mark.parametrize("name", TASKS)
def test_key_numbers_are_those_of_the_summary(rendered, name):
    run_dir, _, page = rendered(name)
    s = json.loads((run_dir / "summary.json").read_text())
    primary = s["metric"]["primary"]
    expected = {
        "test_score": s["final"]["test"][primary],
        "val_score": s["final"]["val"][primary],
        "common_sense": s["baselines"]["common_sense"]["score"],
        "classical": s["baselines"]["classical"]["score"],
        "trials": s["tuning"]["trials"],
        "test_set_opened": s["test_set_opened"],
    }
    assert set(page.keys) == set(expected)
    for key, value in expected.items():
        assert_shown(page.keys[key], value, key)
    assert s["test_set_opened"] == 1


def assert_shown(text: str, value, key: str) -> None:
    shown = float(text.replace(",", ""))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    tolerance = 0.5 * 10**-decimals if "e" not in text else abs(value) * 1e-3
    assert abs(shown - float(value)) <= tolerance + 1e-12, f"{key}: page {text}, summary {value}"


def test_the_scale_ladder_marks_the_overfitting_point(rendered):
    run_dir, html, _ = rendered("binary")
    s = json.loads((run_dir / "summary.json").read_text())
    ladder = s["scale"]["ladder"]
    rows = re.findall(r"<tr[^>]*>(?:(?!</tr>).)*</tr>", html.split('id="stage-scale"')[1])
    body = [r for r in rows if "<td" in r][: len(ladder)]
    assert len(body) == len(ladder)
    if s["scale"]["overfit_step"] is not None:
        marked = [r for r in body if 'class="mark' in r]
        assert (
            len(marked) == 1 and f"overfits from epoch {s['scale']['overfit_epoch']}" in marked[0]
        )
    else:
        assert "No step overfit" in html


def test_image_report_shows_samples_per_class(rendered):
    run_dir, html, page = rendered("image")
    view = json.loads((run_dir / "data_view.json").read_text())
    groups = view["samples"]["groups"]
    assert [g["label"] for g in groups] == ["circle", "cross", "square"]
    pngs = [a["src"] for t, a in page.tags if t == "img" and a["src"].startswith("data:image/png")]
    # The samples per class, then the network's view: each sample as read, as received and,
    # with augmentation, augmented.
    network = json.loads((run_dir / "network_view.json").read_text())["items"]
    in_view = sum(1 for it in network for k in ("raw", "prepared", "augmented") if it.get(k))
    assert len(pngs) == sum(len(g["items"]) for g in groups) + in_view
    assert sum(len(g["items"]) for g in groups) >= 3 * 3 and in_view >= 2 * len(network)
    for g in groups:
        assert f'<div class="label">{g["label"]}</div>' in html


def test_tabular_report_summarizes_features_without_the_test_set(rendered):
    run_dir, html, _ = rendered("binary")
    s = json.loads((run_dir / "summary.json").read_text())
    view = json.loads((run_dir / "data_view.json").read_text())
    names = [c["name"] for c in view["features"]["columns"]]
    assert names == s["problem"]["feature_columns"]
    # The data view reads the development set only: all samples but the sealed test set.
    assert view["n_development"] == s["problem"]["n_samples"] - s["protocol"]["n_test"]
    age = next(c for c in view["features"]["columns"] if c["name"] == "age")
    assert 0.02 < age["missing"] < 0.08 and 30 < age["mean"] < 50
    colour = next(c for c in view["features"]["columns"] if c["name"] == "colour")
    assert {k for k, _ in colour["top"]} == {"red", "green", "blue"}
    for name in names:
        assert f"<td>{name}</td>" in html


def test_rebuilding_gives_the_same_page(rendered):
    run_dir, html, _ = rendered("regression")
    assert render_report(run_dir).read_text() == html


def test_missing_pieces_become_sentences(rendered, tmp_path):
    run_dir, _, _ = rendered("regression")
    bare = tmp_path / "bare"
    shutil.copytree(run_dir, bare, ignore=shutil.ignore_patterns("checkpoints", "model"))
    for name in ("evaluation.json", "data_view.json", "state/tune.json", "state/scale.json"):
        (bare / name).unlink()
    shutil.rmtree(bare / "histories")
    s = json.loads((bare / "summary.json").read_text())
    s["tuning"] = {"trials": 3, "complete": 0, "pruned": 2, "failed": 1, "best_trial": None}
    s["scale"] = {"ladder": [], "overfit_step": None, "overfit_epoch": None, "chosen": None}
    s["final"]["test"] = {}
    (bare / "summary.json").write_text(json.dumps(s))
    html = render_report(bare).read_text()
    page = parse(html)
    for anchor in SECTIONS:
        assert anchor in page.ids
    for sentence in (
        "No tuning trial completed",
        "The run recorded no test-set details",
        "The run recorded no scale-up ladder",
        "No history was recorded for baseline network",
        "The run recorded no target distribution",
        "The run recorded no test score",
    ):
        assert sentence in html, sentence
    assert page.keys["test_score"] == "—"


def _write_contract_summary(folder, final):
    """A summary.json with only the contract's keys, and ``final`` as its final section."""
    s = {
        "dlpilot_version": "0.1.0",
        "source": "x.csv",
        "problem": {"task": "binary", "modality": "tabular"},
        "metric": {"primary": "f1", "greater_is_better": True},
        "protocol": {"kind": "holdout"},
        "baselines": {},
        "stages": [],
        "findings": [],
        "final": final,
        "budget": {},
    }
    (folder / "summary.json").write_text(json.dumps(s))


def test_a_summary_with_only_the_contract_renders(tmp_path):
    _write_contract_summary(tmp_path, {})
    page = parse(build_page(read_record(tmp_path)))
    assert set(SECTIONS) <= page.ids


def test_text_from_the_run_is_escaped(rendered, tmp_path):
    run_dir, _, _ = rendered("regression")
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("checkpoints", "model"))
    s = json.loads((copy / "summary.json").read_text())
    s["source"] = s["dataset"] = "<script>alert(1)</script>"
    s["findings"].append(
        {"code": "x", "severity": "warning", "stage": "final", "evidence": "<b>", "action": "a&b"}
    )
    (copy / "summary.json").write_text(json.dumps(s))
    html = render_report(copy).read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    parse(html)


def test_rendering_leaves_the_callers_matplotlib_settings_alone(rendered):
    import matplotlib

    run_dir, _, _ = rendered("regression")
    before = (dict(matplotlib.rcParams), matplotlib.get_backend())
    render_report(run_dir)
    assert (dict(matplotlib.rcParams), matplotlib.get_backend()) == before


@pytest.mark.parametrize(
    ("approach", "sentence"),
    [
        ("fold_ensemble", "The final model was not retrained"),
        ("best_trial_model", "The final model was not retrained"),
        ("retrain_on_train_and_val", "The final training left no history."),
    ],
)
def test_a_final_model_without_a_curve_says_why(tmp_path, approach, sentence):
    _write_contract_summary(tmp_path, {"approach": approach})
    page = build_page(read_record(tmp_path))
    assert sentence in page
    other = {"The final model was not retrained", "The final training left no history."}
    assert not any(o in page for o in other - {sentence})
