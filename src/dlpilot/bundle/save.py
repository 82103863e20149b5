"""Write the final model bundle: weights as safetensors, preparation as JSON + NumPy, config.

Nothing in a bundle is pickled, so loading it can execute no code from it.

    model/
      config.json                  format and version, problem, network, input schema, metric
      member_<i>.safetensors       weights of network i (one, or one per fold of K-fold)
      member_<i>.preparation.json  its fitted preparation: plain values ...
      member_<i>.preparation.npz   ... and arrays (numbers only, read without pickle)
      shared.safetensors           a frozen backbone's weights, when several members share
                                   them (left out of their own files; absent otherwise)
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.torch import save_file

from dlpilot import __version__
from dlpilot.bundle.schema import schema_for
from dlpilot.core.enums import ColumnKind
from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import split_shared, target_stats_of

BUNDLE_FORMAT = "dlpilot-bundle"
# Raised when a change would make an older dlpilot misread a bundle; adding a key is not one.
BUNDLE_FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
SHARED_FILE = "shared.safetensors"


def member_files(i: int) -> tuple[str, str, str]:
    """Weights, preparation values and preparation arrays of member ``i``."""
    return (
        f"member_{i}.safetensors",
        f"member_{i}.preparation.json",
        f"member_{i}.preparation.npz",
    )


def save_bundle(
    folder: str | Path,
    *,
    members: Sequence[Any],
    spec: ProblemSpec,
    model_config: Any,
    vocab_size: int | None,
    metric: dict[str, Any],
    table_columns: Sequence[str] = (),
    column_kinds: Mapping[str, ColumnKind] | None = None,
) -> Path:
    """Save ``members`` (each a preparer and a trained network) and what is needed to use them.

    ``table_columns`` are the training table's input columns in order, and ``column_kinds``
    their types as the loader saw them; both go into the input schema.
    """
    if not members:
        raise ConfigError(msg("A bundle needs at least one member network; got none."))
    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    input_shape = None
    target_stats = None
    shared, states = split_shared(
        [
            {k: v.detach().cpu().contiguous() for k, v in m.model.state_dict().items()}
            for m in members
        ]
    )
    if shared:
        save_file(shared, str(tmp / SHARED_FILE))
    for i, (member, state) in enumerate(zip(members, states, strict=True)):
        weights, values, arrays_file = member_files(i)
        save_file(state, str(tmp / weights))
        meta, arrays = member.preparer.state()
        (tmp / values).write_text(json.dumps(meta, indent=1))
        np.savez(tmp / arrays_file, **arrays)
        input_shape = list(member.preparer.input_shape)
        target_stats = target_stats_of(member.model)
    schema = schema_for(
        spec, members[0].preparer, table_columns=table_columns, column_kinds=column_kinds
    )
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
        "schema": schema.to_dict(),
    }
    (tmp / CONFIG_FILE).write_text(json.dumps(config, indent=1))
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder
