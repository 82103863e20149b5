"""A small text plot of the loss curves, for terminals and logs."""

from __future__ import annotations

import math

from dlpilot.core.history import History
from dlpilot.core.messages import DEFAULT_LANGUAGE, Translator

TRAIN_MARK = "o"
VAL_MARK = "x"
BOTH_MARK = "*"


def plot_curves(
    history: History,
    *,
    width: int = 60,
    height: int = 12,
    mark_epoch: int | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """Training (o) and validation (x) loss against epochs, in plain ASCII.

    The y axis is logarithmic when the values span more than a factor of 30; non-finite
    values are left out; ``mark_epoch`` puts a ``^`` under that epoch. The axis label and
    the legend are in ``language``.
    """
    t = Translator(language)
    curves = [(TRAIN_MARK, history.get("loss") or [])]
    if history.get("val_loss"):
        curves.append((VAL_MARK, history.get("val_loss") or []))
    n = len(history)
    finite = [v for _, values in curves for v in values if math.isfinite(v)]
    if n == 0 or not finite:
        return t("(no finite loss values to plot)")
    lo, hi = min(finite), max(finite)
    log = lo > 0 and hi / lo > 30
    f = math.log10 if log else (lambda v: v)
    flo, fhi = f(lo), f(hi)
    cols = max(2, min(width, n)) if n > 1 else 1

    def column(epoch_index: int) -> int:
        return 0 if n == 1 else round(epoch_index * (cols - 1) / (n - 1))

    def row(value: float) -> int:
        if fhi == flo:
            return height // 2
        return round((f(value) - flo) / (fhi - flo) * (height - 1))

    grid = [[" "] * cols for _ in range(height)]
    for mark, values in curves:
        for i, v in enumerate(values):
            if not math.isfinite(v):
                continue
            r, c = height - 1 - row(v), column(i)
            cell = grid[r][c]
            grid[r][c] = mark if cell in (" ", mark) else BOTH_MARK
    top, bottom = _num(hi), _num(lo)
    pad = max(len(top), len(bottom))
    lines = []
    for r, cells in enumerate(grid):
        label = top if r == 0 else bottom if r == height - 1 else ""
        lines.append(f"{label:>{pad}} |{''.join(cells)}")
    lines.append(" " * pad + " +" + "-" * cols)
    first, last = "1", str(n)
    axis = first + " " * max(1, cols - len(first) - len(last)) + last
    lines.append(" " * pad + "  " + axis + "  " + t("epoch"))
    if mark_epoch is not None and 1 <= mark_epoch <= n:
        c = column(mark_epoch - 1)
        lines.append(" " * (pad + 2 + c) + t("^ epoch {epoch}", epoch=mark_epoch))
    legend = [t("{mark} training loss", mark=TRAIN_MARK)]
    if len(curves) > 1:
        legend += [
            t("{mark} validation loss", mark=VAL_MARK),
            t("{mark} both", mark=BOTH_MARK),
        ]
    if log:
        legend.append(t("(log scale)"))
    lines.append(" " * pad + "  " + "   ".join(legend))
    return "\n".join(lines)


def _num(v: float) -> str:
    return f"{v:.3g}"
