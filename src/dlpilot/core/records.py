"""Typed records that stages produce and the report reads.

Every stage returns its own typed result; each result carries the decisions
it took (what, why, the numbers) and the findings it raised (code, severity,
evidence, action). The workflow wraps them in a `StageRecord` with its timing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dlpilot.core.enums import FindingCode, Modality, Severity, Task
from dlpilot.core.messages import DEFAULT_LANGUAGE, Text, msg, render, stored

# The word for each severity, as a reader reads it (the value itself stays English).
SEVERITY_WORDS = {"error": msg("error"), "warning": msg("warning"), "info": msg("info")}


def severity_word(severity: object, language: str = DEFAULT_LANGUAGE) -> str:
    """A finding's severity as the reader reads it: \"warning\" -> \"경고\" in Korean."""
    word = SEVERITY_WORDS.get(str(severity))
    return render(word, language) if word is not None else str(severity)


def _texts(record: Any, names: tuple[str, ...]) -> None:
    """Keep each field's English text, and its message's stored form in ``texts``."""
    texts = dict(record.texts)
    for name in names:
        value = getattr(record, name)
        if not isinstance(value, str):
            form = stored(value)
            if form is not None:
                texts[name] = form
            object.__setattr__(record, name, str(value))
    object.__setattr__(record, "texts", texts)


def _stored_texts(d: Mapping[str, Any]) -> dict[str, Any]:
    return dict(d.get("msg") or {})


@dataclass(frozen=True)
class Finding:
    """Something worth knowing about the data or a training, with its evidence.

    ``evidence`` and ``action`` may be given as messages (`dlpilot.core.messages.msg`); they
    are kept as English text, with the message in ``texts`` for `text` in another language.
    """

    code: FindingCode
    severity: Severity
    stage: str
    evidence: Text
    action: Text
    texts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        _texts(self, ("evidence", "action"))

    def text(self, name: str, language: str) -> str:
        """The field ``name`` ("evidence", "action") in ``language``."""
        return render(self.texts.get(name) or getattr(self, name), language)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": str(self.code),
            "severity": str(self.severity),
            "stage": self.stage,
            "evidence": self.evidence,
            "action": self.action,
        }
        if self.texts:
            d["msg"] = dict(self.texts)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        return cls(
            code=FindingCode(d["code"]),
            severity=Severity(d["severity"]),
            stage=str(d["stage"]),
            evidence=str(d["evidence"]),
            action=str(d["action"]),
            texts=_stored_texts(d),
        )

    def __str__(self) -> str:
        return f"[{self.severity}] {self.code}: {self.evidence} -> {self.action}"


@dataclass(frozen=True)
class Decision:
    """A choice a stage made, why, and the numbers behind it.

    ``what`` and ``why`` may be given as messages; they are kept as English text, with the
    message in ``texts`` for `text` in another language.
    """

    what: Text
    why: Text
    numbers: Mapping[str, Any] = field(default_factory=dict)
    texts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        _texts(self, ("what", "why"))

    def text(self, name: str, language: str) -> str:
        """The field ``name`` ("what", "why") in ``language``."""
        return render(self.texts.get(name) or getattr(self, name), language)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"what": self.what, "why": self.why}
        if self.numbers:
            d["numbers"] = dict(self.numbers)
        if self.texts:
            d["msg"] = dict(self.texts)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Decision:
        return cls(
            what=str(d["what"]),
            why=str(d["why"]),
            numbers=dict(d.get("numbers", {})),
            texts=_stored_texts(d),
        )


@dataclass(frozen=True)
class StageRecord:
    """One stage as it ran: its name, time, decisions and findings."""

    name: str
    seconds: float
    decisions: tuple[Decision, ...] = ()
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seconds": round(self.seconds, 3),
            "decisions": [d.to_dict() for d in self.decisions],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> StageRecord:
        return cls(
            name=str(d["name"]),
            seconds=float(d["seconds"]),
            decisions=tuple(Decision.from_dict(x) for x in d.get("decisions", [])),
            findings=tuple(Finding.from_dict(x) for x in d.get("findings", [])),
        )


@dataclass(frozen=True)
class ProblemSpec:
    """What stage 0 concluded about the problem.

    ``class_names`` fixes the class order for every later stage: class ``i`` of
    an encoded target is ``class_names[i]``. For multilabel and vector
    regression, ``target_names`` names the outputs.
    """

    task: Task
    modality: Modality
    n_samples: int
    n_features: int
    input_shape: tuple[int, ...]
    target_names: tuple[str, ...]
    class_names: tuple[str, ...] = ()
    class_counts: Mapping[str, int] = field(default_factory=dict)
    minority_share: float | None = None
    imbalance_ratio: float | None = None
    n_test_official: int | None = None
    feature_columns: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    @property
    def n_classes(self) -> int | None:
        if self.task in (Task.BINARY, Task.MULTICLASS):
            return len(self.class_names)
        if self.task is Task.MULTILABEL:
            return len(self.target_names)
        return None

    @property
    def n_outputs(self) -> int:
        """Width of the network's last layer for this task."""
        if self.task is Task.BINARY:
            return 1
        if self.task is Task.MULTICLASS:
            return len(self.class_names)
        if self.task in (Task.MULTILABEL, Task.VECTOR_REGRESSION):
            return len(self.target_names)
        return 1

    @property
    def minority_class(self) -> str | None:
        if not self.class_counts:
            return None
        return min(self.class_counts, key=lambda k: (self.class_counts[k], k))

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": str(self.task),
            "modality": str(self.modality),
            "n_samples": self.n_samples,
            "n_features": self.n_features,
            "n_classes": self.n_classes,
            "class_counts": dict(self.class_counts),
            "minority_share": self.minority_share,
            "imbalance_ratio": self.imbalance_ratio,
            "input_shape": list(self.input_shape),
            "target_names": list(self.target_names),
            "class_names": list(self.class_names),
            "n_test_official": self.n_test_official,
            "feature_columns": list(self.feature_columns),
            "ignored_columns": list(self.ignored_columns),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ProblemSpec:
        return cls(
            task=Task(d["task"]),
            modality=Modality(d["modality"]),
            n_samples=int(d["n_samples"]),
            n_features=int(d["n_features"]),
            input_shape=tuple(int(v) for v in d.get("input_shape", ())),
            target_names=tuple(d.get("target_names", ())),
            class_names=tuple(d.get("class_names", ())),
            class_counts={str(k): int(v) for k, v in d.get("class_counts", {}).items()},
            minority_share=d.get("minority_share"),
            imbalance_ratio=d.get("imbalance_ratio"),
            n_test_official=d.get("n_test_official"),
            feature_columns=tuple(d.get("feature_columns", ())),
            ignored_columns=tuple(d.get("ignored_columns", ())),
        )
