"""Errors a user reads: which file, line and field, the value, and what is allowed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters no input text may hold: C0 and C1 controls (the terminal's escape sequences
among them), DEL, and the bidirectional embeddings, overrides and isolates that reorder what a
reader sees ("Trojan Source", CVE-2021-42574)."""
_LINE_BREAKS_AND_TABS = "\t\n\r"


def control_character(text: str, line_breaks: bool = False) -> str | None:
    r"""The first character of ``text`` that no input may hold, as ``U+001B``; None if none.

    Parameters
    ----------
    text
        A name, a description or any other text from an input file.
    line_breaks
        Whether tabs and line breaks are allowed (a description may have several lines; a
        name is one line).

    Examples
    --------
    >>> control_character("Factory"), control_character("a\x1b[31m")
    (None, 'U+001B')
    >>> control_character("two\nlines"), control_character("two\nlines", line_breaks=True)
    ('U+000A', None)
    """
    for match in _CONTROL.finditer(text):
        if not (line_breaks and match.group() in _LINE_BREAKS_AND_TABS):
            return f"U+{ord(match.group()):04X}"
    return None


def printable(text: str) -> str:
    r"""``text`` with every character a terminal would not print as itself escaped
    (``\x1b``, ``\n``, ``\u202e``), so an error message shows what is wrong and does
    nothing else.

    Examples
    --------
    >>> printable("a\x1b[31mb")
    'a\\x1b[31mb'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input."""

    message: str
    """What is wrong and what is allowed."""
    file: str | None = None
    line: int | None = None
    """1-based line number."""
    column: int | None = None
    """1-based column number."""
    field: str | None = None
    """Dotted field path, e.g. ``edge.annual_failure_rate``."""
    value: object = None
    """The offending value, when there is one."""

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + f": {self.message}"
        if self.value is not None and not _quoted(self.value, self.message):
            text += f" (got {_short(self.value)})"
        return printable(text)


def _quoted(value: object, message: str) -> bool:
    """Whether ``message`` already shows ``value`` (as Python writes it, or as a person
    reads a number)."""
    return repr(value) in message or _short(value) in message


def _short(value: object, limit: int = 80) -> str:
    if isinstance(value, bool):  # as the YAML file spells it
        return "true" if value else "false"
    if isinstance(value, int | float):  # as a person reads it: 1,000,000, not 1000000.0
        from .format import as_written

        return as_written(value)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class ScenarioError(Exception):
    """A scenario could not be loaded; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class EdgecalcError(Exception):
    """An error in evaluating a valid scenario (e.g. a catalog fact the scenario must supply)."""
