"""Stage 3's checks that the inputs look alike: train vs test, and one pixel range.

Not a stage: what `stages.prepare` runs once its preparers are fitted.

- **Train-vs-test shift** (``split_distribution_shift``): per-feature two-sample tests
  (Kolmogorov–Smirnov for numbers, chi-square for categories, per-sample summaries for
  images, signals and text) and adversarial validation, a classifier told to separate
  training inputs from test inputs.
- **Pixel range** (``mixed_pixel_range``): images on a 0–1 scale mixed with images on a
  0–255 scale, within a set or between training and test; **image sizes**
  (``mixed_image_sizes``): test images of another size than training.

The test set is read only through ``SealedTestSet.peek_inputs()``: inputs, never labels.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from dlpilot.core.enums import FindingCode, Severity
from dlpilot.core.messages import Text, join, msg
from dlpilot.core.policy import SMALL_FIT_THREADS
from dlpilot.core.records import Decision, Finding, ProblemSpec
from dlpilot.data.dataset import ImageFiles, take
from dlpilot.data.images import scan_headers
from dlpilot.preprocessing import Preparer, TablePreparer, TextPreparer, pixel_groups
from dlpilot.preprocessing.images import BYTE_RANGE_MEDIAN_MAX, UNIT_RANGE_MAX
from dlpilot.preprocessing.text import UNKNOWN_ID

# The findings are stage 3's.
STAGE = "prepare"

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


# --- train-vs-test shift ------------------------------------------------------------------------


def check_distribution_shift(
    preparer: Preparer, spec: ProblemSpec, train_x: Any, test_x: Any, *, seed: int = 0
) -> tuple[list[Finding], list[Decision]]:
    """Per-feature drift tests and an adversarial-validation ROC-AUC, train inputs vs test inputs."""
    n_test = len(test_x)
    if n_test < SHIFT_MIN_TEST_ROWS:
        return [], [
            Decision(
                what=msg("no train-vs-test shift check"),
                why=msg(
                    "the test set has {n} samples (fewer than {minimum})",
                    n=n_test,
                    minimum=SHIFT_MIN_TEST_ROWS,
                ),
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
        what=msg("train-vs-test shift check: the splits differ")
        if shifted
        else msg("train-vs-test shift check: the splits look alike"),
        why=msg(
            "a gradient-boosted classifier told to separate {n_train:,} training from "
            "{n_test:,} test inputs reaches cross-validated ROC-AUC {auc:.3f} (shift at "
            "≥ {threshold}); {drifting} of {tested} features drift "
            "(p < {p} after Bonferroni and effect ≥ {effect})",
            n_train=len(train_rows),
            n_test=len(test_rows),
            auc=auc,
            threshold=ADVERSARIAL_AUC_SHIFT,
            drifting=len(drifted),
            tested=len(drifts),
            p=DRIFT_P_VALUE,
            effect=DRIFT_MIN_EFFECT,
        ),
        numbers=numbers,
    )
    if not shifted:
        return [], [decision]
    shown = join((_drift_text(d) for d in drifted[:5]), "; ")
    values = {
        "auc": auc,
        "threshold": ADVERSARIAL_AUC_SHIFT,
        "drifting": len(drifted),
        "tested": len(drifts),
    }
    evidence = (
        msg(
            "adversarial validation: a classifier separates training from test inputs with "
            "ROC-AUC {auc:.3f} (threshold {threshold}, 0.5 = indistinguishable); "
            "{drifting} of {tested} features drift: {shown}",
            **values,
            shown=shown,
        )
        if drifted
        else msg(
            "adversarial validation: a classifier separates training from test inputs with "
            "ROC-AUC {auc:.3f} (threshold {threshold}, 0.5 = indistinguishable); "
            "{drifting} of {tested} features drift",
            **values,
        )
    )
    finding = Finding(
        code=FindingCode.SPLIT_DISTRIBUTION_SHIFT,
        severity=Severity.WARNING,
        stage=STAGE,
        evidence=evidence,
        action=msg(
            "the test set does not come from the training distribution, so validation scores "
            "may not carry over: check how each split was collected, and if the test data is "
            "what the model will meet, move some of it into training or validation"
        ),
    )
    return [finding], [decision]


def _drift_text(d: dict[str, Any]) -> Text:
    """One drifting feature: its name, its test's effect and p-value (a column's name is
    data; the summaries of images, signals and text are named in the reader's language)."""
    return msg(
        "'{feature}' ({test} {effect:.2f}, p={p:.1e})",
        feature=d.get("label", d["feature"]),
        test=d["test"],
        effect=d["effect"],
        p=d["p"],
    )


def _sample_rows(n: int, rng: np.random.Generator) -> np.ndarray:
    if n <= SHIFT_MAX_ROWS:
        return np.arange(n)
    return np.sort(rng.choice(n, SHIFT_MAX_ROWS, replace=False))


def _feature_drift(prep: Preparer, a: Any, b: Any) -> list[dict[str, Any]]:
    """One two-sample test per feature, Bonferroni-corrected."""
    from scipy import stats

    tests: list[dict[str, Any]] = []

    def ks(name: str, u: np.ndarray, v: np.ndarray, label: Text | None = None) -> None:
        u, v = u[np.isfinite(u)], v[np.isfinite(v)]
        if len(u) < 2 or len(v) < 2:
            return
        res = stats.ks_2samp(u, v)
        tests.append(
            {
                "feature": name,
                "label": name if label is None else label,
                "test": "KS",
                "effect": float(res.statistic),
                "p": float(res.pvalue),
            }
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
        for name, (label, u, v) in _summary_features(prep, a, b).items():
            ks(name, u, v, label)
    m = max(len(tests), 1)
    for t in tests:
        t["p"] = min(1.0, t["p"] * m)
        t["drifts"] = t["p"] < DRIFT_P_VALUE and t["effect"] >= DRIFT_MIN_EFFECT
    return tests


def _summary_features(
    prep: Preparer, a: Any, b: Any
) -> dict[str, tuple[Text, np.ndarray, np.ndarray]]:
    """Per-sample summaries to compare where single pixels or tokens are not features: by
    name, the name as a reader reads it and the two sides' values."""
    out: dict[str, tuple[Text, np.ndarray, np.ndarray]] = {}
    if isinstance(prep, TextPreparer):
        ids_a, ids_b = prep.token_ids(a), prep.token_ids(b)
        out["tokens per text"] = (
            msg("tokens per text"),
            np.asarray([len(r) for r in ids_a], float),
            np.asarray([len(r) for r in ids_b], float),
        )
        out["share of unknown tokens"] = (
            msg("share of unknown tokens"),
            _unknown_share(ids_a),
            _unknown_share(ids_b),
        )
        return out
    ta, tb = prep.transform(a), prep.transform(b)
    # Per sample and channel: the mean level and the spread (contrast) of its values.
    within = tuple(range(2, ta.dim()))
    for c in range(ta.shape[1]):
        for stat in ("mean", "std"):
            u = getattr(ta[:, c : c + 1], stat)(dim=within).reshape(-1).numpy()
            v = getattr(tb[:, c : c + 1], stat)(dim=within).reshape(-1).numpy()
            label = msg("channel {c} mean", c=c) if stat == "mean" else msg("channel {c} std", c=c)
            out[f"channel {c} {stat}"] = (label, u, v)
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


def pixel_range_findings(x: Any, where: Text) -> list[Finding]:
    """Images on a 0–1 scale mixed with images on a 0–255 scale in ``x``; ``where`` names
    the set (a message, as "the test set", or plain text)."""
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
            evidence=msg(
                "in {where}, {n_unit} of {n} images have no value above "
                "{unit_max:g} (a 0–1 scale) while {n_wide} reach a median largest value "
                "of {median:.0f} (a 0–255 scale)",
                where=where,
                n_unit=n_unit,
                n=n_unit + n_wide,
                unit_max=UNIT_RANGE_MAX,
                n_wide=n_wide,
                median=wide_median,
            ),
            action=msg(
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
                    evidence=msg(
                        "{other} of {n} test images are not {width}×{height}, the "
                        "training size (most common test sizes: {sizes})",
                        other=other,
                        n=len(test_x),
                        width=width,
                        height=height,
                        sizes=", ".join(f"{w}×{h} ({c})" for (w, h), c in shown),
                    ),
                    action=msg(
                        "test images are resized to {width}×{height} like training images; "
                        "resized images can differ in distribution from the rest",
                        width=width,
                        height=height,
                    ),
                )
            )
        return findings
    if not isinstance(test_x, np.ndarray) or not isinstance(x_dev, np.ndarray):
        return findings
    findings.extend(pixel_range_findings(test_x, msg("the test set")))
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
                evidence=msg(
                    "training images are on a {dev_scale} scale ({dev_count} of "
                    "{dev_n}) but test images on {test_scale} "
                    "({test_count} of {test_n})",
                    dev_scale=dev_scale,
                    dev_count=max(dev_unit, dev_wide),
                    dev_n=dev_unit + dev_wide,
                    test_scale=test_scale,
                    test_count=max(test_unit, test_wide),
                    test_n=test_unit + test_wide,
                ),
                action=msg(
                    "test images are brought to the training scale before normalization; "
                    "check how each split was exported"
                ),
            )
        )
    return findings
