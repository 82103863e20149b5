"""The trained networks a run keeps between stages: the best trial's fold models (saved as
tuning goes, in ``checkpoints/``) and the members the final stage loads back from them.

Safetensors only, like the bundle: loading executes nothing from the run directory.
"""

from __future__ import annotations

import json
from pathlib import Path

from dlpilot.core.errors import DlpilotError
from dlpilot.core.messages import msg
from dlpilot.core.records import ProblemSpec
from dlpilot.engine import split_shared
from dlpilot.stages._evaluate import Evaluation, fold_network
from dlpilot.stages.final import Member
from dlpilot.stages.prepare import PreparedData
from dlpilot.stages.tune import Tuning
from dlpilot.workflow.rundir import json_default

META_FILE = "best.json"
# A transfer network's frozen backbone, stored once for all folds (`split_shared`).
SHARED_FILE = "shared.safetensors"


def save_checkpoint(folder: Path, number: int, evaluation: Evaluation) -> None:
    """Trial ``number``'s fold models, replacing what ``folder`` held."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    shared, states = split_shared(
        [
            {k: v.detach().cpu().contiguous() for k, v in m.state_dict().items()}
            for m in evaluation.models
        ]
    )
    (folder / SHARED_FILE).unlink(missing_ok=True)
    if shared:
        save_file(shared, str(folder / SHARED_FILE))
    for i, state in enumerate(states):
        save_file(state, str(folder / f"fold_{i}.safetensors"))
    (folder / META_FILE).write_text(
        json.dumps(
            {
                "trial": number,
                "folds": len(evaluation.models),
                "model": evaluation.model.to_dict(),
                "val_score": json_default(evaluation.val_score),
            }
        )
    )


def checkpoint_matches(folder: Path, number: int | None, n_folds: int | None) -> bool:
    """Whether the saved checkpoint is trial ``number``'s, with ``n_folds`` models (or any)."""
    meta = folder / META_FILE
    if number is None or not meta.exists():
        return False
    saved = json.loads(meta.read_text())
    return saved["trial"] == number and (n_folds is None or saved["folds"] == n_folds)


def load_members(
    folder: Path,
    tuning: Tuning,
    prepared: PreparedData,
    spec: ProblemSpec,
    *,
    all_folds: bool,
) -> list[Member]:
    """The best trial's saved networks (every fold's, or the first), each with its preparer."""
    from safetensors.torch import load_file

    if not checkpoint_matches(
        folder, tuning.best_number, len(prepared.folds) if all_folds else None
    ):
        raise DlpilotError(
            msg(
                "No saved model of the best configuration is available and there is no time "
                "to retrain one. Give a larger --budget."
            )
        )
    shared = load_file(str(folder / SHARED_FILE)) if (folder / SHARED_FILE).is_file() else {}
    members = []
    for i, fold in enumerate(prepared.folds if all_folds else prepared.folds[:1]):
        model = fold_network(
            tuning.best_model,
            fold,
            spec,
            input_shape=prepared.input_shape,
            vocab_size=prepared.vocab_size,
        )
        model.load_state_dict({**shared, **load_file(str(folder / f"fold_{i}.safetensors"))})
        model.eval()
        members.append(Member(fold.preparer, model))
    return members
