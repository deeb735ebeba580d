"""Default ranges: honest uncertainty for the figures a scenario did not set itself.

A Monte Carlo run over the scenario's own ranges only is confident by construction: "the
recommendation holds in 100% of samples" when one input is ranged. So every effective input
that the scenario leaves to

- a catalog fact of ``confidence: low``, or one that records its source's spread
  (``spread_low``/``spread_high``), or
- a schema default whose field documentation calls it an assumption (``an assumption``,
  ``no published figure``, ``rule of thumb``),

is sampled over a default range unless the scenario pins it (sets a value or a range in the
file or by override). The range is the source's spread where the catalog records one (a 90%
interval, lognormal), else a stated width: ``value / 1.5`` to ``value x 1.5`` (a 90%
interval, lognormal; the tool's convention, not a published figure), cut to the field's
bounds. Inputs that hold the same catalog fact share one range (sampled together).
``simulate(..., pinned_defaults=True)`` (``edgecalc simulate --pinned-defaults``) keeps every
default at its value, as before.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass

from ..format import number
from ..pipeline.resolve import Resolved
from ..scenario.ranges import Range
from .fields import field_info, field_spec

__all__ = ["DEFAULT_WIDTH", "DefaultRange", "default_ranges", "describe", "with_default_ranges"]

DEFAULT_WIDTH = 1.5
"""Multiplicative half-width of a default range without a published spread: the 90% interval
is ``value / 1.5`` to ``value x 1.5`` [-]. A stated convention, not a published figure."""

_ASSUMPTION_WORDS = re.compile(r"\b(an assumption|no published figure|rule of thumb)", re.I)

_NEVER_RANGED = frozenset(
    {"horizon_months", "latency.percentile", "latency.budget_ms", "latency.min_saving_ms"}
)
"""Inputs that state the question (or a threshold the reasons only cite) rather than a fact
about the world: never ranged."""


@dataclass(frozen=True)
class DefaultRange:
    """One default that Monte Carlo samples over a range."""

    path: str
    """Dotted input path, e.g. ``edge.annual_failure_rate``."""
    value: float
    """The default's value (the range's median for a stated width) [unit of the input]."""
    range: Range
    """The 90% interval sampled."""
    why: str
    """Why it is ranged: ``catalog fact operations.truck_roll_usd (confidence low)``, ``schema
    default marked as an assumption``."""
    how: str
    """How the range was set: the source's spread, or the stated width."""


def _bounds(path: str) -> tuple[float | None, float | None]:
    spec = field_spec(path)
    if spec is None:
        return None, None
    lower = spec.lower if math.isfinite(spec.lower) else None
    upper = spec.upper if math.isfinite(spec.upper) else None
    return lower, upper


def _why(resolved: Resolved, path: str) -> tuple[str, tuple[float, float] | None] | None:
    a = resolved.assumptions.get(path)
    if a is None:
        return None
    if a.origin == "catalog" and a.fact is not None:
        spread = (a.fact.spread_low, a.fact.spread_high)
        if spread[0] is not None and spread[1] is not None:
            return f"catalog fact {a.fact.key} (its source's spread)", spread
        if a.fact.confidence == "low":
            return f"catalog fact {a.fact.key} (confidence low)", None
        return None
    if a.origin == "default" and _marked_as_assumption(path):
        return "schema default marked as an assumption", None
    return None


@functools.lru_cache(maxsize=4096)
def _marked_as_assumption(path: str) -> bool:
    """Whether the schema documents the field at ``path`` as an assumption.

    The schema's documentation does not change while the program runs
    (:func:`~edgecalc.uncertainty.fields.field_info` is itself remembered), so neither does
    the answer: it is looked up once per path, not once per run.
    """
    info = field_info(path)
    doc = (info.description or "") if info is not None else ""
    return _ASSUMPTION_WORDS.search(doc) is not None


def default_ranges(resolved: Resolved) -> list[DefaultRange]:
    """The defaults of ``resolved`` that Monte Carlo samples, in input order.

    Returns
    -------
    list of DefaultRange
        One per input path; inputs set by the scenario (a value or a range), integer fields,
        zero or non-finite values and the question's own terms (horizon, percentile, budget)
        are left out.
    """
    out = []
    for path, value in resolved.values.items():
        if path in _NEVER_RANGED or isinstance(value, Range):
            continue
        if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            continue
        spec = field_spec(path)
        if spec is not None and spec.integer:
            continue
        reason = _why(resolved, path)
        if reason is None:
            continue
        why, spread = reason
        lower, upper = _bounds(path)
        if spread is not None:
            low, high = float(spread[0]), float(spread[1])
            how = f"the source's spread, {number(low)} to {number(high)}, as a 90% interval"
        else:
            low, high = value / DEFAULT_WIDTH, value * DEFAULT_WIDTH
            how = (
                f"a stated width: {number(low)} to {number(high)} (/ and x {DEFAULT_WIDTH:g}) "
                "as a 90% interval"
            )
        if upper is not None and high > upper:
            high = upper
            how += f", cut at {number(upper)}"
        if not low < high:
            continue
        rng = Range(low=low, high=high, dist="lognormal", min=lower, max=upper)
        out.append(DefaultRange(path, float(value), rng, why, how))
    return out


def describe(d: DefaultRange) -> str:
    """One default range in words: ``edge.truck_roll_usd 1,000: catalog fact
    operations.truck_roll_usd (confidence low), a stated width: 666.7 to 1,500 ...``."""
    return f"{d.path} {number(d.value)}: {d.why}, {d.how}"


def with_default_ranges(resolved: Resolved, ranges: list[DefaultRange]) -> Resolved:
    """``resolved`` with each default replaced by its range; inputs that hold the same
    catalog fact get the very same Range object, so they are sampled as one quantity."""
    if not ranges:
        return resolved
    values = dict(resolved.values)
    shared: dict[str, Range] = {}
    for d in ranges:
        a = resolved.assumptions[d.path]
        key = a.fact.key if a.fact is not None else d.path
        values[d.path] = shared.setdefault(key, d.range)
    return dataclasses.replace(resolved, values=values)
