"""Stage 0 — define the problem.

From the target: the task (wrapping scikit-learn's ``type_of_target``). From
the inputs: the modality and the shape every sample will have. Then the class
balance and the sanity checks a practitioner runs before anything else:
constant and ID-like columns, duplicate rows, a feature that gives the target
away. Every inference can be overridden. The modality evidence lives in
`_define_modality`, the column and row checks in `_define_columns`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.utils.multiclass import type_of_target

from dlpilot.core.enums import ColumnKind, FindingCode, Modality, Severity, Task
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.messages import Msg, msg
from dlpilot.core.policy import IMBALANCE_SHARE_OF_BALANCED, is_imbalanced
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.data.dataset import Dataset, table_view
from dlpilot.stages._define_columns import (
    check_drop_columns,
    column_kinds,
    duplicate_findings,
    leak_findings,
    sanity_columns,
)
from dlpilot.stages._define_modality import array_shape, choose_modality

STAGE = "define"

# A numeric target with more distinct values than this is a quantity, not a label.
MAX_CLASSES_FOR_NUMERIC_TARGET = 20


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
    # How the source was read: the notes' messages where the source gave them, else their text.
    notes = dataset.note_texts or dataset.notes
    decisions: list[Decision] = [Decision(what=what, why=why) for what, why in notes]
    findings: list[Finding] = []

    chosen_modality = choose_modality(dataset, modality, decisions)
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
        check_drop_columns(table, drop_columns)
        ignored.extend(drop_columns)
        if drop_columns:
            decisions.append(
                Decision(
                    what=msg("drop columns {columns}", columns=list(drop_columns)),
                    why=msg("asked for with --drop"),
                )
            )
        kinds = column_kinds(dataset, table)
        if chosen_modality is Modality.TABULAR:
            ignored.extend(sanity_columns(table, kinds, ignored, findings))
            usable = [c for c in table.columns if c not in ignored]
            findings.extend(leak_findings(table[usable], kinds, dataset.y, chosen_task))
            feature_columns = tuple(c for c in usable if kinds[c] is not ColumnKind.TEXT)
            text_cols = [c for c in usable if kinds[c] is ColumnKind.TEXT]
            if text_cols:
                ignored.extend(text_cols)
                decisions.append(
                    Decision(
                        what=msg("leave out free-text column(s) {columns}", columns=text_cols),
                        why=msg("tabular modality was asked for; text needs --modality text"),
                    )
                )
        else:
            feature_columns = tuple(
                c for c in table.columns if kinds[c] is ColumnKind.TEXT and c not in ignored
            )
            others = [c for c in table.columns if c not in feature_columns and c not in ignored]
            if not feature_columns:
                raise ConfigError(
                    msg(
                        "--modality text needs a free-text column, and none was found. Use "
                        "--modality tabular."
                    )
                )
            decisions.append(
                Decision(
                    what=msg("read the text in {columns}", columns=list(feature_columns)),
                    why=msg(
                        "text modality: the network reads tokens of the free-text column(s); "
                        "other columns {others} are not used",
                        others=others,
                    )
                    if others
                    else msg("text modality: the network reads tokens of the free-text column(s)"),
                )
            )
            ignored.extend(others)
        if not feature_columns:
            raise DataError(
                msg(
                    "No usable feature columns remain after dropping constant, ID-like and "
                    "--drop columns ({ignored}). Keep at least one informative column.",
                    ignored=ignored,
                )
            )
        input_shape: tuple[int, ...] = (len(feature_columns),)
        n_features = len(feature_columns)
        findings.extend(duplicate_findings(table[list(feature_columns)], dataset.y))
    else:
        input_shape = array_shape(dataset, chosen_modality, decisions, findings)
        n_features = int(np.prod(input_shape))
        if isinstance(dataset.x, np.ndarray):
            findings.extend(duplicate_findings(dataset.x, dataset.y))

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


# --- task and classes ---------------------------------------------------------


def _choose_task(
    y: np.ndarray, target_names: Sequence[str], override: Task | None, decisions: list[Decision]
) -> Task:
    name = ", ".join(target_names)
    inferred, why = _infer_task(y, name)
    if override is None:
        decisions.append(Decision(what=msg("task {task}", task=inferred), why=why))
        return inferred
    _check_task_fits(y, name, override, inferred)
    if override is not inferred:
        decisions.append(
            Decision(
                what=msg("task {task} (overridden)", task=override),
                why=msg(
                    "asked for with --task; the target alone suggested {inferred} ({why})",
                    inferred=inferred,
                    why=why,
                ),
            )
        )
    else:
        decisions.append(
            Decision(
                what=msg("task {task}", task=override),
                why=msg("asked for with --task; {why}", why=why),
            )
        )
    return override


def _infer_task(y: np.ndarray, name: str) -> tuple[Task, Msg]:
    if y.ndim == 2:
        kind = type_of_target(y)
        if kind == "multilabel-indicator":
            return Task.MULTILABEL, msg("{n} target columns of 0/1 labels", n=y.shape[1])
        return Task.VECTOR_REGRESSION, msg("{n} numeric target columns", n=y.shape[1])
    values = _unique(y)
    if len(values) < 2:
        if not len(values):
            raise DataError(
                msg(
                    "Target '{name}' has one value ('nothing') in all {n} rows: there is nothing "
                    "to predict. Check that you chose the right target column.",
                    name=name,
                    n=len(y),
                )
            )
        raise DataError(
            msg(
                "Target '{name}' has one value ({shown!r}) in all {n} rows: there is nothing to "
                "predict. Check that you chose the right target column.",
                name=name,
                shown=values[0],
                n=len(y),
            )
        )
    numeric = y.dtype.kind in "biuf"
    kind = type_of_target(y) if numeric else "multiclass"
    if kind == "binary" or len(values) == 2:
        return Task.BINARY, msg(
            "the target takes 2 values ({first!r}, {second!r})", first=values[0], second=values[1]
        )
    if kind == "continuous":
        return Task.REGRESSION, msg("the target is continuous ({n} distinct values)", n=len(values))
    if numeric and len(values) > MAX_CLASSES_FOR_NUMERIC_TARGET:
        return Task.REGRESSION, msg(
            "the target is numeric with {n} distinct values (more than "
            "{most}), so it is treated as a quantity",
            n=len(values),
            most=MAX_CLASSES_FOR_NUMERIC_TARGET,
        )
    if len(values) > max(20, len(y) // 2):
        raise DataError(
            msg(
                "Target '{name}' has {n_values} different labels in {n} rows, nearly one "
                "per row: it looks like an identifier. Choose the column that holds the label.",
                name=name,
                n_values=len(values),
                n=len(y),
            )
        )
    return Task.MULTICLASS, msg("the target takes {n} discrete values", n=len(values))


def _check_task_fits(y: np.ndarray, name: str, task: Task, inferred: Task) -> None:
    n_values = len(_unique(y)) if y.ndim == 1 else None
    problem: Msg | None = None
    if task in (Task.MULTILABEL, Task.VECTOR_REGRESSION) and y.ndim != 2:
        problem = msg(
            "--task {task} needs several target columns; give --target more than once", task=task
        )
    elif task in (Task.BINARY, Task.MULTICLASS, Task.REGRESSION) and y.ndim != 1:
        problem = msg("--task {task} needs one target column, got {n}", task=task, n=y.shape[1])
    elif task is Task.BINARY and n_values != 2:
        problem = msg(
            "--task binary needs 2 target values, '{name}' has {n}", name=name, n=n_values
        )
    elif task is Task.MULTICLASS and n_values is not None and n_values < 2:
        problem = msg(
            "--task multiclass needs at least 2 target values, '{name}' has {n}",
            name=name,
            n=n_values,
        )
    elif task.is_regression and y.dtype.kind not in "biuf":
        problem = msg(
            "--task {task} needs a numeric target, '{name}' holds text", task=task, name=name
        )
    elif task is Task.MULTILABEL and type_of_target(y) != "multilabel-indicator":
        problem = msg("--task multilabel needs 0/1 values in every target column")
    if problem:
        raise ConfigError(
            msg(
                "{problem}. Leave --task out to infer it (it would be {inferred}).",
                problem=problem,
                inferred=inferred,
            )
        )


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
        evidence=msg(
            "class '{minority}' is {share:.1%} of {total} samples ({n_min}), against "
            "{balanced:.1%} if balanced (threshold: under {threshold:.0%} of "
            "that); '{majority}' has {n_max}, an imbalance ratio of {ratio:.1f}:1",
            minority=minority,
            share=n_min / total,
            total=total,
            n_min=n_min,
            balanced=balanced,
            threshold=IMBALANCE_SHARE_OF_BALANCED,
            majority=majority,
            n_max=n_max,
            ratio=n_max / max(n_min, 1),
        ),
        action=msg(
            "judge by F1 or PR-AUC of the minority class rather than accuracy, stratify the "
            "splits, and weight the classes in the loss"
        ),
    )
