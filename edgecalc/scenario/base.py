"""The base of every scenario model (its own module so that section modules can share it)."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from .. import limits
from ..errors import control_character


class Strict(BaseModel):
    """Base of every scenario model: unknown keys are errors; instances are immutable; a
    true/false is accepted only where the field is a yes/no switch; text is bounded, holds no
    control characters (a name not even a line break), and a name is never empty."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_values(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and not _takes_bool(cls.model_fields[info.field_name]):
            raise ValueError("true/false is not accepted here: this field is not a yes/no switch")
        if isinstance(value, str):
            if _numbers_only(cls, info.field_name or ""):
                raise ValueError("a number is needed here, not text; write a number without quotes")
            _check_text(value, info.field_name or "")
        return value


@functools.cache
def _numbers_only(cls: type[BaseModel], name: str) -> bool:
    """Whether a field takes numbers only (``lat: float``, ``route_inflation: float | None``),
    so that a text is refused rather than read as a number ("48.1" in quotes), as the JSON
    Schema refuses it. Number-or-range fields refuse text in
    :func:`edgecalc.scenario.ranges.Num`."""
    field = cls.model_fields.get(name)
    leaves: list[Any] = []

    def walk(tp) -> None:
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            for a in typing.get_args(tp):
                walk(a)
        else:
            leaves.append(tp)

    if field is not None:
        walk(field.annotation)
    numbers = [tp for tp in leaves if tp is not type(None)]
    return bool(numbers) and all(tp in (int, float) for tp in numbers)


def _takes_bool(field) -> bool:
    """Whether a field's type admits a boolean (``connection_reuse: bool``)."""

    def walk(tp) -> bool:
        if tp is bool:
            return True
        return any(walk(a) for a in typing.get_args(tp))

    return walk(field.annotation)


def _check_text(value: str, field_name: str) -> None:
    if field_name == "name":
        if not value.strip():
            raise ValueError("a name must not be empty")
        if len(value) > limits.NAME_CHARS:
            raise ValueError(
                f"a name of {len(value):,} characters; names are limited to "
                f"{limits.NAME_CHARS} characters"
            )
        bad = control_character(value)
        if bad:
            raise ValueError(
                f"a name holds the control character {bad}; a name is plain text on one line "
                "(no line breaks, tabs, terminal escapes or direction overrides)"
            )
        return
    if len(value) > limits.TEXT_CHARS:
        raise ValueError(
            f"a text of {len(value):,} characters; text is limited to "
            f"{limits.TEXT_CHARS:,} characters"
        )
    bad = control_character(value, line_breaks=True)
    if bad:
        raise ValueError(
            f"the text holds the control character {bad}; text may have line breaks and tabs "
            "but no other control characters (terminal escapes, direction overrides)"
        )
