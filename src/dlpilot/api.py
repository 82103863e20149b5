"""The Python front door: `run` the workflow, `load` a finished run's model.

result = dlpilot.run("data.csv", target="price", budget="5m")
result.summary["final"]["test"], result.report_path
model = dlpilot.load(result.run_dir)        # or result.model
model.predict(frame), model.predict_proba(frame)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlpilot.core.budget import parse_budget
from dlpilot.core.enums import MetricName, Modality, Task
from dlpilot.core.errors import ConfigError

if TYPE_CHECKING:
    from dlpilot.bundle import TrainedModel
    from dlpilot.workflow import RunResult

# The CLI refuses budgets under 20 s (core.budget.MIN_BUDGET_SECONDS). In Python the data
# is often small and in memory (tests, a Pipeline, cross-validation), where stages 0-4 take
# well under a second; the workflow still ends with a trained model at this floor.
MIN_API_BUDGET_SECONDS = 1.0

_ENUMS: dict[str, type] = {"task": Task, "modality": Modality, "metric": MetricName}


def run(
    source: str | Path,
    *,
    target: str | Sequence[str] | None = None,
    budget: str | float = "5m",
    **options: Any,
) -> RunResult:
    """Run stages 0–8 on ``source`` (a CSV/Parquet file, an image folder, an .npz or a
    built-in name) and write a run directory.

    ``budget`` is ``"90s"``, ``"10m"``, ``"1h30m"`` or seconds. ``options`` are those of
    ``dlpilot run``: task, modality, metric, positive_class, group, drop, data_dir, out,
    storage, study, seed, trials, human_error, threads, verbose. The result has
    ``summary`` (summary.json), ``model`` (a `TrainedModel`), ``run_dir`` and ``report_path``.
    """
    from dlpilot.workflow import RunOptions
    from dlpilot.workflow import run as run_workflow

    allowed = {f.name for f in fields(RunOptions)} - {"source", "target", "budget_seconds"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ConfigError(
            f"Unknown option(s) {unknown} for dlpilot.run; choose from {sorted(allowed)}."
        )
    for name, enum in _ENUMS.items():
        if options.get(name) is not None:
            options[name] = parse_choice(enum, name, options[name])
    for name in ("drop",):
        if isinstance(options.get(name), str):
            options[name] = (options[name],)
        elif options.get(name) is not None:
            options[name] = tuple(options[name])
    if options.get("out") is not None:
        options["out"] = str(options["out"])
    if options.get("data_dir") is not None:
        options["data_dir"] = str(options["data_dir"])
    targets = (target,) if isinstance(target, str) else tuple(target or ())
    return run_workflow(
        RunOptions(
            source=str(source),
            target=targets,
            budget_seconds=parse_budget(budget, minimum=MIN_API_BUDGET_SECONDS),
            **options,
        )
    )


def load(path: str | Path, *, device: str | None = None) -> TrainedModel:
    """The final model of a finished run (``RUN_DIR`` or ``RUN_DIR/model``).

    Loading executes nothing from the folder: weights are safetensors, the preparation
    JSON and plain NumPy arrays. ``device`` is "cpu", "cuda", … (default: CUDA if present).
    """
    from dlpilot.bundle import load_bundle

    return load_bundle(path, device=device)


def parse_choice(enum: type, name: str, value: Any) -> Any:
    """``value`` as a member of the str enum ``enum``; a `ConfigError` listing the choices."""
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(str(v) for v in enum)  # type: ignore[attr-defined]
        raise ConfigError(f"Unknown {name} {value!r}; choose one of {choices}.") from None
