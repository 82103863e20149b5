"""Diagnosis of learning curves: a history goes in, findings come out; nothing trains.

`diagnose` reads one training's history (dlpilot's or another tool's, via `read_history`)
and names what is wrong with evidence, a severity and an action, then picks the next step;
`diagnose_mismatch` compares two splits' scores. Thresholds live in `thresholds`.
"""

from dlpilot.diagnose import thresholds
from dlpilot.diagnose._diagnose import Diagnosis, NextStep, diagnose
from dlpilot.diagnose._mismatch import diagnose_mismatch
from dlpilot.diagnose._plot import plot_curves
from dlpilot.diagnose._readers import HistoryFormat, LoadedHistory, load_history, read_history
from dlpilot.diagnose.thresholds import MIN_EPOCHS

__all__ = [
    "MIN_EPOCHS",
    "Diagnosis",
    "HistoryFormat",
    "LoadedHistory",
    "NextStep",
    "diagnose",
    "diagnose_mismatch",
    "load_history",
    "plot_curves",
    "read_history",
    "thresholds",
]
