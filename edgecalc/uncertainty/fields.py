"""Schema facts about a dotted scenario path: its pydantic field, bounds and integer-ness."""

from __future__ import annotations

import functools
import math
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..scenario.models import Scenario
from ..scenario.ranges import Range

__all__ = ["FieldSpec", "field_info", "field_spec"]


@dataclass(frozen=True)
class FieldSpec:
    """Schema bounds of a numeric scenario field."""

    lower: float
    """Smallest allowed value (``-inf`` when unbounded) [unit of the field]."""
    upper: float
    """Largest allowed value (``inf`` when unbounded) [unit of the field]."""
    lower_open: bool
    """True when ``lower`` itself is not allowed (``gt``)."""
    upper_open: bool
    """True when ``upper`` itself is not allowed (``lt``)."""
    integer: bool
    """True for whole numbers (counts, months)."""


def _walk_types(annotation: Any):
    """Every type nested in a (possibly Annotated / Optional / tuple) annotation, with the
    FieldInfo that an ``Annotated[scalar, Field(...)]`` attaches to it."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        infos = [m for m in meta if isinstance(m, FieldInfo)]
        if inner in (int, float) and infos:
            yield inner, infos[0]
        else:
            yield from _walk_types(inner)
    elif origin in (typing.Union, types.UnionType, tuple):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _walk_types(arg)
    else:
        yield annotation, None


def _field_annotation(path: str) -> Any | None:
    info = field_info(path)
    return None if info is None else info.annotation


@functools.lru_cache(maxsize=4096)
def field_info(path: str) -> Any | None:
    """The pydantic ``FieldInfo`` of a dotted scenario path (its docstring is
    ``.description``), or None when the path is not a field. The schema is fixed: a path's
    answer is kept (a Monte Carlo run asks for every input's, each run)."""
    cls: type[BaseModel] = Scenario
    info = None
    parts = path.split(".")
    for i, part in enumerate(parts):
        if part.isdigit():
            continue
        info = cls.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
        if i < len(parts) - 1:
            models = [
                t
                for t, _ in _walk_types(annotation)
                if isinstance(t, type) and issubclass(t, BaseModel) and t is not Range
            ]
            if not models:
                return None
            cls = models[0]
    return info


@functools.lru_cache(maxsize=4096)
def field_spec(path: str) -> FieldSpec | None:
    """Schema bounds of a numeric scenario field, or None when ``path`` is not one.

    Parameters
    ----------
    path : str
        Dotted scenario path, e.g. ``edge.redundancy`` or ``sites.list.0.uplink_mbps``.

    Returns
    -------
    FieldSpec or None
        None for a path that is not a numeric field of the scenario file (a value the resolver
        derives, such as ``sites.rtt_ms``, or a text field such as ``edge.device``).
    """
    annotation = _field_annotation(path)
    if annotation is None:
        return None
    for kind, info in _walk_types(annotation):
        if kind in (int, float) and info is not None:
            limits = info.json_schema_extra or {}
            lower = limits.get("minimum", limits.get("exclusiveMinimum", -math.inf))
            upper = limits.get("maximum", limits.get("exclusiveMaximum", math.inf))
            return FieldSpec(
                float(lower),
                float(upper),
                "exclusiveMinimum" in limits,
                "exclusiveMaximum" in limits,
                kind is int,
            )
    return None
