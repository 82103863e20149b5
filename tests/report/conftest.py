"""Real runs, made once per test session, for the report tests: small data, small budgets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from dlpilot.workflow import RunOptions, run


def _run(source: Path, out: Path, *, budget: float = 8.0, trials: int = 2, **kwargs):
    return run(
        RunOptions(
            source=str(source),
            out=str(out),
            budget_seconds=budget,
            trials=trials,
            verbose=False,
            **kwargs,
        )
    )


def write_shapes(root: Path, per_class: int = 20, size: int = 24, seed: int = 0) -> Path:
    """An image folder of three drawn shapes (circle, square, cross) on noisy backgrounds."""
    rng = np.random.default_rng(seed)
    for name in ("circle", "square", "cross"):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            noise = rng.integers(0, 60, size=(size, size, 3), dtype=np.uint8)
            img = Image.fromarray(noise, "RGB")
            draw = ImageDraw.Draw(img)
            c = int(rng.integers(9, size - 9))
            r = int(rng.integers(4, 7))
            color = tuple(int(v) for v in rng.integers(150, 256, size=3))
            box = (c - r, c - r, c + r, c + r)
            if name == "circle":
                draw.ellipse(box, fill=color)
            elif name == "square":
                draw.rectangle(box, fill=color)
            else:
                draw.line((c - r, c, c + r, c), fill=color, width=3)
                draw.line((c, c - r, c, c + r), fill=color, width=3)
            img.save(root / name / f"{name}_{i}.png")
    return root


@pytest.fixture(scope="session")
def report_runs(tmp_path_factory):
    """Lazily made runs by name; each is made at most once per session."""
    root = tmp_path_factory.mktemp("report-runs")
    made: dict[str, Path] = {}
    rng = np.random.default_rng(0)

    def binary() -> Path:
        # 6,500 rows: enough for hold-out validation (so the final model is retrained and
        # has its own curve), with a categorical column and missing values.
        n = 6500
        x = rng.normal(size=(n, 4))
        kind = rng.choice(["red", "green", "blue"], size=n)
        logit = 1.5 * x[:, 0] - x[:, 1] + (kind == "red") + 0.5 * rng.normal(size=n)
        frame = pd.DataFrame(
            {
                "age": np.where(rng.random(n) < 0.05, np.nan, 40 + 10 * x[:, 0]),
                "income": np.exp(10 + 0.3 * x[:, 1]),
                "score": x[:, 2],
                "noise": x[:, 3],
                "colour": kind,
                "churn": np.where(logit > 0.4, "yes", "no"),
            }
        )
        frame.to_csv(root / "churn.csv", index=False)
        return _run(
            root / "churn.csv", root / "binary", budget=20, trials=3, target=("churn",)
        ).run_dir

    def image() -> Path:
        folder = write_shapes(root / "shapes")
        return _run(folder, root / "image", budget=15, trials=2).run_dir

    def regression() -> Path:
        n = 300
        x = rng.normal(size=(n, 3))
        frame = pd.DataFrame(
            {"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "price": 3 * x[:, 0] - x[:, 1] ** 2}
        )
        frame.to_csv(root / "prices.csv", index=False)
        return _run(root / "prices.csv", root / "regression", target=("price",)).run_dir

    def vector_regression() -> Path:
        n = 300
        x = rng.normal(size=(n, 6)).astype(np.float32)
        y = np.stack([x[:, 0] + x[:, 1], x[:, 2] - x[:, 3], x[:, 4] * 2], axis=1)
        np.savez(root / "boxes.npz", x=x, y=y)
        return _run(root / "boxes.npz", root / "vector_regression").run_dir

    def multilabel() -> Path:
        n = 300
        x = rng.normal(size=(n, 3, 32)).astype(np.float32)
        y = np.stack([(x[:, 0].mean(1) > 0), (x[:, 1].max(1) > 2.2), (x[:, 2, 0] > 0)], axis=1)
        np.savez(root / "signals.npz", x=x, y=y.astype(np.int64))
        return _run(root / "signals.npz", root / "multilabel").run_dir

    makers = {
        "binary": binary,
        "image": image,
        "regression": regression,
        "vector_regression": vector_regression,
        "multilabel": multilabel,
    }

    def get(name: str) -> Path:
        if name not in made:
            made[name] = makers[name]()
        return made[name]

    return get
