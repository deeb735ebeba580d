"""JSON text that is always valid JSON: no bare ``Infinity`` or ``NaN``.

Python's ``json`` writes ``Infinity`` and ``NaN`` for non-finite floats, which no JSON parser
accepts. Every JSON output of edgecalc goes through :func:`dumps`, which writes such a number as
``null`` and says why under ``"non_finite"`` at the top (its path and what it was), so a reader
can tell "no value" from "a value that was infinite" (for example the queueing latency of a
link that cannot carry the load).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np


def dumps(
    data: Any, indent: int | None = 2, ensure_ascii: bool = False, default: Any = None
) -> str:
    """``json.dumps`` with every non-finite number written as ``null`` and listed.

    Parameters
    ----------
    data
        Plain data (dicts, lists, str, numbers, bools, None; numpy scalars are converted).
    indent, ensure_ascii, default
        As for :func:`json.dumps`.

    Returns
    -------
    str
        Valid JSON (``allow_nan=False`` holds). When ``data`` is a mapping and some number was
        not finite, it gains ``"non_finite": [{"path": "options.0.latency_ms", "was":
        "Infinity"}, ...]``.

    Examples
    --------
    >>> dumps({"a": float("inf"), "b": 1.5}, indent=None)
    '{"a": null, "b": 1.5, "non_finite": [{"path": "a", "was": "Infinity"}]}'
    """
    found: list[dict[str, str]] = []
    clean = _finite(data, (), found)
    if found and isinstance(clean, dict):
        clean["non_finite"] = found
    return json.dumps(
        clean, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False, default=default
    )


def _finite(value: Any, path: tuple[str, ...], found: list[dict[str, str]]) -> Any:
    if isinstance(value, dict):
        return {k: _finite(v, (*path, str(k)), found) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v, (*path, str(i)), found) for i, v in enumerate(value)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        was = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        found.append({"path": ".".join(path), "was": was})
        return None
    return value
