"""summary.json and report.html from a run directory; never computes metrics."""

from dlpilot.report.data_view import write_data_view, write_network_view
from dlpilot.report.render import render_report
from dlpilot.report.summary import read_summary, write_summary

__all__ = [
    "read_summary",
    "render_report",
    "write_data_view",
    "write_network_view",
    "write_summary",
]
