"""Reading a weights file and loading it into a network, with one-line errors a user can act on.

Shared by `models` (the ``pretrained`` file of any architecture) and `backbones` (the
pretrained backbone), which `models` builds on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import torch
from torch import nn

from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg


def load_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """Read a weights file: safetensors, or a torch state dict (loaded with weights_only)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            msg("Pretrained weights file '{path}' not found; give a local file path.", path=path)
        )
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            state: object = load_file(str(path))
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt or foreign file: one clear line instead
        raise ConfigError(
            msg(
                "Cannot read pretrained weights '{path}': {kind}: {error}.",
                path=path,
                kind=type(exc).__name__,
                error=str(exc),
            )
        ) from None
    # Checkpoints often wrap the weights: {"state_dict": {...}} or {"model": {...}}.
    for key in ("state_dict", "model"):
        if isinstance(state, Mapping) and isinstance(state.get(key), Mapping):
            state = state[key]
    if not isinstance(state, Mapping) or not all(
        isinstance(v, torch.Tensor) for v in state.values()
    ):
        raise ConfigError(
            msg("Pretrained weights '{path}' do not hold a state dict of tensors.", path=path)
        )
    return dict(state)


def load_into(model: nn.Module, state: Mapping[str, torch.Tensor], path: str | None) -> None:
    """Load ``state`` into ``model``; a shape mismatch or a missing or unexpected key is a
    one-line `ConfigError` naming the file ``path``."""
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as exc:  # shape mismatches: keep the first line of torch's report
        detail = str(exc).split("\n")[1].strip() if "\n" in str(exc) else str(exc)
        raise ConfigError(
            msg(
                "Pretrained weights '{path}' do not fit this {model}: {detail}",
                path=path,
                model=type(model).__name__,
                detail=detail,
            )
        ) from None
    if result.missing_keys or result.unexpected_keys:
        raise ConfigError(
            msg(
                "Pretrained weights '{path}' do not fit this {model}: {n_missing} missing keys "
                "(e.g. {missing}), {n_unexpected} unexpected (e.g. {unexpected}).",
                path=path,
                model=type(model).__name__,
                n_missing=len(result.missing_keys),
                missing=result.missing_keys[:2],
                n_unexpected=len(result.unexpected_keys),
                unexpected=result.unexpected_keys[:2],
            )
        )


def split_shared(
    states: Sequence[Mapping[str, torch.Tensor]], prefix: str = "frozen."
) -> tuple[dict[str, torch.Tensor], list[dict[str, torch.Tensor]]]:
    """The tensors under ``prefix`` (a frozen backbone's) that are equal in every one of
    ``states``, once, and each state without them: K fold models of one transfer network
    share a 90 MB backbone, which a bundle then stores once instead of K times."""
    if len(states) < 2:
        return {}, [dict(s) for s in states]
    first, rest = states[0], states[1:]
    shared = {
        k: v
        for k, v in first.items()
        if k.startswith(prefix)
        and all(
            k in s and s[k].shape == v.shape and s[k].dtype == v.dtype and torch.equal(s[k], v)
            for s in rest
        )
    }
    return shared, [{k: v for k, v in s.items() if k not in shared} for s in states]
