"""The Streamlit app through AppTest: every page on every shipped scenario, edits that change the
verdict as the library says, bad uploads, and a library that never imports streamlit."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from page_files import PAGES
from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import state, tables
from edgecalc.results.diff import diff_results

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SCENARIOS = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
TIMEOUT_S = 120
GOOD = (ROOT / "scenarios" / state.DEFAULT_SCENARIO).read_bytes()


def with_budget(data: bytes, value: str) -> bytes:
    """The scenario with its latency budget replaced by ``value`` (YAML text)."""
    return re.sub(rb"budget_ms: *[0-9.]+", b"budget_ms: " + value.encode(), data, count=1)


def with_unpriced_device(data: bytes) -> bytes:
    """The scenario on a catalog device that has no price, and no price given."""
    data = re.sub(rb"\n *device_usd: *[0-9.]+", b"", data)
    return re.sub(rb"device: *[\w.-]+", b"device: jetson-orin-nx-16gb", data, count=1)


def app_on(name: str | None = None) -> AppTest:
    """The app, with a shipped scenario loaded (as if chosen), after its first run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if name is not None:
        at.session_state[state.SOURCE] = state.shipped_source(name)
    return at.run()


def verdict(at: AppTest) -> str:
    """The recommendation the Decide page shows (cloud, edge, hybrid or none)."""
    texts = [m.value for m in at.markdown if m.value.startswith("## Recommendation:")]
    assert len(texts) == 1, texts
    return texts[0].split("**")[1].lower()


def errors(at: AppTest) -> list[str]:
    """The errors on the page, as markdown: what they quote is escaped (``tables.text``)."""
    return [e.value for e in at.error]


# -- every page renders ----------------------------------------------------------------------


def test_default_scenario_opens() -> None:
    at = app_on()
    assert not at.exception
    assert at.session_state[state.SOURCE] == state.shipped_source(state.DEFAULT_SCENARIO)
    expected = edgecalc.evaluate(ROOT / "scenarios" / state.DEFAULT_SCENARIO).recommendation
    assert verdict(at) == expected


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_page_renders_on_every_shipped_scenario(name: str) -> None:
    at = app_on(name)
    assert not at.exception, at.exception
    assert not errors(at)
    assert verdict(at) == edgecalc.evaluate(ROOT / "scenarios" / name).recommendation
    # cumulative cost, breakdown, waterfall; with site groups also the plans and the map
    portfolio = edgecalc.evaluate(ROOT / "scenarios" / name).portfolio is not None
    assert len(at.get("plotly_chart")) == 3 + 2 * portfolio
    at.session_state["ec.mc.samples"] = 1_000  # Monte Carlo size does not matter here
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not errors(at), (page, errors(at))


def test_template_is_a_valid_scenario() -> None:
    at = app_on()
    at.button(key="ec.template").click().run()
    assert not at.exception
    assert at.session_state[state.SOURCE]["kind"] == "template"
    assert at.title[0].value == "New scenario"
    assert verdict(at) == edgecalc.evaluate(state.TEMPLATE_PATH).recommendation


# -- edits change the verdict as the library says -------------------------------------------


def test_latency_budget_changes_the_verdict_as_the_library_says() -> None:
    path = ROOT / "scenarios" / "factory-visual-qc.yaml"
    before = edgecalc.evaluate(path).recommendation
    after = edgecalc.evaluate(path, overrides={"latency.budget_ms": 1000.0}).recommendation
    assert before != after  # 1 s is enough for the cloud path; the file's budget is not
    at = app_on("factory-visual-qc.yaml")
    assert verdict(at) == before
    at.number_input(key="in.latency.budget_ms").set_value(1000.0).run()
    assert not at.exception
    assert verdict(at) == after
    assert at.session_state[state.OVERRIDES] == {"latency.budget_ms": 1000.0}


def test_residency_changes_the_verdict_as_the_library_says() -> None:
    path = ROOT / "scenarios" / "hospital-imaging.yaml"
    before = edgecalc.evaluate(path).recommendation
    after = edgecalc.evaluate(path, overrides={"residency.raw_data": "anywhere"}).recommendation
    assert before != after  # raw images may now leave the hospital
    at = app_on("hospital-imaging.yaml")
    assert verdict(at) == before
    at.selectbox(key="in.residency.raw_data").set_value("anywhere").run()
    assert verdict(at) == after
    # and back: no override left, the file's verdict again
    at.selectbox(key="in.residency.raw_data").set_value("on_site").run()
    assert verdict(at) == before
    assert at.session_state[state.OVERRIDES] == {}


def test_a_new_device_and_its_catalog_price_are_evaluated_in_the_run_that_shows_them() -> None:
    # The page evaluates before it draws the inputs: the device's callback records the device
    # and its catalog price, so what the page says is already about the new device.
    path = ROOT / "scenarios" / "factory-visual-qc.yaml"
    at = app_on("factory-visual-qc.yaml")
    at.selectbox(key="in.edge.device").set_value("jetson-orin-nano-super-8gb").run()
    assert not at.exception
    overrides = at.session_state[state.OVERRIDES]
    assert overrides["edge.device"] == "jetson-orin-nano-super-8gb"
    assert overrides["edge.device_usd"] == 249.0  # the catalog's price of that kit
    assert at.number_input(key="in.edge.device_usd").value == 249.0
    # the catalog has no throughput of that kit for this model: the library refuses, and so
    # does the page, in the same run
    with pytest.raises(edgecalc.EdgecalcError, match="inferences_per_second_per_device"):
        edgecalc.evaluate(path, overrides=overrides)
    assert any(tables.text("inferences_per_second_per_device") in e for e in errors(at))


def test_edits_survive_a_visit_to_another_page() -> None:
    at = app_on("factory-visual-qc.yaml")
    at.number_input(key="in.latency.budget_ms").set_value(1000.0).run()
    at.switch_page("app_pages/compare.py").run()
    diff = at.dataframe[-1].value  # the table of inputs that differ comes last
    assert list(diff["input"]) == ["latency.budget_ms"]
    at.switch_page("app_pages/decide.py").run()
    assert at.number_input(key="in.latency.budget_ms").value == 1000.0
    assert verdict(at) == "cloud"


def test_an_edit_that_cannot_be_evaluated_keeps_the_last_good_result() -> None:
    # The catalog has no price for this device: the edit is valid but cannot be evaluated.
    at = app_on("factory-visual-qc.yaml")
    good = verdict(at)
    at.selectbox(key="in.edge.device").set_value("jetson-orin-nx-16gb-maxp").run()
    assert not at.exception
    assert at.number_input(key="in.edge.device_usd").value is None
    assert any("cannot be evaluated" in e and tables.text("device_usd") in e for e in errors(at))
    assert verdict(at) == good
    at.number_input(key="in.edge.device_usd").set_value(900.0).run()
    assert not errors(at)


# -- bad uploads ------------------------------------------------------------------------------


BAD_UPLOADS = {
    "broken YAML": (b"edgecalc: 1\nname: [unclosed\n", ["bad.yaml:3", "YAML syntax error"]),
    "unknown key": (GOOD.replace(b"name:", b"nmae:", 1), ["nmae", "unknown key"]),
    "out of range": (
        with_budget(GOOD, "-5"),
        ["latency.budget_ms", "> 0"],
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), ["binary"]),
    "50 MB": (b"# padding\n" * 5_000_000, ["50,000,000 bytes", "limited"]),
    "not evaluable": (
        with_unpriced_device(GOOD),
        ["cannot be evaluated", "device_usd"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_read_upload_rejects_bad_files_with_line_and_field(case: str) -> None:
    data, expected = BAD_UPLOADS[case]
    scenario, error = state.read_upload(data, "bad.yaml")
    assert scenario is None
    for text in expected:
        assert text in error, (text, error)
    assert "Traceback" not in error


def test_broken_yaml_error_names_the_line() -> None:
    _, error = state.read_upload(b"edgecalc: 1\nname: ok\nworkload: {a: 1\n", "bad.yaml")
    assert "bad.yaml:4" in error or "bad.yaml:3" in error, error


def test_out_of_range_error_names_line_and_field() -> None:
    data = with_budget(GOOD, "-5")
    _, error = state.read_upload(data, "up.yaml")
    line = 1 + data.split(b"budget_ms: -5")[0].count(b"\n")
    assert f"up.yaml:{line}" in error and "latency.budget_ms" in error, error


def test_read_upload_accepts_a_good_file() -> None:
    scenario, error = state.read_upload(GOOD, "good.yaml")
    assert error == ""
    assert scenario.name == edgecalc.load_scenario(ROOT / "scenarios/factory-visual-qc.yaml").name


def _upload_script() -> None:
    import streamlit as st

    from app_pages import state

    state.init()
    pending = st.session_state.pop("test_upload", None)
    if pending is not None:
        state.accept_upload(pending, "upload.yaml")
    cur = state.current()
    st.markdown(f"scenario: {cur.scenario.name}")
    st.markdown(f"verdict: {cur.result.recommendation}")
    if cur.error:
        st.error(cur.error)


def test_a_bad_upload_keeps_the_last_good_scenario_in_the_session() -> None:
    at = AppTest.from_function(_upload_script, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.shipped_source("hospital-imaging.yaml")
    at.run()
    shown = [m.value for m in at.markdown]
    at.session_state["test_upload"] = BAD_UPLOADS["unknown key"][0]
    at.run()
    assert [m.value for m in at.markdown] == shown  # same scenario, same verdict
    assert "nmae" in errors(at)[0]
    assert at.session_state[state.SOURCE] == state.shipped_source("hospital-imaging.yaml")
    at.session_state["test_upload"] = GOOD
    at.run()
    assert not errors(at)
    assert at.session_state[state.SOURCE]["kind"] == "upload"
    assert at.markdown[0].value.startswith("scenario: Factory line")


def test_decide_page_shows_the_upload_error_over_the_last_good_scenario() -> None:
    at = app_on("hospital-imaging.yaml")
    title, good = at.title[0].value, verdict(at)
    _, error = state.read_upload(BAD_UPLOADS["out of range"][0], "bad.yaml")
    at.session_state[state.ERROR] = error  # what accept_upload leaves after a bad file
    at.run()
    assert not at.exception
    assert any(tables.text("latency.budget_ms") in e for e in errors(at))
    assert at.title[0].value == title and verdict(at) == good


# -- helpers ----------------------------------------------------------------------------------


def test_flatten_keeps_ranges_whole_and_indexes_lists() -> None:
    data = {"a": {"b": 1, "r": {"low": 1, "high": 3}}, "l": [{"x": 2}, {"x": 3}], "e": {}}
    assert state.flatten(data) == {
        "a.b": 1,
        "a.r": {"low": 1, "high": 3},
        "l.0.x": 2,
        "l.1.x": 3,
        "e": {},
    }


def test_compare_page_lists_one_row_for_one_changed_range_like_diff(tmp_path: Path) -> None:
    # The bug: the Compare page flattened a range field by field (low, high, dist: 3 rows)
    # where `edgecalc diff` lists the range as one input (1 row). Both now flatten alike.
    text = (ROOT / "scenarios" / "hospital-imaging.yaml").read_text(encoding="utf-8")
    assert "pue: {low: 1.3, high: 1.8}" in text
    shutil.copytree(ROOT / "scenarios" / "base", tmp_path / "base")  # what it extends
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        text.replace("pue: {low: 1.3, high: 1.8}", "pue: {low: 1.2, high: 1.6, dist: uniform}"),
        encoding="utf-8",
    )
    a, b = (edgecalc.load_scenario(tmp_path / n) for n in ("a.yaml", "b.yaml"))
    app_rows = [r["input"] for r in state.differing_inputs(a, b)]
    changed = diff_results(*(edgecalc.evaluate(tmp_path / n) for n in ("a.yaml", "b.yaml")))
    diff_rows = [p for p in changed.inputs["path"] if p.endswith("pue")]
    assert len(app_rows) == 1 and app_rows[0].endswith(".pue")
    assert app_rows == diff_rows


# -- the library never imports streamlit ------------------------------------------------------


def test_library_source_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "edgecalc").rglob("*.py")
        if "import streamlit" in p.read_text(encoding="utf-8")
        or "from streamlit" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_importing_every_library_module_leaves_streamlit_unloaded() -> None:
    code = (
        "import importlib, pkgutil, sys, edgecalc\n"
        "for m in pkgutil.walk_packages(edgecalc.__path__, 'edgecalc.'):\n"
        "    importlib.import_module(m.name)\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] == 'streamlit')\n"
        "print(len(loaded)); assert not loaded, loaded\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


def test_uncertainty_toggle_shows_tornado_and_flips_as_the_library_says() -> None:
    # regression: turning on the sensitivity section once hung inside flips()
    name = "retail-footfall.yaml"
    at = app_on(name)
    at.session_state["ec.mc.samples"] = 1_000
    at.switch_page("app_pages/uncertainty.py").run()
    at.toggle(key="ec.mc.sensitivity").set_value(True).run()
    assert not at.exception, at.exception
    assert not errors(at)
    expected = edgecalc.flips(ROOT / "scenarios" / name)
    tables = [d.value for d in at.dataframe if "sentence" in d.value.columns]
    assert len(tables) == 1
    assert list(tables[0]["sentence"]) == list(expected["sentence"])


def test_uncertainty_long_run_shows_a_progress_bar_and_then_the_result() -> None:
    # 50,000 samples is above the page's progress threshold: the run reports progress per chunk
    # and the page still shows one metric per option once it is done (the bar is cleared).
    at = app_on("retail-footfall.yaml")
    at.session_state["ec.mc.samples"] = 50_000
    at.switch_page("app_pages/uncertainty.py").run()
    assert not at.exception, at.exception
    assert not errors(at)
    assert len(at.metric) >= 2


def test_uncertainty_sweep_offers_the_strongest_input_first() -> None:
    # the sweep's input list is ordered as Simulation.input_influence ranks the page's own run
    name = "retail-footfall.yaml"
    at = app_on(name)
    at.session_state["ec.mc.samples"] = 1_000
    at.switch_page("app_pages/uncertainty.py").run()
    assert not at.exception, at.exception
    expected = edgecalc.simulate(ROOT / "scenarios" / name, samples=1_000, seed=0)
    ranked = expected.input_influence()["path"].tolist()
    box = at.selectbox(key="ec.mc.sweep_path")
    assert list(box.options) == ranked
    assert box.value == ranked[0]


def test_the_page_list_of_the_tests_is_the_apps():
    # every page the app shows is run by the tests that run "every page"
    listed = re.findall(r'st\.Page\("(app_pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text())
    assert listed == PAGES
