"""Stage 3 — prepare the data.

Vectorize and normalize with statistics of the training split alone, then apply
the same fitted preparation to validation, test and, later, new inputs. The
preparers are `dlpilot.preprocessing`'s (one per modality):

- tables: numeric columns standardized, missing values imputed with the
  training median plus a missing-value indicator, categorical columns one-hot
  with an unknown bucket (a linear layer over a one-hot block is an embedding);
- images: one pixel scale, one shape, optional grayscale, per-channel mean/std;
- sequences: per-channel mean/std;
- text: a tokenizer and a vocabulary fitted on the training split, token ids.

This stage fits one per protocol split, decides whether prepared images are held
in memory, and describes what it did. It also checks, with evidence, that the test
inputs look like the training inputs (``split_distribution_shift``) and that images
share one pixel range (``mixed_pixel_range``) and size (``mixed_image_sizes``). It
reads the sealed test set only through ``peek_inputs()``: inputs, never labels.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from dlpilot.core.enums import FindingCode, Modality, Severity
from dlpilot.core.errors import DataError
from dlpilot.core.policy import SMALL_FIT_THREADS
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.core.sealed import SealedTestSet
from dlpilot.core.targets import encode_target
from dlpilot.data.dataset import Dataset, ImageFiles, take
from dlpilot.data.images import scan_headers
from dlpilot.engine.data import TensorData
from dlpilot.preprocessing import (
    ImagePreparer,
    ImageStream,
    Preparer,
    SequencePreparer,
    TablePreparer,
    TextPreparer,
    decode_images,
    fit_preparer,
    pixel_groups,
)
from dlpilot.preprocessing.images import BYTE_RANGE_MEDIAN_MAX, UNIT_RANGE_MAX
from dlpilot.preprocessing.tables import MAX_CATEGORY_LEVELS
from dlpilot.preprocessing.text import SEQUENCE_LENGTH_QUANTILE, UNKNOWN_ID

if TYPE_CHECKING:  # for annotations only: stages pass typed results, never import each other
    from dlpilot.stages.protocol import Protocol

STAGE = "prepare"

# Images: prepared tensors of every fold are kept in memory while they fit under this many
# bytes (float32); beyond it each fold's images are prepared one by one as the engine reads them.
IMAGE_MEMORY_CAP_BYTES = 2 * 1024**3

# Augmentation policies for images; the engine implements them and tuning switches them on.
IMAGE_AUGMENTATIONS = ("flip", "crop", "rotate", "erase")

# Train-vs-test shift: at most this many rows from each side are compared.
SHIFT_MAX_ROWS = 5_000
SHIFT_MIN_TEST_ROWS = 20
# A feature drifts when its two-sample test (Kolmogorov–Smirnov for numbers, chi-square for
# categories) rejects equality at this p-value after a Bonferroni correction over the features,
# and the effect is at least this large (KS statistic, or Cramér's V).
DRIFT_P_VALUE = 0.01
DRIFT_MIN_EFFECT = 0.1
# A classifier told to separate training inputs from test inputs: cross-validated ROC-AUC at
# or above this means the two splits are told apart (0.5 = indistinguishable).
ADVERSARIAL_AUC_SHIFT = 0.65
ADVERSARIAL_FOLDS = 3


@dataclass(frozen=True, eq=False)
class PreparedFold:
    """One protocol split, prepared by a preparer fitted on its training part alone."""

    train: TensorData | torch.utils.data.Dataset
    val: TensorData | torch.utils.data.Dataset
    preparer: Preparer


@dataclass(frozen=True, eq=False)
class PreparedData:
    """Stage 3's result: every split prepared, with what preparation decided and found."""

    folds: tuple[PreparedFold, ...]
    input_shape: tuple[int, ...]
    vocab_size: int | None
    decisions: tuple[Decision, ...]
    findings: tuple[Finding, ...]
    # Augmentation policies that apply to this modality; tuning may switch them on.
    augmentations: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"PreparedData(folds={len(self.folds)}, input_shape={self.input_shape}, "
            f"vocab_size={self.vocab_size}, findings={[str(f.code) for f in self.findings]})"
        )


def prepare_development(
    development: Dataset, spec: ProblemSpec, *, grayscale: bool = False
) -> tuple[Preparer, TensorData | ImageStream]:
    """Fit the preparation on all development data and apply it: the final training set.

    Images that do not fit the memory cap stream, as in `prepare_data`.
    """
    x_dev: Any = development.x
    y_dev = torch.from_numpy(encode_target(development.y, spec))
    stream = False
    if spec.modality is Modality.IMAGE:
        x_dev, stream = _image_storage(x_dev, spec, grayscale, 1, [])
    preparer = fit_preparer(
        x_dev, development.y, spec, grayscale=grayscale, column_kinds=development.column_kinds
    )
    if stream:
        assert isinstance(preparer, ImagePreparer)
        return preparer, ImageStream(x_dev, np.arange(len(y_dev)), y_dev, preparer)
    return preparer, TensorData(preparer.transform(x_dev), y_dev)


def prepare_data(
    development: Dataset,
    spec: ProblemSpec,
    protocol: Protocol,
    *,
    test: SealedTestSet | None = None,
    grayscale: bool = False,
) -> PreparedData:
    """Fit a preparer on each split's training part, apply it to both parts, and check the data.

    ``protocol`` is stage 2's `Protocol` (its ``splits`` index ``development``). ``test``, if
    given, is read through ``peek_inputs()`` only, for the train-vs-test checks.
    """
    decisions: list[Decision] = []
    findings: list[Finding] = []
    x_dev: Any = development.x
    y_dev = torch.from_numpy(encode_target(development.y, spec))
    splits = tuple(protocol.splits)
    if not splits:
        raise DataError("The protocol has no splits; choose the protocol before preparing data.")

    stream = False
    if spec.modality is Modality.IMAGE:
        x_dev, stream = _image_storage(x_dev, spec, grayscale, len(splits), decisions)
        findings.extend(pixel_range_findings(x_dev, "the development set"))

    folds: list[PreparedFold] = []
    for split in splits:
        x_train = take(x_dev, split.train)
        preparer = fit_preparer(
            x_train,
            development.y[split.train],
            spec,
            grayscale=grayscale,
            column_kinds=development.column_kinds,
        )
        if stream:
            assert isinstance(preparer, ImagePreparer)
            train: Any = ImageStream(x_dev, split.train, y_dev[split.train], preparer)
            val: Any = ImageStream(x_dev, split.val, y_dev[split.val], preparer)
        else:
            train = TensorData(preparer.transform(x_train), y_dev[split.train])
            val = TensorData(preparer.transform(take(x_dev, split.val)), y_dev[split.val])
        folds.append(PreparedFold(train=train, val=val, preparer=preparer))

    first = folds[0].preparer
    decisions.extend(_describe(first, spec, len(splits)))
    augmentations: tuple[str, ...] = ()
    if spec.modality is Modality.IMAGE:
        augmentations = IMAGE_AUGMENTATIONS
        decisions.append(
            Decision(
                what=f"augmentation policies available to tuning: {', '.join(augmentations)}",
                why=(
                    "random flips, crops with padding, small rotations and random erasing "
                    "multiply the images a network sees; they are a regularizer, so tuning "
                    "switches them on and keeps them only if validation improves"
                ),
            )
        )

    if test is not None:
        test_x = test.peek_inputs()
        if spec.modality is Modality.IMAGE:
            findings.extend(compare_test_images(x_dev, test_x, spec))
        shift_findings, shift_decisions = check_distribution_shift(first, spec, x_dev, test_x)
        findings.extend(shift_findings)
        decisions.extend(shift_decisions)
    else:
        decisions.append(
            Decision(
                what="no train-vs-test shift check",
                why="no test set was given to the preparation stage",
            )
        )
    return PreparedData(
        folds=tuple(folds),
        input_shape=tuple(first.input_shape),
        vocab_size=first.vocab_size,
        decisions=tuple(decisions),
        findings=tuple(findings),
        augmentations=augmentations,
    )


def _describe(prep: Preparer, spec: ProblemSpec, n_splits: int) -> list[Decision]:
    fitted = (
        f"fitted on each of the {n_splits} training splits alone"
        if n_splits > 1
        else "fitted on the training split alone"
    )
    out: list[Decision] = []
    if isinstance(prep, TablePreparer):
        plain = [n["column"] for n in prep.numeric_ if not n["from_category"]]
        imputed = [n["column"] for n in prep.numeric_ if n["indicator"]]
        if plain:
            out.append(
                Decision(
                    what=f"standardize {len(plain)} numeric column(s)",
                    why=f"mean 0 and standard deviation 1 keep gradients balanced; statistics {fitted}",
                    numbers={"columns": plain[:20]},
                )
            )
        if imputed:
            out.append(
                Decision(
                    what=f"impute missing values in {imputed[:10]} with the training median, plus "
                    "a missing-value indicator each",
                    why="a network cannot read NaN, and whether a value was missing can itself "
                    "carry signal",
                    numbers={"columns": imputed},
                )
            )
        if prep.categorical_:
            widths = {c["column"]: len(c["levels"]) + 1 for c in prep.categorical_}
            out.append(
                Decision(
                    what=f"one-hot encode {len(widths)} categorical column(s) with an unknown "
                    "bucket each",
                    why=(
                        f"each keeps at most its {MAX_CATEGORY_LEVELS} most frequent training "
                        "levels; rarer and unseen levels go to the unknown bucket. A linear layer "
                        "over a one-hot block is an embedding lookup"
                    ),
                    numbers={"widths": widths},
                )
            )
        out.append(
            Decision(
                what=f"tabular inputs become {prep.input_shape[0]} features",
                why="numeric values, missing-value indicators and one-hot blocks side by side",
            )
        )
    elif isinstance(prep, ImagePreparer):
        c, h, w = prep.input_shape
        out.append(
            Decision(
                what=f"images as {c}×{h}×{w} tensors, normalized per channel",
                why=f"per-channel mean and standard deviation {fitted}"
                + ("; grayscale was asked for to cut compute" if prep.grayscale else ""),
                numbers={
                    "mean": np.round(prep.mean_, 4).tolist(),
                    "std": np.round(prep.std_, 4).tolist(),
                    "images_for_statistics": prep.stats_images_,
                },
            )
        )
    elif isinstance(prep, SequencePreparer):
        out.append(
            Decision(
                what=f"signals as {'×'.join(map(str, prep.input_shape))} tensors, standardized "
                "per channel",
                why=f"per-channel mean and standard deviation {fitted}",
                numbers={
                    "mean": np.round(prep.mean_, 4).tolist(),
                    "std": np.round(prep.std_, 4).tolist(),
                },
            )
        )
    elif isinstance(prep, TextPreparer):
        out.append(
            Decision(
                what=f"text as token ids: a vocabulary of {prep.vocab_size:,} (padding and unknown "
                f"included), sequences of {prep.length_} tokens",
                why=(
                    f"lower-cased word and punctuation tokens seen at least {prep.min_count} times "
                    f"in training (at most {prep.max_vocabulary:,}); the length is the "
                    f"{SEQUENCE_LENGTH_QUANTILE:.0%} quantile of training lengths (at most "
                    f"{prep.max_length}); vocabulary {fitted}"
                ),
                numbers={
                    "vocab_size": prep.vocab_size,
                    "length": prep.length_,
                    **prep.train_lengths_,
                },
            )
        )
    return out


def _image_storage(
    x: Any, spec: ProblemSpec, grayscale: bool, n_splits: int, decisions: list[Decision]
) -> tuple[Any, bool]:
    """Decide whether prepared images are held in memory; decode an image folder once if so."""
    channels, height, width = (int(s) for s in spec.input_shape)
    out_channels = 1 if grayscale else channels
    n = len(x)
    prepared_bytes = n_splits * n * out_channels * height * width * 4
    decoded_bytes = n * channels * height * width
    in_memory = prepared_bytes <= IMAGE_MEMORY_CAP_BYTES
    mib = prepared_bytes / 2**20
    cap = IMAGE_MEMORY_CAP_BYTES / 2**30
    if in_memory:
        decisions.append(
            Decision(
                what=f"hold the prepared images in memory ({mib:,.0f} MiB)",
                why=f"{n_splits} split(s) of {n:,} images fit under the {cap:.0f} GiB cap",
                numbers={"bytes": prepared_bytes, "cap_bytes": IMAGE_MEMORY_CAP_BYTES},
            )
        )
    if isinstance(x, ImageFiles) and (in_memory or decoded_bytes <= IMAGE_MEMORY_CAP_BYTES):
        x = decode_images(x, channels=channels, size=(height, width))
    if not in_memory:
        where = "from memory" if isinstance(x, np.ndarray) else "from disk"
        decisions.append(
            Decision(
                what=f"prepare images one at a time as training reads them ({where})",
                why=f"prepared tensors of {n_splits} split(s) would take {mib:,.0f} MiB, over "
                f"the {cap:.0f} GiB cap",
                numbers={"bytes": prepared_bytes, "cap_bytes": IMAGE_MEMORY_CAP_BYTES},
            )
        )
    return x, not in_memory


# --- train-vs-test shift ------------------------------------------------------------------------


def check_distribution_shift(
    preparer: Preparer, spec: ProblemSpec, train_x: Any, test_x: Any, *, seed: int = 0
) -> tuple[list[Finding], list[Decision]]:
    """Per-feature drift tests and an adversarial-validation ROC-AUC, train inputs vs test inputs."""
    n_test = len(test_x)
    if n_test < SHIFT_MIN_TEST_ROWS:
        return [], [
            Decision(
                what="no train-vs-test shift check",
                why=f"the test set has {n_test} samples (fewer than {SHIFT_MIN_TEST_ROWS})",
            )
        ]
    rng = np.random.default_rng(seed)
    train_rows = _sample_rows(len(train_x), rng)
    test_rows = _sample_rows(n_test, rng)
    a = take(train_x, train_rows)
    b = take(test_x, test_rows)
    drifts = _feature_drift(preparer, a, b)
    features_a = _shift_matrix(preparer, a)
    features_b = _shift_matrix(preparer, b)
    auc = _adversarial_auc(features_a, features_b, seed)
    drifted = [d for d in drifts if d["drifts"]]
    drifted.sort(key=lambda d: -d["effect"])
    numbers = {
        "adversarial_auc": round(auc, 4),
        "adversarial_auc_threshold": ADVERSARIAL_AUC_SHIFT,
        "features_tested": len(drifts),
        "features_drifting": len(drifted),
        "rows_compared": [len(train_rows), len(test_rows)],
    }
    shifted = auc >= ADVERSARIAL_AUC_SHIFT or bool(drifted)
    decision = Decision(
        what="train-vs-test shift check: "
        + ("the splits differ" if shifted else "the splits look alike"),
        why=(
            f"a gradient-boosted classifier told to separate {len(train_rows):,} training from "
            f"{len(test_rows):,} test inputs reaches cross-validated ROC-AUC {auc:.3f} (shift at "
            f"≥ {ADVERSARIAL_AUC_SHIFT}); {len(drifted)} of {len(drifts)} features drift "
            f"(p < {DRIFT_P_VALUE} after Bonferroni and effect ≥ {DRIFT_MIN_EFFECT})"
        ),
        numbers=numbers,
    )
    if not shifted:
        return [], [decision]
    shown = "; ".join(
        f"'{d['feature']}' ({d['test']} {d['effect']:.2f}, p={d['p']:.1e})" for d in drifted[:5]
    )
    evidence = (
        f"adversarial validation: a classifier separates training from test inputs with "
        f"ROC-AUC {auc:.3f} (threshold {ADVERSARIAL_AUC_SHIFT}, 0.5 = indistinguishable); "
        f"{len(drifted)} of {len(drifts)} features drift" + (f": {shown}" if drifted else "")
    )
    finding = Finding(
        code=FindingCode.SPLIT_DISTRIBUTION_SHIFT,
        severity=Severity.WARNING,
        stage=STAGE,
        evidence=evidence,
        action=(
            "the test set does not come from the training distribution, so validation scores "
            "may not carry over: check how each split was collected, and if the test data is "
            "what the model will meet, move some of it into training or validation"
        ),
    )
    return [finding], [decision]


def _sample_rows(n: int, rng: np.random.Generator) -> np.ndarray:
    if n <= SHIFT_MAX_ROWS:
        return np.arange(n)
    return np.sort(rng.choice(n, SHIFT_MAX_ROWS, replace=False))


def _feature_drift(prep: Preparer, a: Any, b: Any) -> list[dict[str, Any]]:
    """One two-sample test per feature, Bonferroni-corrected."""
    from scipy import stats

    tests: list[dict[str, Any]] = []

    def ks(name: str, u: np.ndarray, v: np.ndarray) -> None:
        u, v = u[np.isfinite(u)], v[np.isfinite(v)]
        if len(u) < 2 or len(v) < 2:
            return
        res = stats.ks_2samp(u, v)
        tests.append(
            {"feature": name, "test": "KS", "effect": float(res.statistic), "p": float(res.pvalue)}
        )

    if isinstance(prep, TablePreparer):
        values_a, values_b = prep.numeric_columns(a), prep.numeric_columns(b)
        for col, u in values_a.items():
            ks(col, u, values_b[col])
        codes_a, codes_b = prep.category_codes(a), prep.category_codes(b)
        for spec in prep.categorical_:
            col = spec["column"]
            k = len(spec["levels"]) + 1  # the unknown bucket is the last code
            table = np.stack(
                [
                    np.bincount(codes_a[col], minlength=k),
                    np.bincount(codes_b[col], minlength=k),
                ]
            )
            table = table[:, table.sum(axis=0) > 0]
            if table.shape[1] < 2:
                continue
            chi2, p, _, _ = stats.chi2_contingency(table)
            cramers_v = math.sqrt(chi2 / (table.sum() * (min(table.shape) - 1)))
            tests.append({"feature": col, "test": "Cramér's V", "effect": cramers_v, "p": float(p)})
    else:
        for name, (u, v) in _summary_features(prep, a, b).items():
            ks(name, u, v)
    m = max(len(tests), 1)
    for t in tests:
        t["p"] = min(1.0, t["p"] * m)
        t["drifts"] = t["p"] < DRIFT_P_VALUE and t["effect"] >= DRIFT_MIN_EFFECT
    return tests


def _summary_features(prep: Preparer, a: Any, b: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per-sample summaries to compare where single pixels or tokens are not features."""
    if isinstance(prep, TextPreparer):
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        ids_a, ids_b = prep.token_ids(a), prep.token_ids(b)
        out["tokens per text"] = (
            np.asarray([len(r) for r in ids_a], float),
            np.asarray([len(r) for r in ids_b], float),
        )
        out["share of unknown tokens"] = (_unknown_share(ids_a), _unknown_share(ids_b))
        return out
    ta, tb = prep.transform(a), prep.transform(b)
    # Per sample and channel: the mean level and the spread (contrast) of its values.
    within = tuple(range(2, ta.dim()))
    out = {}
    for c in range(ta.shape[1]):
        for stat in ("mean", "std"):
            u = getattr(ta[:, c : c + 1], stat)(dim=within).reshape(-1).numpy()
            v = getattr(tb[:, c : c + 1], stat)(dim=within).reshape(-1).numpy()
            out[f"channel {c} {stat}"] = (u, v)
    return out


def _unknown_share(ids: list[list[int]]) -> np.ndarray:
    return np.asarray([np.mean([t == UNKNOWN_ID for t in r]) if r else 0.0 for r in ids], float)


def _shift_matrix(prep: Preparer, x: Any) -> np.ndarray:
    """Numeric features for the adversarial classifier."""
    if isinstance(prep, TextPreparer):
        ids = prep.token_ids(x)
        top = min(200, len(prep.vocabulary_))
        counts = np.zeros((len(ids), top + 2), dtype=np.float32)
        for i, row in enumerate(ids):
            r = np.asarray(row, dtype=np.int64)
            known = r[(r >= 2) & (r < top + 2)] - 2
            np.add.at(counts[i], known, 1.0)
            counts[i, top] = len(r)
            counts[i, top + 1] = float(np.mean(r == UNKNOWN_ID)) if len(r) else 0.0
        return counts
    t = prep.transform(x)
    if t.dim() == 4:
        h, w = t.shape[2:]
        t = F.adaptive_avg_pool2d(t, (min(h, 8), min(w, 8)))
    elif t.dim() == 3:
        t = F.adaptive_avg_pool1d(t, min(t.shape[2], 64))
    return t.reshape(len(t), -1).numpy()


def _adversarial_auc(a: np.ndarray, b: np.ndarray, seed: int) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    features = np.concatenate([a, b]).astype(np.float32)
    is_test = np.concatenate([np.zeros(len(a)), np.ones(len(b))]).astype(np.int64)
    model = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    cv = StratifiedKFold(n_splits=ADVERSARIAL_FOLDS, shuffle=True, random_state=seed)
    with threadpool_limits(limits=SMALL_FIT_THREADS):
        proba = cross_val_predict(model, features, is_test, cv=cv, method="predict_proba")[:, 1]
    return float(roc_auc_score(is_test, proba))


# --- pixel range and image sizes ---------------------------------------------------------------


def pixel_range_findings(x: Any, where: str) -> list[Finding]:
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        return []
    n_unit, n_wide, wide_median = pixel_groups(x)
    if not (n_unit and n_wide and wide_median > BYTE_RANGE_MEDIAN_MAX):
        return []
    return [
        Finding(
            code=FindingCode.MIXED_PIXEL_RANGE,
            severity=Severity.WARNING,
            stage=STAGE,
            evidence=(
                f"in {where}, {n_unit} of {n_unit + n_wide} images have no value above "
                f"{UNIT_RANGE_MAX:g} (a 0–1 scale) while {n_wide} reach a median largest value "
                f"of {wide_median:.0f} (a 0–255 scale)"
            ),
            action=(
                "the 0–1 images are multiplied by 255 before normalization so all share one "
                "scale; check how the images were exported"
            ),
        )
    ]


def compare_test_images(x_dev: Any, test_x: Any, spec: ProblemSpec) -> list[Finding]:
    findings: list[Finding] = []
    if isinstance(test_x, ImageFiles):
        sizes, _ = scan_headers(test_x)
        _, height, width = spec.input_shape
        other = int(np.sum((sizes[:, 0] != width) | (sizes[:, 1] != height)))
        if other:
            shown = Counter(map(tuple, sizes.tolist())).most_common(3)
            findings.append(
                Finding(
                    code=FindingCode.MIXED_IMAGE_SIZES,
                    severity=Severity.WARNING,
                    stage=STAGE,
                    evidence=(
                        f"{other} of {len(test_x)} test images are not {width}×{height}, the "
                        f"training size (most common test sizes: "
                        f"{', '.join(f'{w}×{h} ({c})' for (w, h), c in shown)})"
                    ),
                    action=f"test images are resized to {width}×{height} like training images; "
                    "resized images can differ in distribution from the rest",
                )
            )
        return findings
    if not isinstance(test_x, np.ndarray) or not isinstance(x_dev, np.ndarray):
        return findings
    findings.extend(pixel_range_findings(test_x, "the test set"))
    dev_unit, dev_wide, dev_median = pixel_groups(x_dev)
    test_unit, test_wide, test_median = pixel_groups(test_x)
    dev_byte = dev_wide > dev_unit and dev_median > BYTE_RANGE_MEDIAN_MAX
    test_byte = test_wide > test_unit and test_median > BYTE_RANGE_MEDIAN_MAX
    dev_scale = "0–255" if dev_byte else "0–1" if dev_unit > dev_wide else None
    test_scale = "0–255" if test_byte else "0–1" if test_unit > test_wide else None
    if dev_scale and test_scale and dev_scale != test_scale:
        findings.append(
            Finding(
                code=FindingCode.MIXED_PIXEL_RANGE,
                severity=Severity.WARNING,
                stage=STAGE,
                evidence=(
                    f"training images are on a {dev_scale} scale ({max(dev_unit, dev_wide)} of "
                    f"{dev_unit + dev_wide}) but test images on {test_scale} "
                    f"({max(test_unit, test_wide)} of {test_unit + test_wide})"
                ),
                action="test images are brought to the training scale before normalization; "
                "check how each split was exported",
            )
        )
    return findings
