"""Fixtures of the bundle tests."""

from __future__ import annotations

import pytest
from bundle_data import write_synthetic_bundle


@pytest.fixture
def synthetic_bundle(tmp_path):
    """A one-member multiclass table model in ``tmp_path/model`` (untrained weights)."""
    return write_synthetic_bundle(tmp_path / "model")
