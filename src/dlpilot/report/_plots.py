"""The report's plots: matplotlib figures as SVG data URIs, drawn from recorded numbers only.

No pyplot and no global state: each figure is a `matplotlib.figure.Figure`
saved straight to SVG, inside an `rc_context` that restores the caller's
settings. Scatter plots are rasterized inside the SVG to keep the page small.
"""

from __future__ import annotations

import base64
import io
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from dlpilot.core.history import History
from dlpilot.core.messages import Msg, Translator, msg

TRAIN = "#0072B2"
VAL = "#D55E00"
BEST = "#009E73"
OVERFIT = "#CC3311"
GREY = "#7A7F87"
FEW_EPOCHS = 3
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")

STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",
    "svg.hashsalt": "dlpilot",
    "figure.dpi": 100,
}
# The language of a plot drawn without one: every plot function takes ``t`` (the report's
# `Translator`) for its titles, axis labels, legends and alt text.
ENGLISH = Translator()
# Text in a script the bundled font lacks (Korean) is written into the SVG as text and drawn by
# the browser's fonts; matplotlib's warning about the glyphs it cannot measure is noise here.
MISSING_GLYPH = r"Glyph \d+ .* missing from font"


@dataclass(frozen=True)
class Plot:
    """An SVG as a data URI, with the size it was drawn at (CSS pixels)."""

    uri: str
    width: int
    height: int
    alt: str


@contextmanager
def _figure(width: float, height: float, alt: str, out: list[Plot]) -> Iterator[Figure]:
    with matplotlib.rc_context(STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
        fig = Figure(figsize=(width, height), layout="constrained")
        yield fig
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    out.append(
        Plot(f"data:image/svg+xml;base64,{data}", round(width * 96), round(height * 96), alt)
    )


def _one(width: float, height: float, alt: str):
    """A figure context that hands back its Plot via the list it fills."""
    out: list[Plot] = []
    return _figure(width, height, alt, out), out


# --- the data ------------------------------------------------------------------------------


def class_balance(counts: Mapping[str, int], *, multilabel: bool, t: Translator = ENGLISH) -> Plot:
    names, values = list(counts), [int(v) for v in counts.values()]
    total = sum(values) or 1
    many = len(names) > 12
    height = max(2.2, 0.22 * len(names) + 0.8) if many else 2.6
    ctx, out = _one(6.4, min(height, 9.0), t("class balance: samples per class"))
    axis = t("samples with the label") if multilabel else t("samples")
    with ctx as fig:
        ax = fig.add_subplot()
        if many:
            ax.barh(range(len(names)), values, color=TRAIN)
            ax.set_yticks(range(len(names)), [_short(n) for n in names])
            ax.invert_yaxis()
            ax.set_xlabel(axis)
        else:
            bars = ax.bar(range(len(names)), values, color=TRAIN)
            ax.set_xticks(range(len(names)), [_short(n) for n in names])
            ax.set_ylabel(axis)
            for bar, v in zip(bars, values, strict=True):
                ax.annotate(
                    f"{v} ({v / total:.0%})" if not multilabel else str(v),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
            ax.margins(y=0.15)
        ax.set_title(t("Positives per label") if multilabel else t("Samples per class"))
    return out[0]


def target_distribution(targets: Sequence[Mapping], *, t: Translator = ENGLISH) -> Plot:
    n = len(targets)
    ctx, out = _one(min(max(3.2 * n, 4.8), 9.6), 2.6, t("distribution of the target values"))
    with ctx as fig:
        axes = fig.subplots(1, n, squeeze=False)[0]
        for ax, target in zip(axes, targets, strict=True):
            edges, counts = target["edges"], target["counts"]
            ax.stairs(counts, edges, fill=True, color=TRAIN, alpha=0.8)
            ax.set_title(
                t(
                    "{name}: mean {mean:.4g}, sd {sd:.4g}",
                    name=target["name"],
                    mean=target["mean"],
                    sd=target["std"],
                )
            )
            ax.set_xlabel(t("value"))
        axes[0].set_ylabel(t("samples"))
    return out[0]


def signal_samples(groups: Sequence[Mapping], *, t: Translator = ENGLISH) -> Plot:
    n = len(groups)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    ctx, out = _one(3.2 * cols, 1.9 * rows + 0.2, t("sample signals per class"))
    with ctx as fig:
        axes = fig.subplots(rows, cols, squeeze=False)
        for k, g in enumerate(groups):
            ax = axes[k // cols][k % cols]
            for j, item in enumerate(g["items"]):
                channel = item["series"][0] if item.get("series") else []
                ys = [math.nan if v is None else v for v in channel]
                ax.plot(ys, lw=0.9, alpha=0.8, color=SERIES[j % len(SERIES)])
            ax.set_title(_short(g["label"]) or t("samples"), fontsize=9)
            ax.tick_params(labelsize=7)
        for k in range(n, rows * cols):
            axes[k // cols][k % cols].set_visible(False)
    return out[0]


# --- learning curves --------------------------------------------------------------------------


def curves(
    history: History,
    *,
    metric: str | None,
    title: str,
    overfit_epoch: int | None = None,
    best_epoch: int | None = None,
    t: Translator = ENGLISH,
) -> Plot:
    """Train and validation loss and metric per epoch, with the overfitting and best epochs marked."""
    has_metric = bool(metric) and history.get(metric) is not None
    panels = 2 if has_metric else 1
    alt = (
        t("{title}: loss and {metric} per epoch", title=title, metric=metric)
        if has_metric
        else t("{title}: loss per epoch", title=title)
    )
    ctx, out = _one(3.5 * panels, 2.5, alt)
    with ctx as fig:
        axes = fig.subplots(1, panels, squeeze=False)[0]
        keys = [("loss", _label("loss", t))] + ([(metric, _label(metric, t))] if has_metric else [])
        for ax, (key, label) in zip(axes, keys, strict=True):
            epochs = history.epochs
            lines = ((key, TRAIN, t("train")), (f"val_{key}", VAL, t("validation")))
            for name, color, legend in lines:
                values = history.get(name)
                if values is not None and any(math.isfinite(v) for v in values):
                    few = len(values) <= FEW_EPOCHS  # a line of one or two points is invisible
                    ax.plot(
                        epochs,
                        values,
                        color=color,
                        lw=1.4,
                        label=legend,
                        marker="o" if few else None,
                        ms=4,
                    )
            if overfit_epoch:
                ax.axvline(
                    overfit_epoch, color=OVERFIT, ls="--", lw=1.1, label=t("overfitting from")
                )
            if best_epoch:
                ax.axvline(best_epoch, color=BEST, ls=":", lw=1.3, label=t("best epoch"))
            ax.set_xlabel(t("epoch"))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if len(epochs) <= FEW_EPOCHS:
                ax.set_xlim(0.5, len(epochs) + 0.5)
                ax.set_xticks(epochs)
            ax.set_title(label)
            if key == "loss" and _spans_decades(history.get("loss"), history.get("val_loss")):
                ax.set_yscale("log")
        axes[0].legend(loc="best")
        fig.suptitle(title, fontsize=10)
    return out[0]


def learning_rates(histories: Mapping[str, History], *, t: Translator = ENGLISH) -> Plot | None:
    lines = {
        name: h.get("lr")
        for name, h in histories.items()
        if h.get("lr") and any(v > 0 for v in h.get("lr") if math.isfinite(v))
    }
    if not lines:
        return None
    ctx, out = _one(6.4, 2.4, t("learning rate per epoch"))
    with ctx as fig:
        ax = fig.add_subplot()
        for k, (name, values) in enumerate(lines.items()):
            ax.plot(
                range(1, len(values) + 1),
                values,
                color=SERIES[k % len(SERIES)],
                label=name,
                marker="o" if len(values) <= FEW_EPOCHS else None,
                ms=4,
            )
        ax.set_yscale("log")
        ax.set_xlabel(t("epoch"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(t("learning rate"))
        ax.set_title(t("Learning rate per epoch"))
        ax.legend(loc="best")
    return out[0]


# --- tuning ------------------------------------------------------------------------------------


def optimization_history(
    trials: Sequence[Mapping],
    curve: Sequence[Sequence[float]],
    *,
    metric: str,
    t: Translator = ENGLISH,
) -> Plot:
    ctx, out = _one(6.4, 2.8, t("tuning: each trial's validation score and the best so far"))
    with ctx as fig:
        ax = fig.add_subplot()
        done = [(tr["number"], tr["value"]) for tr in trials if tr.get("value") is not None]
        pruned = [
            tr["number"]
            for tr in trials
            if tr.get("value") is None and tr.get("state") != "WAITING"
        ]
        if done:
            ax.scatter(
                *zip(*done, strict=True), color=TRAIN, s=18, label=t("completed trial"), zorder=3
            )
        if curve:
            xs, ys = zip(*curve, strict=True)
            ax.step(xs, ys, where="post", color=VAL, lw=1.5, label=t("best so far"))
        if pruned:
            low = ax.get_ylim()[0] if done else 0.0
            ax.scatter(
                pruned, [low] * len(pruned), marker="x", color=GREY, s=20, label=t("not completed")
            )
        ax.set_xlabel(t("trial"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(t("validation {metric}", metric=_label(metric, t)))
        ax.set_title(t("Optimization history"))
        ax.legend(loc="best")
    return out[0]


def importances(values: Mapping[str, float], *, t: Translator = ENGLISH) -> Plot:
    items = sorted(values.items(), key=lambda kv: kv[1])
    ctx, out = _one(6.4, max(1.8, 0.28 * len(items) + 0.8), t("hyperparameter importances"))
    with ctx as fig:
        ax = fig.add_subplot()
        ax.barh([k for k, _ in items], [v for _, v in items], color=TRAIN)
        ax.set_xlabel(t("importance (fANOVA share of the variance in the validation score)"))
        ax.set_title(t("Hyperparameter importances"))
    return out[0]


# --- the final result -------------------------------------------------------------------------


def scores_against_baselines(
    bars: Sequence[tuple[str, float]], *, metric: str, t: Translator = ENGLISH
) -> Plot:
    """Horizontal bars; the bar whose name starts with "test" (or its translation) is the
    test score, drawn in the highlight colour."""
    ctx, out = _one(6.4, 0.42 * len(bars) + 0.9, t("test score against the baselines"))
    with ctx as fig:
        ax = fig.add_subplot()
        test = ("test", t("test"))
        colors = [BEST if name.startswith(test) else GREY for name, _ in bars]
        ax.barh([n for n, _ in bars], [v for _, v in bars], color=colors)
        for i, (_, v) in enumerate(bars):
            ax.annotate(f" {v:.4f}", (v, i), va="center", fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(_label(metric, t))
        ax.margins(x=0.15)
        ax.set_title(t("Final model against the score to beat"))
    return out[0]


def confusion(
    matrix: Sequence[Sequence[int]], names: Sequence[str], *, t: Translator = ENGLISH
) -> Plot:
    k = len(matrix)
    side = min(4.2, max(2.6, 0.32 * k + 1.4))
    annotate = k <= 15
    ctx, out = _one(2 * side + 0.6, side, t("confusion matrix: counts and normalized by row"))
    with ctx as fig:
        axes = fig.subplots(1, 2)
        rows = [sum(r) or 1 for r in matrix]
        normed = [[c / rows[i] for c in r] for i, r in enumerate(matrix)]
        labels = [_short(n, 12) for n in names] if len(names) == k else [str(i) for i in range(k)]
        for ax, values, title, fmt in (
            (axes[0], matrix, t("Counts"), "{:d}"),
            (axes[1], normed, t("Normalized by true class"), "{:.2f}"),
        ):
            top = max(max(r) for r in values) or 1
            ax.imshow(values, cmap="Blues", vmin=0, vmax=top)
            ax.grid(False)
            ax.set_xticks(
                range(k), labels, rotation=45 if k > 4 else 0, ha="right" if k > 4 else "center"
            )
            ax.set_yticks(range(k), labels)
            ax.set_xlabel(t("predicted"))
            ax.set_ylabel(t("true"))
            ax.set_title(title)
            if annotate:
                for i in range(k):
                    for j in range(k):
                        v = values[i][j]
                        ax.text(
                            j,
                            i,
                            fmt.format(int(v)) if fmt == "{:d}" else fmt.format(v),
                            ha="center",
                            va="center",
                            fontsize=7 if k > 8 else 8,
                            color="white" if v > top * 0.6 else "black",
                        )
    return out[0]


def roc_pr(
    roc: Mapping | None, pr: Mapping | None, *, positive: str | None, t: Translator = ENGLISH
) -> Plot:
    panels = [p for p in (roc, pr) if p]
    ctx, out = _one(
        3.3 * len(panels), 3.1, t("ROC and precision–recall curves of the positive class")
    )
    with ctx as fig:
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        i = 0
        if roc:
            ax = axes[i]
            ax.plot(roc["fpr"], roc["tpr"], color=TRAIN, lw=1.5)
            ax.plot([0, 1], [0, 1], color=GREY, ls="--", lw=1, label=t("chance"))
            ax.set_xlabel(t("false positive rate"))
            ax.set_ylabel(t("true positive rate"))
            ax.set_title(t("ROC curve"))
            ax.legend(loc="lower right")
            i += 1
        if pr:
            ax = axes[i]
            ax.plot(pr["recall"], pr["precision"], color=TRAIN, lw=1.5)
            if pr.get("prevalence") is not None:
                ax.axhline(pr["prevalence"], color=GREY, ls="--", lw=1, label=t("prevalence"))
                ax.legend(loc="lower left")
            ax.set_xlabel(_label("recall", t))
            ax.set_ylabel(_label("precision", t))
            ax.set_title(t("Precision–recall curve"))
        for ax in axes:
            ax.set_xlim(-0.02, 1.02)
            ax.set_ylim(-0.02, 1.02)
        if positive:
            fig.suptitle(t("positive class: {name}", name=_short(positive)), fontsize=9)
    return out[0]


def regression(
    actual: Sequence[float], predicted: Sequence[float], *, target: str, t: Translator = ENGLISH
) -> Plot:
    ctx, out = _one(7.0, 3.1, t("predicted against actual values, and residuals"))
    with ctx as fig:
        a1, a2 = fig.subplots(1, 2)
        a1.scatter(actual, predicted, s=6, alpha=0.5, color=TRAIN, rasterized=True)
        low = min(min(actual), min(predicted))
        high = max(max(actual), max(predicted))
        a1.plot([low, high], [low, high], color=GREY, ls="--", lw=1, label=t("perfect"))
        a1.set_xlabel(t("actual {target}", target=target))
        a1.set_ylabel(t("predicted {target}", target=target))
        a1.set_title(t("Predicted against actual"))
        a1.legend(loc="upper left")
        residuals = [p - a for a, p in zip(actual, predicted, strict=True)]
        a2.scatter(predicted, residuals, s=6, alpha=0.5, color=VAL, rasterized=True)
        a2.axhline(0, color=GREY, ls="--", lw=1)
        a2.set_xlabel(t("predicted {target}", target=target))
        a2.set_ylabel(t("residual (predicted − actual)"))
        a2.set_title(t("Residuals"))
    return out[0]


def per_label(
    values: Sequence[float | None], names: Sequence[str], *, t: Translator = ENGLISH
) -> Plot:
    pairs = [(n, v) for n, v in zip(names, values, strict=False) if v is not None]
    ctx, out = _one(6.4, max(1.8, 0.28 * len(pairs) + 0.8), t("average precision per label"))
    with ctx as fig:
        ax = fig.add_subplot()
        ax.barh([_short(n) for n, _ in pairs], [v for _, v in pairs], color=TRAIN)
        ax.set_xlim(0, 1)
        ax.invert_yaxis()
        ax.set_xlabel(t("average precision on the test set"))
        ax.set_title(t("Average precision per label"))
    return out[0]


def budget(
    by_stage: Mapping[str, float],
    *,
    limit: float | None,
    used: float | None,
    t: Translator = ENGLISH,
) -> Plot:
    names = list(by_stage)
    values = [float(v or 0) for v in by_stage.values()]
    ctx, out = _one(6.4, 0.3 * len(names) + 1.0, t("seconds spent by each stage"))
    with ctx as fig:
        ax = fig.add_subplot()
        ax.barh(names, values, color=TRAIN)
        for i, v in enumerate(values):
            ax.annotate(f" {v:.1f}s", (v, i), va="center", fontsize=8)
        ax.invert_yaxis()
        ax.margins(x=0.15)
        ax.set_xlabel(t("seconds"))
        if used is not None and limit is not None:
            title = t(
                "Time by stage ({used:.0f}s used of a {limit:.0f}s budget)", used=used, limit=limit
            )
        elif used is not None:
            title = t("Time by stage ({used:.0f}s used)", used=used)
        elif limit is not None:
            title = t("Time by stage (of a {limit:.0f}s budget)", limit=limit)
        else:
            title = t("Time by stage")
        ax.set_title(title)
    return out[0]


# --- helpers -------------------------------------------------------------------------------------

# A metric's name on the page: the words are messages (translated), the acronyms stay.
LABELS: dict[str, str | Msg] = {
    "accuracy": msg("accuracy"),
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
    "f1": "F1",
    "precision": msg("precision"),
    "recall": msg("recall"),
    "map": "mAP",
    "rmse": "RMSE",
    "mae": "MAE",
    "r2": "R²",
    "loss": msg("loss"),
}


def _label(metric: str | None, t: Translator = ENGLISH) -> str:
    """The metric's name as the page shows it, in ``t``'s language."""
    label = LABELS.get(str(metric))
    return str(metric) if label is None else t(label)


def _short(text: str, n: int = 18) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _spans_decades(*series: Sequence[float] | None) -> bool:
    values = [v for s in series if s for v in s if math.isfinite(v) and v > 0]
    return bool(values) and max(values) / min(values) > 100
