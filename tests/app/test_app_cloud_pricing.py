"""The Decide page offers the cloud pricing as a choice, priced as the library prices it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import state, tables
from edgecalc.scenario.cloud_pricing import pricing_overrides

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT_S = 120


def test_a_three_year_commitment_chosen_in_the_app_prices_as_the_library_does() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.shipped_source("retail-footfall.yaml")
    at.run()
    choice = "3-year commitment, all upfront"
    at.selectbox(key="ec.cloud_pricing").set_value(choice).run()
    assert not at.exception
    overrides = pricing_overrides(choice, 0.4)
    assert at.session_state[state.OVERRIDES] == overrides
    expected = edgecalc.evaluate(ROOT / "scenarios" / "retail-footfall.yaml", overrides=overrides)
    reasons = "\n".join(m.value for m in at.markdown)
    assert tables.text("3-yr all upfront") in reasons  # shown as text (tables.text)
    total = expected.summary.set_index("option").loc["cloud", "total_usd"]
    assert any(f"${total:,.0f}" == m.value for m in at.metric)
