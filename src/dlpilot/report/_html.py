"""Small HTML builders: every text is escaped here, so the renderer never forgets to."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dlpilot.core.messages import Translator
from dlpilot.core.records import severity_word
from dlpilot.report._plots import Plot

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def fmt(value: Any, digits: int = 4) -> str:
    """A number as the page shows it: fixed decimals, or significant digits when large."""
    if value is None or isinstance(value, bool):
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "—"
    if v != 0 and (abs(v) >= 1e5 or abs(v) < 10 ** -(digits - 1)):
        return f"{v:.{digits}g}"
    return f"{v:.{digits}f}"


def key_number(key: str, value: Any, label: str, note: str = "") -> str:
    """A headline number; ``data-key`` lets tests find it and compare it with summary.json."""
    return (
        f'<div class="kpi"><div class="kpi-label">{esc(label)}</div>'
        f'<div class="kpi-value" data-key="{esc(key)}">{esc(fmt(value))}</div>'
        + (f'<div class="kpi-note">{esc(note)}</div>' if note else "")
        + "</div>"
    )


def section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>\n{body}\n</section>'


def sub(title: str, body: str, anchor: str | None = None, *, level: int = 3) -> str:
    aid = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{aid}>{esc(title)}</h{level}>\n{body}"


def para(text: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{esc(text)}</p>"


def note(text: str) -> str:
    """A sentence standing in for something the run did not record."""
    return f'<p class="missing">{esc(text)}</p>'


def facts(rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(fmt(v) if isinstance(v, int | float) else v)}</td></tr>"
        for k, v in rows
        if v is not None and v != "" and v != []
    )
    return f'<table class="facts">{cells}</table>'


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    numeric: Sequence[int] = (),
    wrap: Sequence[int] = (),
    row_classes: Sequence[str] | None = None,
) -> str:
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(header)
    )
    body = []
    for r, row in enumerate(rows):
        cls = row_classes[r] if row_classes and row_classes[r] else ""
        tds = "".join(
            f'<td class="num">{esc(fmt(v))}</td>'
            if i in numeric
            else f'<td class="wrap">{esc(v)}</td>'
            if i in wrap
            else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        body.append(f'<tr class="{cls}">{tds}</tr>' if cls else f"<tr>{tds}</tr>")
    return (
        f'<div class="scroll"><table class="grid"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def figure(plot: Plot | None, caption: str = "") -> str:
    if plot is None:
        return ""
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="{plot.uri}" width="{plot.width}" height="{plot.height}" '
        f'alt="{esc(plot.alt)}">{cap}</figure>'
    )


def stored_text(item: Mapping[str, Any], name: str, t: Translator) -> str:
    """A decision's or finding's field ``name`` in ``t``'s language: its stored message
    (``item["msg"][name]``) when the stage recorded one, else the English text."""
    form = (item.get("msg") or {}).get(name)
    return t(form) if form else str(item.get(name, ""))


def decisions(items: Sequence[Mapping[str, Any]], t: Translator) -> str:
    if not items:
        return note(t("No decision was recorded."))
    out = []
    for d in items:
        numbers = d.get("numbers") or {}
        extra = ""
        if numbers:
            pairs = "".join(
                f"<dt>{esc(k)}</dt><dd>{esc(_number_text(d, v, t))}</dd>"
                for k, v in numbers.items()
            )
            extra = f"<details><summary>{esc(t('numbers'))}</summary><dl>{pairs}</dl></details>"
        out.append(
            f'<li><span class="what">{esc(stored_text(d, "what", t))}</span>'
            f'<span class="why"> — {esc(stored_text(d, "why", t))}</span>{extra}</li>'
        )
    return f'<ul class="decisions">{"".join(out)}</ul>'


def _number_text(decision: Mapping[str, Any], value: Any, t: Translator) -> str:
    """One of a decision's numbers as shown: data as it is, except a text that repeats the
    decision's own ``what`` or ``why`` (a stage's ``reason``), shown in the reader's language."""
    if isinstance(value, str) and value:
        for name in ("why", "what"):
            if value == decision.get(name):
                return stored_text(decision, name, t)
    return _compact(value)


def findings(items: Sequence[Mapping[str, Any]], t: Translator, *, none: str = "") -> str:
    """The findings, most severe first; ``none`` (already in the reader's language) stands in
    when there are none."""
    if not items:
        return note(none) if none else ""
    ordered = sorted(items, key=lambda f: SEVERITY_ORDER.get(str(f.get("severity")), 3))
    out = []
    for f in ordered:
        sev = str(f.get("severity", "info"))
        badge = severity_word(sev, t.language)
        out.append(
            f'<div class="finding {esc(sev)}"><span class="badge">{esc(badge)}</span> '
            f'<code>{esc(f.get("code", ""))}</code> <span class="stage">'
            f"{esc(t('stage {stage}', stage=f.get('stage', '')))}</span>"
            f"<p>{esc(stored_text(f, 'evidence', t))}</p>"
            f'<p class="action">→ {esc(stored_text(f, "action", t))}</p></div>'
        )
    return "".join(out)


def bullets(items: Iterable[str]) -> str:
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f"<ul>{lis}</ul>" if lis else ""


def _compact(value: Any, limit: int = 12) -> str:
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, list | tuple):
        shown = ", ".join(_compact(v) for v in value[:limit])
        return f"[{shown}{', …' if len(value) > limit else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_compact(v)}" for k, v in list(value.items())[:limit]) + "}"
    return str(value)


CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1c2330; --muted: #566070; --card: #f4f6f9; --border: #d5dbe4;
  --accent: #1f5bc6; --good: #17803a; --warn: #8a5a00; --bad: #c4262e; --row: #eef2f8;
  --mark: #fff3d6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11151b; --fg: #e5e9ef; --muted: #a3adbb; --card: #1a2029; --border: #313947;
    --accent: #86b0ff; --good: #5fd17f; --warn: #e0b34a; --bad: #ff8880; --row: #202835;
    --mark: #3a3120;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 40px 0 12px; padding-bottom: 6px;
     border-bottom: 2px solid var(--border); }
h3 { font-size: 1.1rem; margin: 28px 0 8px; }
h4 { font-size: 0.98rem; margin: 20px 0 6px; }
a { color: var(--accent); }
code { font: 0.9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.verdict { font-size: 1.05rem; background: var(--card); border-left: 4px solid var(--accent);
           padding: 10px 14px; border-radius: 4px; }
.verdict.bad { border-left-color: var(--bad); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
        margin: 16px 0; }
.kpi { background: var(--card); border: 1px solid var(--border); border-radius: 8px;
       padding: 10px 12px; }
.kpi-label { color: var(--muted); font-size: 0.82rem; }
.kpi-value { font-size: 1.45rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-note { color: var(--muted); font-size: 0.78rem; overflow-wrap: anywhere; }
nav.toc { background: var(--card); border: 1px solid var(--border); border-radius: 8px;
          padding: 8px 14px; }
nav.toc ol { margin: 4px 0; padding-left: 20px; columns: 2; }
table { border-collapse: collapse; }
table.facts th { text-align: left; color: var(--muted); font-weight: 500; padding: 3px 16px 3px 0;
                 vertical-align: top; white-space: nowrap; }
table.facts td { padding: 3px 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
table.grid { min-width: 50%; font-size: 0.9rem; margin: 6px 0 10px; }
table.grid th, table.grid td { border-bottom: 1px solid var(--border); padding: 5px 8px;
                               text-align: left; vertical-align: top; }
table.grid th { background: var(--card); font-weight: 600; }
table.grid th.num { text-align: right; }
table.grid td.wrap { font-size: 0.82rem; color: var(--muted); min-width: 18em; }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.grid tr.mark td { background: var(--mark); }
table.grid tr.chosen td:first-child { font-weight: 700; }
ul.decisions { padding-left: 18px; }
ul.decisions li { margin: 4px 0; }
ul.decisions .what { font-weight: 600; }
ul.decisions .why { color: var(--muted); }
details { display: inline; margin-left: 6px; font-size: 0.85rem; }
details summary { display: inline; cursor: pointer; color: var(--accent); }
details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
             margin: 4px 0 6px 12px; color: var(--muted); }
details dd { margin: 0; overflow-wrap: anywhere; }
.finding { border: 1px solid var(--border); border-left: 4px solid var(--muted);
           border-radius: 4px; padding: 6px 12px; margin: 8px 0; background: var(--card); }
.finding p { margin: 4px 0; }
.finding .action { color: var(--fg); }
.finding .stage { color: var(--muted); font-size: 0.85rem; }
.finding.warning { border-left-color: var(--warn); }
.finding.error { border-left-color: var(--bad); }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 700; text-transform: uppercase;
         letter-spacing: 0.03em; padding: 0 6px; border-radius: 3px; color: var(--bg);
         background: var(--muted); }
.warning .badge { background: var(--warn); }
.error .badge { background: var(--bad); }
figure { margin: 12px 0 18px; }
figure img { display: block; max-width: 100%; height: auto; background: #ffffff;
             border: 1px solid var(--border); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 4px; }
.samples { display: grid; grid-template-columns: max-content 1fr; gap: 8px 14px;
           align-items: center; }
.samples .label { font-weight: 600; overflow-wrap: anywhere; max-width: 14em; }
.samples .row { display: flex; flex-wrap: wrap; gap: 6px; }
.samples figure { margin: 0; }
.samples img { width: 72px; height: 72px; object-fit: contain; image-rendering: pixelated;
               background: #000000; border-radius: 3px; }
.samples figcaption { font-size: 0.72rem; text-align: center; max-width: 72px; }
.texts li { margin: 3px 0; }
.texts .label { font-weight: 600; }
.missing { color: var(--muted); font-style: italic; }
.good { color: var(--good); } .bad { color: var(--bad); }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem;
         border-top: 1px solid var(--border); padding-top: 10px; }
@media (max-width: 700px) { body { padding: 14px; } nav.toc ol { columns: 1; } }
@media print { details { display: block; } }
"""
