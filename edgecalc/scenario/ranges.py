"""Numbers that may be given as a range: ``40`` or ``{low: 20, high: 60}``.

A range is a 90% interval by default: ``low`` and ``high`` are the 5th and 95th
percentiles, lognormal when both are positive and normal otherwise (the convention of
Guesstimate, Squiggle and squigglepy). For ``uniform`` and ``triangular`` the two ends are
the support. A deterministic run uses the median; Monte Carlo samples the distribution
(:mod:`edgecalc.uncertainty`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

from .. import limits
from ..format import as_written

Distribution = Literal["lognormal", "normal", "triangular", "uniform"]


class Range(BaseModel):
    """An uncertain number: a 90% interval, or the support of a uniform/triangular law."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    low: float
    """5th percentile (lognormal, normal) or lower end of the support (uniform, triangular)."""
    high: float
    """95th percentile (lognormal, normal) or upper end of the support (uniform, triangular)."""
    dist: Distribution | None = None
    """Shape; omitted means lognormal when both ends are positive, normal otherwise."""
    mode: float | None = None
    """Most likely value of a triangular range; default the midpoint."""
    min: float | None = None
    """Hard lower bound: samples below it are impossible (truncated)."""
    max: float | None = None
    """Hard upper bound: samples above it are impossible (truncated)."""

    _integer: bool = PrivateAttr(default=False)
    """Set for a range on a whole-number field: its median is rounded to a whole number."""

    @model_validator(mode="before")
    @classmethod
    def _no_booleans(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("low", "high", "mode", "min", "max"):
                if isinstance(data.get(key), bool):
                    raise ValueError(f"{key}: true/false is not a number")
                if isinstance(data.get(key), str):
                    raise ValueError(
                        f"{key}: a number is needed, not the text {data[key][:40]!r}; write a "
                        "number without quotes"
                    )
        return data

    @model_validator(mode="after")
    def _check(self) -> Range:
        for key in ("low", "high", "mode", "min", "max"):
            x = getattr(self, key)
            if x is not None and not math.isfinite(x):
                raise ValueError(f"{key} must be a finite number")
        if self.high < self.low:
            raise ValueError(f"high ({self.high:g}) must not be below low ({self.low:g})")
        if self.dist == "lognormal" and self.low <= 0:
            raise ValueError("a lognormal range needs low > 0")
        if self.mode is not None:
            if self.dist != "triangular":
                raise ValueError("mode is only used with dist: triangular")
            if not self.low <= self.mode <= self.high:
                raise ValueError("mode must lie between low and high")
        # the hard bounds must leave an interval of some width, overlapping the range
        if self.min is not None and self.max is not None and self.max <= self.min:
            raise ValueError("max must be above min")
        if self.min is not None and self.high <= self.min:
            raise ValueError(f"min ({self.min:g}) must be below high ({self.high:g})")
        if self.max is not None and self.low >= self.max:
            raise ValueError(f"max ({self.max:g}) must be above low ({self.low:g})")
        return self

    @property
    def shape(self) -> Distribution:
        """The distribution actually used (resolving the default)."""
        if self.dist is not None:
            return self.dist
        return "lognormal" if self.low > 0 else "normal"

    def median(self) -> float:
        """Median of the range: the value a deterministic run uses.

        Notes
        -----
        lognormal: ``sqrt(low * high)``; normal and uniform: ``(low + high) / 2``;
        triangular(a, c, b): ``a + sqrt((b - a)(c - a) / 2)`` when ``c >= (a + b) / 2``,
        else ``b - sqrt((b - a)(b - c) / 2)``. Hard bounds clip the result.
        """
        a, b = self.low, self.high
        shape = self.shape
        if shape == "lognormal":
            value = math.sqrt(a * b)
        elif shape == "triangular":
            c = (a + b) / 2 if self.mode is None else self.mode
            if c >= (a + b) / 2:
                value = a + math.sqrt((b - a) * (c - a) / 2)
            else:
                value = b - math.sqrt((b - a) * (b - c) / 2)
        else:
            value = (a + b) / 2
        if self.min is not None:
            value = max(value, self.min)
        if self.max is not None:
            value = min(value, self.max)
        if self._integer:
            value = float(round(value))
        return value


def median(value: float | Range) -> float:
    """The point value of a number or a range."""
    return value.median() if isinstance(value, Range) else float(value)


def _allowed_text(ge=None, gt=None, le=None, lt=None, integer=False) -> str:
    """What a numeric field allows, in words: its bounds, and every number's limits
    (:data:`edgecalc.limits.NUMBER_MAGNITUDE`; a fraction is zero or at least
    :data:`edgecalc.limits.NUMBER_SMALLEST` in size), stated only where they narrow the
    bounds.

    Examples
    --------
    >>> _allowed_text(gt=0, lt=100)
    'a number > 0 and < 100, at least 10^-12'
    >>> _allowed_text(ge=0)
    'a number >= 0 and at most 10^15, zero or at least 10^-12'
    >>> _allowed_text(ge=1, integer=True)
    'a whole number >= 1 and at most 10^15'
    >>> _allowed_text()
    'a number from -10^15 to 10^15, zero or at least 10^-12 in size'
    """
    big, tiny = limits.NUMBER_MAGNITUDE, limits.NUMBER_SMALLEST
    lower = ge if ge is not None else gt
    upper = le if le is not None else lt
    kind = "a whole number" if integer else "a number"
    if lower is None and upper is None:
        text = f"{kind} from {as_written(-big)} to {as_written(big)}"
        return text if integer else text + f", zero or at least {as_written(tiny)} in size"
    parts = []
    if lower is not None:
        parts.append(f"{'>=' if ge is not None else '>'} {as_written(lower)}")
    else:
        parts.append(f"at least {as_written(-big)}")
    if upper is not None:
        parts.append(f"{'<=' if le is not None else '<'} {as_written(upper)}")
    else:
        parts.append(f"at most {as_written(big)}")
    text = f"{kind} {' and '.join(parts)}"
    if integer:
        return text
    # the smallest size matters where the bounds admit numbers nearer zero than it
    low_end = -big if lower is None else lower
    high_end = big if upper is None else upper
    if low_end >= tiny or high_end <= -tiny:
        return text
    positive_only = low_end >= 0
    zero_allowed = (
        low_end < 0 < high_end
        or (low_end == 0 and ge is not None)
        or (high_end == 0 and le is not None)
    )
    if positive_only and not zero_allowed:
        return text + f", at least {as_written(tiny)}"
    if high_end <= 0 and not zero_allowed:
        return text + f", at most {as_written(-tiny)}"
    return text + f", zero or at least {as_written(tiny)}" + ("" if positive_only else " in size")


def _bounds_checker(ge=None, gt=None, le=None, lt=None, integer=False):
    def describe() -> str:
        return (
            _allowed_text(ge, gt, le, lt, integer) + " (or a range {low, high} within those limits)"
        )

    def check_one(x: float, what: str) -> None:
        bad = (
            not math.isfinite(x)
            or abs(x) > limits.NUMBER_MAGNITUDE
            or 0 < abs(x) < limits.NUMBER_SMALLEST
            or (ge is not None and x < ge)
            or (gt is not None and x <= gt)
            or (le is not None and x > le)
            or (lt is not None and x >= lt)
        )
        if bad:
            raise ValueError(f"{what}{as_written(x)} is out of bounds: allowed is {describe()}")
        if integer and x != int(x):
            raise ValueError(f"{what}{as_written(x)} must be a whole number")

    def as_float(v: float) -> float:
        # a whole number too large for a float (a YAML or JSON int of 309 digits or more) is out
        # of bounds like any other, never an OverflowError that pydantic would not report
        try:
            return float(v)
        except OverflowError:
            digits = int(abs(v).bit_length() * math.log10(2)) + 1
            raise ValueError(
                f"a number of about {digits:,} digits is out of bounds: allowed is {describe()}"
            ) from None

    def check(v):
        if isinstance(v, Range):
            check_one(v.low, "low ")
            check_one(v.high, "high ")
            check_hard_bounds(v)
            if integer:
                v._integer = True
        else:
            check_one(as_float(v), "")
        return v

    def check_hard_bounds(v: Range) -> None:
        # min < high and max > low (Range._check) keep some allowed values inside the field's
        # limits, unless a bound sits on the field's other limit
        if v.max is not None and ge is not None and v.max <= ge:
            raise ValueError(f"max {v.max:g} leaves no allowed value: allowed is {describe()}")
        if v.min is not None and le is not None and v.min >= le:
            raise ValueError(f"min {v.min:g} leaves no allowed value: allowed is {describe()}")
        for what, bound in (("min", v.min), ("max", v.max)):
            if bound is not None and abs(bound) > limits.NUMBER_MAGNITUDE:
                raise ValueError(f"{what} {bound:g} is out of bounds: allowed is {describe()}")

    return check


def _plain_number(v: Any) -> Any:
    """YAML ``true``/``false`` are not numbers (Python would read them as 1 and 0), and nor is
    text: ``"2000000"`` in quotes is refused, as the JSON Schema refuses it, rather than read
    as a number without a word."""
    if isinstance(v, bool):
        raise ValueError("true/false is not a number; give a number (or a range {low, high})")
    if isinstance(v, str):
        raise ValueError(
            "a number is needed here (or a range {low, high}), not text; write a number "
            "without quotes"
        )
    return v


def Num(
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    integer: bool = False,
):
    """A field type: a number, or a :class:`Range`, with bounds checked on both ends.

    Every number is also at most :data:`edgecalc.limits.NUMBER_MAGNITUDE` in size, zero or at
    least :data:`edgecalc.limits.NUMBER_SMALLEST` (unless whole), and a boolean or a text is
    refused;
    the JSON Schema carries the magnitude limit (not the smallest one: an editor flags the
    number a person mistypes, and ``validate`` checks the rest).
    """
    limits_ = {k: v for k, v in {"minimum": ge, "maximum": le}.items() if v is not None}
    if gt is not None:
        limits_["exclusiveMinimum"] = gt
    if lt is not None:
        limits_["exclusiveMaximum"] = lt
    # the loader's limits on every number, so that an editor flags what `validate` refuses
    if le is None and lt is None:
        limits_["maximum"] = limits.NUMBER_MAGNITUDE
    if ge is None and gt is None:
        limits_["minimum"] = -limits.NUMBER_MAGNITUDE
    scalar = Annotated[int if integer else float, Field(json_schema_extra=limits_ or None)]
    return Annotated[
        scalar | Range,
        BeforeValidator(_plain_number),
        AfterValidator(_bounds_checker(ge, gt, le, lt, integer)),
    ]
