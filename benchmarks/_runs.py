"""One unattended `dlpilot run` in a subprocess, as the benchmarks run it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path


def run_dlpilot(
    source: Path, budget: str, seed: int, out: Path, *extra: str
) -> tuple[dict | None, dict]:
    """``dlpilot run SOURCE --budget B --seed S --out OUT --quiet EXTRA...``: its summary.json
    (None when it failed) and ``{"seed", "wall"}`` plus the error's last lines on failure."""
    started = time.monotonic()
    cmd = [sys.executable, "-m", "dlpilot.cli", "run", str(source), "--budget", budget]
    cmd += ["--seed", str(seed), "--out", str(out), "--quiet", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        return None, {"seed": seed, "error": proc.stderr.strip().splitlines()[-3:], "wall": wall}
    return json.loads((out / "summary.json").read_text()), {"seed": seed, "wall": wall}
