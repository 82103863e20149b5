"""Text: lower-cased word and punctuation tokens, a vocabulary of the training split, token ids.

Tokens seen at least ``MIN_TOKEN_COUNT`` times in training enter the vocabulary, the most
frequent first, up to ``MAX_VOCABULARY``; sequences are cut or padded to the
``SEQUENCE_LENGTH_QUANTILE`` quantile of training lengths, at most ``MAX_SEQUENCE_LENGTH``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch

from dlpilot.core.enums import ColumnKind
from dlpilot.data.dataset import Inputs
from dlpilot.preprocessing._frames import as_table, is_missing, require_columns
from dlpilot.preprocessing.base import STATE_VERSION, Preparer

MAX_VOCABULARY = 20_000
MIN_TOKEN_COUNT = 2
SEQUENCE_LENGTH_QUANTILE = 0.95
MAX_SEQUENCE_LENGTH = 256
PAD_ID = 0
UNKNOWN_ID = 1
_TOKEN = re.compile(r"\w+|[^\w\s]")


class TextPreparer(Preparer):
    """Lower-cased word and punctuation tokens; a vocabulary of the training split; ids N×L."""

    kind = "text"

    def __init__(
        self,
        columns: Sequence[str] | None = None,
        max_vocabulary: int = MAX_VOCABULARY,
        min_count: int = MIN_TOKEN_COUNT,
        max_length: int = MAX_SEQUENCE_LENGTH,
    ) -> None:
        self.columns = columns
        self.max_vocabulary = max_vocabulary
        self.min_count = min_count
        self.max_length = max_length

    def fit(self, x: Inputs) -> TextPreparer:
        table = as_table(x)
        columns = list(self.columns) if self.columns else [str(c) for c in table.columns]
        require_columns(table, columns)
        self.columns_ = columns
        docs = [tokenize(t) for t in self._texts(table)]
        counts = Counter(tok for doc in docs for tok in doc)
        kept = [t for t, c in counts.items() if c >= self.min_count] or list(counts)
        kept.sort(key=lambda t: (-counts[t], t))
        self.vocabulary_ = kept[: self.max_vocabulary]
        self.index_ = {t: i + 2 for i, t in enumerate(self.vocabulary_)}
        lengths = np.asarray([len(d) for d in docs]) if docs else np.asarray([1])
        self.length_ = int(
            min(self.max_length, max(1, math.ceil(np.quantile(lengths, SEQUENCE_LENGTH_QUANTILE))))
        )
        self.train_lengths_ = {
            "median": float(np.median(lengths)),
            "quantile": float(np.quantile(lengths, SEQUENCE_LENGTH_QUANTILE)),
            "max": int(lengths.max()),
        }
        return self

    @property
    def input_shape(self) -> tuple[int, ...]:
        self._check_fitted("length_")
        return (self.length_,)

    @property
    def vocab_size(self) -> int | None:
        self._check_fitted("vocabulary_")
        return len(self.vocabulary_) + 2

    def id_tokens(self) -> list[str] | None:
        self._check_fitted("vocabulary_")
        specials = {PAD_ID: "[PAD]", UNKNOWN_ID: "[UNK]"}
        return [specials[i] for i in sorted(specials)] + list(self.vocabulary_)

    def input_columns(
        self, column_kinds: Mapping[str, ColumnKind] | None = None
    ) -> tuple[tuple[str, ColumnKind], ...]:
        del column_kinds  # every column it reads is text
        self._check_fitted("columns_")
        return tuple((str(c), ColumnKind.TEXT) for c in self.columns_)

    def token_ids(self, x: Any) -> list[list[int]]:
        """Unpadded, untruncated ids per text (unknown tokens → UNKNOWN_ID)."""
        self._check_fitted("vocabulary_")
        table = as_table(x)
        require_columns(table, self.columns_)
        return [[self.index_.get(t, UNKNOWN_ID) for t in tokenize(s)] for s in self._texts(table)]

    def transform(self, x: Any) -> torch.Tensor:
        ids = self.token_ids(x)
        out = np.full((len(ids), self.length_), PAD_ID, dtype=np.int64)
        for i, row in enumerate(ids):
            row = row[: self.length_]
            out[i, : len(row)] = row
        return torch.from_numpy(out)

    def _texts(self, table: pd.DataFrame) -> list[str]:
        parts = [table[c].map(lambda v: "" if is_missing(v) else str(v)) for c in self.columns_]
        joined = parts[0]
        for p in parts[1:]:
            joined = joined + " " + p
        return joined.tolist()

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check_fitted("vocabulary_")
        meta = {
            "kind": self.kind,
            "version": STATE_VERSION,
            "columns": list(self.columns_),
            "vocabulary": list(self.vocabulary_),
            "length": self.length_,
            "max_vocabulary": self.max_vocabulary,
            "min_count": self.min_count,
            "max_length": self.max_length,
        }
        return meta, {}

    @classmethod
    def _from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> TextPreparer:
        prep = cls(
            columns=list(meta["columns"]),
            max_vocabulary=int(meta["max_vocabulary"]),
            min_count=int(meta["min_count"]),
            max_length=int(meta["max_length"]),
        )
        prep.columns_ = list(meta["columns"])
        prep.vocabulary_ = list(meta["vocabulary"])
        prep.index_ = {t: i + 2 for i, t in enumerate(prep.vocabulary_)}
        prep.length_ = int(meta["length"])
        prep.train_lengths_ = {}
        return prep

    def __repr__(self) -> str:
        if not hasattr(self, "vocabulary_"):
            return "TextPreparer(unfitted)"
        return f"TextPreparer(vocab_size={self.vocab_size}, length={self.length_})"


def tokenize(text: str) -> list[str]:
    """Lower-cased words and punctuation marks."""
    return _TOKEN.findall(text.lower())
