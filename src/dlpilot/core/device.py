"""Which device to train on, and what it can do. Never fails without a GPU."""

from __future__ import annotations

import os

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


def choose_threads() -> int:
    """Intra-op threads worth using now: the cores this process may run on, less those
    other processes keep busy (the 1-minute load average), at least one.

    OpenMP threads that outnumber the free cores wait for each other at every
    op: measured on a shared 2-core machine, a small CNN's training step took
    1.7 s with 2 threads while another process kept one core busy, 0.02 s with 1.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    return max(1, min(cores, cores - round(busy)))


def default_threads() -> int | None:
    """All cores when OpenMP waits passively (set by ``import dlpilot`` before PyTorch loads);
    otherwise None: only the cores other processes leave idle (see `choose_threads`)."""
    if os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE":
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:
            return os.cpu_count() or 1
    return None


def configure_threads(threads: int | None = None) -> int:
    """Set torch's intra-op thread count (``None``: `choose_threads`) and return it.

    Call once at the start of a run, before training; the engine itself never
    changes the thread count.
    """
    n = choose_threads() if threads is None else max(1, int(threads))
    torch.set_num_threads(n)
    return n
