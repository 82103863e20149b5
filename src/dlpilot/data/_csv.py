"""How a delimited text file is written: its encoding, delimiter and decimal mark.

Files come as their tools export them: Excel's "Unicode text" is UTF-16 with a byte-order
mark and tabs, European locales write semicolons with decimal commas, older exports are
Latin-1. Each is detected from the file's first bytes and lines, and said in words so the
run can record it; `--sep` and `--encoding` settle what detection cannot.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from dlpilot.core.errors import DataError
from dlpilot.core.messages import Msg, Text, join, msg

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# The same names as a reader reads them (DELIMITERS' names are what --sep accepts).
DELIMITER_WORDS = {",": msg("comma"), ";": msg("semicolon"), "\t": msg("tab"), "|": msg("pipe")}
SNIFF_BYTES = 1 << 20  # the encoding check reads the first MiB
SNIFF_LINES = 50  # the delimiter check splits the first lines
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d+\.\d+\s*$")


@dataclass(frozen=True)
class CsvFormat:
    """What `pandas.read_csv` needs, and why each was chosen (what, why pairs)."""

    sep: str
    encoding: str
    decimal: str
    notes: tuple[tuple[Text, Text], ...]


def detect_format(path: Path, *, sep: str | None = None, encoding: str | None = None) -> CsvFormat:
    """The file's encoding, delimiter and decimal mark; given ones are taken as they are."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
        whole = len(head) < SNIFF_BYTES or not f.read(1)
    enc, enc_why = (encoding, msg("given with --encoding")) if encoding else _encoding(head, whole)
    text = _decode(head, enc, path)
    lines = text.splitlines()
    if not whole and lines:
        lines = lines[:-1]  # the last line read may be cut short
    lines = [line for line in lines if line.strip()][:SNIFF_LINES]
    if sep is not None:
        chosen, sep_why = parse_sep(sep), msg("given with --sep")
    else:
        chosen, sep_why = _delimiter(lines, path)
    decimal, dec_why = _decimal(lines, chosen)
    notes: list[tuple[Text, Text]] = [
        (
            msg(
                "read '{file}' as {name}-separated text in {encoding}",
                file=path.name,
                name=DELIMITER_WORDS.get(chosen, repr(chosen)),
                encoding=_encoding_name(enc),
            ),
            msg(
                "encoding: {encoding}; delimiter: {delimiter}", encoding=enc_why, delimiter=sep_why
            ),
        )
    ]
    if decimal == ",":
        notes.append((msg("read numbers with a decimal comma"), dec_why))
    return CsvFormat(sep=chosen, encoding=enc, decimal=decimal, notes=tuple(notes))


def parse_sep(value: str) -> str:
    """A delimiter as a user types it: the character itself, or tab, \\t, comma, … by name."""
    named = {name: char for char, name in DELIMITERS.items()}
    text = value.strip().lower() if value.strip() else value
    if text in named:
        return named[text]
    if value in ("\\t", "\t"):
        return "\t"
    if len(value) != 1:
        raise DataError(
            msg(
                "--sep {value!r} is not one character. Give ',', ';', '|', tab or another single "
                "character.",
                value=value,
            )
        )
    return value


def _encoding(head: bytes, whole: bool) -> tuple[str, Msg]:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", msg("it starts with a UTF-8 byte-order mark")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", msg("it starts with a UTF-16 byte-order mark")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
    except UnicodeDecodeError as exc:
        return "latin-1", msg(
            "byte {position} is not UTF-8 (0x{value:02x}); Latin-1 reads every byte, so it is "
            "the fallback",
            position=exc.start,
            value=head[exc.start],
        )
    return "utf-8", msg("its first bytes are valid UTF-8")


def _decode(head: bytes, encoding: str, path: Path) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(head, final=False)
    except LookupError:
        raise DataError(
            msg(
                "Unknown encoding {encoding!r}. Give --encoding utf-8, utf-16, latin-1 or another "
                "Python codec name.",
                encoding=encoding,
            )
        ) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            msg(
                "'{path}' is not valid {encoding} (byte {position}). Give its encoding with "
                "--encoding (utf-8, utf-16, latin-1, cp1252, …).",
                path=str(path),
                encoding=encoding,
                position=exc.start,
            )
        ) from None


def _delimiter(lines: list[str], path: Path) -> tuple[str, Msg]:
    """The delimiter that splits every sampled line into the same number (> 1) of fields."""
    if not lines:
        return ",", msg("the file has no lines to judge by; comma assumed")
    consistent: dict[str, int] = {}
    for sep in DELIMITERS:
        counts = {len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)}
        if len(counts) == 1 and (n := counts.pop()) > 1:
            consistent[sep] = n
    if not consistent:
        default = "\t" if path.suffix.lower() == ".tsv" else ","
        return default, msg(
            "no delimiter splits the first {n} lines evenly; {name} assumed from the file name",
            n=len(lines),
            name=DELIMITER_WORDS[default],
        )
    widest = max(consistent.values())
    best = [s for s, n in consistent.items() if n == widest]
    if len(best) > 1:
        names: Text = DELIMITER_WORDS[best[0]]
        for s in best[1:]:
            names = msg("{first} and {second}", first=names, second=DELIMITER_WORDS[s])
        raise DataError(
            msg(
                "Cannot tell the delimiter of '{path}': {names} both split its first {n} lines "
                "into {widest} columns. Give it with --sep (e.g. --sep ';').",
                path=str(path),
                names=names,
                n=len(lines),
                widest=widest,
            )
        )
    others = [
        msg("{name}: {n}", name=DELIMITER_WORDS[s], n=n)
        for s, n in consistent.items()
        if s != best[0]
    ]
    if others:
        return best[0], msg(
            "it splits all of the first {n} lines into {widest} columns (other even splits: "
            "{others})",
            n=len(lines),
            widest=widest,
            others=join(others, ", "),
        )
    return best[0], msg(
        "it splits all of the first {n} lines into {widest} columns", n=len(lines), widest=widest
    )


def _decimal(lines: list[str], sep: str) -> tuple[str, Text]:
    """A decimal comma when the sampled fields hold numbers like 1,5 and none like 1.5."""
    if sep == ",":
        return ".", ""
    fields = [
        v for row in csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=sep) for v in row
    ]
    comma = sum(bool(_DECIMAL_COMMA.match(v)) for v in fields)
    point = sum(bool(_DECIMAL_POINT.match(v)) for v in fields)
    if comma and not point:
        if sep in DELIMITER_WORDS:
            return ",", msg(
                "{n} sampled values are written like 1,5 and none like 1.5, as {name}-separated "
                "exports of European locales write them",
                n=comma,
                name=DELIMITER_WORDS[sep],
            )
        return ",", msg(
            "{n} sampled values are written like 1,5 and none like 1.5, as such-separated "
            "exports of European locales write them",
            n=comma,
        )
    return ".", ""


def _encoding_name(encoding: str) -> Text:
    if encoding == "utf-8-sig":
        return msg("UTF-8 (with a byte-order mark)")
    if encoding == "utf-16":
        return "UTF-16"
    return encoding.upper() if encoding.lower().startswith("utf") else encoding
