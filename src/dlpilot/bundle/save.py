"""Write the final model bundle: weights as safetensors, preparation as JSON + NumPy, config.

Nothing in a bundle is pickled, so loading it can execute no code from it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.torch import save_file

from dlpilot import __version__
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import target_stats_of

BUNDLE_FORMAT = "dlpilot-bundle"
BUNDLE_FORMAT_VERSION = 1
CONFIG_FILE = "config.json"


def save_bundle(
    folder: str | Path,
    *,
    members: Sequence[Any],
    spec: ProblemSpec,
    model_config: Any,
    vocab_size: int | None,
    metric: dict[str, Any],
) -> Path:
    """Save ``members`` (each a preparer and a trained network) and what is needed to use them."""
    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    input_shape = None
    target_stats = None
    for i, member in enumerate(members):
        state = {k: v.detach().cpu().contiguous() for k, v in member.model.state_dict().items()}
        save_file(state, str(tmp / f"member_{i}.safetensors"))
        meta, arrays = member.preparer.state()
        (tmp / f"member_{i}.preparation.json").write_text(json.dumps(meta, indent=1))
        np.savez(tmp / f"member_{i}.preparation.npz", **arrays)
        input_shape = list(member.preparer.input_shape)
        target_stats = target_stats_of(member.model)
    config = {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_FORMAT_VERSION,
        "dlpilot_version": __version__,
        "problem": spec.to_dict(),
        "model_config": model_config.to_dict(),
        "input_shape": input_shape,
        "n_outputs": spec.n_outputs,
        "vocab_size": vocab_size,
        "target_stats": [list(v) for v in target_stats] if target_stats else None,
        "metric": metric,
        "members": len(members),
    }
    (tmp / CONFIG_FILE).write_text(json.dumps(config, indent=1))
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder
