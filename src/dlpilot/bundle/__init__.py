"""The final model bundle: save, load, predict, export.

`save_bundle` writes ``RUN_DIR/model/``; `load_bundle` reads it back as a `TrainedModel`
(executing nothing from it); `export_model` writes it as ONNX or TorchScript. Names are
imported on first use, so importing this package does not load PyTorch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "BUNDLE_FORMAT_VERSION": "save",
    "save_bundle": "save",
    "find_bundle": "load",
    "load_bundle": "load",
    "read_config": "load",
    "InputWarning": "model",
    "TrainedModel": "model",
    "ExportResult": "export",
    "export_model": "export",
    "ExportFormat": "formats",
    "InputFile": "inputs",
    "read_inputs": "inputs",
    "Column": "schema",
    "InputSchema": "schema",
}

__all__ = [
    "BUNDLE_FORMAT_VERSION",
    "Column",
    "ExportFormat",
    "ExportResult",
    "InputFile",
    "InputSchema",
    "InputWarning",
    "TrainedModel",
    "export_model",
    "find_bundle",
    "load_bundle",
    "read_config",
    "read_inputs",
    "save_bundle",
]

if TYPE_CHECKING:
    from dlpilot.bundle.export import ExportResult, export_model
    from dlpilot.bundle.formats import ExportFormat
    from dlpilot.bundle.inputs import InputFile, read_inputs
    from dlpilot.bundle.load import find_bundle, load_bundle, read_config
    from dlpilot.bundle.model import InputWarning, TrainedModel
    from dlpilot.bundle.save import BUNDLE_FORMAT_VERSION, save_bundle
    from dlpilot.bundle.schema import Column, InputSchema


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"dlpilot.bundle.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'dlpilot.bundle' has no attribute {name!r}")
