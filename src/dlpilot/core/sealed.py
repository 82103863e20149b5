"""The sealed test set: readable by the final stage alone, and counted.

The test split is sealed the moment it exists (by the loader for an official
split, by the protocol stage otherwise). Its data lives in a closure, not in
attributes; it refuses to be pickled, so it cannot travel to a tuning worker;
and ``open`` needs the one key the seal issues, which the workflow asks for
only after tuning has ended. Stage inputs before the final stage are typed
without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlpilot.core.errors import SealedTestSetError
from dlpilot.core.messages import msg


@dataclass(frozen=True)
class TestData:
    """The opened test split: inputs and raw targets, as the source gave them (None: a test
    file without labels, whose predictions are written instead of a score)."""

    x: Any
    y: np.ndarray | None


class FinalStageKey:
    """Proof that tuning has ended; issued once per seal."""

    __slots__ = ("_seal_id",)

    def __init__(self, seal_id: int) -> None:
        self._seal_id = seal_id

    def __repr__(self) -> str:
        return "FinalStageKey()"

    def __reduce__(self) -> Any:
        raise SealedTestSetError(
            msg("The final-stage key cannot be pickled: the final stage runs in one process.")
        )


class SealedTestSet:
    """A test split that nothing before the final stage can read."""

    def __init__(self, x: Any, y: np.ndarray | None, *, origin: str) -> None:
        payload = TestData(x=x, y=None if y is None else np.asarray(y))
        self._payload: Callable[[], TestData] = lambda: payload
        self.origin = origin
        self.labelled = y is not None
        self.n_samples = len(x) if y is None else len(payload.y)
        self._times_opened = 0
        self._input_peeks = 0
        self._key: FinalStageKey | None = None

    @property
    def times_opened(self) -> int:
        return self._times_opened

    @property
    def input_peeks(self) -> int:
        """How often the unlabelled inputs were read for a distribution check."""
        return self._input_peeks

    def issue_final_key(self) -> FinalStageKey:
        """Hand out the one key that opens this seal. The workflow calls this after tuning."""
        if self._key is not None:
            raise SealedTestSetError(
                msg(
                    "The final-stage key was already issued: the test set is evaluated once per "
                    "run."
                )
            )
        self._key = FinalStageKey(id(self))
        return self._key

    def open(self, key: FinalStageKey | None = None) -> TestData:
        """Return the test inputs and targets; only with the key from `issue_final_key`."""
        if key is None or self._key is None or key is not self._key:
            raise SealedTestSetError(
                msg(
                    "The test set is sealed until the final stage: tune and select on validation "
                    "data only; the workflow opens the test set once, after tuning."
                )
            )
        self._times_opened += 1
        return self._payload()

    def peek_inputs(self) -> Any:
        """The test inputs without their targets, for the train-vs-test shift check.

        Reading unlabelled inputs cannot leak the answer; it is counted anyway.
        """
        self._input_peeks += 1
        return self._payload().x

    def __reduce__(self) -> Any:
        raise SealedTestSetError(
            msg("The sealed test set cannot be pickled or copied to another process.")
        )

    def __repr__(self) -> str:
        return (
            f"SealedTestSet(n_samples={self.n_samples}, origin={self.origin!r}, "
            f"times_opened={self._times_opened})"
        )
