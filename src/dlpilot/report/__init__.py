"""summary.json and report.html from a run directory; never computes metrics."""

from dlpilot.report.summary import read_summary, write_summary

__all__ = ["read_summary", "write_summary"]
