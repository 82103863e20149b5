"""Load a model bundle without executing anything it holds.

Only three readers touch a bundle: ``json`` for the config and the preparation's values,
``numpy.load(allow_pickle=False)`` for the preparation's arrays, and safetensors for the
weights. None of them can run code from a file, and no other file in the folder is read,
so a planted pickle is never opened.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from dlpilot import __version__
from dlpilot.bundle.model import LoadedMember, TrainedModel
from dlpilot.bundle.save import BUNDLE_FORMAT, CONFIG_FILE, SHARED_FILE, member_files
from dlpilot.bundle.schema import InputSchema, schema_for
from dlpilot.core.errors import BundleError, DlpilotError
from dlpilot.core.messages import Join, Msg, msg
from dlpilot.core.records import ProblemSpec
from dlpilot.core.rundir import MODEL_DIR, STATE_DIR

# Bundle formats this dlpilot reads.
READABLE_FORMAT_VERSIONS = (1,)


def find_bundle(path: str | Path) -> Path:
    """The bundle folder: ``path`` itself, or ``path/model`` for a run directory."""
    path = Path(path).expanduser()
    if not path.exists():
        raise BundleError(
            msg("'{path}' not found. Give a run directory or its model/ folder.", path=str(path))
        )
    for folder in (path, path / MODEL_DIR):
        if (folder / CONFIG_FILE).is_file():
            return folder
    if (path / STATE_DIR).is_dir():
        raise BundleError(
            msg(
                "No dlpilot model in '{path}': neither it nor '{model_dir}' holds {config}. The "
                "run may still be going, or was interrupted: finish it with 'dlpilot run "
                "--resume {path}'. Give a finished run directory or its model/ folder.",
                path=str(path),
                model_dir=str(path / MODEL_DIR),
                config=CONFIG_FILE,
            )
        )
    raise BundleError(
        msg(
            "No dlpilot model in '{path}': neither it nor '{model_dir}' holds {config}. Give a "
            "finished run directory or its model/ folder.",
            path=str(path),
            model_dir=str(path / MODEL_DIR),
            config=CONFIG_FILE,
        )
    )


def read_config(folder: Path) -> dict[str, Any]:
    """The bundle's config.json, checked to be a bundle in a format this dlpilot reads."""
    path = folder / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(_damaged(path, exc)) from None
    if not isinstance(config, dict) or config.get("format") != BUNDLE_FORMAT:
        raise BundleError(
            msg(
                "'{path}' is not a dlpilot model bundle (format {format!r}). Give a run "
                "directory or its model/ folder.",
                path=str(path),
                format=config.get("format") if isinstance(config, dict) else None,
            )
        )
    version = config.get("format_version")
    writer = config.get("dlpilot_version", msg("an unknown version"))
    if version not in READABLE_FORMAT_VERSIONS:
        newest = max(READABLE_FORMAT_VERSIONS)
        if isinstance(version, int) and version > newest:
            fix = msg(
                "Upgrade dlpilot (pip install -U dlpilot, or dlpilot=={writer}) to load it.",
                writer=writer,
            )
        else:
            fix = msg(
                "Load it with dlpilot {writer}, or run the workflow again to retrain it.",
                writer=writer,
            )
        raise BundleError(
            msg(
                "The model in '{folder}' was written by dlpilot {writer} in bundle format "
                "{version!r}; this dlpilot ({ours}) reads format {formats}. {fix}",
                folder=str(folder),
                writer=writer,
                version=version,
                ours=__version__,
                formats=", ".join(map(str, READABLE_FORMAT_VERSIONS)),
                fix=fix,
            )
        )
    return config


def load_bundle(path: str | Path, *, device: str | torch.device | None = None) -> TrainedModel:
    """Load the model in ``path`` (a run directory or its ``model/`` folder)."""
    folder = find_bundle(path)
    config = read_config(folder)
    try:
        spec = ProblemSpec.from_dict(config["problem"])
        n_members = int(config["members"])
        members = [_load_member(folder, i, spec, config) for i in range(n_members)]
        if "schema" in config:
            schema = InputSchema.from_dict(config["schema"])
        else:  # bundles written before the schema was saved
            schema = schema_for(spec, members[0].preparer)
    except DlpilotError as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError(
            msg(
                "The model in '{folder}' cannot be loaded: {error}",
                folder=str(folder),
                error=exc.message if isinstance(exc.message, Msg | Join) else str(exc),
            )
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        if "dlpilot_version" in config:
            raise BundleError(
                msg(
                    "The model in '{folder}' has an incomplete or damaged config ({kind}: "
                    "{error}). It was written by dlpilot {writer}.",
                    folder=str(folder),
                    kind=type(exc).__name__,
                    error=str(exc),
                    writer=config["dlpilot_version"],
                )
            ) from None
        raise BundleError(
            msg(
                "The model in '{folder}' has an incomplete or damaged config ({kind}: "
                "{error}). It was written by dlpilot of an unknown version.",
                folder=str(folder),
                kind=type(exc).__name__,
                error=str(exc),
            )
        ) from None
    return TrainedModel(
        members, spec=spec, schema=schema, config=config, path=folder, device=device
    )


def _load_member(folder: Path, i: int, spec: ProblemSpec, config: dict[str, Any]) -> LoadedMember:
    from dlpilot.engine import ModelConfig, build_model
    from dlpilot.preprocessing import Preparer

    weights_file, values_file, arrays_file = (folder / f for f in member_files(i))
    for f in (weights_file, values_file, arrays_file):
        if not f.is_file():
            raise BundleError(
                msg(
                    "The model in '{folder}' lacks '{file}'. The bundle is damaged.",
                    folder=str(folder),
                    file=f.name,
                )
            )
    try:
        meta = json.loads(values_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(_damaged(values_file, exc)) from None
    preparer = Preparer.from_state(meta, _read_arrays(arrays_file))
    state = _read_weights(weights_file)
    if (folder / SHARED_FILE).is_file():
        state = {**_read_weights(folder / SHARED_FILE), **state}
    n_outputs = int(config["n_outputs"])
    model_config = replace(ModelConfig.from_dict(config["model_config"]), pretrained=None)
    target_stats = None
    if spec.task.is_regression:
        # Placeholders: the Rescale layer's mean and std come with the weights below.
        target_stats = ([0.0] * n_outputs, [1.0] * n_outputs)
    network = build_model(
        model_config,
        input_shape=tuple(preparer.input_shape),
        n_outputs=n_outputs,
        vocab_size=preparer.vocab_size,
        target_stats=target_stats,
    )
    try:
        network.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0]
        raise BundleError(
            msg(
                "The weights in '{path}' do not fit the network its config describes ({error}).",
                path=str(weights_file),
                error=first,
            )
        ) from None
    network.eval()
    return LoadedMember(preparer=preparer, network=network)


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The preparation's arrays; an object array (which only pickle could restore) is refused."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: np.asarray(npz[k]) for k in npz.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise BundleError(
            msg(
                "Cannot read '{path}' as plain NumPy arrays ({error}). The bundle is damaged or "
                "was tampered with; it is not loaded.",
                path=str(path),
                error=str(exc),
            )
        ) from None


def _read_weights(path: Path) -> dict[str, torch.Tensor]:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise BundleError(
            msg(
                "Cannot read '{path}' as safetensors weights ({kind}: {error}). The bundle is "
                "damaged or was tampered with; it is not loaded.",
                path=str(path),
                kind=type(exc).__name__,
                error=str(exc),
            )
        ) from None


def _damaged(path: Path, exc: Exception) -> Msg:
    return msg(
        "Cannot read '{path}': {error}. The bundle is damaged.", path=str(path), error=str(exc)
    )
