"""Money on the pages is written as every report writes it: the sign before the currency.

Regression: the Decide page's metrics and the Compare and Operations tables formatted money
with ``"${:,.0f}"``, which prints a negative amount as ``$-1,234``; they now use
``edgecalc.format.usd`` and ``unit_price`` (``-$1,234``, ``-$0.50``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from markdown_it import MarkdownIt

from app_pages import tables
from edgecalc.format import usd

ROOT = Path(__file__).resolve().parents[2]
ROW = {
    "option": "hybrid",
    "feasible": False,
    "total_usd": -1234.4,
    "npv_usd": -74_700.0,
    "usd_per_1k_inferences": -0.5,
    "latency_ms": 43.94,
}


def shown(markdown: str) -> str:
    """What markdown shows of ``markdown``: its text, which must be text only."""
    inline = [t for block in MarkdownIt("commonmark").parse(markdown) for t in block.children or []]
    assert {t.type for t in inline} <= {"text"}, inline
    return "".join(t.content for t in inline)


def test_an_options_metric_puts_the_sign_before_the_currency():
    label, value, help_text = tables.option_metric(ROW, 60)
    assert label == "hybrid (ruled out): total over 60 months"
    assert value == "-$1,234"
    assert shown(help_text) == "NPV -$74,700; -$0.50 per 1,000 inferences; latency 43.9 ms"
    assert "$-" not in value + help_text


def test_a_money_column_puts_the_sign_before_the_currency():
    frame = pd.DataFrame({"total [USD]": [-1234.4, 5.0, None], "n": [1, 2, 3]})
    html = tables.styled(frame, {"total [USD]": usd}).to_html()
    assert ">-$1,234<" in html and ">$5<" in html and ">—<" in html
    assert "$-" not in html


MONEY_FORMAT = re.compile(r"\$\{[^}]*:[^}]*[fdg]\}|[\"']\$\{:|[\"']\$[\"']\s*\+")
"""A dollar sign written before a formatted number (``f"${x:,.0f}"``, ``"${:,.0f}"``,
``"$" + ...``): the sign of a negative amount would follow the currency."""


def test_no_page_formats_money_by_hand():
    sources = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
    found = [
        f"{path.name}:{i}: {line.strip()}"
        for path in sources
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MONEY_FORMAT.search(line)
    ]
    assert not found, found
