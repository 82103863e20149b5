"""The export formats (light: the CLI lists them without loading PyTorch)."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    ONNX = "onnx"
    TORCHSCRIPT = "torchscript"

    @property
    def suffix(self) -> str:
        return ".onnx" if self is ExportFormat.ONNX else ".pt"
