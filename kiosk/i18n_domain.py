"""The sentences the domain refuses with, made translatable for the screens.

``kiosk.domain`` has no Qt: it raises ``InvalidInput("a loan lasts at most 30 days")`` or
``Conflict(f"{tag} is not checked out")`` in English, and a screen shows ``str(err)``. This module reads every
such ``raise`` in the domain's source (its literal text, with each ``{…}`` of an f-string as a placeholder) and
writes ``kiosk/ui/domain_text.py``: one (pattern, message) pair per sentence, the message marked with
``QT_TRANSLATE_NOOP("Domain", …)`` so lupdate puts it in the ``.ts`` files and a translator sees
``{0} is not checked out``. ``kiosk.ui.language.error`` matches a shown message against the patterns and
shows the translation with the values put back as they were (tags, names, numbers).

The file is generated and committed (an installed kiosk has no source to read); ``python -m kiosk.i18n extract``
regenerates it before lupdate runs, and a test fails when it is out of date with the domain.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent / "domain"
OUTPUT = Path(__file__).resolve().parent / "ui" / "domain_text.py"
SCAN = (Path(__file__).resolve().parent / "scan" / "tag_rule.py",)  # why a scanned payload is not a tag
ERRORS = frozenset({"InvalidInput", "Conflict", "NotFound", "PermissionDenied", "DomainError"})
# Modules only the command line, the seeder or the mail and report renderers reach: never shown on a screen.
NOT_SHOWN = frozenset({"seed.py", "backup.py", "district_file.py", "district_file_desk.py", "mail.py", "render.py"})
MIN_LITERAL = 8  # a message that is mostly a value ("{0}: {1}") has nothing to translate and would match anything


def _pieces(node: ast.expr) -> Iterator[list[str | None]]:
    """The message's text as literal pieces and None for each value; every branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield [node.value]
    elif isinstance(node, ast.JoinedStr):
        out: list[str | None] = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                out.append(part.value)
            else:
                out.append(None)
        yield out
    elif isinstance(node, ast.IfExp):
        yield from _pieces(node.body)
        yield from _pieces(node.orelse)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        for left in _pieces(node.left):
            for right in _pieces(node.right):
                yield left + right


def _raised(tree: ast.AST) -> Iterator[ast.expr]:
    """The message of every domain error raised, and of every refused scan (``Verdict(False, reason=...)`` and
    the URL rule's ``return None, "why"``: a student reads those on Home)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ERRORS:
                yield node.exc.args[0]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Verdict":
            yield from (kw.value for kw in node.keywords if kw.arg == "reason")
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 2 \
                and isinstance(node.value.elts[0], ast.Constant) and node.value.elts[0].value is None:
            yield node.value.elts[1]


def _escape(text: str) -> str:
    """``re.escape`` that leaves spaces, dashes and quotes alone (they mean nothing in a pattern): readable."""
    return re.sub(r"\\([ \-'\"/:,#])", r"\1", re.escape(text))


def messages(domain: Path = DOMAIN) -> list[tuple[str, str]]:
    """(pattern, message) for every sentence the shown domain modules raise, most specific first."""
    found: dict[str, str] = {}
    for path in [*sorted(domain.rglob("*.py")), *SCAN]:
        if path.name in NOT_SHOWN:
            continue
        for arg in _raised(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for pieces in _pieces(arg):
                literal = "".join(p for p in pieces if p is not None)
                if len(literal.strip()) < MIN_LITERAL:
                    continue
                rx: list[str] = []
                msg: list[str] = []
                n = 0
                for p in pieces:
                    if p is None:
                        if rx and rx[-1] == "(.+?)":  # two values side by side: one group
                            continue
                        rx.append("(.+?)")
                        msg.append("{" + str(n) + "}")
                        n += 1
                    else:
                        rx.append(_escape(p))
                        msg.append(p.replace("{", "{{").replace("}", "}}"))
                found.setdefault("".join(rx), "".join(msg))
    # the longest literal first, so "no such room" never shadows a longer sentence that contains it
    return sorted(found.items(), key=lambda kv: (-len(re.sub(r"\{\d+\}", "", kv[1])), kv[1]))


def render(pairs: list[tuple[str, str]]) -> str:
    lines = ["# ruff: noqa: E501", '"""Generated by ``python -m kiosk.i18n extract`` from the messages kiosk/domain raises (see',
             'kiosk/i18n_domain.py): do not edit; a test fails when it is out of date."""', "",
             "from PySide6.QtCore import QT_TRANSLATE_NOOP", "", "MESSAGES = ("]
    for rx, msg in pairs:
        lines.append(f"    ({rx!r},")
        lines.append(f"     QT_TRANSLATE_NOOP(\"Domain\", {msg!r})),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def write(path: Path = OUTPUT) -> bool:
    """Regenerate ``kiosk/ui/domain_text.py``; True when it changed."""
    text = render(messages())
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
