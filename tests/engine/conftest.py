"""Small synthetic data for the engine's tests: seconds, not minutes."""

from __future__ import annotations

import pytest
import torch

from dlpilot.engine import TensorData


@pytest.fixture
def gen() -> torch.Generator:
    return torch.Generator().manual_seed(1234)


@pytest.fixture
def blobs(gen: torch.Generator) -> tuple[TensorData, TensorData]:
    """Three Gaussian blobs in 8-D: learnable, so losses fall."""
    centres = torch.randn(3, 8, generator=gen) * 3

    def draw(n: int) -> TensorData:
        y = torch.randint(0, 3, (n,), generator=gen)
        return TensorData(centres[y] + torch.randn(n, 8, generator=gen), y)

    return draw(96), draw(48)


@pytest.fixture(autouse=True)
def one_thread():
    """One torch thread per test: on a shared 2-core machine, two OpenMP threads
    competing with other processes make small ops up to 80× slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
