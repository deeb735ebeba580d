"""Tables as a person reads them: no raw ``None`` or ``nan`` cells, numbers formatted, inputs
and sources in words and links, errors as lists, and text shown as text in markdown
(:func:`text`). Pages pass their frames through here; nothing here computes a figure (the
numbers come from edgecalc unchanged)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from edgecalc.format import ms, unit_price, usd
from edgecalc.render.markdown import escape_all, number, source_link

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


def styled(frame: pd.DataFrame, formats: Mapping[str, str | Callable[[Any], str]]):
    """``frame`` for ``st.dataframe`` with ``formats`` (``"{:.1f}"`` style, or a function
    such as :func:`edgecalc.format.usd` for money: ``-$1,234``, the sign before the currency)
    per column and ``—`` in every missing cell; the data stays numeric (sorting works)."""
    style = frame.style.format(na_rep=MISSING)
    known = {c: f for c, f in formats.items() if c in frame.columns}
    return style.format(known, na_rep=MISSING) if known else style


def option_metric(row: Mapping[str, Any], horizon_months: Any) -> tuple[str, str, str]:
    """The label, value and help of an option's ``st.metric`` (a row of ``Result.summary``):
    its total over the horizon; its NPV, price per 1,000 inferences and latency in the help.
    Money as every report writes it (:func:`edgecalc.format.usd`, :func:`unit_price`:
    ``-$1,234``), the help shown as text (its ``$`` signs are not markdown math)."""
    mark = "" if row["feasible"] else " (ruled out)"
    label = f"{row['option']}{mark}: total over {horizon_months} months"
    help_text = (
        f"NPV {usd(row['npv_usd'])}; {unit_price(row['usd_per_1k_inferences'])} per 1,000 "
        f"inferences; latency {ms(row['latency_ms'])}"
    )
    return label, usd(row["total_usd"]), text(help_text)


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


def text(value: Any) -> str:
    """Text for a markdown element (``st.markdown``, ``st.caption``, ``st.title``, an alert)
    that shows as it is written: every ASCII punctuation character is escaped with a
    backslash, which markdown reads as that character and nothing else.

    For what a visitor wrote (a scenario's name and description, its site groups' names, an
    uploaded file's name) and edgecalc's sentences, which may quote it (the reasons name site
    groups and devices): no link, image (which the browser would fetch), HTML, emphasis,
    heading, list, ``$`` math or Streamlit ``:color[...]`` can come of it. Line breaks are
    kept. The markdown the app writes around it is its own. (The rule is edgecalc's
    :func:`edgecalc.render.markdown.escape_all`; the reports use the lighter ``esc``, whose
    raw Markdown a reviewer reads.)
    """
    return escape_all(value)


def lines(items: Iterable[Any], numbered: bool = False) -> str:
    """Sentences as a markdown list (``1.``, ``2.`` ... when ``numbered``), each shown as
    text (:func:`text`)."""
    return "\n".join(
        f"{f'{i}.' if numbered else '-'} {text(item)}" for i, item in enumerate(items, 1)
    )


def error_markdown(message: str) -> str:
    """An error for ``st.error``: its first line, then each further line as a list item (an
    upload with six problems shows six items, not one paragraph), each shown as text (an error
    may quote the visitor's file)."""
    parts = [line for line in str(message).splitlines() if line.strip()]
    if len(parts) <= 1:
        return text(message)
    return text(parts[0]) + "\n\n" + lines(parts[1:])
