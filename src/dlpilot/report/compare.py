"""Several runs side by side: what each set out to do, what it shipped, how it scored.

`dlpilot compare RUN_A RUN_B …` reads each run's ``summary.json`` and lines up the problem,
the metric, the protocol, the scores with their sampling noise, the budget, the final
configuration and the findings, marking the rows where the runs differ. Runs of different
datasets or metrics do not compare (a score on one is no evidence about the other), so they
are refused unless forced.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlpilot.core.errors import ConfigError
from dlpilot.core.rundir import SUMMARY_FILE
from dlpilot.report._html import esc

# Metrics that are a share of the samples, whose noise is binomial.
PROPORTIONS = frozenset({"accuracy", "balanced_accuracy"})
Z_95 = 1.96


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a field, each run's value, and whether they differ."""

    field: str
    values: tuple[str, ...]

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


@dataclass(frozen=True)
class Comparison:
    runs: tuple[str, ...]
    rows: tuple[Row, ...]
    summaries: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "runs": list(self.runs),
            "rows": [
                {"field": r.field, "values": list(r.values), "differs": r.differs}
                for r in self.rows
            ],
            "differs": [r.field for r in self.rows if r.differs],
        }

    def to_html(self) -> str:
        head = "".join(f"<th>{esc(r)}</th>" for r in self.runs)
        body = "".join(
            f'<tr class="{"differs" if r.differs else ""}"><th>{esc(r.field)}</th>'
            + "".join(f"<td>{esc(v)}</td>" for v in r.values)
            + "</tr>"
            for r in self.rows
        )
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>dlpilot: runs compared</title><style>"
            "body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
            "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}"
            "tr.differs{background:#fff5d6}</style></head><body>"
            "<h1>Runs compared</h1><p>Highlighted rows differ between the runs.</p>"
            f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
            "</body></html>"
        )


def read_summary(run_dir: str | Path) -> dict[str, Any]:
    path = Path(run_dir) / SUMMARY_FILE
    if not path.is_file():
        raise ConfigError(
            f"'{run_dir}' holds no {SUMMARY_FILE}: give the directory of a finished run."
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Cannot read '{path}': {exc}.") from None


def compare_runs(run_dirs: Sequence[str | Path], *, force: bool = False) -> Comparison:
    """The runs in ``run_dirs`` side by side; a `ConfigError` when they are fewer than two,
    or of different datasets or metrics and ``force`` is not given."""
    if len(run_dirs) < 2:
        raise ConfigError("Give at least two run directories to compare.")
    summaries = tuple(read_summary(d) for d in run_dirs)
    if not force:
        for what, key in (("datasets", _dataset), ("metrics", _metric)):
            seen = {key(s) for s in summaries}
            if len(seen) > 1:
                raise ConfigError(
                    f"These runs are of different {what} ({', '.join(sorted(seen))}): their "
                    "scores are no evidence about each other. Pass --force to line them up "
                    "anyway."
                )
    names = tuple(_unique_names(run_dirs))
    rows = [Row(field, tuple(get(s) for s in summaries)) for field, get in _FIELDS]
    return Comparison(runs=names, rows=tuple(rows), summaries=summaries)


def _unique_names(run_dirs: Sequence[str | Path]) -> list[str]:
    names = [Path(d).name or str(d) for d in run_dirs]
    if len(set(names)) == len(names):
        return names
    return [str(d) for d in run_dirs]


def _dataset(s: dict[str, Any]) -> str:
    return str(s.get("dataset") or s.get("source") or "?")


def _metric(s: dict[str, Any]) -> str:
    return str((s.get("metric") or {}).get("primary") or "?")


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _score(s: dict[str, Any], split: str) -> str:
    final = s.get("final") or {}
    value = (final.get(split) or {}).get(_metric(s))
    if value is None:
        if split == "test" and final.get("test_labelled") is False:
            return "unknown (test file without labels)"
        return "—"
    if split == "test":
        n = final.get("n_test")
        if _metric(s) in PROPORTIONS and n:
            half = Z_95 * math.sqrt(max(value * (1 - value), 0.25 / n) / n)
            return f"{value:.4f} ± {half:.4f} (95%, {n:,} samples)"
        return f"{value:.4f} ({n:,} samples)" if n else f"{value:.4f}"
    return f"{value:.4f}"


def _protocol(s: dict[str, Any]) -> str:
    p = s.get("protocol") or {}
    kind = str(p.get("kind", "?"))
    folds, repeats = p.get("folds"), p.get("repeats")
    if folds and folds > 1:
        kind += f" ({folds} folds" + (f" × {repeats}" if repeats and repeats > 1 else "") + ")"
    return kind


def _config(s: dict[str, Any]) -> str:
    model = ((s.get("final") or {}).get("config") or {}).get("model") or {}
    arch = model.get("architecture", "?")
    if model.get("depth") in (None, 0):
        return str(arch)
    return f"{arch} depth {model.get('depth')} width {model.get('width')}"


def _budget(s: dict[str, Any]) -> str:
    b = s.get("budget") or {}
    used, limit = b.get("used_seconds"), b.get("limit_seconds")
    return f"{_fmt(used)} of {_fmt(limit)} s" if limit else "—"


def _findings(s: dict[str, Any]) -> str:
    codes = sorted({f.get("code", "?") for f in s.get("findings") or []})
    return ", ".join(codes) or "none"


_FIELDS = (
    ("dataset", _dataset),
    ("task", lambda s: _fmt((s.get("problem") or {}).get("task"))),
    ("modality", lambda s: _fmt((s.get("problem") or {}).get("modality"))),
    ("metric", _metric),
    ("protocol", _protocol),
    ("test score", lambda s: _score(s, "test")),
    ("validation score", lambda s: _score(s, "val")),
    (
        "common-sense baseline",
        lambda s: _fmt(((s.get("baselines") or {}).get("common_sense") or {}).get("score")),
    ),
    (
        "classical baseline",
        lambda s: _fmt(((s.get("baselines") or {}).get("classical") or {}).get("score")),
    ),
    ("budget used", _budget),
    ("final model", lambda s: _fmt((s.get("final") or {}).get("approach"))),
    ("shipped", lambda s: _fmt(((s.get("final") or {}).get("choice") or {}).get("shipped"))),
    ("final configuration", _config),
    ("seed", lambda s: _fmt((s.get("options") or {}).get("seed"))),
    ("findings", _findings),
    ("dlpilot", lambda s: _fmt(s.get("dlpilot_version"))),
)
