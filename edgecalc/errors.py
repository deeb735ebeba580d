"""Errors a user reads: which file, line and field, the value, and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        if self.value is not None and repr(self.value) not in self.message:
            text += f" (got {_short(self.value)})"
        return text


def _short(value: object, limit: int = 80) -> str:
    if isinstance(value, bool):  # as the YAML file spells it
        return "true" if value else "false"
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
