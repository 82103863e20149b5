"""Section 5: the sanity checks stage 5 ran on its network before and after training it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlpilot.report._html import findings, note, para, table
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
    return (
        para(
            "Before trusting the baseline network, stage 5 checks what an expert checks first "
            "(Karpathy, 2019): that its loss at initialisation is what a head knowing nothing "
            "gives, that it can overfit one small batch, and that it does clearly better with "
            "the real inputs than with zeros."
        )
        + table(["check", "result", "numbers"], rows)
        + findings(flagged)
    )


def _numbers(numbers: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{k.replace('_', ' ')} {v:.4g}" if isinstance(v, float) else f"{k.replace('_', ' ')} {v}"
        for k, v in numbers.items()
    )
