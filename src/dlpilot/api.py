"""The Python front door: `run` the workflow, `load` a finished run's model.

result = dlpilot.run("data.csv", target="price", budget="5m")
result.summary["final"]["test"], result.report_path
model = dlpilot.load(result.run_dir)        # or result.model
model.predict(frame), model.predict_proba(frame)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlpilot.bundle import TrainedModel
    from dlpilot.workflow import RunResult, WorkerResult

# The CLI refuses budgets under 20 s (core.budget.MIN_BUDGET_SECONDS). In Python the data
# is often small and in memory (tests, a Pipeline, cross-validation), where stages 0-4 take
# well under a second; the workflow still ends with a trained model at this floor.
MIN_API_BUDGET_SECONDS = 1.0


def run(
    source: str | Path,
    *,
    target: str | Sequence[str] | None = None,
    budget: str | float = "5m",
    **options: Any,
) -> RunResult | WorkerResult:
    """Run stages 0–8 on ``source`` (a CSV/Parquet file, an image folder, an .npz or a
    built-in name) and write a run directory.

    ``budget`` is ``"90s"``, ``"10m"``, ``"1h30m"`` or seconds. ``options`` are those of
    ``dlpilot run``: task, modality, metric, positive_class, group, drop, data_dir, out,
    storage, study, seed, trials, human_error, threads, verbose, language ("en", "ko"). The result has
    ``summary`` (summary.json), ``model`` (a `TrainedModel`), ``run_dir`` and ``report_path``.
    A shared study (``storage``, ``study``) that another run started is joined as a worker,
    as ``dlpilot run`` does: the result is then the `WorkerResult`.
    """
    from dlpilot.workflow import RunOptions
    from dlpilot.workflow import run as run_workflow

    return run_workflow(
        RunOptions.build(
            source,
            target=target,
            budget=budget,
            min_budget_seconds=MIN_API_BUDGET_SECONDS,
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
