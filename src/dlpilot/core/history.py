"""A training history: one row per epoch, Keras-style keys.

Keys follow one rule: ``loss``, ``val_loss``, the primary metric as
``{metric}`` and ``val_{metric}``, then ``lr`` and ``seconds``; validation keys
carry the ``val_`` prefix. dlpilot's engine writes it; the diagnosis reads it,
as well as histories other tools wrote once converted to this form.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class History:
    """Per-epoch values by key; ``epochs`` counts from 1."""

    columns: dict[str, list[float]] = field(default_factory=dict)
    metric: str | None = None
    greater_is_better: bool = True

    @property
    def epochs(self) -> list[int]:
        return list(range(1, len(self) + 1))

    def __len__(self) -> int:
        return max((len(v) for v in self.columns.values()), default=0)

    def append(self, row: Mapping[str, float]) -> None:
        """Add one epoch; keys missing from this row (or seen only now) are NaN-padded."""
        n = len(self)
        for key in row:
            if key not in self.columns:
                self.columns[key] = [math.nan] * n
        for key, values in self.columns.items():
            values.append(float(row.get(key, math.nan)))

    def get(self, key: str) -> list[float] | None:
        return self.columns.get(key)

    def last(self, key: str) -> float | None:
        values = self.columns.get(key)
        return values[-1] if values else None

    def rows(self) -> Iterable[dict[str, float]]:
        for i in range(len(self)):
            yield {"epoch": i + 1, **{k: v[i] for k, v in self.columns.items()}}

    def to_csv(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = ["epoch", *self.columns]
        with path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=keys)
            writer.writeheader()
            for row in self.rows():
                writer.writerow({k: _fmt(v) for k, v in row.items()})
        return path

    @classmethod
    def from_csv(
        cls, path: str | Path, *, metric: str | None = None, greater_is_better: bool = True
    ) -> History:
        """Read a history that `to_csv` wrote."""
        history = cls(metric=metric, greater_is_better=greater_is_better)
        with Path(path).open(newline="") as fh:
            for row in csv.DictReader(fh):
                history.append(
                    {
                        k: float(v) if v not in ("", None) else math.nan
                        for k, v in row.items()
                        if k != "epoch"
                    }
                )
        return history

    def to_dict(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "greater_is_better": self.greater_is_better,
            "columns": {k: list(v) for k, v in self.columns.items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> History:
        columns = d.get("columns", {})
        assert isinstance(columns, Mapping)
        return cls(
            columns={str(k): [float(x) for x in v] for k, v in columns.items()},
            metric=d.get("metric"),
            greater_is_better=bool(d.get("greater_is_better", True)),
        )


def _fmt(v: float | int) -> str:
    if isinstance(v, int):
        return str(v)
    return "" if math.isnan(v) else repr(float(v))
