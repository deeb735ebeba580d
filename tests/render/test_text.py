"""The terminal report reads like the other renderings: a space before ``ms`` and thousands
separators (``4,524.0 ms``, not ``4524.0ms``), a price per 1,000 inferences in dollars with the
digits that matter (``$0.009671``, not ``0.0097``), and a footer that points somewhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edgecalc
from edgecalc.render import render
from edgecalc.render.text import render_text

FACTORY = Path(__file__).resolve().parents[1] / "fixtures" / "golden-factory.yaml"
SLOW = {"cloud.rtt.ms": 4_500, "latency.budget_ms": 5_000}
"""A cloud round trip of 4.5 s under a 5 s budget: latencies above a thousand ms."""


@pytest.fixture(scope="module")
def result():
    return edgecalc.evaluate(FACTORY)


@pytest.fixture(scope="module")
def slow():
    return edgecalc.evaluate(FACTORY, overrides=SLOW)


def _table(text: str) -> dict[str, str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("option "))
    rows = lines[start + 1 : lines.index("", start)]
    return {row.split()[0]: row for row in rows if not row.startswith("(")}


def test_latency_has_a_space_before_ms(result):
    text = render_text(result)
    assert not re.search(r"\dms\b", text), text
    assert _table(text)["edge"].endswith(" 12.7 ms")


def test_latency_over_a_second_has_thousands_separators(slow):
    text = render_text(slow)
    cloud = _table(text)["cloud"]
    assert re.search(r" 4,5\d\d\.\d ms$", cloud), cloud
    reasons = " ".join(slow.decision.reasons)
    assert re.search(
        r"the edge saves 4,5\d\d ms at p99 \(4,5\d\d ms cloud vs 13 ms edge\)", reasons
    )


def test_price_per_1k_inferences_is_in_dollars_with_significant_digits(result):
    text = render_text(result)
    header = text.splitlines()[3]
    assert "per 1k inferences" in header and "$/1k inf" not in header
    price = result.option("cloud")["usd_per_1k_inferences"]  # 0.009671...
    assert 0.009 < price < 0.01
    assert " $0.009671 " in _table(text)["cloud"]


def test_footer_points_to_the_sources_not_back_to_the_report(result):
    footer = render_text(result).splitlines()[-1]
    assert "edgecalc report" not in footer
    assert footer.endswith("(--format json lists each with its source and date)")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_budget_note_has_thousands_separators(slow, fmt):
    assert "against a budget of 5,000 ms" in render(slow, fmt)
