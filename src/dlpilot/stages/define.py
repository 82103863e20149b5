"""Stage 0 — define the problem.

From the target: the task (wrapping scikit-learn's ``type_of_target``). From
the inputs: the modality and the shape every sample will have. Then the class
balance and the sanity checks a practitioner runs before anything else:
constant and ID-like columns, duplicate rows, a feature that gives the target
away. Every inference can be overridden.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target

from dlpilot.core.enums import ColumnKind, FindingCode, Modality, Severity, Task
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.policy import IMBALANCE_SHARE_OF_BALANCED, is_imbalanced
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.data.dataset import Dataset, ImageFiles, table_view
from dlpilot.data.images import scan_headers

STAGE = "define"

# A numeric target with more distinct values than this is a quantity, not a label.
MAX_CLASSES_FOR_NUMERIC_TARGET = 20
# A feature alone reaching this cross-validated score (balanced accuracy or R²)
# probably leaks the target.
LEAK_SCORE = 0.99
# Rows used for the leak check; more adds time and changes nothing.
LEAK_CHECK_MAX_ROWS = 5000
# A string column with at least this share of distinct values is an identifier.
ID_UNIQUE_SHARE = 0.95
# Flat arrays are read as 1-D signals when neighbouring columns correlate this
# much more than distant ones do.
SEQUENCE_MIN_COLUMNS = 16
SEQUENCE_LOCALITY_GAP = 0.3
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key|index)$|^(id|uuid|guid)[_\W]", re.IGNORECASE)


@dataclass(frozen=True)
class ProblemDefinition:
    """Stage 0's result: the problem spec, with the decisions and findings behind it."""

    spec: ProblemSpec
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]


def define_problem(
    dataset: Dataset,
    *,
    task: Task | None = None,
    modality: Modality | None = None,
    drop_columns: Sequence[str] = (),
) -> ProblemDefinition:
    """Infer task, modality, sizes and class balance; check the data's sanity."""
    decisions: list[Decision] = []
    findings: list[Finding] = []

    chosen_modality = _choose_modality(dataset, modality, decisions)
    chosen_task = _choose_task(dataset.y, dataset.target_names, task, decisions)
    class_names, class_counts = _classes(dataset, chosen_task)
    minority_share = imbalance_ratio = None
    if class_counts:
        total = len(dataset.y)
        minority_share = round(min(class_counts.values()) / total, 6)
        imbalance_ratio = round(max(class_counts.values()) / max(min(class_counts.values()), 1), 3)
        if chosen_task.is_classification and is_imbalanced(class_counts):
            findings.append(_imbalance_finding(class_counts, total))

    feature_columns: tuple[str, ...] = ()
    ignored: list[str] = []
    if chosen_modality in (Modality.TABULAR, Modality.TEXT):
        table = table_view(dataset.x)
        _check_drop_columns(table, drop_columns)
        ignored.extend(drop_columns)
        if drop_columns:
            decisions.append(
                Decision(
                    what=f"drop columns {list(drop_columns)}",
                    why="asked for with --drop",
                )
            )
        kinds = _column_kinds(dataset, table)
        if chosen_modality is Modality.TABULAR:
            ignored.extend(_sanity_columns(table, kinds, ignored, findings))
            usable = [c for c in table.columns if c not in ignored]
            findings.extend(_leak_findings(table[usable], kinds, dataset.y, chosen_task))
            feature_columns = tuple(c for c in usable if kinds[c] is not ColumnKind.TEXT)
            text_cols = [c for c in usable if kinds[c] is ColumnKind.TEXT]
            if text_cols:
                ignored.extend(text_cols)
                decisions.append(
                    Decision(
                        what=f"leave out free-text column(s) {text_cols}",
                        why="tabular modality was asked for; text needs --modality text",
                    )
                )
        else:
            feature_columns = tuple(
                c for c in table.columns if kinds[c] is ColumnKind.TEXT and c not in ignored
            )
            others = [c for c in table.columns if c not in feature_columns and c not in ignored]
            if not feature_columns:
                raise ConfigError(
                    "--modality text needs a free-text column, and none was found. Use "
                    "--modality tabular."
                )
            decisions.append(
                Decision(
                    what=f"read the text in {list(feature_columns)}",
                    why="text modality: the network reads tokens of the free-text column(s)"
                    + (f"; other columns {others} are not used" if others else ""),
                )
            )
            ignored.extend(others)
        if not feature_columns:
            raise DataError(
                "No usable feature columns remain after dropping constant, ID-like and "
                f"--drop columns ({ignored}). Keep at least one informative column."
            )
        input_shape: tuple[int, ...] = (len(feature_columns),)
        n_features = len(feature_columns)
        findings.extend(_duplicate_findings(table[list(feature_columns)], dataset.y))
    else:
        input_shape = _array_shape(dataset, chosen_modality, decisions, findings)
        n_features = int(np.prod(input_shape))
        if isinstance(dataset.x, np.ndarray):
            findings.extend(_duplicate_findings(dataset.x, dataset.y))

    spec = ProblemSpec(
        task=chosen_task,
        modality=chosen_modality,
        n_samples=len(dataset.y),
        n_features=n_features,
        input_shape=input_shape,
        target_names=tuple(dataset.target_names),
        class_names=class_names,
        class_counts=class_counts,
        minority_share=minority_share,
        imbalance_ratio=imbalance_ratio,
        n_test_official=dataset.test.n_samples if dataset.test is not None else None,
        feature_columns=feature_columns,
        ignored_columns=tuple(dict.fromkeys(ignored)),
    )
    return ProblemDefinition(spec=spec, decisions=tuple(decisions), findings=tuple(findings))


# --- modality ---------------------------------------------------------------


def _choose_modality(
    dataset: Dataset, override: Modality | None, decisions: list[Decision]
) -> Modality:
    inferred, why = _infer_modality(dataset)
    if override is not None:
        _check_modality_fits(dataset, override)
        if override is not inferred:
            decisions.append(
                Decision(
                    what=f"modality {override} (overridden)",
                    why=f"asked for with --modality; the data alone suggested {inferred} ({why})",
                )
            )
            return override
    decisions.append(Decision(what=f"modality {inferred}", why=why))
    return inferred


def _infer_modality(dataset: Dataset) -> tuple[Modality, str]:
    x = dataset.x
    if isinstance(x, ImageFiles):
        return Modality.IMAGE, f"an image folder of {len(x)} files"
    if isinstance(x, pd.DataFrame):
        text = [c for c, k in dataset.column_kinds.items() if k is ColumnKind.TEXT]
        if text:
            return Modality.TEXT, f"column(s) {text} hold free text (several words per value)"
        return Modality.TABULAR, f"a table of {x.shape[1]} typed columns"
    if dataset.modality_hint is not None:
        shape = "×".join(str(s) for s in x.shape[1:])
        return (
            dataset.modality_hint,
            f"the source gives {dataset.modality_hint} data of shape {shape}",
        )
    if x.ndim == 2 and _looks_sequential(x):
        return Modality.SEQUENCE, (
            f"{x.shape[1]} columns that behave like one signal: neighbouring columns correlate "
            "far more than distant ones"
        )
    return Modality.TABULAR, f"a flat array of {x.shape[1]} features per sample"


def _looks_sequential(x: np.ndarray) -> bool:
    n, f = x.shape
    if f < SEQUENCE_MIN_COLUMNS or n < 10:
        return False
    sample = x[: min(n, 2000)].astype(float)
    std = sample.std(axis=0)
    sample = (sample - sample.mean(axis=0)) / np.where(std > 0, std, 1.0)

    def mean_corr(lag: int) -> float:
        return float(np.mean(np.sum(sample[:, :-lag] * sample[:, lag:], axis=0) / len(sample)))

    return mean_corr(1) - mean_corr(max(2, f // 4)) >= SEQUENCE_LOCALITY_GAP


def _check_modality_fits(dataset: Dataset, modality: Modality) -> None:
    x = dataset.x
    ok = {
        Modality.IMAGE: isinstance(x, ImageFiles)
        or (
            isinstance(x, np.ndarray)
            and (
                x.ndim == 4 or (x.ndim == 2 and _square_side(x.shape[1]) is not None) or x.ndim == 3
            )
        ),
        Modality.SEQUENCE: isinstance(x, np.ndarray) and x.ndim in (2, 3),
        Modality.TABULAR: isinstance(x, (pd.DataFrame, np.ndarray)),
        Modality.TEXT: isinstance(x, pd.DataFrame),
    }[modality]
    if not ok:
        raise ConfigError(
            f"--modality {modality} does not fit this source ({type(x).__name__} of shape "
            f"{getattr(x, 'shape', len(x))}). Leave --modality out to infer it."
        )


def _square_side(n: int) -> int | None:
    side = round(n**0.5)
    return side if side * side == n and side >= 4 else None


def _array_shape(
    dataset: Dataset, modality: Modality, decisions: list[Decision], findings: list[Finding]
) -> tuple[int, ...]:
    x = dataset.x
    if isinstance(x, ImageFiles):
        return _image_folder_shape(x, decisions, findings)
    assert isinstance(x, np.ndarray)
    if modality is Modality.IMAGE:
        if x.ndim == 2:
            side = _square_side(x.shape[1])
            decisions.append(
                Decision(
                    what=f"read each row as a {side}×{side} grey image",
                    why=f"{x.shape[1]} features is a perfect square and --modality image was asked for",
                )
            )
            return (1, side, side)
        if x.ndim == 3:
            return (1, *x.shape[1:])
        return tuple(int(s) for s in x.shape[1:])
    if modality is Modality.SEQUENCE:
        return (1, x.shape[1]) if x.ndim == 2 else tuple(int(s) for s in x.shape[1:])
    return (int(np.prod(x.shape[1:])),)


def _image_folder_shape(
    files: ImageFiles, decisions: list[Decision], findings: list[Finding]
) -> tuple[int, ...]:
    sizes, modes = scan_headers(files)
    size_counts = Counter(map(tuple, sizes.tolist()))
    (width, height), n_common = size_counts.most_common(1)[0]
    mode_counts = Counter(modes.tolist())
    grey = set(mode_counts) <= {"1", "L", "LA", "I", "I;16", "F"}
    channels = 1 if grey else 3
    if len(size_counts) > 1:
        smallest = min(size_counts, key=lambda s: s[0] * s[1])
        largest = max(size_counts, key=lambda s: s[0] * s[1])
        findings.append(
            Finding(
                code=FindingCode.MIXED_IMAGE_SIZES,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=(
                    f"{len(size_counts)} different sizes among {len(files)} images: "
                    f"{n_common} are {width}×{height}, the smallest is {smallest[0]}×{smallest[1]}, "
                    f"the largest {largest[0]}×{largest[1]}"
                ),
                action=(
                    f"all images are resized to {width}×{height}; low-resolution images upscaled "
                    "this way can differ in distribution from the rest"
                ),
            )
        )
    if len(mode_counts) > 1:
        findings.append(
            Finding(
                code=FindingCode.MIXED_IMAGE_SIZES,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=f"images come in several colour modes: {dict(mode_counts)}",
                action=f"all images are converted to {'grey' if grey else 'RGB'}",
            )
        )
    decisions.append(
        Decision(
            what=f"image shape {channels}×{height}×{width}",
            why=(
                f"the most common size ({n_common} of {len(files)} images) and "
                f"{'grey' if grey else 'colour'} modes {sorted(mode_counts)}"
            ),
            numbers={"width": width, "height": height, "channels": channels},
        )
    )
    return (channels, height, width)


# --- task and classes ---------------------------------------------------------


def _choose_task(
    y: np.ndarray, target_names: Sequence[str], override: Task | None, decisions: list[Decision]
) -> Task:
    name = ", ".join(target_names)
    inferred, why = _infer_task(y, name)
    if override is None:
        decisions.append(Decision(what=f"task {inferred}", why=why))
        return inferred
    _check_task_fits(y, name, override, inferred)
    if override is not inferred:
        decisions.append(
            Decision(
                what=f"task {override} (overridden)",
                why=f"asked for with --task; the target alone suggested {inferred} ({why})",
            )
        )
    else:
        decisions.append(Decision(what=f"task {override}", why=f"asked for with --task; {why}"))
    return override


def _infer_task(y: np.ndarray, name: str) -> tuple[Task, str]:
    if y.ndim == 2:
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            return Task.MULTILABEL, f"{y.shape[1]} target columns of 0/1 labels"
        return Task.VECTOR_REGRESSION, f"{y.shape[1]} numeric target columns"
    values = _unique(y)
    if len(values) < 2:
        shown = values[0] if len(values) else "nothing"
        raise DataError(
            f"Target '{name}' has one value ({shown!r}) in all {len(y)} rows: there is nothing to "
            "predict. Check that you chose the right target column."
        )
    numeric = y.dtype.kind in "biuf"
    kind = type_of_target(y) if numeric else "multiclass"
    if kind == "binary" or len(values) == 2:
        return Task.BINARY, f"the target takes 2 values ({values[0]!r}, {values[1]!r})"
    if kind == "continuous":
        return Task.REGRESSION, f"the target is continuous ({len(values)} distinct values)"
    if numeric and len(values) > MAX_CLASSES_FOR_NUMERIC_TARGET:
        return Task.REGRESSION, (
            f"the target is numeric with {len(values)} distinct values (more than "
            f"{MAX_CLASSES_FOR_NUMERIC_TARGET}), so it is treated as a quantity"
        )
    if len(values) > max(20, len(y) // 2):
        raise DataError(
            f"Target '{name}' has {len(values)} different labels in {len(y)} rows, nearly one "
            "per row: it looks like an identifier. Choose the column that holds the label."
        )
    return Task.MULTICLASS, f"the target takes {len(values)} discrete values"


def _check_task_fits(y: np.ndarray, name: str, task: Task, inferred: Task) -> None:
    n_values = len(_unique(y)) if y.ndim == 1 else None
    problem = None
    if task in (Task.MULTILABEL, Task.VECTOR_REGRESSION) and y.ndim != 2:
        problem = f"--task {task} needs several target columns; give --target more than once"
    elif task in (Task.BINARY, Task.MULTICLASS, Task.REGRESSION) and y.ndim != 1:
        problem = f"--task {task} needs one target column, got {y.shape[1]}"
    elif task is Task.BINARY and n_values != 2:
        problem = f"--task binary needs 2 target values, '{name}' has {n_values}"
    elif task is Task.MULTICLASS and n_values is not None and n_values < 2:
        problem = f"--task multiclass needs at least 2 target values, '{name}' has {n_values}"
    elif task.is_regression and y.dtype.kind not in "biuf":
        problem = f"--task {task} needs a numeric target, '{name}' holds text"
    elif task is Task.MULTILABEL and type_of_target(y) != "multilabel-indicator":
        problem = "--task multilabel needs 0/1 values in every target column"
    if problem:
        raise ConfigError(f"{problem}. Leave --task out to infer it (it would be {inferred}).")


def _unique(y: np.ndarray) -> list:
    if y.dtype.kind in "biuf":
        return np.unique(y).tolist()
    return sorted({str(v) for v in y})


def _classes(dataset: Dataset, task: Task) -> tuple[tuple[str, ...], dict[str, int]]:
    y = dataset.y
    if task is Task.MULTILABEL:
        names = tuple(dataset.target_names)
        return names, {n: int(np.sum(y[:, i] > 0)) for i, n in enumerate(names)}
    if not task.is_classification:
        return (), {}
    counts = Counter(str(v) for v in y)
    if dataset.classes:
        names = tuple(c for c in dataset.classes if c in counts)
    else:
        names = tuple(str(v) for v in _unique(y))
    return names, {n: int(counts[n]) for n in names}


def _imbalance_finding(class_counts: dict[str, int], total: int) -> Finding:
    minority = min(class_counts, key=lambda k: class_counts[k])
    majority = max(class_counts, key=lambda k: class_counts[k])
    n_min, n_max = class_counts[minority], class_counts[majority]
    balanced = 1 / len(class_counts)
    return Finding(
        code=FindingCode.IMBALANCED_CLASSES,
        severity=Severity.WARNING,
        stage=STAGE,
        evidence=(
            f"class '{minority}' is {n_min / total:.1%} of {total} samples ({n_min}), against "
            f"{balanced:.1%} if balanced (threshold: under {IMBALANCE_SHARE_OF_BALANCED:.0%} of "
            f"that); '{majority}' has {n_max}, an imbalance ratio of {n_max / max(n_min, 1):.1f}:1"
        ),
        action=(
            "judge by F1 or PR-AUC of the minority class rather than accuracy, stratify the "
            "splits, and weight the classes in the loss"
        ),
    )


# --- table sanity -------------------------------------------------------------


def _check_drop_columns(table: pd.DataFrame, drop: Sequence[str]) -> None:
    missing = [c for c in drop if c not in table.columns]
    if missing:
        raise ConfigError(
            f"--drop names column(s) {missing} that the table lacks. Columns: "
            f"{', '.join(map(str, table.columns[:20]))}."
        )


def _column_kinds(dataset: Dataset, table: pd.DataFrame) -> dict[str, ColumnKind]:
    if dataset.column_kinds:
        return dict(dataset.column_kinds)
    return {c: ColumnKind.NUMERIC for c in table.columns}


def _sanity_columns(
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
            shown = s.dropna().iloc[0] if n_unique == 1 else "missing"
            findings.append(
                Finding(
                    code=FindingCode.CONSTANT_COLUMN,
                    severity=Severity.INFO,
                    stage=STAGE,
                    evidence=f"column '{col}' holds one value ({shown!r}) in all {n} rows",
                    action="dropped from the features: a constant carries no information",
                )
            )
            dropped.append(col)
            continue
        why = _id_like(s, kinds[col], n_unique, n)
        if why:
            findings.append(
                Finding(
                    code=FindingCode.ID_LIKE_COLUMN,
                    severity=Severity.WARNING,
                    stage=STAGE,
                    evidence=f"column '{col}' {why}",
                    action=(
                        "dropped from the features: an identifier lets a network memorise rows "
                        "instead of learning a pattern that generalises"
                    ),
                )
            )
            dropped.append(col)
    return dropped


def _id_like(s: pd.Series, kind: ColumnKind, n_unique: int, n: int) -> str | None:
    if n < 20:
        return None
    share = n_unique / n
    if kind is ColumnKind.CATEGORICAL and share >= ID_UNIQUE_SHARE:
        return f"has {n_unique} distinct values in {n} rows ({share:.0%} unique)"
    if kind is ColumnKind.NUMERIC and share >= ID_UNIQUE_SHARE:
        values = s.dropna().to_numpy(dtype=float)
        if np.all(np.mod(values, 1) == 0):
            diffs = np.diff(values)
            if np.all(diffs > 0) or np.all(diffs < 0):
                return f"is an integer counter: {n_unique} distinct values, strictly monotonic"
            if _ID_NAME.search(str(s.name)):
                return f"is named like an identifier and has {n_unique} distinct integers"
    return None


def _duplicate_findings(x: pd.DataFrame | np.ndarray, y: np.ndarray) -> list[Finding]:
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
    evidence = f"{dup_rows} of {n} rows ({dup_rows / n:.1%}) repeat an earlier row exactly"
    if conflicting:
        evidence += f"; {conflicting} inputs appear with different targets"
    return [
        Finding(
            code=FindingCode.DUPLICATE_ROWS,
            severity=Severity.WARNING if dup_inputs / n >= 0.01 or conflicting else Severity.INFO,
            stage=STAGE,
            evidence=evidence,
            action=(
                "copies that land in both training and test inflate the test score; deduplicate "
                "unless the repeats are genuine"
                + ("; conflicting targets cap the reachable accuracy" if conflicting else "")
            ),
        )
    ]


def _row_hashes(x: pd.DataFrame | np.ndarray) -> pd.Series:
    if isinstance(x, pd.DataFrame):
        return pd.util.hash_pandas_object(x, index=False).reset_index(drop=True)
    flat = np.ascontiguousarray(x.reshape(len(x), -1))
    return pd.Series([hashlib.blake2b(row.tobytes(), digest_size=8).hexdigest() for row in flat])


def _leak_findings(
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
                    evidence=(
                        f"column '{col}' alone predicts the target with cross-validated "
                        f"{'balanced accuracy' if task.is_classification else 'R²'} {score:.3f} "
                        f"(threshold {LEAK_SCORE})"
                    ),
                    action=(
                        f"check that '{col}' is known before the target is; if it is derived from "
                        f"the target, leave it out with --drop {col}"
                    ),
                )
            )
    return findings
