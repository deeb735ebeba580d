"""Numbers a person reads: money, milliseconds, counts and plain numbers, one way everywhere;
and the words for the residency rules.

A leaf module (it imports nothing of edgecalc), so that the reasons written in `pipeline/`
and every rendering in `render/` share it without the model importing presentation.

Every rendering (text, Markdown, HTML) and every reason sentence formats through these, so a
missing value prints one way (``-``), a negative amount puts its sign before the currency
(``-$74,700``), a duration has a space and thousands separators (``4,524 ms``), and no table
shows scientific notation (``8.941e-07``). Plotly formats hover text in the browser: its
d3-format specifier ``$,.0f`` puts the sign before the currency too (``-$74,700``).
"""

from __future__ import annotations

import decimal
import math
from typing import Any

__all__ = [
    "RESIDENCY_WORDS", "input_value", "is_missing", "ms", "number", "residency", "unit_price",
    "usd", "usd_compact",
]  # fmt: skip

_TINY = 1e-3
"""Below this magnitude a plain number reads as ``<0.001`` (or ``>-0.001``)."""


def is_missing(v: Any) -> bool:
    """True for None and NaN (and for values that are not numbers at all)."""
    if v is None:
        return True
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def usd(v: Any) -> str:
    """Whole dollars with thousands separators, the sign before the currency.

    Examples
    --------
    >>> usd(1234.4), usd(-74_700), usd(None), usd(-0.4)
    ('$1,234', '-$74,700', '-', '$0')
    """
    if is_missing(v):
        return "-"
    value = round(float(v))
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}"


def usd_compact(v: Any) -> str:
    """Money for a sentence: millions with two decimals (``$1.30M``), else as :func:`usd`.

    Examples
    --------
    >>> usd_compact(1_299_600), usd_compact(-2_570_000), usd_compact(696_102)
    ('$1.30M', '-$2.57M', '$696,102')
    """
    if is_missing(v) or abs(float(v)) < 1e6:
        return usd(v)
    value = float(v)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value) / 1e6:,.2f}M"


def ms(v: Any, decimals: int = 1) -> str:
    """Milliseconds with thousands separators and a space before the unit; ``-`` when missing.

    Examples
    --------
    >>> ms(43.94), ms(4524.2), ms(4524.2, decimals=0), ms(None)
    ('43.9 ms', '4,524.2 ms', '4,524 ms', '-')
    """
    return "-" if is_missing(v) else f"{float(v):,.{decimals}f} ms"


def number(v: Any) -> str:
    """A plain number: at most 4 significant figures, thousands separators, no exponent.

    Examples
    --------
    >>> number(350_535.5), number(0.8048), number(8.941e-07), number(-300), number(0)
    ('350,536', '0.8048', '<0.001', '-300', '0')

    An infinite figure is a capacity with no limit (a hosted API's memory):

    >>> number(float("inf")), number(float("-inf"))
    ('no limit', 'no lower limit')
    """
    if is_missing(v):
        return "-"
    v = float(v)
    if math.isinf(v):
        return "no limit" if v > 0 else "no lower limit"
    if v == 0:
        return "0"
    if abs(v) < _TINY:
        return "<0.001" if v > 0 else ">-0.001"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def with_unit(v: Any, unit: str) -> str:
    """A quantity and its unit, as :func:`number` writes the quantity; a unit counted in the
    plural (``visits``, ``devices``, ``bytes/parameter``) in the singular for one.

    Examples
    --------
    >>> with_unit(1, "visits"), with_unit(2, "visits"), with_unit(1, "bytes/parameter")
    ('1 visit', '2 visits', '1 byte/parameter')
    >>> with_unit(1, "GB"), with_unit(1, "ms"), with_unit(1, "instance-h"), with_unit(3, "")
    ('1 GB', '1 ms', '1 instance-h', '3')
    """
    return f"{number(v)} {unit_for(v, unit)}".strip()


def unit_for(v: Any, unit: str) -> str:
    """The unit of a quantity ``v`` as :func:`with_unit` writes it (singular for one)."""
    unit = str(unit or "")
    if number(v) in ("1", "-1"):
        head, sep, rest = unit.partition("/")
        if len(head) > 3 and head.endswith("s") and not head.endswith("ss") and head.isalpha():
            return head[:-1] + sep + rest
    return unit


def input_value(v: Any) -> str:
    """A value of an input (a swept or ranged one): 4 significant figures, thousands
    separators, no exponent, and no ``<0.001``: a tiny value is written out, since it names
    the row.

    Examples
    --------
    >>> input_value(3e6), input_value(12.9634), input_value(0.000012345), input_value(0)
    ('3,000,000', '12.96', '0.00001234', '0')
    """
    if is_missing(v):
        return "-"
    v = float(v)
    if math.isinf(v):
        return number(v)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == 0:
        return "0"
    text = _four_figures(v, min_decimals=0)
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_written(v: float) -> str:
    """A number as a person writes it, every digit the value holds (not rounded, for an error
    that quotes what the user gave): thousands separators, no exponent from a millionth to
    10^16, and a power of ten written out beyond.

    Examples
    --------
    >>> as_written(1e6), as_written(-2.5e-5), as_written(0.1), as_written(1234.5678)
    ('1,000,000', '-0.000025', '0.1', '1,234.5678')
    >>> as_written(1e300), as_written(1.5e-300), as_written(1e15), as_written(1e-12)
    ('10^300', '1.5 x 10^-300', '10^15', '10^-12')
    >>> as_written(float("inf")), as_written(float("nan")), as_written(-0.0)
    ('infinity', 'not a number', '0')
    >>> as_written(12_345), as_written(10**400)
    ('12,345', 'a number of about 401 digits')
    """
    if isinstance(v, int) and not isinstance(v, bool):
        if abs(v) < 10**15:
            return f"{v:,}"
        if abs(v).bit_length() > 1023:  # no double holds it (and str() may refuse it)
            return f"a number of about {int(abs(v).bit_length() * 0.30103) + 1:,} digits"
    v = float(v)
    if math.isnan(v):
        return "not a number"
    if math.isinf(v):
        return "infinity" if v > 0 else "-infinity"
    if v == 0:
        return "0"
    exact = decimal.Decimal(repr(v))  # the shortest text that reads back as the same double
    power = exact.adjusted()
    if power >= 15 or power <= -7:
        digits = f"{abs(exact.scaleb(-power)).normalize():f}"
        sign = "-" if v < 0 else ""
        return f"{sign}10^{power}" if digits == "1" else f"{sign}{digits} x 10^{power}"
    whole, _, fraction = f"{exact:f}".partition(".")
    fraction = fraction.rstrip("0")
    whole = f"{int(whole):,}" if whole not in ("-0", "0") else whole
    return whole + (f".{fraction}" if fraction else "")


def _four_figures(v: float, min_decimals: int) -> str:
    """``v`` (non-zero) with 4 significant figures in fixed point, at least ``min_decimals``
    decimals, never an exponent: ``_four_figures(0.000012345, 0)`` is ``'0.00001234'``."""
    decimals = max(min_decimals, 3 - math.floor(math.log10(abs(v))))
    return f"{v:.{decimals}f}"


def unit_price(v: Any) -> str:
    """A unit price: whole dollars from $100 (and for a free item, ``$0``), else 4 significant
    figures and at least the cents (``$0.8048``, ``$1.20``), never an exponent (``$0.0000002``
    a request).

    Examples
    --------
    >>> unit_price(0.8048), unit_price(1249.0), unit_price(-0.5), unit_price(1.2)
    ('$0.8048', '$1,249', '-$0.50', '$1.20')
    >>> unit_price(0.0123), unit_price(2e-7), unit_price(0)
    ('$0.0123', '$0.0000002', '$0')
    """
    if is_missing(v):
        return "-"
    v = float(v)
    if v == 0 or abs(v) >= 100:
        return usd(v)
    sign = "-" if v < 0 else ""
    whole, _, cents = _four_figures(abs(v), min_decimals=2).partition(".")
    cents = cents[:2] + cents[2:].rstrip("0")
    return f"{sign}${whole}.{cents}"


RESIDENCY_WORDS: dict[str, str] = {
    "on_site": "on site",
    "in_country": "in-country",
    "in_region": "in region",
    "anywhere": "anywhere",
}
"""Each residency rule (``residency.raw_data``, ``residency.derived_data``) and hub placement
(``hubs[].placement``) as a reader says it: ``raw data must stay in-country``."""


def residency(rule: str) -> str:
    """A residency rule or hub placement in words (``in_country`` -> ``in-country``).

    Examples
    --------
    >>> residency("in_country"), residency("on_site"), residency("in_region")
    ('in-country', 'on site', 'in region')
    """
    return RESIDENCY_WORDS.get(rule, rule.replace("_", " "))
