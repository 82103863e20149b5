"""The final model bundle: save, load, predict, export."""

from dlpilot.bundle.save import save_bundle

__all__ = ["save_bundle"]
