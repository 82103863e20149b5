"""Which image network trains best per CPU-second on Fashion-MNIST: the default's evidence.

Each candidate trains through `fit` for a number of epochs sized to a similar
time budget (one-cycle AdamW, label smoothing 0.1, batch 256, no augmentation);
the official test split is the validation set here (a benchmark, not the
workflow). Prints seconds per epoch and test accuracy per epoch; saves
settings and results to benchmarks/out/image_default_candidates.json.

    python benchmarks/image_default_candidates.py [--limit N] [--scale F]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from _fashion import accuracy_metric, fashion_mnist

from dlpilot.core.enums import Task
from dlpilot.engine import ModelConfig, TrainConfig, build_model, fit

CANDIDATES = {
    "cnn d3 w16": (ModelConfig("cnn", depth=3, width=16, batch_norm=True), 10),
    "cnn d3 w32": (ModelConfig("cnn", depth=3, width=32, batch_norm=True), 4),
    "resnet d3 w16": (ModelConfig("resnet", depth=3, width=16, batch_norm=True), 4),
    "resnet d2 w32": (ModelConfig("resnet", depth=2, width=32, batch_norm=True), 3),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="training samples (smoke runs)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every epoch count")
    parser.add_argument("--only", nargs="*", default=None, help="candidate names to run")
    parser.add_argument("--tag", default="", help="suffix of the results file")
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: torch's)"
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    train, test = fashion_mnist(args.limit)
    settings = {
        "optimizer": "adamw",
        "lr": 3e-3,
        "schedule": "onecycle",
        "label_smoothing": 0.1,
        "batch_size": 256,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "machine": platform.processor() or platform.machine(),
        "n_train": len(train),
    }
    results = {}
    for name, (model_cfg, epochs) in CANDIDATES.items():
        if args.only and name not in args.only:
            continue
        epochs = max(1, round(epochs * args.scale))
        cfg = TrainConfig(
            optimizer="adamw",
            lr=3e-3,
            schedule="onecycle",
            label_smoothing=0.1,
            batch_size=256,
            epochs=epochs,
        )
        model = build_model(model_cfg, input_shape=train.input_shape, n_outputs=10)
        t0 = time.perf_counter()
        result = fit(
            model, train, test, cfg, task=Task.MULTICLASS, metric=accuracy_metric(), verbose=False
        )
        seconds = result.history.get("seconds")
        accs = result.history.get("val_accuracy")
        results[name] = {
            "model": model_cfg.to_dict(),
            "epochs": epochs,
            "seconds_per_epoch": seconds,
            "test_accuracy": accs,
            "total_seconds": time.perf_counter() - t0,
            "params": sum(p.numel() for p in model.parameters()),
        }
        print(
            f"{name:14s} epochs={epochs:2d} s/epoch={sum(seconds) / len(seconds):6.1f} "
            f"final acc={accs[-1]:.4f} total={sum(seconds):6.1f}s "
            f"acc/epoch={[round(a, 4) for a in accs]}",
            flush=True,
        )
    out = Path(__file__).parent / "out" / f"image_default_candidates{args.tag}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"settings": settings, "results": results}, indent=2))


if __name__ == "__main__":
    main()
