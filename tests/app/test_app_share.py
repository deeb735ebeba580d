"""The app's download is the loaded file with the edits written in (a one-line diff for a
one-input edit), and the app's state travels in the address bar."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import share, state

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT_S = 120
FACTORY = "factory-visual-qc.yaml"


def app_with(query: dict | None = None, name: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if name is not None:
        at.session_state[state.SOURCE] = state.shipped_source(name)
    return at.run()


def query(at: AppTest) -> dict[str, list[str]]:
    """The address bar's parameters, each as a list (AppTest gives one value as a string)."""
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def verdict(at: AppTest) -> str:
    texts = [m.value for m in at.markdown if m.value.startswith("## Recommendation:")]
    return texts[0].split("**")[1].lower()


def test_one_edit_in_the_app_is_a_one_line_diff_of_the_download():
    at = app_with(name=FACTORY)
    at.number_input(key="in.latency.budget_ms").set_value(40.0).run()
    assert not at.exception
    source, overrides = at.session_state[state.SOURCE], at.session_state[state.OVERRIDES]
    assert overrides == {"latency.budget_ms": 40.0}
    original = (ROOT / "scenarios" / FACTORY).read_text(encoding="utf-8")
    written = share.scenario_file(source, overrides)
    diff = [
        line
        for line in difflib.unified_diff(original.splitlines(), written.splitlines(), n=0)
        if line[:1] in "-+" and line[:3] not in ("---", "+++")
    ]
    assert diff == ["-  budget_ms: 50", "+  budget_ms: 40"]
    assert share.file_name(source) == FACTORY


@pytest.mark.parametrize(
    "source",
    [state.shipped_source(n) for n in state.shipped_scenarios()] + [state.template_source()],
    ids=lambda s: s["name"],
)
def test_an_unedited_download_is_the_file_byte_for_byte(source):
    assert share.scenario_file(source, {}) == share.source_text(source)


def test_a_link_opens_its_scenario_with_its_edits():
    path = ROOT / "scenarios" / FACTORY
    want = edgecalc.evaluate(path, overrides={"latency.budget_ms": 1000.0}).recommendation
    at = app_with({"scenario": FACTORY, "set": "latency.budget_ms=1000.0"})
    assert not at.exception
    assert at.session_state[state.SOURCE] == state.shipped_source(FACTORY)
    assert at.number_input(key="in.latency.budget_ms").value == 1000.0
    assert verdict(at) == want
    assert not at.warning


def test_the_address_bar_follows_the_edits():
    at = app_with(name="hospital-imaging.yaml")
    assert query(at) == {"scenario": ["hospital-imaging.yaml"]}
    at.selectbox(key="in.residency.raw_data").set_value("anywhere").run()
    assert query(at)["set"] == ['residency.raw_data="anywhere"']
    # the link read back gives the same state
    source, overrides, problems = share.read_link(query(at)["scenario"][0], query(at)["set"])
    assert (source, overrides, problems) == (
        state.shipped_source("hospital-imaging.yaml"),
        {"residency.raw_data": "anywhere"},
        [],
    )


def test_a_bad_link_says_what_it_could_not_use_and_opens_the_default():
    at = app_with({"scenario": "../../etc/passwd", "set": "latency.budget_ms=40"})
    assert not at.exception
    assert at.session_state[state.SOURCE] == state.default_source()
    (warning,) = [w.value for w in at.warning]
    assert "'../../etc/passwd', which is not a shipped scenario" in warning


def test_bad_edits_in_a_link_are_listed_and_the_rest_used():
    edits = ["latency.budget_ms=1000", "no-equals-sign", "a..b=1", "latency.percentile=nope"]
    source, overrides, problems = share.read_link(FACTORY, edits)
    assert source == state.shipped_source(FACTORY)
    assert overrides == {"latency.budget_ms": 1000}
    assert len(problems) == 3
    assert "'latency.percentile=nope': the value is not JSON" in problems[2]
    many = [f"latency.budget_ms={i}" for i in range(share.MAX_EDITS_IN_LINK + 5)]
    assert "the first 64 are used" in share.read_link(FACTORY, many)[2][0]
    huge = "latency.budget_ms=" + "[" * 5000 + "]" * 5000
    assert "is not `input.path=value`" in share.read_link(FACTORY, [huge])[2][0]


def test_a_link_cannot_point_the_app_at_a_server_file():
    edits = [
        'cloud.rtt={"measurement": "/etc/passwd", "target": "x"}',
        'cloud.rtt.measurement="/etc/passwd"',
        'extends="../../etc/passwd"',
        "latency.budget_ms=40",
    ]
    _, overrides, problems = share.read_link(FACTORY, edits)
    assert overrides == {"latency.budget_ms": 40}
    assert len(problems) == 3 and all("names a file" in p for p in problems)
    # and the address bar leaves a measurement made in this session out of the link
    params = share.link_params(
        state.shipped_source(FACTORY),
        {"cloud.rtt": {"measurement": "/tmp/m.json"}, "latency.budget_ms": 40},
    )
    assert params == {"scenario": FACTORY, "set": ["latency.budget_ms=40"]}
