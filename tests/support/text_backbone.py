"""A text backbone folder for tests: a randomly initialised all-MiniLM-L6-v2 of dlpilot's own
code, saved as safetensors, and a WordPiece vocab.txt of the right size that knows the words
the tests use (no package needed)."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import save_file

from dlpilot.engine._minilm import WORDPIECE_VOCABULARY, MiniLM

WORDS = [
    "the",
    "cat",
    "sat",
    "on",
    "mat",
    "dog",
    "ran",
    "in",
    "park",
    "stocks",
    "fell",
    "sharply",
    "today",
    "markets",
    "rose",
    "a",
    "an",
    "and",
    "of",
    "to",
    "is",
    "was",
    "good",
    "bad",
    "film",
    "movie",
    "great",
    "awful",
    "love",
    "hate",
    "food",
    "law",
    "sports",
]


def vocabulary() -> list[str]:
    """[PAD] first, then [unused0], [UNK], [CLS], [SEP], [MASK] at BERT's ids 100–103, letters,
    the test words and a few continuations, padded with [unused…] to the model's size."""
    tokens = ["[PAD]"] + [f"[unused{i}]" for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokens += list("abcdefghijklmnopqrstuvwxyz0123456789.,!?'-")
    tokens += [w for w in WORDS if w not in tokens] + [
        "##s",
        "##ing",
        "##ed",
        "un",
        "##believ",
        "##able",
    ]
    tokens += [f"[unused{i}]" for i in range(99, 99 + WORDPIECE_VOCABULARY - len(tokens))]
    assert len(tokens) == WORDPIECE_VOCABULARY
    return tokens


def write_backbone(folder: Path, seed: int = 0) -> Path:
    """``folder`` with model.safetensors and vocab.txt; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    state = {k: v.contiguous() for k, v in MiniLM().state_dict().items()}
    save_file(state, str(folder / "model.safetensors"))
    (folder / "vocab.txt").write_text("\n".join(vocabulary()) + "\n", encoding="utf-8")
    return folder
