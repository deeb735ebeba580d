"""The Measure and Operations pages and the Decide page's uncertainty bands, through AppTest.

Measurements run against an echo server the tests start on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import measure_policy as policy
from app_pages import state, tables
from edgecalc.measure.echo_server import serve_in_thread
from edgecalc.render import figures as plots

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
FACTORY = ROOT / "scenarios" / "factory-visual-qc.yaml"
TIMEOUT_S = 120
MEASURED = "RTT measured by edgecalc measure"
ESTIMATED = "RTT estimated from distance"


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    """An echo server on 127.0.0.1 that answers after 5 ms."""
    server, url = serve_in_thread("127.0.0.1", 0)
    try:
        yield url.rstrip("/") + "/?delay_ms=5"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_file(echo_url: str) -> bytes:
    """A measurement file as `edgecalc measure --out` writes it at a site."""
    m = edgecalc.measure([echo_url], samples=4, payload_bytes=1000, site="site-a", deadline_s=30)
    return m.to_json().encode("utf-8")


@pytest.fixture
def served_to_others() -> Iterator[None]:
    """The app as if bound to every interface (server.address 0.0.0.0)."""
    before = streamlit.config.get_option("server.address")
    streamlit.config.set_option("server.address", "0.0.0.0")
    try:
        yield
    finally:
        streamlit.config.set_option("server.address", before)


def on_page(page: str, name: str = state.DEFAULT_SCENARIO) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.shipped_source(name)
    at.run()
    return at.switch_page(page).run()


def rtt_reasons(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "RTT " in m.value]


def table(at: AppTest, column: str):
    """The one table on the page with this column (AppTest does not expose a table's key)."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(frames) == 1, column
    return frames[0]


def traces(chart) -> int:
    return len(json.loads(chart.proto.spec)["data"])


# -- Measure ----------------------------------------------------------------------------------


def test_measure_page_says_it_measures_from_this_machine() -> None:
    at = on_page("app_pages/measure.py")
    assert not at.exception
    assert any("not from your sites" in i.value for i in at.info)
    assert any(ESTIMATED in r for r in rtt_reasons(at))


def test_measure_run_against_an_echo_server_and_use_it(echo_url: str) -> None:
    at = on_page("app_pages/measure.py")
    at.multiselect(key="ec.measure.regions").set_value([])
    at.text_area(key="ec.measure.urls").input(echo_url)
    at.number_input(key="ec.measure.samples").set_value(3)
    at.number_input(key="ec.measure.deadline_s").set_value(20.0)
    at.button(key="ec.measure.run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.get("progress"), "no progress bar"
    frame = table(at, "p99_ms")
    assert set(frame["target"]) == {echo_url}
    warm = frame[(frame["mode"] == "warm") & (frame["phase"] == "ttfb")]
    assert int(warm["n"].iloc[0]) == 3 and float(warm["p50_ms"].iloc[0]) >= 5  # 5 ms delay
    assert len(at.get("plotly_chart")) == 1
    at.button(key="ec.measure.use").click().run()
    assert not at.exception
    override = at.session_state[state.OVERRIDES]["cloud.rtt"]
    assert Path(override["measurement"]).is_absolute() and override["target"] == echo_url
    assert any(MEASURED in r for r in rtt_reasons(at)), rtt_reasons(at)
    at.button(key="ec.measure.forget").click().run()
    assert "cloud.rtt" not in at.session_state[state.OVERRIDES]
    assert any(ESTIMATED in r for r in rtt_reasons(at))


def test_importing_a_site_file_changes_the_verdicts_rtt_reason(site_file: bytes) -> None:
    at = on_page("app_pages/measure.py", "factory-visual-qc.yaml")
    at.file_uploader(key="ec.measure.upload").set_value(
        ("site-a.json", site_file, "application/json")
    ).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(tables.text("site site-a") in c.value for c in at.caption)
    at.button(key="ec.measure.use").click().run()
    saved = at.session_state[state.OVERRIDES]["cloud.rtt"]
    at.switch_page("app_pages/decide.py").run()
    assert not at.exception
    reasons = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert len(reasons) == 1 and MEASURED in reasons[0], reasons
    assert ESTIMATED not in reasons[0]
    # the verdict is the library's with the same override
    expected = edgecalc.evaluate(FACTORY, overrides={"cloud.rtt": saved}).recommendation
    verdict = next(m.value for m in at.markdown if m.value.startswith("## Recommendation:"))
    assert verdict.split("**")[1].lower() == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", "not valid JSON (line 1"),
        (b'{"a": 1}', "not an edgecalc measurement file"),
        (b"\xff\xfe\x00binary", "not a text file"),
    ],
)
def test_a_bad_measurement_file_shows_the_error(data: bytes, expected: str) -> None:
    at = on_page("app_pages/measure.py")
    at.file_uploader(key="ec.measure.upload").set_value(("bad.json", data, "application/json"))
    at.run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert any(tables.text(expected) in e and tables.text("bad.json") in e for e in shown), shown
    assert "cloud.rtt" not in at.session_state[state.OVERRIDES]


def test_served_to_others_a_free_url_is_refused(echo_url: str, served_to_others) -> None:
    at = on_page("app_pages/measure.py")
    at.multiselect(key="ec.measure.regions").set_value([])
    at.text_area(key="ec.measure.urls").input(echo_url)
    at.button(key="ec.measure.run").click().run()
    assert not at.exception
    assert any(
        "Not measured" in e.value and tables.text(policy.ALLOW_ENV) in e.value for e in at.error
    )
    assert not at.get("progress")  # nothing was measured


def test_served_to_others_an_allowed_prefix_is_measured(
    echo_url: str, served_to_others, monkeypatch
) -> None:
    monkeypatch.setenv(policy.ALLOW_ENV, echo_url.split("?")[0])
    at = on_page("app_pages/measure.py")
    at.multiselect(key="ec.measure.regions").set_value([])
    at.text_area(key="ec.measure.urls").input(echo_url)
    at.number_input(key="ec.measure.samples").set_value(2)
    at.button(key="ec.measure.run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert set(table(at, "p99_ms")["target"]) == {echo_url}


# -- Operations -------------------------------------------------------------------------------


def test_operations_page_shows_the_librarys_figures() -> None:
    at = on_page("app_pages/operations.py", "factory-visual-qc.yaml")
    assert not at.exception and not at.error
    ops = edgecalc.evaluate(FACTORY).operations
    avail = table(at, "within budget [%]").set_index("option")
    for option in ("cloud", "edge", "hybrid"):
        assert avail.loc[option, "without inference [min/site/month]"] == pytest.approx(
            ops[option].availability.minutes_without_inference_per_site_month
        )
    rollout = table(at, "days to 100%").set_index("option")
    q = ops["edge"].rollout.days_to_100
    assert rollout.loc["edge", "days to 100%"] == f"{q.p50:g} ({q.p10:g} to {q.p90:g})"
    # edgecalc's sentences, shown as text (tables.text)
    assert any(tables.text(ops["edge"].fit.reason) in m.value for m in at.markdown)
    assert any(m.value == tables.text(ops["edge"].operating_cost_sentence) for m in at.markdown)
    ranking = table(at, "why_lost")
    assert len(ranking) == len(edgecalc.load_catalog().devices())
    assert len(at.get("plotly_chart")) == 1  # the rollout curve


def test_redundancy_changes_minutes_without_inference_as_the_library_says() -> None:
    at = on_page("app_pages/operations.py", "factory-visual-qc.yaml")
    before = table(at, "within budget [%]").set_index("option")
    assert at.number_input(key="in.edge.redundancy").value == 1  # the file's value
    at.number_input(key="in.edge.redundancy").set_value(0).run()
    assert not at.exception and not at.error
    assert at.session_state[state.OVERRIDES] == {"edge.redundancy": 0}
    after = table(at, "within budget [%]").set_index("option")
    expected = edgecalc.evaluate(FACTORY, overrides={"edge.redundancy": 0}).operations["edge"]
    column = "without inference [min/site/month]"
    assert after.loc["edge", column] == pytest.approx(
        expected.availability.minutes_without_inference_per_site_month
    )
    assert after.loc["edge", column] > 10 * before.loc["edge", column]  # no spare: much worse


def test_waves_change_days_to_full_rollout_as_the_library_says() -> None:
    at = on_page("app_pages/operations.py", "factory-visual-qc.yaml")
    at.number_input(key="in.operations.waves").set_value(6).run()
    at.number_input(key="in.operations.days_between_waves").set_value(5.0).run()
    assert not at.exception and not at.error
    over = {"operations.waves": 6, "operations.days_between_waves": 5.0}
    q = edgecalc.evaluate(FACTORY, overrides=over).operations["edge"].rollout.days_to_100
    shown = table(at, "days to 100%").set_index("option").loc["edge", "days to 100%"]
    assert shown == f"{q.p50:g} ({q.p10:g} to {q.p90:g})"
    assert q.p50 >= 6 * 5  # the last wave starts 6 x 5 days after the canary


def test_platform_labour_and_depot_spares_as_the_library_says() -> None:
    at = on_page("app_pages/operations.py", "factory-visual-qc.yaml")
    assert not at.exception and not at.error
    at.number_input(key="in.edge.platform_fte").set_value(1.0).run()
    at.number_input(key="in.edge.depot_spare_fraction").set_value(0.1).run()
    assert not at.exception and not at.error
    over = {"edge.platform_fte": 1.0, "edge.depot_spare_fraction": 0.1}
    assert at.session_state[state.OVERRIDES] == over
    expected = edgecalc.evaluate(FACTORY, overrides=over).operations["edge"]
    parts = table(at, "platform [FTE]").set_index("option")
    assert parts.loc["edge", "platform [FTE]"] == pytest.approx(1.0)
    assert parts.loc["edge", "per device or server [FTE]"] == pytest.approx(
        expected.labour.per_device_fte
    )
    spares = table(at, "depot spares [devices]").set_index("option")
    # 6 plants x 1 serving device: a depot of ceil(6 x 0.1) = 1, beside 6 hot spares
    assert spares.loc["edge", "depot spares [devices]"] == pytest.approx(1.0)
    assert spares.loc["edge", "hot spares at sites [devices]"] == pytest.approx(6.0)
    labour = table(at, "labour [FTE]").set_index("option")
    assert labour.loc["edge", "labour [FTE]"] == pytest.approx(expected.labour_fte)


def test_a_hub_gets_labour_spares_and_availability_on_the_operations_page() -> None:
    at = on_page("app_pages/operations.py", "factory-plant-server.yaml")
    assert not at.exception and not at.error
    expected = edgecalc.evaluate(ROOT / "scenarios" / "factory-plant-server.yaml").operations
    hub = expected["plant_server"]
    parts = table(at, "platform [FTE]").set_index("option")
    # 12 servers / 50 per engineer = 0.24 FTE beside the 0.32 FTE platform floor
    assert parts.loc["plant_server", "per device or server [FTE]"] == pytest.approx(0.24)
    assert parts.loc["plant_server", "platform [FTE]"] == pytest.approx(hub.labour.platform_fte)
    spares = table(at, "depot spares [devices]").set_index("option")
    # one hot spare server at each of the 6 plants
    assert spares.loc["plant_server", "hot spares at sites [devices]"] == pytest.approx(6.0)


def test_an_inline_device_is_named_on_every_page() -> None:
    # an upload whose edge device is written inline (Lambda's server, one box = one device)
    text = (ROOT / "tests" / "fixtures" / "lambda-hyperplane16.yaml").read_bytes()
    for page in ("app_pages/decide.py", "app_pages/operations.py"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
        at.session_state[state.SOURCE] = state.upload_source(text, "lambda.yaml")
        at.run()
        at = at.switch_page(page).run()
        assert not at.exception and not at.error, page
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.upload_source(text, "lambda.yaml")
    at.run()
    at = at.switch_page("app_pages/decide.py").run()
    box = at.selectbox(key=state.widget_key("edge.device"))
    assert "Lambda Hyperplane-16 (16x V100, InfiniBand) (written inline)" in box.options


# -- Decide: uncertainty bands ----------------------------------------------------------------


def test_uncertainty_bands_only_when_ticked() -> None:
    at = on_page("app_pages/decide.py", "factory-visual-qc.yaml")
    result = edgecalc.evaluate(FACTORY)
    plain = traces(at.get("plotly_chart")[0])
    assert plain == len(plots.cumulative_cost(result).data)
    at.checkbox(key="ec.decide.bands").check().run()
    assert not at.exception and not at.error
    bands = edgecalc.simulate(result.scenario, samples=1000, seed=0).bands
    expected = plots.cumulative_cost(result, bands=bands)
    shown = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert len(shown) == len(expected.data) > plain
    band = next(t for t in expected.data if t.fill)
    shown_band = next(t for t in shown if t.get("fill") == band.fill and t["name"] == band.name)
    assert shown_band["y"] == pytest.approx(list(band.y))
