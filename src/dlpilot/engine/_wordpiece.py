"""BERT's uncased WordPiece tokenizer (Devlin et al. 2019; Wu et al. 2016), for one word at a
time: the text backbone maps each of stage 3's tokens to the pieces its own vocabulary has.

It follows Hugging Face's ``BertTokenizer`` with ``do_lower_case``: lower-case, strip accents
(NFD, drop combining marks), split off punctuation and CJK characters, then greedy
longest-match-first pieces, continuations prefixed ``##``; a word with no match, or longer
than 100 characters, is ``[UNK]``. A test compares it with the ``tokenizers`` package's
reading of the same vocab.txt when that is installed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from dlpilot.core.errors import ConfigError
from dlpilot.core.messages import msg

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]")
MAX_WORD_CHARS = 100


class WordPiece:
    """A WordPiece vocabulary: token → id, and the pieces of a word."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.ids = {token: i for i, token in enumerate(vocabulary)}
        missing = [t for t in SPECIAL_TOKENS if t not in self.ids]
        if missing:
            raise ConfigError(
                msg(
                    "the WordPiece vocabulary lacks {tokens}; give the vocab.txt the text "
                    "backbone was trained with.",
                    tokens=", ".join(missing),
                )
            )
        self.pad, self.unk, self.cls, self.sep = (self.ids[t] for t in SPECIAL_TOKENS)

    @classmethod
    def from_file(cls, path: str | Path) -> WordPiece:
        """The vocabulary of a BERT ``vocab.txt``: one token a line, the line number its id."""
        try:
            lines = Path(path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                msg(
                    "cannot read the WordPiece vocabulary '{path}': {error}",
                    path=str(path),
                    error=exc,
                )
            ) from None
        if lines and lines[-1] == "":
            lines.pop()
        return cls(lines)

    def __len__(self) -> int:
        return len(self.ids)

    def encode(self, text: str) -> list[int]:
        """The piece ids of ``text`` (a word, or a few), as BERT's tokenizer gives them."""
        return [i for word in basic_words(text) for i in self._pieces(word)]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.ids.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenisation, uncased: lower-case, no accents, no control characters,
    punctuation and CJK characters on their own."""
    text = unicodedata.normalize("NFD", text.lower())
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if (
            cat == "Mn"
            or ch == "\ufffd"
            or ord(ch) == 0
            or (cat.startswith("C") and ch not in "\t\n\r")
        ):
            continue
        if ch.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(ch, cat) or _is_cjk(ord(ch)):
            if current:
                words.append("".join(current))
                current = []
            words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def _is_punctuation(ch: str, category: str) -> bool:
    # BERT counts every non-alphanumeric ASCII character as punctuation (e.g. $, ^, `).
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return category.startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
