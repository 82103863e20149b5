"""Real series sets for `benchmarks/real.py`, converted from a registry package's files.

sktime's wheel ships a few UCR/UEA sets as `.ts` files with their official splits. This
script downloads that wheel (no install: `pip download --no-deps`), reads the `.ts` files
with a small parser of our own, and writes `benchmarks/out/real/<name>.npz` with `x`, `y`,
`x_test`, `y_test` as `../shared/data/real-dev/` holds them. Variable-length series
(JapaneseVowels: 7–29 steps) are padded to the longest by repeating their last value.

    .venv/bin/python benchmarks/real_data.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

SETS = ("ItalyPowerDemand", "OSULeaf", "ACSF1", "BasicMotions", "JapaneseVowels", "Tecator")
OUT = Path(__file__).parent / "out" / "real"


def read_ts(text: str) -> tuple[np.ndarray, np.ndarray]:
    """A `.ts` file's series (N×C×L, or N×L for one channel) and labels (or targets)."""
    rows, labels = [], []
    in_data = False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower().startswith("@data"):
            in_data = True
            continue
        if not in_data or line.startswith("@"):
            continue
        *dims, label = line.split(":")
        rows.append([[float(v) for v in d.split(",")] for d in dims])
        labels.append(label.strip())
    length = max(len(d) for r in rows for d in r)
    x = np.array([[d + [d[-1]] * (length - len(d)) for d in r] for r in rows], dtype=np.float32)
    return (x[:, 0] if x.shape[1] == 1 else x), _targets(labels)


def _targets(labels: list[str]) -> np.ndarray:
    """Class labels stay strings; real-valued targets (Tecator's fat content) become floats."""
    y = np.array(labels)
    if all(v.isdigit() for v in labels):
        return y
    try:
        return y.astype(np.float64)
    except ValueError:
        return y


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, "sktime"],
            check=True,
        )
        wheel = next(Path(tmp).glob("sktime-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            for name in SETS:
                parts = {}
                for split in ("TRAIN", "TEST"):
                    member = f"sktime/datasets/data/{name}/{name}_{split}.ts"
                    parts[split] = read_ts(zf.read(member).decode("utf-8", errors="replace"))
                (x, y), (xt, yt) = parts["TRAIN"], parts["TEST"]
                np.savez(OUT / f"{name}.npz", x=x, y=y, x_test=xt, y_test=yt)
                print(f"{name}: train {x.shape}, test {xt.shape}, y {y.dtype} ({wheel.name})")


if __name__ == "__main__":
    main()
