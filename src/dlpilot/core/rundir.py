"""Every name inside a run directory, in one place.

The workflow writes these, the report reads them, the bundle and the CLI find the model
through them; all import the names from here so a rename is one edit. `core` is the lowest
layer, so every layer that needs a name can import it.
"""

from __future__ import annotations

SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
DECISIONS_FILE = "decisions.jsonl"
DATA_VIEW_FILE = "data_view.json"
NETWORK_VIEW_FILE = "network_view.json"  # a few training samples as the network receives them
EVALUATION_FILE = "evaluation.json"  # the test-set details the report draws
TEST_PREDICTIONS_FILE = "test_predictions.csv"  # a test file without labels: its predictions
STUDY_FILE = "study.db"
MODEL_DIR = "model"
STATE_DIR = "state"
HISTORY_DIR = "histories"
CHECKPOINT_DIR = "checkpoints"
RUN_STATE = "run"  # STATE_DIR/run.json: the options a run started with, for --resume
