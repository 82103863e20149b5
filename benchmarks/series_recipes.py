"""The measurements behind stage 5's and stage 8's small-series defaults, on the real-dev sets.

A hand-written FCN (Wang et al. 2017, kernels 7-5-3, widths w-2w-w, batch norm), Adam 1e-3,
batch n/10 (2 to 16, Fawaz et al. 2019), a cosine schedule over the epochs, official splits:

    recipe        one network on all training series; test accuracy per seed
    final-choice  one network on all training series against the ensemble of its 5
                  stratified fold models (each on 80%), same recipe

    .venv/bin/python benchmarks/series_recipes.py recipe ArrowHead --width 64 --epochs 300
    .venv/bin/python benchmarks/series_recipes.py final-choice ArrowHead --epochs 300 --seeds 2

Prints its settings beside its results.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.model_selection import StratifiedKFold
from torch import nn

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"


def load(name: str) -> tuple[torch.Tensor, ...]:
    d = np.load(REAL_DEV / f"{name}.npz")
    classes = sorted(set(d["y"]))
    x, xt = torch.tensor(d["x"])[:, None], torch.tensor(d["x_test"])[:, None]
    y = torch.tensor([classes.index(v) for v in d["y"]])
    yt = torch.tensor([classes.index(v) for v in d["y_test"]])
    mu, sd = x.mean(), x.std()
    return (x - mu) / sd, y, (xt - mu) / sd, yt


def fcn(width: int, k: int) -> nn.Module:
    def block(c_in: int, c_out: int, kernel: int) -> list[nn.Module]:
        return [
            nn.Conv1d(c_in, c_out, kernel, padding=kernel // 2),
            nn.BatchNorm1d(c_out),
            nn.ReLU(),
        ]

    layers = block(1, width, 7) + block(width, 2 * width, 5) + block(2 * width, width, 3)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(width, k))


def train(x: torch.Tensor, y: torch.Tensor, *, width: int, epochs: int, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    model = fcn(width, int(y.max()) + 1)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    batch = max(2, min(16, len(x) // 10))
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * -(-len(x) // batch))
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            b = order[i : i + batch]
            if len(b) < 2:
                continue
            loss = F.cross_entropy(model(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
    return model.eval()


def probs(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return F.softmax(model(x), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["recipe", "final-choice"])
    parser.add_argument("name")
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, y, xt, yt = load(args.name)
    print(f"settings: {vars(args)}", flush=True)
    results = []
    for seed in range(args.seeds):
        started = time.monotonic()
        full = probs(train(x, y, width=args.width, epochs=args.epochs, seed=seed), xt)
        acc_full = float((full.argmax(1) == yt).float().mean())
        if args.mode == "recipe":
            results.append(acc_full)
            print(f"seed {seed}: test {acc_full:.3f} ({time.monotonic() - started:.0f}s)")
            continue
        folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(x[:, 0], y)
        members = [
            probs(train(x[i], y[i], width=args.width, epochs=args.epochs, seed=10 * seed + j), xt)
            for j, (i, _val) in enumerate(folds)
        ]
        ensemble = float((torch.stack(members).mean(0).argmax(1) == yt).float().mean())
        each = [round(float((p.argmax(1) == yt).float().mean()), 3) for p in members]
        results.append(acc_full - ensemble)
        print(
            f"seed {seed}: all data {acc_full:.3f}, fold ensemble {ensemble:.3f} (members {each})"
        )
    label = "median test" if args.mode == "recipe" else "median (all data − ensemble)"
    print(f"{args.name}: {label} {statistics.median(results):.3f}")


if __name__ == "__main__":
    main()
