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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import DEFAULT_LANGUAGE, Text, Translator, msg, render
from dlpilot.core.rundir import SUMMARY_FILE
from dlpilot.report._html import esc

# Metrics that are a share of the samples, whose noise is binomial.
PROPORTIONS = frozenset({"accuracy", "balanced_accuracy"})
Z_95 = 1.96


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a field, each run's value, and whether they differ.

    ``field`` and ``values`` are the English text (the JSON keeps them); ``name`` and
    ``texts`` are the same as messages, for `label` and `shown` in another language.
    """

    field: str
    values: tuple[str, ...]
    name: Text = ""
    texts: tuple[Text, ...] = ()

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1

    def label(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The field's name in ``language``."""
        return render(self.name or self.field, language)

    def shown(self, language: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
        """Each run's value in ``language``."""
        return tuple(render(v, language) for v in (self.texts or self.values))


@dataclass(frozen=True)
class Comparison:
    runs: tuple[str, ...]
    rows: tuple[Row, ...]
    summaries: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON: English, whatever the language (like summary.json)."""
        return {
            "runs": list(self.runs),
            "rows": [
                {"field": r.field, "values": list(r.values), "differs": r.differs}
                for r in self.rows
            ],
            "differs": [r.field for r in self.rows if r.differs],
        }

    def table(self, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, tuple[str, ...], bool]]:
        """The rows as a reader reads them in ``language``: (field, values, differs)."""
        return [(r.label(language), r.shown(language), r.differs) for r in self.rows]

    def to_html(self, language: str = DEFAULT_LANGUAGE) -> str:
        t = Translator(language)
        head = "".join(f"<th>{esc(r)}</th>" for r in self.runs)
        body = "".join(
            f'<tr class="{"differs" if differs else ""}"><th>{esc(name)}</th>'
            + "".join(f"<td>{esc(v)}</td>" for v in values)
            + "</tr>"
            for name, values, differs in self.table(t.language)
        )
        return (
            f'<!doctype html><html lang="{esc(t.language)}"><head><meta charset="utf-8">'
            f"<title>{esc(t('dlpilot: runs compared'))}</title><style>"
            "body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
            "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}"
            "tr.differs{background:#fff5d6}</style></head><body>"
            f"<h1>{esc(t('Runs compared'))}</h1>"
            f"<p>{esc(t('Highlighted rows differ between the runs.'))}</p>"
            f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
            "</body></html>"
        )


def read_summary(run_dir: str | Path) -> dict[str, Any]:
    path = Path(run_dir) / SUMMARY_FILE
    if not path.is_file():
        raise ConfigError(
            msg(
                "'{run_dir}' holds no {summary}: give the directory of a finished run.",
                run_dir=str(run_dir),
                summary=SUMMARY_FILE,
            )
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            msg("Cannot read '{path}': {error}.", path=str(path), error=str(exc))
        ) from None


def compare_runs(run_dirs: Sequence[str | Path], *, force: bool = False) -> Comparison:
    """The runs in ``run_dirs`` side by side; a `ConfigError` when they are fewer than two,
    or of different datasets or metrics and ``force`` is not given."""
    if len(run_dirs) < 2:
        raise ConfigError(msg("Give at least two run directories to compare."))
    summaries = tuple(read_summary(d) for d in run_dirs)
    if not force:
        for what, key in (("datasets", _dataset), ("metrics", _metric)):
            seen = {key(s) for s in summaries}
            if len(seen) > 1:
                listed = ", ".join(sorted(seen))
                raise ConfigError(
                    msg(
                        "These runs are of different datasets ({seen}): their scores are no "
                        "evidence about each other. Pass --force to line them up anyway.",
                        seen=listed,
                    )
                    if what == "datasets"
                    else msg(
                        "These runs are of different metrics ({seen}): their scores are no "
                        "evidence about each other. Pass --force to line them up anyway.",
                        seen=listed,
                    )
                )
    names = tuple(_unique_names(run_dirs))
    rows = []
    for name, get in _FIELDS:
        texts = tuple(get(s) for s in summaries)
        rows.append(Row(str(name), tuple(str(v) for v in texts), name, texts))
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


def _score(s: dict[str, Any], split: str) -> Text:
    final = s.get("final") or {}
    value = (final.get(split) or {}).get(_metric(s))
    if value is None:
        if split == "test" and final.get("test_labelled") is False:
            return msg("unknown (test file without labels)")
        return "—"
    if split == "test":
        n = final.get("n_test")
        if _metric(s) in PROPORTIONS and n:
            half = Z_95 * math.sqrt(max(value * (1 - value), 0.25 / n) / n)
            return msg("{value:.4f} ± {half:.4f} (95%, {n:,} samples)", value=value, half=half, n=n)
        return msg("{value:.4f} ({n:,} samples)", value=value, n=n) if n else f"{value:.4f}"
    return f"{value:.4f}"


def _protocol(s: dict[str, Any]) -> Text:
    p = s.get("protocol") or {}
    kind = str(p.get("kind", "?"))
    folds, repeats = p.get("folds"), p.get("repeats")
    if folds and folds > 1:
        if repeats and repeats > 1:
            return msg(
                "{kind} ({folds} folds × {repeats})", kind=kind, folds=folds, repeats=repeats
            )
        return msg("{kind} ({folds} folds)", kind=kind, folds=folds)
    return kind


def _config(s: dict[str, Any]) -> Text:
    model = ((s.get("final") or {}).get("config") or {}).get("model") or {}
    arch = model.get("architecture", "?")
    if model.get("depth") in (None, 0):
        return str(arch)
    return msg(
        "{arch} depth {depth} width {width}",
        arch=arch,
        depth=model.get("depth"),
        width=model.get("width"),
    )


def _budget(s: dict[str, Any]) -> Text:
    b = s.get("budget") or {}
    used, limit = b.get("used_seconds"), b.get("limit_seconds")
    return msg("{used} of {limit} s", used=_fmt(used), limit=_fmt(limit)) if limit else "—"


def _findings(s: dict[str, Any]) -> Text:
    codes = sorted({f.get("code", "?") for f in s.get("findings") or []})
    return ", ".join(codes) or msg("none")


# Each row: its name (a message; its English text is the JSON's "field") and how to read it.
_FIELDS: tuple[tuple[Text, Callable[[dict[str, Any]], Text]], ...] = (
    (msg("dataset"), _dataset),
    (msg("task"), lambda s: _fmt((s.get("problem") or {}).get("task"))),
    (msg("modality"), lambda s: _fmt((s.get("problem") or {}).get("modality"))),
    (msg("metric"), _metric),
    (msg("protocol"), _protocol),
    (msg("test score"), lambda s: _score(s, "test")),
    (msg("validation score"), lambda s: _score(s, "val")),
    (
        msg("common-sense baseline"),
        lambda s: _fmt(((s.get("baselines") or {}).get("common_sense") or {}).get("score")),
    ),
    (
        msg("classical baseline"),
        lambda s: _fmt(((s.get("baselines") or {}).get("classical") or {}).get("score")),
    ),
    (msg("budget used"), _budget),
    (msg("final model"), lambda s: _fmt((s.get("final") or {}).get("approach"))),
    (msg("shipped"), lambda s: _fmt(((s.get("final") or {}).get("choice") or {}).get("shipped"))),
    (msg("final configuration"), _config),
    (msg("seed"), lambda s: _fmt((s.get("options") or {}).get("seed"))),
    (msg("findings"), _findings),
    ("dlpilot", lambda s: _fmt(s.get("dlpilot_version"))),
)
