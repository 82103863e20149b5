"""Stage 0's sanity checks of the columns and rows, each a finding.

Constant and ID-like columns (dropped from the features), duplicate rows, and a
single feature that gives the target away.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dlpilot.core.enums import ColumnKind, FindingCode, Severity, Task
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import Msg, msg
from dlpilot.core.records import Finding
from dlpilot.data.dataset import Dataset

STAGE = "define"  # what these find is stage 0's (define.py)

# A feature alone reaching this cross-validated score (balanced accuracy or R²)
# probably leaks the target.
LEAK_SCORE = 0.99
# Rows used for the leak check; more adds time and changes nothing.
LEAK_CHECK_MAX_ROWS = 5000
# A string column with at least this share of distinct values is an identifier.
ID_UNIQUE_SHARE = 0.95
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key|index)$|^(id|uuid|guid)[_\W]", re.IGNORECASE)


def check_drop_columns(table: pd.DataFrame, drop: Sequence[str]) -> None:
    missing = [c for c in drop if c not in table.columns]
    if missing:
        raise ConfigError(
            msg(
                "--drop names column(s) {missing} that the table lacks. Columns: {columns}.",
                missing=missing,
                columns=", ".join(map(str, table.columns[:20])),
            )
        )


def column_kinds(dataset: Dataset, table: pd.DataFrame) -> dict[str, ColumnKind]:
    if dataset.column_kinds:
        return dict(dataset.column_kinds)
    return {c: ColumnKind.NUMERIC for c in table.columns}


def sanity_columns(
    table: pd.DataFrame,
    kinds: dict[str, ColumnKind],
    already_ignored: list[str],
    findings: list[Finding],
) -> list[str]:
    """Constant and ID-like columns: each a finding, and dropped from the features."""
    dropped: list[str] = []
    n = len(table)
    for col in table.columns:
        if col in already_ignored:
            continue
        s = table[col]
        n_unique = int(s.nunique(dropna=True))
        if n_unique <= 1:
            evidence = (
                msg(
                    "column '{col}' holds one value ({shown!r}) in all {n} rows",
                    col=col,
                    shown=s.dropna().iloc[0],
                    n=n,
                )
                if n_unique == 1
                else msg("column '{col}' holds one value ('missing') in all {n} rows", col=col, n=n)
            )
            findings.append(
                Finding(
                    code=FindingCode.CONSTANT_COLUMN,
                    severity=Severity.INFO,
                    stage=STAGE,
                    evidence=evidence,
                    action=msg("dropped from the features: a constant carries no information"),
                )
            )
            dropped.append(col)
            continue
        why = _id_like(col, s, kinds[col], n_unique, n)
        if why:
            findings.append(
                Finding(
                    code=FindingCode.ID_LIKE_COLUMN,
                    severity=Severity.WARNING,
                    stage=STAGE,
                    evidence=why,
                    action=msg(
                        "dropped from the features: an identifier lets a network memorise rows "
                        "instead of learning a pattern that generalises"
                    ),
                )
            )
            dropped.append(col)
    return dropped


def _id_like(col: str, s: pd.Series, kind: ColumnKind, n_unique: int, n: int) -> Msg | None:
    """Why column ``col`` (the series ``s``) looks like an identifier, or None."""
    if n < 20:
        return None
    share = n_unique / n
    if kind is ColumnKind.CATEGORICAL and share >= ID_UNIQUE_SHARE:
        return msg(
            "column '{col}' has {n_unique} distinct values in {n} rows ({share:.0%} unique)",
            col=col,
            n_unique=n_unique,
            n=n,
            share=share,
        )
    if kind is ColumnKind.NUMERIC and share >= ID_UNIQUE_SHARE:
        values = s.dropna().to_numpy(dtype=float)
        if np.all(np.mod(values, 1) == 0):
            diffs = np.diff(values)
            if np.all(diffs > 0) or np.all(diffs < 0):
                return msg(
                    "column '{col}' is an integer counter: {n_unique} distinct values, strictly "
                    "monotonic",
                    col=col,
                    n_unique=n_unique,
                )
            if _ID_NAME.search(str(s.name)):
                return msg(
                    "column '{col}' is named like an identifier and has {n_unique} distinct "
                    "integers",
                    col=col,
                    n_unique=n_unique,
                )
    return None


def duplicate_findings(x: pd.DataFrame | np.ndarray, y: np.ndarray) -> list[Finding]:
    keys = _row_hashes(x)
    targets = (
        _row_hashes(y.reshape(len(y), -1))
        if y.dtype.kind in "biuf"
        else pd.Series([str(v) for v in y])
    )
    pairs = pd.DataFrame({"x": keys, "y": targets})
    dup_rows = int(pairs.duplicated().sum())
    dup_inputs = int(pairs["x"].duplicated().sum())
    conflicting = int(pairs.drop_duplicates().duplicated("x").sum())
    if dup_inputs == 0:
        return []
    n = len(pairs)
    if conflicting:
        evidence = msg(
            "{dup_rows} of {n} rows ({share:.1%}) repeat an earlier row exactly; "
            "{conflicting} inputs appear with different targets",
            dup_rows=dup_rows,
            n=n,
            share=dup_rows / n,
            conflicting=conflicting,
        )
        action = msg(
            "copies that land in both training and test inflate the test score; deduplicate "
            "unless the repeats are genuine; conflicting targets cap the reachable accuracy"
        )
    else:
        evidence = msg(
            "{dup_rows} of {n} rows ({share:.1%}) repeat an earlier row exactly",
            dup_rows=dup_rows,
            n=n,
            share=dup_rows / n,
        )
        action = msg(
            "copies that land in both training and test inflate the test score; deduplicate "
            "unless the repeats are genuine"
        )
    return [
        Finding(
            code=FindingCode.DUPLICATE_ROWS,
            severity=Severity.WARNING if dup_inputs / n >= 0.01 or conflicting else Severity.INFO,
            stage=STAGE,
            evidence=evidence,
            action=action,
        )
    ]


def _row_hashes(x: pd.DataFrame | np.ndarray) -> pd.Series:
    if isinstance(x, pd.DataFrame):
        return pd.util.hash_pandas_object(x, index=False).reset_index(drop=True)
    flat = np.ascontiguousarray(x.reshape(len(x), -1))
    return pd.Series([hashlib.blake2b(row.tobytes(), digest_size=8).hexdigest() for row in flat])


def leak_findings(
    table: pd.DataFrame, kinds: dict[str, ColumnKind], y: np.ndarray, task: Task
) -> list[Finding]:
    """A single feature that predicts the target almost perfectly is suspect."""
    from sklearn.model_selection import cross_val_score
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    if task not in (Task.BINARY, Task.MULTICLASS, Task.REGRESSION) or len(table) < 30:
        return []
    rng = np.random.default_rng(0)
    rows = np.arange(len(table))
    if len(rows) > LEAK_CHECK_MAX_ROWS:
        rows = np.sort(rng.choice(rows, LEAK_CHECK_MAX_ROWS, replace=False))
    target = y[rows]
    if task.is_classification:
        target = np.asarray([str(v) for v in target])
        if pd.Series(target).value_counts().min() < 3:
            return []
        model, scoring = DecisionTreeClassifier(max_depth=4, random_state=0), "balanced_accuracy"
    else:
        target = target.astype(float)
        model, scoring = DecisionTreeRegressor(max_depth=4, random_state=0), "r2"
    findings = []
    for col in table.columns:
        if kinds.get(col) is ColumnKind.TEXT:
            continue
        s = table[col].iloc[rows]
        if kinds.get(col) is ColumnKind.CATEGORICAL:
            feature = pd.factorize(s)[0].astype(float)
        else:
            feature = pd.to_numeric(s, errors="coerce").fillna(-1e12).to_numpy(dtype=float)
        score = float(
            np.mean(cross_val_score(model, feature.reshape(-1, 1), target, cv=3, scoring=scoring))
        )
        if score >= LEAK_SCORE:
            findings.append(
                Finding(
                    code=FindingCode.TARGET_LEAK_SUSPECTED,
                    severity=Severity.WARNING,
                    stage=STAGE,
                    evidence=msg(
                        "column '{col}' alone predicts the target with cross-validated "
                        "balanced accuracy {score:.3f} (threshold {threshold})",
                        col=col,
                        score=score,
                        threshold=LEAK_SCORE,
                    )
                    if task.is_classification
                    else msg(
                        "column '{col}' alone predicts the target with cross-validated "
                        "R² {score:.3f} (threshold {threshold})",
                        col=col,
                        score=score,
                        threshold=LEAK_SCORE,
                    ),
                    action=msg(
                        "check that '{col}' is known before the target is; if it is derived from "
                        "the target, leave it out with --drop {col}",
                        col=col,
                    ),
                )
            )
    return findings
