"""The workflow: runs stages 0–8 in order, records them, and resumes an interrupted run.

- `orchestration`: `run`, `resume` and the stage wrappers, in the order of the stages;
- `options`: `RunOptions`, what a user can set, normalised once (`RunOptions.build`);
- `budget`: the budget policy (`BudgetPlan`) and the deadlines it gives (`Budget`);
- `rundir`: the run directory and the state saved after every stage;
- `callbacks`: `RunCallback`, the hooks a run calls (the terminal's is under `dlpilot.cli`);
- `setup`: the data stages 5–7 train on, for the run and its workers (`training_setup_for`);
- `checkpoints`: the best trial's saved networks and the members loaded from them;
- `outputs`: summary.json, the bundle, report.html, and the `RunResult`.

Layers: `cli`, `api` and `estimators` call this package; it calls `dlpilot.tuning` and the
stages, which never import it.
"""

from dlpilot.tuning.worker import WorkerResult
from dlpilot.workflow.budget import Budget, BudgetPlan, Marks
from dlpilot.workflow.callbacks import PlainNarrator, RunCallback
from dlpilot.workflow.options import RunOptions, parse_choice
from dlpilot.workflow.orchestration import resume, run, work
from dlpilot.workflow.outputs import RunResult
from dlpilot.workflow.rundir import RunDirectory, default_run_dir
from dlpilot.workflow.setup import training_setup_for

__all__ = [
    "Budget",
    "BudgetPlan",
    "Marks",
    "PlainNarrator",
    "RunCallback",
    "RunDirectory",
    "RunOptions",
    "RunResult",
    "WorkerResult",
    "default_run_dir",
    "parse_choice",
    "resume",
    "run",
    "training_setup_for",
    "work",
]
