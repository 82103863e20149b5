"""Which device to train on, and what it can do. Never fails without a GPU."""

from __future__ import annotations

import torch


def choose_device(prefer: str | torch.device | None = None) -> torch.device:
    """CUDA when present, else CPU; ``prefer`` ("cpu", "cuda", "cuda:1") overrides.

    Asking for CUDA on a machine without it falls back to the CPU rather than
    failing, so a run configured on a GPU box still runs on a laptop.
    """
    if prefer is not None:
        device = torch.device(prefer)
        if device.type == "cuda" and not torch.cuda.is_available():
            return torch.device("cpu")
        return device
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def supports_bf16(device: torch.device) -> bool:
    """Whether bf16 runs natively (fast) on ``device``.

    On a CPU, oneDNN reports native bf16 only with AVX-512 BF16 / AMX (or
    AVX-512 at least); on an AVX2-only CPU bf16 is emulated and slower than fp32.
    """
    if device.type == "cuda":
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    if device.type == "cpu":
        try:
            return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
        except (AttributeError, RuntimeError):  # a build without oneDNN
            return False
    return False
