"""The sanity checks: stage 5's on its network before and after training it, and stage 7's on
its search (the best trial at the space's edge, the validation noise floor, the seed spread)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.report import _plots as plots
from dlpilot.report._html import esc, figure, findings, fmt, note, para, sub, table
from dlpilot.report._record import RunRecord

# (check, the finding it raises, what a pass looks like in its decision)
CHECKS = (
    ("loss at initialisation", "bad_initial_loss", "loss at initialisation"),
    ("one batch overfit", "cannot_overfit_batch", "overfit"),
    ("the inputs matter", "inputs_carry_no_signal", "zeroed"),
)


def sanity_section(record: RunRecord) -> str:
    stage = record.stage("baseline") or {}
    passed = [d for d in stage.get("decisions", []) if str(d.get("what", "")).startswith("sanity:")]
    flagged = [f for f in stage.get("findings", []) if f.get("code") in {c for _, c, _ in CHECKS}]
    if not passed and not flagged:
        return note("The run recorded no sanity checks (runs made before dlpilot ran them).")
    rows = []
    for title, code, marker in CHECKS:
        decision = next((d for d in passed if marker in d.get("what", "")), None)
        finding = next((f for f in flagged if f.get("code") == code), None)
        if decision is not None:
            what = str(decision.get("what", ""))
            unsure = "inconclusive" in what or "within the noise" in what
            result = "inconclusive (time or noise)" if unsure else "passed"
            if what.endswith("not run"):
                result = "not run (too little time)"
            rows.append([title, result, _numbers(decision.get("numbers") or {})])
        elif finding is not None:
            rows.append([title, f"failed: {code}", finding.get("evidence", "")])
        else:
            rows.append([title, "not run", ""])
    rows += _search_rows(record.stage("tune") or {})
    flagged += [
        f for f in (record.stage("tune") or {}).get("findings", []) if f.get("code") == EDGE_CODE
    ]
    return (
        para(
            "Before trusting the baseline network, stage 5 checks what an expert checks first "
            "(Karpathy, 2019): that its loss at initialisation is what a head knowing nothing "
            "gives, that it can overfit one small batch, and that it does clearly better with "
            "the real inputs than with zeros. Stage 7 checks its search (the Deep Learning "
            "Tuning Playbook, 2023): whether the best trial sits at the edge of the space "
            "(then the range grows while time remains), how many trials are tied with the best "
            "within the validation score's sampling error, and whether a new seed moves the "
            "best configuration's score more than the search separated its two best."
        )
        + table(["check", "result", "numbers"], rows)
        + findings(flagged)
        + sub("What the network sees", network_view(record.network_view), "network-view")
    )


def network_view(view: Mapping[str, Any]) -> str:
    """Check 7: a few training samples as read, as the first layer receives them (after the
    fitted preparation) and after the training augmentation: the place where a normalisation
    or augmentation bug shows."""
    if not view:
        return note("The run recorded no view of the network's inputs (runs made before it).")
    stats = view.get("prepared_stats") or {}
    told = (
        f"mean {fmt(stats.get('mean'), 3)}, standard deviation {fmt(stats.get('std'), 3)}, "
        f"from {fmt(stats.get('min'), 3)} to {fmt(stats.get('max'), 3)}"
    )
    low, high = view.get("scale") or (-3, 3)
    verdict = (
        para(f"The prepared inputs of these samples: {told}: standardised, as the network expects.")
        if view.get("standardised")
        else para(
            f"Not standardised: the prepared inputs have {told}, where the "
            "network expects mean about 0 and spread about 1. Check the preparation (scaling, "
            "the statistics it was fitted with) before trusting the training.",
            "finding warning",
        )
    )
    modality = view.get("modality")
    if modality == "image":
        heads = ["as read", "as the network receives it"]
        augment = view.get("augment") or []
        if any(it.get("augmented") for it in view.get("items", [])):
            heads.append(f"after augmentation ({', '.join(augment)})")
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
                "Training samples in three forms. The prepared ones are drawn on a fixed scale, "
                f"{fmt(low)} (black) to {fmt(high)} (white) standard units with 0 grey, so "
                "inputs off that scale show as white or flat grey instead of being stretched to "
                "look right."
            )
            + verdict
            + f'<div class="samples network-view">{"".join(rows)}</div>'
        )
    if modality == "sequence":
        raw = [{"label": "as read", "items": [{"series": it["raw"]} for it in view["items"]]}]
        prepared = [
            {
                "label": "as the network receives them",
                "items": [{"series": it["prepared"]} for it in view["items"]],
            }
        ]
        return verdict + figure(
            plots.signal_samples(raw + prepared), "Training samples, first channel."
        )
    rows = view.get("rows") or []
    n_columns = int(view.get("n_columns") or 0)
    shown = min(n_columns, len(rows[0]) if rows else 0)
    return (
        para(
            f"{len(rows)} training rows as the network receives them"
            + (f" (the first {shown} of {n_columns} input columns)" if shown < n_columns else "")
            + "."
        )
        + verdict
        + table([f"x{j}" for j in range(shown)], [[fmt(v, 3) for v in r] for r in rows])
    )


EDGE_CODE = "best_at_search_edge"


def _search_rows(stage: Mapping[str, Any]) -> list[list[str]]:
    decisions = stage.get("decisions", [])
    if not decisions:
        return []
    best = next((d for d in decisions if str(d.get("what", "")).startswith("best trial")), None)
    numbers = (best or {}).get("numbers") or {}
    widened = [d for d in decisions if str(d.get("what", "")).startswith("widen the search")]
    edges = [f for f in stage.get("findings", []) if f.get("code") == EDGE_CODE]
    rows = []
    if best is None:
        rows.append(["best trial inside the search space", "not run (no trial completed)", ""])
        rows.append(["validation noise floor", "not measured (no trial completed)", ""])
    else:
        left = [f for f in edges if f.get("severity") == "warning"]
        if left:
            result = f"at the edge: {EDGE_CODE}"
        elif widened:
            result = "passed after widening"
        elif int(numbers.get("completed") or 0) < int(numbers.get("edge_min_trials") or 0):
            result = f"not judged (fewer than {numbers['edge_min_trials']} completed trials)"
        else:
            result = "passed"
        said = "; ".join(str(d["what"]).removeprefix("widen the search: ") for d in widened)
        rows.append(
            [
                "best trial inside the search space",
                result,
                (f"widened {said}" if said else "")
                + (f"{'; ' if said else ''}{len(left)} edge(s) left" if left else ""),
            ]
        )
        noise = numbers.get("val_noise")
        ties = numbers.get("ties") or []
        rows.append(
            [
                "validation noise floor",
                "not measured"
                if noise is None
                else (f"{len(ties)} trial(s) tied with the best" if ties else "a clear best"),
                ""
                if noise is None
                else f"standard error {noise:.4g}; best {numbers.get('value', 0):.4g}",
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
        if n.get("spread") is None:
            rows.append(["seed spread", "not measured", str(spread.get("why", ""))])
        else:
            gap = n.get("gap")
            rows.append(
                [
                    "seed spread",
                    "coin flip" if n.get("coin_flip") else "passed",
                    f"scores {', '.join(f'{v:.4g}' for v in n.get('scores', []))}; spread "
                    f"{n['spread']:.4g}"
                    + (f", gap to the second best {gap:.4g}" if gap is not None else ""),
                ]
            )
    return rows


def _numbers(numbers: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{k.replace('_', ' ')} {v:.4g}" if isinstance(v, float) else f"{k.replace('_', ' ')} {v}"
        for k, v in numbers.items()
    )
