"""dlpilot: the deep-learning project workflow, end to end, in one command."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
