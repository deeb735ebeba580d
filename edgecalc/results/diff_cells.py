"""Cells of a diff as a reviewer reads them: money before -> after, signed changes,
percentages, yes/NO, and plain JSON values (NaN as null). One home for ``diff``, its
per-site part and the roll-up of several diffs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..format import usd


def _plain_row(row: dict) -> dict:
    return {k: _plain(v) for k, v in row.items()}


def _plain(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return None if math.isnan(v) else (v if math.isfinite(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _usd(v: Any) -> str:
    """:func:`edgecalc.format.usd` (``-$74,700``), with the diff tables' ``—`` for missing."""
    return "—" if _missing(v) else usd(v)


def _signed_usd(v: Any) -> str:
    if _missing(v):
        return "—"
    v = float(v)
    sign = "+" if v > 0 else ("-" if v < 0 else "")
    return f"{sign}${abs(v):,.0f}"


def _pct(v: Any) -> str:
    if _missing(v):
        return "—"
    v = float(v)
    if math.isinf(v):
        return "new cost"
    return f"{v:+.1f}%"


def _yes(v: Any) -> str:
    if _missing(v):
        return "—"
    return "yes" if bool(v) else "NO"
