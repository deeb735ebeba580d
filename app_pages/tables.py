"""Tables as a person reads them: no raw ``None`` or ``nan`` cells, numbers formatted, inputs
and sources in words and links, errors as lists. Pages pass their frames through here; nothing
here computes a figure (the numbers come from edgecalc unchanged)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from edgecalc.render.markdown import number, source_link

MISSING = "—"
"""What an empty cell shows."""


def is_missing(value: Any) -> bool:
    """None, NaN or an empty string."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, float) and math.isnan(value)


def cell(value: Any) -> str:
    """A value as text: ``—`` when missing, numbers in at most 4 significant figures with
    thousands separators, ``yes``/``no`` for booleans."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(value)
    return str(value)


def styled(frame: pd.DataFrame, formats: Mapping[str, str]):
    """``frame`` for ``st.dataframe`` with ``formats`` (``"{:.1f}"`` style) per column and
    ``—`` in every missing cell; the data stays numeric (sorting works)."""
    style = frame.style.format(na_rep=MISSING)
    known = {c: f for c, f in formats.items() if c in frame.columns}
    return style.format(known, na_rep=MISSING) if known else style


def link_column(sources: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each source as a short label and a URL (None when the source names no web page)."""
    pairs = [source_link(s) if not is_missing(s) else (MISSING, None) for s in sources]
    return (
        pd.Series([p[0] for p in pairs], index=sources.index),
        pd.Series([p[1] for p in pairs], index=sources.index),
    )


def sourced_table(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """``frame``'s ``columns`` (shown name -> column) as text cells, ``—`` where empty; the
    column shown as ``source`` gets a short label and a ``link`` column beside it."""
    out = {}
    for shown, column in columns.items():
        if shown == "source":
            out["source"], out["link"] = link_column(frame[column])
        else:
            out[shown] = frame[column].map(cell)
    return pd.DataFrame(out).reset_index(drop=True)


def assumptions_table(assumptions: pd.DataFrame) -> pd.DataFrame:
    """Every input the evaluation used: input, value, 90% range, unit, origin, source (label
    and link), as of, note."""
    return sourced_table(
        assumptions,
        {"input": "path", "value": "value", "90% range": "range", "unit": "unit",
         "origin": "origin", "source": "source", "as of": "as_of", "note": "note"},
    )  # fmt: skip


def facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The catalog facts used: the input each filled, value, unit, source and link, as of,
    confidence, the fact's key."""
    return sourced_table(
        facts,
        {"used for": "used_for", "value": "value", "unit": "unit", "source": "source",
         "as of": "as_of", "confidence": "confidence", "fact": "key"},
    )  # fmt: skip


def flips_table(flips: pd.DataFrame) -> pd.DataFrame:
    """What would flip the recommendation, in words: per input its value now, the value at
    which the recommendation changes (or that none does within the range searched), and what
    it changes from and to. ``sentence`` keeps edgecalc's own sentence."""
    rows = []
    for r in flips.to_dict("records"):
        flipped = not is_missing(r.get("flip_value"))
        direction = {"up": "above", "down": "below", "above": "above", "below": "below"}.get(
            str(r.get("direction")), ""
        )
        rows.append(
            {
                "input": r["path"],
                "now": cell(r["point_value"]),
                "flips": f"{direction} {cell(r['flip_value'])}".strip() if flipped else "no",
                "recommendation": (
                    f"{str(r['from_recommendation']).upper()} → "
                    f"{str(r['to_recommendation']).upper()}"
                    if flipped
                    else f"{str(r['from_recommendation']).upper()} throughout"
                ),
                "searched": f"{cell(r['search_low'])} to {cell(r['search_high'])}",
                "sentence": r["sentence"],
            }
        )
    return pd.DataFrame(
        rows, columns=["input", "now", "flips", "recommendation", "searched", "sentence"]
    )


LINK = st.column_config.LinkColumn("link", display_text="open ↗", width="small")
"""A source's web page, when it has one."""
WIDE = st.column_config.TextColumn(width="large")
MEDIUM = st.column_config.TextColumn(width="medium")


def error_markdown(text: str) -> str:
    """An error for ``st.error``: its first line, then each further line as a list item (an
    upload with six problems shows six items, not one paragraph)."""
    lines = [line for line in str(text).splitlines() if line.strip()]
    if len(lines) <= 1:
        return str(text)
    return lines[0] + "\n\n" + "\n".join(f"- {line}" for line in lines[1:])
