"""One dated, sourced fact, and the error raised for an unknown catalog key."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_DATE = re.compile(r"(?<!\d)(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
_UNDATED = ("undated", "unknown")


@dataclass(frozen=True)
class Fact:
    """A number (or, rarely, a string) with its unit, source and date.

    Every default price, power draw or throughput in edgecalc is one of these, so that a result
    can show which facts it used and how old they are.
    """

    key: str
    """Dotted id, e.g. ``devices.jetson-agx-orin-64gb.power_w``."""
    value: float | str
    """The number, in ``unit``."""
    unit: str
    """Short unit, e.g. ``USD/h``, ``W``, ``samples/s``; the published wording is in ``note``."""
    source: str
    """Where the number comes from: ``github:<owner>/<repo>@<commit>:<path>`` or a page address."""
    as_of: str
    """Date the number refers to, as published: ``2023-09``, ``2026-07-20T13:44:30Z (...)``,
    ``undated``, ``unknown``."""
    confidence: str | None = None
    """``high`` (vendor, government, MLCommons), ``medium`` (reputable secondary) or ``low``
    (placeholder); None where the source is a provider-generated dataset."""
    note: str | None = None
    """Caveats: what the number covers and what it does not."""
    derived: bool = False
    """True when computed from other published numbers (see ``formula``)."""
    formula: str | None = None
    """How a derived number was computed."""
    spread_low: float | None = None
    """Low end of the spread the source reports (across states, vendors, studies), read as a
    90% interval by Monte Carlo's default ranges [unit]; None when the source gives none."""
    spread_high: float | None = None
    """High end of that spread [unit]."""

    def as_of_date(self) -> datetime.date | None:
        """The first date in ``as_of``.

        Returns
        -------
        datetime.date or None
            ``YYYY-MM-DD`` as given; ``YYYY-MM`` and ``YYYY`` give the first day of the month or
            year. None when ``as_of`` starts with "undated" or "unknown" or holds no date.

        Examples
        --------
        >>> Fact("k", 1.0, "W", "s", "2023-09").as_of_date()
        datetime.date(2023, 9, 1)
        >>> Fact("k", 1.0, "W", "s", "2026-07-20T13:44:30Z (file header)").as_of_date()
        datetime.date(2026, 7, 20)
        >>> Fact("k", 1.0, "W", "s", "undated (archived page)").as_of_date() is None
        True
        """
        return parse_as_of(self.as_of)

    def age_days(self, today: datetime.date) -> int | None:
        """Days from ``as_of_date()`` to ``today`` [days]; None when the fact has no date."""
        date = self.as_of_date()
        return None if date is None else (today - date).days


def parse_as_of(text: str) -> datetime.date | None:
    """The first ``YYYY[-MM[-DD]]`` in ``text`` as a date (see `Fact.as_of_date`)."""
    if text.strip().lower().startswith(_UNDATED):
        return None
    for match in _DATE.finditer(text):
        year, month, day = match.groups()
        if not 1900 <= int(year) <= 2100:
            continue
        for parts in ((year, month, day), (year, month, None), (year, None, None)):
            try:
                return datetime.date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))
            except ValueError:
                continue
    return None


class CatalogError(KeyError):
    """An unknown catalog key; the message names it, the close matches and how many exist."""

    def __init__(self, kind: str, key: str, known: Iterable[str]) -> None:
        known = sorted(known)
        lower = {k.lower(): k for k in known}
        close = [
            lower[m] for m in difflib.get_close_matches(key.lower(), list(lower), n=5, cutoff=0.6)
        ]
        hint = f"did you mean {', '.join(close)}?" if close else "no close match"
        message = f"unknown {kind} {key!r}: {hint} ({len(known)} {kind}s in the catalog)"
        super().__init__(message)
        self.kind = kind
        self.key = key
        self.close_matches = tuple(close)
        self.message = message

    def __str__(self) -> str:
        return self.message


_FACT_FIELDS = {
    "value", "unit", "source", "as_of", "confidence", "note", "derived", "formula",
    "spread_low", "spread_high",
}  # fmt: skip


def is_fact_mapping(node: object) -> bool:
    """True for a YAML mapping that holds a fact (it has a ``value``)."""
    return isinstance(node, Mapping) and "value" in node


def fact_from_mapping(key: str, node: Mapping) -> Fact:
    """Build a `Fact` from its YAML mapping; every fact must have value, unit, source, as_of."""
    missing = [f for f in ("value", "unit", "source", "as_of") if node.get(f) in (None, "")]
    if missing:
        raise ValueError(f"catalog fact {key} lacks {', '.join(missing)}")
    extra = set(node) - _FACT_FIELDS
    if extra:
        raise ValueError(f"catalog fact {key} has unknown fields {sorted(extra)}")
    if node.get("derived") and not node.get("formula"):
        raise ValueError(f"catalog fact {key} is derived but has no formula")
    value = node["value"]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"catalog fact {key} has a value that is not a number: {value!r}")
    if isinstance(value, int):
        value = float(value)
    return Fact(
        key=key,
        value=value,
        unit=str(node["unit"]),
        source=str(node["source"]),
        as_of=str(node["as_of"]),
        confidence=node.get("confidence"),
        note=node.get("note"),
        derived=bool(node.get("derived", False)),
        formula=node.get("formula"),
        spread_low=_spread(key, node, "spread_low"),
        spread_high=_spread(key, node, "spread_high"),
    )


def _spread(key: str, node: Mapping, name: str) -> float | None:
    value = node.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"catalog fact {key}: {name} must be a positive number, got {value!r}")
    return float(value)
