"""Numeric precision: which one a device runs, and the autocast context that applies it."""

from __future__ import annotations

import contextlib
from typing import Any

import torch

from dlpilot.core.device import supports_bf16
from dlpilot.engine.config import Precision


def resolve_precision(precision: Precision | str, device: torch.device) -> Precision:
    """AUTO → bf16 where the device runs it natively (CUDA, CPUs with AVX-512 BF16/AMX), else fp32.

    On an AVX2-only CPU bf16 is emulated and slower than fp32, so AUTO keeps fp32.
    """
    precision = Precision(precision)
    if precision is Precision.AUTO:
        return Precision.BF16 if supports_bf16(device) else Precision.FP32
    return precision


def autocast(precision: Precision, device: torch.device) -> contextlib.AbstractContextManager[Any]:
    if precision is Precision.BF16:
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()
