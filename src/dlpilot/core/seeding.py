"""Seeds: explicit generators where torch takes them, scoped global state where it doesn't.

Data order and augmentation draw from a `torch.Generator` made here. Weight
initialisation and dropout can only use torch's global generator, so they run
inside `seeded()`, which seeds it and puts the caller's state back afterwards:
code around a training is not disturbed by it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch


def make_generator(seed: int, device: torch.device | str = "cpu") -> torch.Generator:
    """A fresh generator on ``device`` seeded with ``seed``."""
    generator = torch.Generator(device=device)
    generator.manual_seed(int(seed))
    return generator


@contextmanager
def seeded(seed: int, device: torch.device | None = None) -> Iterator[None]:
    """Run a block with torch's global generators seeded, restoring them afterwards."""
    devices = [device] if device is not None and device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's global generators (for scripts, not library code)."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
