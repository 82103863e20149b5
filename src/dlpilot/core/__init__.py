"""Types, errors, seeding and device choice shared by every layer. Imports no stage."""

from dlpilot.core.enums import (
    ColumnKind,
    FindingCode,
    MetricName,
    Modality,
    ProtocolKind,
    Severity,
    Task,
)
from dlpilot.core.errors import (
    BudgetError,
    BundleError,
    ConfigError,
    DataError,
    DlpilotError,
    HistoryError,
    SealedTestSetError,
    SourceNotFoundError,
    StorageError,
)
from dlpilot.core.records import Decision, Finding, ProblemSpec, StageRecord
from dlpilot.core.sealed import FinalStageKey, SealedTestSet, TestData

__all__ = [
    "BudgetError",
    "BundleError",
    "ColumnKind",
    "ConfigError",
    "DataError",
    "Decision",
    "DlpilotError",
    "FinalStageKey",
    "Finding",
    "FindingCode",
    "HistoryError",
    "MetricName",
    "Modality",
    "ProblemSpec",
    "ProtocolKind",
    "SealedTestSet",
    "SealedTestSetError",
    "Severity",
    "SourceNotFoundError",
    "StageRecord",
    "StorageError",
    "Task",
    "TestData",
]
