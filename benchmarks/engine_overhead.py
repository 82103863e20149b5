"""dlpilot's `fit` against a minimal hand-written PyTorch loop: the engine's overhead.

Same model (the default image network, same initial weights), same data
(Fashion-MNIST), same batch size, optimizer and epochs; no validation, no
metric, no progress display. The two alternate within one process for
``--reps`` repetitions so machine load hits both alike. Prints the ratio of
epoch times (fit / hand), median and spread; target ≤ 1.05. Settings and
results go to benchmarks/out/engine_overhead.json.

    python benchmarks/engine_overhead.py [--limit N] [--epochs E] [--reps R]
        [--precision fp32|bf16] [--augment flip,crop]

``--precision bf16`` runs both loops under bf16 autocast (what precision AUTO picks on a CPU
with AVX-512 BF16); ``--augment`` applies the engine's batch augmentation in both loops, so
the fit/hand ratio stays the overhead and the epoch time says what augmentation costs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from _fashion import fashion_mnist

from dlpilot.core.enums import Modality, Task
from dlpilot.engine import (
    TensorData,
    TrainConfig,
    build_model,
    default_model_config,
    fit,
)


def hand_loop(model: torch.nn.Module, data: TensorData, cfg: TrainConfig) -> list[float]:
    """What a practitioner writes by hand: shuffled-index batches, Adam, cross-entropy (under
    bf16 autocast and with the engine's batch augmentation when the config asks)."""
    import contextlib

    from dlpilot.engine import augment_batch

    model.to(memory_format=torch.channels_last)
    model.train()
    x = data.x.contiguous(memory_format=torch.channels_last)
    y = data.y
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(cfg.seed)
    bs = cfg.batch_size
    times = []
    for _ in range(cfg.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), bs):
            idx = order[i : i + bs]
            xb = augment_batch(x[idx], cfg.augment, g) if cfg.augment else x[idx]
            bf16 = str(cfg.precision) == "bf16"
            with torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext():
                loss = loss_fn(model(xb), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="training samples (smoke runs)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: torch's)"
    )
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    parser.add_argument("--augment", default="", help="comma-separated: flip, crop, erase, rotate")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    train, _ = fashion_mnist(args.limit)
    model_cfg = default_model_config(Modality.IMAGE)
    augment = tuple(a for a in args.augment.split(",") if a)
    cfg = TrainConfig(
        lr=1e-3,
        batch_size=args.batch_size,
        epochs=args.epochs,
        precision=args.precision,
        augment=augment,
        seed=0,
    )
    settings = {
        "model": model_cfg.to_dict(),
        "train": cfg.to_dict(),
        "n_train": len(train),
        "reps": args.reps,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "machine": platform.processor() or platform.machine(),
    }
    ratios, fit_times, hand_times = [], [], []
    for rep in range(args.reps):
        # Alternate which goes first, so a warming or cooling machine favours neither.
        order = ("fit", "hand") if rep % 2 == 0 else ("hand", "fit")
        per: dict[str, float] = {}
        for which in order:
            model = build_model(model_cfg, input_shape=train.input_shape, n_outputs=10, seed=0)
            if which == "fit":
                result = fit(model, train, None, cfg, task=Task.MULTICLASS, verbose=False)
                per[which] = statistics.median(result.history.get("seconds"))
            else:
                per[which] = statistics.median(hand_loop(model, train, cfg))
        ratios.append(per["fit"] / per["hand"])
        fit_times.append(per["fit"])
        hand_times.append(per["hand"])
        print(
            f"rep {rep + 1}/{args.reps}: fit {per['fit']:.2f}s/epoch, hand {per['hand']:.2f}s/epoch,"
            f" ratio {ratios[-1]:.3f}",
            flush=True,
        )
    summary = {
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "ratio_stdev": statistics.stdev(ratios) if len(ratios) > 1 else 0.0,
        "fit_seconds_per_epoch_median": statistics.median(fit_times),
        "hand_seconds_per_epoch_median": statistics.median(hand_times),
    }
    print(
        f"epoch-time ratio fit/hand over {args.reps} reps: median {summary['ratio_median']:.3f} "
        f"(min {summary['ratio_min']:.3f}, max {summary['ratio_max']:.3f}, "
        f"sd {summary['ratio_stdev']:.3f}); target ≤ 1.05"
    )
    tag = args.precision + ("-" + "-".join(augment) if augment else "")
    out = Path(__file__).parent / "out" / f"engine_overhead-{tag}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "settings": settings,
                "summary": summary,
                "ratios": ratios,
                "fit": fit_times,
                "hand": hand_times,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
