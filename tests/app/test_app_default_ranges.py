"""The Uncertainty page says which defaults Monte Carlo ranged, and can keep them fixed."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app_pages import state, tables
from edgecalc.uncertainty.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
NAME = "retail-footfall.yaml"


def _uncertainty() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.SOURCE] = state.shipped_source(NAME)
    at.run()
    at.session_state["ec.mc.samples"] = 1_000
    return at.switch_page("app_pages/uncertainty.py").run()


def test_the_ranged_defaults_are_listed_and_can_be_pinned():
    at = _uncertainty()
    assert not at.exception, at.exception
    expected = simulate(ROOT / "scenarios" / NAME, samples=1_000, seed=0)
    # edgecalc's sentences, shown as text (tables.text)
    (box,) = [e for e in at.expander if tables.text("the scenario does not pin") in e.label]
    assert box.label == tables.text(expected.defaults_note)
    shown = [m.value for m in box.markdown]
    assert shown == [f"- {tables.text(line)}" for line in expected.default_range_lines()]
    at.toggle(key="ec.mc.pinned").set_value(True).run()
    assert not at.exception, at.exception
    assert any(e.label.startswith("no default was ranged") for e in at.expander)
