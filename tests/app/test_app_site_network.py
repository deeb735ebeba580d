"""The site's link on the Decide page and the availability requirement on the Operations page:
edits change the verdict and the figures as the library says."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import state, tables

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
WIND = ROOT / "scenarios" / "wind-farm-satellite.yaml"
FACTORY = ROOT / "scenarios" / "factory-visual-qc.yaml"
TIMEOUT_S = 120


def on_page(page: str | None, name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.shipped_source(name)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def verdict(at: AppTest) -> str:
    texts = [m.value for m in at.markdown if m.value.startswith("## Recommendation:")]
    assert len(texts) == 1, texts
    return texts[0].split("**")[1].lower()


def test_the_link_price_on_decide_changes_the_verdict_as_the_library_says() -> None:
    path = "sites.link.data_plan.overage_usd_per_gb"
    before = edgecalc.evaluate(WIND).recommendation
    after = edgecalc.evaluate(WIND, overrides={path: 0.0}).recommendation
    assert (before, after) == ("edge", "cloud")  # free top-ups: the cloud is the default again
    at = on_page(None, "wind-farm-satellite.yaml")
    assert verdict(at) == before
    assert at.selectbox(key=f"in.{'sites.link.technology'}").value == "leo_satellite"
    at.number_input(key=f"in.{path}").set_value(0.0).run()
    assert not at.exception and not at.error
    assert verdict(at) == after
    assert at.session_state[state.OVERRIDES] == {path: 0.0}


def test_a_hard_cap_set_on_decide_rules_the_cloud_out() -> None:
    at = on_page(None, "wind-farm-satellite.yaml")
    at.selectbox(key="in.sites.link.data_plan.beyond_allowance").set_value("cap").run()
    assert not at.exception and not at.error
    assert verdict(at) == "edge"
    hard_cap = tables.text("over the link's hard cap of 2,000 GB")  # shown as text
    assert any(hard_cap in m.value for m in at.markdown)


def test_the_availability_requirement_on_operations_rules_the_cloud_out() -> None:
    path = "operations.availability_requirement.max_minutes_without_inference_per_month"
    result = edgecalc.evaluate(FACTORY, overrides={path: 10.0})
    cloud = result.constraints.set_index(["option", "constraint"]).loc[("cloud", "availability")]
    assert not cloud.ok
    at = on_page("app_pages/operations.py", "factory-visual-qc.yaml")
    assert not any("Against the requirement" in m.value for m in at.markdown)
    at.number_input(key=f"in.{path}").set_value(10.0).run()
    assert not at.exception and not at.error
    assert at.session_state[state.OVERRIDES] == {path: 10.0}
    assert any(tables.text(cloud.detail) in m.value and "ruled out" in m.value for m in at.markdown)
