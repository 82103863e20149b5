"""The message catalogue's checks, shared by tests/core/test_messages.py and by hand.

``python tests/support/catalogue.py [PATH ...]`` lists, for the files under PATH (default: the
whole package), the templates the Korean catalogue lacks and the sites that still build a
user-facing text as a plain string instead of a `msg`.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "dlpilot"
# Calls whose first argument is a template: msg("..."), t("..."), record.t("...").
TEMPLATE_CALLS = {"msg", "t"}
# Our exceptions: raising one with a plain string leaves its message English-only.
ERROR_NAMES = {
    "DlpilotError",
    "DataError",
    "SourceNotFoundError",
    "ConfigError",
    "SealedTestSetError",
    "BudgetError",
    "StorageError",
    "BundleError",
    "HistoryError",
}
# Record fields a user reads, by the record that holds them (keyword or position).
TEXT_FIELDS = {"Decision": ("what", "why"), "Finding": ("evidence", "action")}
TEXT_POSITIONS = {"Decision": (0, 1), "Finding": (3, 4)}
LETTERS = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(PACKAGE.parent)}:{self.line}: {self.text}"


def python_files(paths: Iterable[Path] = ()) -> list[Path]:
    roots = list(paths) or [PACKAGE]
    out: list[Path] = []
    for root in roots:
        out += [root] if root.is_file() else sorted(root.rglob("*.py"))
    return [p for p in out if "locales" not in p.parts]


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            yield node


def templates(paths: Iterable[Path] = ()) -> dict[str, Site]:
    """Every literal template in the source, with where it first appears."""
    found: dict[str, Site] = {}
    for path in python_files(paths):
        for call in _calls(path):
            if _name(call.func) not in TEMPLATE_CALLS or not call.args:
                continue
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, Site(path, call.lineno, first.value))
    return found


def needs_translation(template: str) -> bool:
    """Whether a template holds words (not only fields, numbers and punctuation)."""
    return bool(LETTERS.search(re.sub(r"\{[^{}]*\}", "", template)))


def _plain_text(node: ast.expr) -> bool:
    """A string literal, an f-string or a concatenation of them that holds words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return needs_translation(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and needs_translation(str(v.value)) for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _plain_text(node.left) or _plain_text(node.right)
    return False


def plain_sites(paths: Iterable[Path] = ()) -> list[Site]:
    """Errors, decisions and findings built from plain English strings."""
    sites: list[Site] = []
    for path in python_files(paths):
        for call in _calls(path):
            name = _name(call.func)
            args: list[ast.expr] = []
            if name in ERROR_NAMES:
                args = call.args[:1]
            elif name in TEXT_FIELDS:
                positions = TEXT_POSITIONS[name]
                args = [a for i, a in enumerate(call.args) if i in positions]
                args += [k.value for k in call.keywords if k.arg in TEXT_FIELDS[name]]
            for arg in args:
                if _plain_text(arg):
                    sites.append(Site(path, call.lineno, f"{name}(...) {ast.unparse(arg)[:70]}"))
    return sites


def missing(language_messages: dict[str, str], paths: Iterable[Path] = ()) -> list[Site]:
    return [
        site
        for template, site in templates(paths).items()
        if needs_translation(template) and template not in language_messages
    ]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(PACKAGE.parent))
    from dlpilot.core.locales.ko import MESSAGES

    paths = [Path(a).resolve() for a in argv]
    gaps, plain = missing(MESSAGES, paths), plain_sites(paths)
    for site in gaps:
        print(f"missing ko: {site}")
    for site in plain:
        print(f"plain text: {site}")
    print(f"{len(gaps)} missing, {len(plain)} plain", file=sys.stderr)
    return 1 if gaps or plain else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
