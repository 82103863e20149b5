"""Stage 2 — choose the evaluation protocol, and seal the test set.

The test set comes first: a source's official test split is the test set;
otherwise one is carved out (stratified for classification, whole groups with
``group``) and sealed at once in a `SealedTestSet`, which nothing before the
final stage can open. The rest, the development set, is split for validation
by sample count: plenty → one hold-out split; scarce → K-fold; very scarce →
K-fold repeated with reshuffling. All splits are scikit-learn's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    train_test_split,
)

from dlpilot.core.enums import ProtocolKind, Task
from dlpilot.core.errors import ConfigError, DataError
from dlpilot.core.messages import Msg, Text, msg
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.core.sealed import SealedTestSet
from dlpilot.data.dataset import Dataset, subset, take

STAGE = "protocol"

# Development sets smaller than this get iterated K-fold (K-fold repeated with reshuffling).
ITERATED_KFOLD_BELOW = 300
# Development sets from this size on get one hold-out validation split; between, K-fold.
HOLDOUT_FROM = 5_000
KFOLD_FOLDS = 5
ITERATED_KFOLD_REPEATS = 3
# Shares carved out when the source has no official test split, and for hold-out validation.
TEST_FRACTION = 0.2
VAL_FRACTION = 0.2
# From this many labelled samples on, validation and test get a fixed number of samples:
# 10,000 estimate an accuracy within about ±1 point (95%), and the rest is better spent training.
LARGE_DATASET_FROM = 1_000_000
LARGE_VAL_SAMPLES = 10_000
LARGE_TEST_SAMPLES = 10_000
# A class needs this many samples to appear in training, validation and a carved test set.
MIN_SAMPLES_PER_CLASS = 3
# Above this many group folds for one carve, a group shuffle split replaces StratifiedGroupKFold
# (which loops over groups in Python once per fold).
MAX_STRATIFIED_GROUP_SPLITS = 10


@dataclass(frozen=True, eq=False)
class Fold:
    """One train/validation split: integer indices into the development set."""

    train: np.ndarray
    val: np.ndarray

    def __repr__(self) -> str:
        return f"Fold(train={len(self.train)}, val={len(self.val)})"


@dataclass(frozen=True, eq=False)
class Protocol:
    """How models are validated: the kind, its splits, and the sizes."""

    kind: ProtocolKind
    folds: int
    repeats: int
    splits: tuple[Fold, ...]
    n_train: int
    n_val: int
    n_test: int
    test_origin: str
    reason: str
    stratified: bool = False
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The summary's ``protocol`` block."""
        return {
            "kind": str(self.kind),
            "folds": self.folds,
            "repeats": self.repeats,
            "n_train": self.n_train,
            "n_val": self.n_val,
            "n_test": self.n_test,
            "test_origin": self.test_origin,
            "stratified": self.stratified,
            "group": self.group,
            "reason": self.reason,
        }

    def __repr__(self) -> str:
        return (
            f"Protocol({self.kind}, folds={self.folds}, repeats={self.repeats}, "
            f"n_train={self.n_train}, n_val={self.n_val}, n_test={self.n_test})"
        )


@dataclass(frozen=True, eq=False)
class ProtocolChoice:
    """Stage 2's result: the development set, its splits, and the sealed test set."""

    development: Dataset
    protocol: Protocol
    test: SealedTestSet
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The ``protocol`` block, with how often the test set has been read so far."""
        return {
            **self.protocol.to_dict(),
            "test_times_opened": self.test.times_opened,
            "test_input_peeks": self.test.input_peeks,
        }


def choose_protocol(
    dataset: Dataset,
    spec: ProblemSpec,
    *,
    group: str | None = None,
    seed: int = 0,
    kind: ProtocolKind | str | None = None,
) -> ProtocolChoice:
    """Set the test set aside (sealed), then split the rest for validation."""
    decisions: list[Decision] = []
    n = dataset.n_samples
    labels = _stratify_labels(dataset.y, spec)
    groups = _group_codes(dataset, group)
    large = n >= LARGE_DATASET_FROM

    # --- the test set -------------------------------------------------------
    if dataset.test is not None:
        if labels is not None:
            _check_class_sizes(
                labels,
                dataset.y,
                2,
                msg("the development set (the official test split is apart)"),
            )
        development = replace(dataset, test=None)
        test = dataset.test
        decisions.append(
            Decision(
                what=_given_test_what(test),
                why=_given_test_why(test),
                numbers={"n_test": test.n_samples, "origin": test.origin},
            )
        )
    else:
        if labels is not None:
            _check_class_sizes(labels, dataset.y, MIN_SAMPLES_PER_CLASS, msg("the dataset"))
        n_test = LARGE_TEST_SAMPLES if large else max(1, round(TEST_FRACTION * n))
        dev_idx, test_idx, how = _split_off(np.arange(n), labels, groups, n_test, seed)
        test = SealedTestSet(take(dataset.x, test_idx), dataset.y[test_idx], origin="held out")
        development = subset(dataset, dev_idx)
        share = len(test_idx) / n
        decisions.append(
            Decision(
                what=msg(
                    "test set: hold out {n_test:,} of {n:,} samples ({share:.0%}, {how}) "
                    "and seal them",
                    n_test=len(test_idx),
                    n=n,
                    share=share,
                    how=how,
                ),
                why=msg(
                    "the source has no official test split; at {n:,} samples (at least "
                    "{large_from:,}) {n_test:,} test samples are enough before anything is "
                    "fitted, and only the final stage can open it",
                    n=n,
                    large_from=LARGE_DATASET_FROM,
                    n_test=LARGE_TEST_SAMPLES,
                )
                if large
                else msg(
                    "the source has no official test split; {fraction:.0%} is set aside before "
                    "anything is fitted, and only the final stage can open it",
                    fraction=TEST_FRACTION,
                ),
                numbers={"n_test": len(test_idx), "seed": seed},
            )
        )
        labels = labels[dev_idx] if labels is not None else None
        groups = groups[dev_idx] if groups is not None else None

    # --- validation splits ---------------------------------------------------
    n_dev = development.n_samples
    rule_kind = _rule(n_dev, large)
    chosen = _protocol_kind(kind) if kind is not None else rule_kind

    if chosen is ProtocolKind.HOLDOUT:
        n_val = LARGE_VAL_SAMPLES if n_dev >= LARGE_DATASET_FROM else round(VAL_FRACTION * n_dev)
        n_val = min(max(n_val, 1), n_dev - 1)
        train_idx, val_idx, how = _split_off(np.arange(n_dev), labels, groups, n_val, seed + 1)
        splits: tuple[Fold, ...] = (Fold(train=np.sort(train_idx), val=np.sort(val_idx)),)
        folds, repeats = 1, 1
        split_what = msg(
            "hold-out validation: {n_val:,} of {n:,} samples ({how})",
            n_val=len(val_idx),
            n=n_dev,
            how=how,
        )
    else:
        repeats = ITERATED_KFOLD_REPEATS if chosen is ProtocolKind.ITERATED_KFOLD else 1
        folds = _fold_count(labels, groups, decisions)
        splits, how = _kfold(n_dev, labels, groups, folds, repeats, seed)
        split_what = (
            msg(
                "{folds}-fold cross-validation, repeated {repeats} times with reshuffling ({how})",
                folds=folds,
                repeats=repeats,
                how=how,
            )
            if repeats > 1
            else msg("{folds}-fold cross-validation ({how})", folds=folds, how=how)
        )

    n_train = round(float(np.mean([len(s.train) for s in splits])))
    n_val_mean = round(float(np.mean([len(s.val) for s in splits])))
    if chosen is rule_kind:
        reason = _rule_reason(n_dev, large, n_val=n_val_mean, folds=folds, repeats=repeats)
    else:
        reason = msg(
            "{chosen} was asked for (the rule would choose {rule}: {rule_reason})",
            chosen=chosen,
            rule=rule_kind,
            rule_reason=_rule_reason(
                n_dev,
                large,
                n_val=round(n_dev / KFOLD_FOLDS),
                folds=KFOLD_FOLDS,
                repeats=ITERATED_KFOLD_REPEATS,
            ),
        )
    decisions.append(
        Decision(
            what=split_what,
            why=reason,
            numbers={
                "n_development": n_dev,
                "n_train": n_train,
                "n_val": n_val_mean,
                "folds": folds,
                "repeats": repeats,
                "iterated_kfold_below": ITERATED_KFOLD_BELOW,
                "holdout_from": HOLDOUT_FROM,
            },
        )
    )
    protocol = Protocol(
        kind=chosen,
        folds=folds,
        repeats=repeats,
        splits=splits,
        n_train=n_train,
        n_val=n_val_mean,
        n_test=test.n_samples,
        test_origin=test.origin,
        reason=str(reason),
        stratified=labels is not None,
        group=group,
    )
    return ProtocolChoice(
        development=development, protocol=protocol, test=test, decisions=tuple(decisions)
    )


# --- rules ----------------------------------------------------------------------


def _rule(n_dev: int, large: bool) -> ProtocolKind:
    """The kind the sample count calls for (`_rule_reason` says why)."""
    if n_dev < ITERATED_KFOLD_BELOW:
        return ProtocolKind.ITERATED_KFOLD
    if n_dev < HOLDOUT_FROM:
        return ProtocolKind.KFOLD
    return ProtocolKind.HOLDOUT


def _rule_reason(n_dev: int, large: bool, *, n_val: int, folds: int, repeats: int) -> Msg:
    """Why `_rule` chooses its kind, with the splits' sizes (``n_val`` validation samples)."""
    kind = _rule(n_dev, large)
    if kind is ProtocolKind.ITERATED_KFOLD:
        return msg(
            "{n_dev} development samples is very scarce (under {below}): one "
            "split of ~{n_val} validation samples would make the score hinge on which samples "
            "land there, so {folds}-fold cross-validation is repeated {repeats} times with "
            "reshuffling and the score averages {fits} fits",
            n_dev=n_dev,
            below=ITERATED_KFOLD_BELOW,
            n_val=n_val,
            folds=folds,
            repeats=repeats,
            fits=folds * repeats,
        )
    if kind is ProtocolKind.KFOLD:
        return msg(
            "{n_dev:,} development samples is scarce (under {holdout_from:,}): {folds}-fold "
            "cross-validation validates on every sample once, rather than on one split of "
            "~{n_val}",
            n_dev=n_dev,
            holdout_from=HOLDOUT_FROM,
            folds=folds,
            n_val=n_val,
        )
    if large:
        return msg(
            "{n_dev:,} development samples (a dataset of at least {large_from:,}): "
            "{n_val_large:,} validation samples estimate an accuracy within about ±1 point, "
            "and every other sample is better spent training",
            n_dev=n_dev,
            large_from=LARGE_DATASET_FROM,
            n_val_large=LARGE_VAL_SAMPLES,
        )
    return msg(
        "{n_dev:,} development samples is plenty (at least {holdout_from:,}): one hold-out split "
        "of ~{n_val} validation samples is large enough to trust and costs one training per "
        "configuration",
        n_dev=n_dev,
        holdout_from=HOLDOUT_FROM,
        n_val=n_val,
    )


def _given_test_what(test: SealedTestSet) -> Msg:
    """The decision's ``what`` for a test set the source or --test gave."""
    if test.origin == "official":
        if test.labelled:
            return msg(
                "test set: the source's official test split ({n:,} samples)", n=test.n_samples
            )
        return msg(
            "test set: the source's official test split ({n:,} samples, without labels)",
            n=test.n_samples,
        )
    if test.labelled:
        return msg("test set: {origin} ({n:,} samples)", origin=test.origin, n=test.n_samples)
    return msg(
        "test set: {origin} ({n:,} samples, without labels)",
        origin=test.origin,
        n=test.n_samples,
    )


def _given_test_why(test: SealedTestSet) -> Msg:
    """The decision's ``why`` for a test set the source or --test gave."""
    if test.origin == "official":
        if test.labelled:
            return msg("a source's own test split is the test set; it arrived sealed")
        return msg(
            "a source's own test split is the test set; it arrived sealed; without labels it "
            "cannot be scored, so the final stage writes its predictions instead"
        )
    if test.labelled:
        return msg("a test file given with --test is the test set; it arrived sealed")
    return msg(
        "a test file given with --test is the test set; it arrived sealed; without labels it "
        "cannot be scored, so the final stage writes its predictions instead"
    )


def _protocol_kind(kind: ProtocolKind | str) -> ProtocolKind:
    try:
        return ProtocolKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in ProtocolKind)
        raise ConfigError(
            msg("Unknown protocol '{kind}'. Choose one of: {choices}.", kind=kind, choices=choices)
        ) from None


def _stratify_labels(y: np.ndarray, spec: ProblemSpec) -> np.ndarray | None:
    """Integer class codes to stratify on (hashing, so millions of rows stay fast)."""
    if spec.task not in (Task.BINARY, Task.MULTICLASS):
        return None
    codes, _ = pd.factorize(pd.Series(np.asarray(y)).astype(str))
    return codes.astype(np.int64)


def _check_class_sizes(labels: np.ndarray, y: np.ndarray, minimum: int, where: Text) -> None:
    counts = np.bincount(labels)
    small = [
        (str(y[int(np.argmax(labels == code))]), int(c))
        for code, c in enumerate(counts)
        if c < minimum
    ]
    if small:
        shown = ", ".join(f"'{v}' ({c})" for v, c in small[:5])
        if minimum >= MIN_SAMPLES_PER_CLASS:
            raise DataError(
                msg(
                    "Class(es) {shown} have fewer than {minimum} samples in {where}: a class "
                    "needs at least {minimum} to appear in training, validation and test. Add "
                    "samples of those classes, merge them into another class, or drop their rows.",
                    shown=shown,
                    minimum=minimum,
                    where=where,
                )
            )
        raise DataError(
            msg(
                "Class(es) {shown} have fewer than {minimum} samples in {where}: a class needs "
                "at least {minimum} to appear in training, validation. Add samples of those "
                "classes, merge them into another class, or drop their rows.",
                shown=shown,
                minimum=minimum,
                where=where,
            )
        )


def _group_codes(dataset: Dataset, group: str | None) -> np.ndarray | None:
    if group is None:
        return None
    if not isinstance(dataset.x, pd.DataFrame):
        raise DataError(
            msg(
                "--group {group} needs a table (CSV or Parquet) with that column; "
                "'{name}' holds {kind} inputs. Leave --group out.",
                group=group,
                name=dataset.name,
                kind=type(dataset.x).__name__,
            )
        )
    columns = [str(c) for c in dataset.x.columns]
    if group not in columns:
        close = difflib.get_close_matches(group, columns, n=3, cutoff=0.5)
        if close:
            raise DataError(
                msg(
                    "Group column '{group}' not found. Did you mean {close}? Columns: {columns}.",
                    group=group,
                    close=", ".join(repr(c) for c in close),
                    columns=", ".join(columns[:20]),
                )
            )
        raise DataError(
            msg(
                "Group column '{group}' not found. Columns: {columns}.",
                group=group,
                columns=", ".join(columns[:20]),
            )
        )
    values = dataset.x[group]
    missing = int(values.isna().sum())
    if missing:
        raise DataError(
            msg(
                "Group column '{group}' has {missing} missing value(s). Give every row a group, "
                "or leave --group out.",
                group=group,
                missing=missing,
            )
        )
    codes, uniques = pd.factorize(values)
    if len(uniques) < 3:
        raise DataError(
            msg(
                "Group column '{group}' has {n} distinct group(s); keeping groups apart "
                "needs at least 3 (training, validation, test). Choose a finer group column.",
                group=group,
                n=len(uniques),
            )
        )
    return codes.astype(np.int64)


# --- splitting -----------------------------------------------------------------------------


def _split_off(
    idx: np.ndarray,
    labels: np.ndarray | None,
    groups: np.ndarray | None,
    n_out: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, Msg]:
    """Split ``idx`` into (kept, set aside ~n_out); says how (stratified, grouped)."""
    n = len(idx)
    if groups is None:
        if labels is not None:
            try:
                kept, out = train_test_split(
                    idx, test_size=n_out, stratify=labels, random_state=seed, shuffle=True
                )
                return kept, out, msg("stratified by class")
            except ValueError:
                # More classes than samples set aside: no split can hold every class.
                pass
        kept, out = train_test_split(idx, test_size=n_out, random_state=seed, shuffle=True)
        how = (
            msg("random")
            if labels is None
            else msg("random: too few samples set aside to stratify")
        )
        return kept, out, how
    n_splits = max(2, round(n / n_out))
    if labels is not None and n_splits <= MAX_STRATIFIED_GROUP_SPLITS:
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        if len(np.unique(groups)) >= n_splits:
            kept_pos, out_pos = next(splitter.split(idx, labels, groups))
            return idx[kept_pos], idx[out_pos], msg("whole groups, stratified by class")
    shuffle = GroupShuffleSplit(n_splits=1, test_size=n_out / n, random_state=seed)
    kept_pos, out_pos = next(shuffle.split(idx, groups=groups))
    return idx[kept_pos], idx[out_pos], msg("whole groups")


def _fold_count(
    labels: np.ndarray | None, groups: np.ndarray | None, decisions: list[Decision]
) -> int:
    folds = KFOLD_FOLDS
    if labels is not None:
        counts = np.bincount(labels)
        counts = counts[counts > 0]
        smallest = int(counts.min())
        if smallest < folds:
            folds = max(2, smallest)
            decisions.append(
                Decision(
                    what=msg(
                        "{folds} folds instead of {default}", folds=folds, default=KFOLD_FOLDS
                    ),
                    why=msg(
                        "the smallest class has {smallest} development samples; stratified "
                        "folds need one of each class per fold",
                        smallest=smallest,
                    ),
                )
            )
    if groups is not None:
        n_groups = len(np.unique(groups))
        if n_groups < folds:
            decisions.append(
                Decision(
                    what=msg("{folds} folds instead of {default}", folds=n_groups, default=folds),
                    why=msg(
                        "the development set has {n_groups} groups, and a group stays in one fold",
                        n_groups=n_groups,
                    ),
                )
            )
            folds = n_groups
    return folds


def _kfold(
    n: int,
    labels: np.ndarray | None,
    groups: np.ndarray | None,
    folds: int,
    repeats: int,
    seed: int,
) -> tuple[tuple[Fold, ...], Msg]:
    idx = np.arange(n)
    splits: list[tuple[np.ndarray, np.ndarray]] = []
    if groups is None:
        if labels is not None:
            splitter: Any = (
                RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
                if repeats > 1
                else StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
            )
            how = msg("stratified by class")
        else:
            splitter = (
                RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
                if repeats > 1
                else KFold(n_splits=folds, shuffle=True, random_state=seed)
            )
            how = msg("random")
        splits = list(splitter.split(idx, labels))
    else:
        for r in range(repeats):
            if labels is not None:
                grouped: Any = StratifiedGroupKFold(
                    n_splits=folds, shuffle=True, random_state=seed + r
                )
                how = msg("whole groups, stratified by class")
            else:
                grouped = GroupKFold(n_splits=folds, shuffle=True, random_state=seed + r)
                how = msg("whole groups")
            splits.extend(grouped.split(idx, labels, groups))
    return tuple(Fold(train=np.sort(tr), val=np.sort(va)) for tr, va in splits), how
