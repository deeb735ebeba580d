"""Numbers a person reads: money, milliseconds, counts and plain numbers, one way everywhere.

A leaf module (it imports nothing of edgecalc), so that the reasons written in `pipeline/`
and every rendering in `render/` share it without the model importing presentation.

Every rendering (text, Markdown, HTML) and every reason sentence formats through these, so a
missing value prints one way (``-``), a negative amount puts its sign before the currency
(``-$74,700``), and no table shows scientific notation (``8.941e-07``).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["is_missing", "ms", "number", "unit_price", "usd", "usd_compact"]

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


def ms(v: Any) -> str:
    """Milliseconds with one decimal (``43.9 ms``); ``-`` when missing."""
    return "-" if is_missing(v) else f"{float(v):,.1f} ms"


def number(v: Any) -> str:
    """A plain number: at most 4 significant figures, thousands separators, no exponent.

    Examples
    --------
    >>> number(350_535.5), number(0.8048), number(8.941e-07), number(-300), number(0)
    ('350,536', '0.8048', '<0.001', '-300', '0')
    """
    if is_missing(v):
        return "-"
    v = float(v)
    if v == 0:
        return "0"
    if abs(v) < _TINY:
        return "<0.001" if v > 0 else ">-0.001"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def unit_price(v: Any) -> str:
    """A unit price: whole dollars from $100, else 4 significant figures (``$0.8048``).

    Examples
    --------
    >>> unit_price(0.8048), unit_price(1249.0), unit_price(-0.5)
    ('$0.8048', '$1,249', '-$0.5')
    """
    if is_missing(v):
        return "-"
    v = float(v)
    if abs(v) >= 100:
        return usd(v)
    sign = "-" if v < 0 else ""
    return f"{sign}${abs(v):.4g}"
