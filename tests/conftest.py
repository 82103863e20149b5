"""Shared helpers: a CLI runner and small data makers."""

from __future__ import annotations

import os

# Before anything loads PyTorch's OpenMP runtime (see src/dlpilot/__init__.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli():
    """Invoke the dlpilot CLI in-process; returns exit code, stdout and stderr apart."""
    from dlpilot.cli.app import app

    runner = CliRunner()

    def invoke(*args: str) -> CliResult:
        result = runner.invoke(app, list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return invoke


def write_images(
    root: Path,
    classes: Sequence[str],
    per_class: int,
    *,
    size: tuple[int, int] = (12, 10),
    mode: str = "L",
    fmt: str = "png",
    seed: int = 0,
) -> list[Path]:
    """Write small random images under root/<class>/; returns their paths."""
    rng = np.random.default_rng(seed)
    paths = []
    channels = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
    for c, name in enumerate(classes):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            arr = rng.integers(0, 256, size=(size[1], size[0], channels), dtype=np.uint8)
            arr[..., 0] = np.clip(arr[..., 0].astype(int) // 2 + 100 * c, 0, 255)
            img = Image.fromarray(arr[..., 0] if channels == 1 else arr)
            path = folder / f"{name}_{i}.{fmt}"
            img.save(path)
            paths.append(path)
    return paths


@pytest.fixture
def make_images():
    """The `write_images` helper, as a fixture (tests are not a package)."""
    return write_images
