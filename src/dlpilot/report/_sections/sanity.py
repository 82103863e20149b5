"""The sanity checks: stage 5's on its network before and after training it, and stage 7's on
its search (the best trial at the space's edge, the validation noise floor, the seed spread)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.core.messages import Translator, msg
from dlpilot.report import _plots as plots
from dlpilot.report._html import esc, figure, findings, fmt, note, para, stored_text, sub, table
from dlpilot.report._record import RunRecord
from dlpilot.report._sections.common import ENGLISH

# (check, the finding it raises, what a pass looks like in its decision's English text)
CHECKS = (
    (msg("loss at initialisation"), "bad_initial_loss", "loss at initialisation"),
    (msg("one batch overfit"), "cannot_overfit_batch", "overfit"),
    (msg("the inputs matter"), "inputs_carry_no_signal", "zeroed"),
)
# The prefix of stage 7's decision that widens the search, and its value's name.
WIDEN = "widen the search: "


def sanity_section(record: RunRecord) -> str:
    t = record.t
    stage = record.stage("baseline") or {}
    passed = [d for d in stage.get("decisions", []) if str(d.get("what", "")).startswith("sanity:")]
    flagged = [f for f in stage.get("findings", []) if f.get("code") in {c for _, c, _ in CHECKS}]
    if not passed and not flagged:
        return note(t("The run recorded no sanity checks (runs made before dlpilot ran them)."))
    rows = []
    for title, code, marker in CHECKS:
        decision = next((d for d in passed if marker in d.get("what", "")), None)
        finding = next((f for f in flagged if f.get("code") == code), None)
        if decision is not None:
            what = str(decision.get("what", ""))
            unsure = "inconclusive" in what or "within the noise" in what
            result = t("inconclusive (time or noise)") if unsure else t("passed")
            if what.endswith("not run"):
                result = t("not run (too little time)")
            rows.append([t(title), result, _numbers(decision.get("numbers") or {})])
        elif finding is not None:
            rows.append(
                [t(title), t("failed: {code}", code=code), stored_text(finding, "evidence", t)]
            )
        else:
            rows.append([t(title), t("not run"), ""])
    rows += _search_rows(record.stage("tune") or {}, t)
    flagged += [
        f for f in (record.stage("tune") or {}).get("findings", []) if f.get("code") == EDGE_CODE
    ]
    return (
        para(
            t(
                "Before trusting the baseline network, stage 5 checks what an expert checks first "
                "(Karpathy, 2019): that its loss at initialisation is what a head knowing nothing "
                "gives, that it can overfit one small batch, and that it does clearly better with "
                "the real inputs than with zeros. Stage 7 checks its search (the Deep Learning "
                "Tuning Playbook, 2023): whether the best trial sits at the edge of the space "
                "(then the range grows while time remains), how many trials are tied with the "
                "best within the validation score's sampling error, and whether a new seed moves "
                "the best configuration's score more than the search separated its two best."
            )
        )
        + table([t("check"), t("result"), t("numbers")], rows)
        + findings(flagged, t)
        + sub(t("What the network sees"), network_view(record.network_view, t), "network-view")
    )


def network_view(view: Mapping[str, Any], t: Translator = ENGLISH) -> str:
    """Check 7: a few training samples as read, as the first layer receives them (after the
    fitted preparation) and after the training augmentation: the place where a normalisation
    or augmentation bug shows."""
    if not view:
        return note(t("The run recorded no view of the network's inputs (runs made before it)."))
    stats = view.get("prepared_stats") or {}
    told = {
        "mean": fmt(stats.get("mean"), 3),
        "std": fmt(stats.get("std"), 3),
        "low": fmt(stats.get("min"), 3),
        "high": fmt(stats.get("max"), 3),
    }
    low, high = view.get("scale") or (-3, 3)
    verdict = (
        para(
            t(
                "The prepared inputs of these samples: mean {mean}, standard deviation {std}, "
                "from {low} to {high}: standardised, as the network expects.",
                **told,
            )
        )
        if view.get("standardised")
        else para(
            t(
                "Not standardised: the prepared inputs have mean {mean}, standard deviation "
                "{std}, from {low} to {high}, where the network expects mean about 0 and spread "
                "about 1. Check the preparation (scaling, the statistics it was fitted with) "
                "before trusting the training.",
                **told,
            ),
            "finding warning",
        )
    )
    modality = view.get("modality")
    if modality == "image":
        heads = [t("as read"), t("as the network receives it")]
        augment = view.get("augment") or []
        if any(it.get("augmented") for it in view.get("items", [])):
            heads.append(t("after augmentation ({augment})", augment=", ".join(augment)))
        rows = []
        for k, title in enumerate(heads):
            key = ("raw", "prepared", "augmented")[k]
            cells = "".join(
                f'<figure><img src="data:image/png;base64,{it[key]}" alt="{esc(title)}"></figure>'
                for it in view.get("items", [])
                if it.get(key)
            )
            rows.append(f'<div class="label">{esc(title)}</div><div class="row">{cells}</div>')
        return (
            para(
                t(
                    "Training samples in three forms. The prepared ones are drawn on a fixed "
                    "scale, {low} (black) to {high} (white) standard units with 0 grey, so inputs "
                    "off that scale show as white or flat grey instead of being stretched to look "
                    "right.",
                    low=fmt(low),
                    high=fmt(high),
                )
            )
            + verdict
            + f'<div class="samples network-view">{"".join(rows)}</div>'
        )
    if modality == "sequence":
        raw = [{"label": t("as read"), "items": [{"series": it["raw"]} for it in view["items"]]}]
        prepared = [
            {
                "label": t("as the network receives them"),
                "items": [{"series": it["prepared"]} for it in view["items"]],
            }
        ]
        return verdict + figure(
            plots.signal_samples(raw + prepared, t=t), t("Training samples, first channel.")
        )
    rows = view.get("rows") or []
    n_columns = int(view.get("n_columns") or 0)
    shown = min(n_columns, len(rows[0]) if rows else 0)
    return (
        para(
            t(
                "{n} training rows as the network receives them (the first {shown} of {total} "
                "input columns).",
                n=len(rows),
                shown=shown,
                total=n_columns,
            )
            if shown < n_columns
            else t("{n} training rows as the network receives them.", n=len(rows))
        )
        + verdict
        + table([f"x{j}" for j in range(shown)], [[fmt(v, 3) for v in r] for r in rows])
    )


EDGE_CODE = "best_at_search_edge"


def _search_rows(stage: Mapping[str, Any], t: Translator) -> list[list[str]]:
    decisions = stage.get("decisions", [])
    if not decisions:
        return []
    best = next((d for d in decisions if str(d.get("what", "")).startswith("best trial")), None)
    numbers = (best or {}).get("numbers") or {}
    widened = [d for d in decisions if str(d.get("what", "")).startswith(WIDEN)]
    edges = [f for f in stage.get("findings", []) if f.get("code") == EDGE_CODE]
    rows = []
    inside = t("best trial inside the search space")
    floor = t("validation noise floor")
    if best is None:
        rows.append([inside, t("not run (no trial completed)"), ""])
        rows.append([floor, t("not measured (no trial completed)"), ""])
    else:
        left = [f for f in edges if f.get("severity") == "warning"]
        if left:
            result = t("at the edge: {code}", code=EDGE_CODE)
        elif widened:
            result = t("passed after widening")
        elif int(numbers.get("completed") or 0) < int(numbers.get("edge_min_trials") or 0):
            result = t("not judged (fewer than {n} completed trials)", n=numbers["edge_min_trials"])
        else:
            result = t("passed")
        said = "; ".join(_widened(d, t) for d in widened)
        said_left = [
            t("widened {ranges}", ranges=said) if said else "",
            t("{n} edge(s) left", n=len(left)) if left else "",
        ]
        rows.append([inside, result, "; ".join(x for x in said_left if x)])
        noise = numbers.get("val_noise")
        ties = numbers.get("ties") or []
        rows.append(
            [
                floor,
                t("not measured")
                if noise is None
                else (
                    t("{n} trial(s) tied with the best", n=len(ties)) if ties else t("a clear best")
                ),
                ""
                if noise is None
                else t(
                    "standard error {noise:.4g}; best {best:.4g}",
                    noise=noise,
                    best=numbers.get("value", 0),
                ),
            ]
        )
    spread = next(
        (
            d
            for d in decisions
            if str(d.get("what", "")).startswith(
                ("seed spread", "the best configuration is a coin")
            )
        ),
        None,
    )
    if spread is not None:
        n = spread.get("numbers") or {}
        title = t("seed spread")
        if n.get("spread") is None:
            rows.append([title, t("not measured"), stored_text(spread, "why", t)])
        else:
            gap = n.get("gap")
            scores = ", ".join(f"{v:.4g}" for v in n.get("scores", []))
            rows.append(
                [
                    title,
                    t("coin flip") if n.get("coin_flip") else t("passed"),
                    t(
                        "scores {scores}; spread {spread:.4g}, gap to the second best {gap:.4g}",
                        scores=scores,
                        spread=n["spread"],
                        gap=gap,
                    )
                    if gap is not None
                    else t(
                        "scores {scores}; spread {spread:.4g}", scores=scores, spread=n["spread"]
                    ),
                ]
            )
    return rows


def _widened(decision: Mapping[str, Any], t: Translator) -> str:
    """The ranges a widening decision grew (its ``what`` less the prefix), in ``t``'s language
    when the stage stored the decision as a message with one value (the ranges)."""
    form = (decision.get("msg") or {}).get("what") or {}
    params = form.get("p") or {}
    if str(form.get("t", "")).startswith(WIDEN) and len(params) == 1:
        (ranges,) = params.values()
        return t(ranges) if isinstance(ranges, Mapping) else str(ranges)
    return str(decision["what"]).removeprefix(WIDEN)


def _numbers(numbers: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{k.replace('_', ' ')} {v:.4g}" if isinstance(v, float) else f"{k.replace('_', ' ')} {v}"
        for k, v in numbers.items()
    )
