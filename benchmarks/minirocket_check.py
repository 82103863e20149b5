"""Our MiniRocket (engine.rocket) with a ridge classifier on the real-dev sets, official splits:
a check of the implementation against the published MiniRocket figures.

    .venv/bin/python benchmarks/minirocket_check.py --seeds 3
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import RidgeClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dlpilot.engine.rocket import MiniRocket

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"settings: {vars(args)}")
    for path in sorted(REAL_DEV.glob("*.npz")):
        d = np.load(path)
        x, xt = torch.tensor(d["x"])[:, None], torch.tensor(d["x_test"])[:, None]
        accs, started = [], time.monotonic()
        for seed in range(args.seeds):
            rocket = MiniRocket(1, x.shape[2], seed=seed).fit(x, seed=seed)
            ridge = make_pipeline(StandardScaler(), RidgeClassifierCV(np.logspace(-3, 3, 10)))
            ridge.fit(rocket(x).numpy(), d["y"])
            accs.append(float((ridge.predict(rocket(xt).numpy()) == d["y_test"]).mean()))
        seconds = (time.monotonic() - started) / args.seeds
        print(f"{path.stem}: test {[round(a, 3) for a in accs]}, {seconds:.1f}s per seed")


if __name__ == "__main__":
    main()
