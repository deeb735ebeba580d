"""The app's download is the loaded file with the edits written in (a one-line diff for a
one-input edit), and the app's state travels in the address bar."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import input_limits, share, state
from edgecalc.scenario import load_scenario

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
    assert "`../../etc/passwd`, which is not a shipped scenario" in warning


def test_bad_edits_in_a_link_are_listed_and_the_rest_used():
    edits = ["latency.budget_ms=1000", "no-equals-sign", "a..b=1", "latency.percentile=nope"]
    source, overrides, problems = share.read_link(FACTORY, edits)
    assert source == state.shipped_source(FACTORY)
    assert overrides == {"latency.budget_ms": 1000}
    assert len(problems) == 3
    assert "`latency.percentile=nope`: the value is not JSON" in problems[2]
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


# -- a link is written by anyone: each edit is checked before a page uses it --------------------


def link_to(edits: list[str], page: str | None = None, scenario: str = FACTORY) -> AppTest:
    """The app opened on a link (on ``page``, the Decide page by default), after its first run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.query_params["scenario"] = scenario
    at.query_params["set"] = edits
    if page is not None:
        at.switch_page(page)
    return at.run()


def link_warning(at: AppTest) -> str:
    (warning,) = [w.value for w in at.warning if w.value.startswith("The link could not")]
    return warning


def assert_the_page_draws(at: AppTest) -> None:
    assert not at.exception
    assert not [e.value for e in at.error]


def assert_the_scenario_picker_draws(at: AppTest) -> None:
    assert at.sidebar.selectbox(key="ec.scenario_file").value == FACTORY


@pytest.mark.parametrize(
    ("edit", "allowed"),
    [
        ('latency.budget_ms="abc"', "a number is needed here (or a range {low, high}), not text"),
        ("latency.budget_ms=[1,2]", "a number is needed here (or a range {low, high}), not a list"),
        ('latency.budget_ms={"low":1,"high":1e300}', "high 10^300 is out of bounds: allowed is"),
        ("latency.budget_ms=" + "9" * 400, "a number of about 401 digits is out of bounds"),
        ("latency.budget_ms=true", "true/false is not accepted here"),
        ('latency.budget_ms={"low":10,"high":20}', "a link gives it a number"),
        ('residency.raw_data="mars"', "allowed values are 'on_site', 'in_country'"),
        ('residency.raw_data=["on_site"]', "allowed values are 'on_site'"),
        ('cloud.region="gcp/us-central1"', "the app offers the regions of `aws`"),
        ('edge.device="nope"', "unknown device 'nope'"),
    ],
    ids=lambda v: v[:40],
)
def test_an_edit_the_page_cannot_use_is_dropped_with_a_sentence_and_the_page_draws(edit, allowed):
    at = link_to([edit, "workload.request_bytes=150000"])
    assert_the_page_draws(at)
    assert_the_scenario_picker_draws(at)
    # the bad edit is not used, the good one is; the inputs show the file's value and the edit
    assert at.session_state[state.OVERRIDES] == {"workload.request_bytes": 150000}
    file = load_scenario(ROOT / "scenarios" / FACTORY)
    assert at.number_input(key="in.latency.budget_ms").value == file.latency.budget_ms
    assert at.selectbox(key="in.residency.raw_data").value == file.residency.raw_data
    assert at.selectbox(key="in.cloud.region").value == file.cloud.region
    assert at.number_input(key="in.workload.request_bytes").value == 150000
    warning = link_warning(at)
    path = edit.split("=")[0]
    assert f"- edit `{edit[:80]}" in warning  # the edit, shortened, with its field
    assert allowed in warning, warning
    assert query(at) == {"scenario": [FACTORY], "set": ["workload.request_bytes=150000.0"]}
    # and it stays so on the next rerun
    at.run()
    assert_the_page_draws(at)
    assert path in link_warning(at)


def test_a_link_to_the_operations_page_with_a_list_for_a_count_draws_the_page():
    at = link_to(["operations.waves=[1]"], page="app_pages/operations.py")
    assert_the_page_draws(at)
    waves = load_scenario(ROOT / "scenarios" / FACTORY).operations.waves
    assert at.number_input(key="in.operations.waves").value == waves
    assert "`operations.waves: a whole number is needed here" in link_warning(at)


def test_a_link_with_an_unusable_value_for_every_input_draws_every_input():
    """Each input of the Decide and Operations pages given a value it cannot show: a range
    for a number input, a list for a select box."""
    edits = [f'{p}={{"low":1,"high":2}}' for p in sorted(share.NUMBER_INPUTS)]
    edits += [f'{p}=["x"]' for p in sorted(share.CHOICE_INPUTS)]
    at = link_to(edits)
    assert_the_page_draws(at)
    assert_the_scenario_picker_draws(at)
    assert at.session_state[state.OVERRIDES] == {}
    warning = link_warning(at)
    assert warning.count("\n- edit ") == len(edits)
    at.switch_page("app_pages/operations.py").run()
    assert_the_page_draws(at)


def test_a_number_from_a_link_reaches_its_input_as_the_fields_type():
    at = link_to(["latency.budget_ms=40", "sites.count=3.0"])
    assert_the_page_draws(at)
    budget, sites = (
        at.number_input(key="in.latency.budget_ms"),
        at.number_input(key="in.sites.count"),
    )
    assert (budget.value, type(budget.value)) == (40.0, float)
    assert (sites.value, type(sites.value)) == (3, int)
    assert query(at)["set"] == ["latency.budget_ms=40.0", "sites.count=3"]
    # a fraction where the field takes one (an average request), none where it does not
    _, overrides, problems = share.read_link(
        FACTORY, ["workload.request_bytes=1500.5", "sites.count=2.5"]
    )
    assert overrides == {"workload.request_bytes": 1500.5}
    assert len(problems) == 1 and problems[0].startswith("edit `sites.count=2.5` was not used")
    assert not [w for w in at.warning if w.value.startswith("The link could not")]


def test_a_range_is_taken_where_no_input_shows_the_field():
    edit = 'workload.active_hours_per_day={"low":8,"high":12}'
    _, overrides, problems = share.read_link(FACTORY, [edit])
    assert (overrides, problems) == ({"workload.active_hours_per_day": {"low": 8, "high": 12}}, [])


HOSTILE_VALUES = ['"abc"', "[1,2]", '{"low":1,"high":2}', '{"a":1}', "null", "true", "9" * 400]


@pytest.mark.parametrize("path", sorted(share.NUMBER_INPUTS | share.CHOICE_INPUTS))
def test_an_edit_a_link_keeps_is_what_its_input_takes(path):
    """Whatever the link gives an input, what reaches it is a number (or nothing) for a number
    input and a name (or nothing) for a select box."""
    for raw in HOSTILE_VALUES:
        _, overrides, problems = share.read_link(FACTORY, [f"{path}={raw}"])
        assert bool(overrides) != bool(problems), (raw, overrides, problems)
        if not overrides:
            continue
        value = overrides[path]
        if path in share.NUMBER_INPUTS:
            assert value is None or share.is_number(value), (raw, value)
        else:
            assert value is None or isinstance(value, str), (raw, value)


def test_every_input_the_pages_draw_is_known_to_the_link_reader():
    """A new input on Decide or Operations must be listed in share.NUMBER_INPUTS (from
    app_pages/input_limits.py, with the limits it is built with) or share.CHOICE_INPUTS, so
    that a link gives it only what it can show."""
    at = link_to([], scenario="wind-farm-satellite.yaml")  # a scenario with a site link
    drawn: dict[str, set[str]] = {"INT": set(), "FLOAT": set(), "choice": set()}
    limits: dict[str, dict[str, float]] = {}
    for page in (None, "app_pages/operations.py"):
        if page is not None:
            at.switch_page(page).run()
        assert not at.exception
        for w in at.number_input:
            if w.key.startswith("in."):
                path = w.key.removeprefix("in.")
                drawn[NumberInput.DataType.Name(w.proto.data_type)].add(path)
                bounds = {"min_value": w.min, "max_value": w.max}
                limits[path] = {k: v for k, v in bounds.items() if v is not None}
        drawn["choice"] |= {w.key.removeprefix("in.") for w in at.selectbox if w.key[:3] == "in."}
    assert drawn["INT"] <= share.WHOLE_NUMBER_INPUTS
    assert drawn["FLOAT"] <= share.NUMBER_INPUTS - share.WHOLE_NUMBER_INPUTS
    assert drawn["choice"] <= share.CHOICE_INPUTS
    assert len(drawn["INT"] | drawn["FLOAT"]) >= 20 and len(drawn["choice"]) >= 5
    # and each number input is built with the limits the link reader checks
    assert limits == {p: input_limits.widget(p) for p in limits}


# -- a value outside an input's limits: said, not clamped ---------------------------------------


BEYOND_OLD_LIMITS = [
    # (edit, the page it is on): values the scenario accepts that the inputs' old, hand-written
    # limits (50 to 99.99, at least 0.1, at least 1) refused; each input now takes its field's
    ("latency.percentile=99.995", None),
    ("latency.budget_ms=0.05", None),
    ("edge.devices_per_engineer=0.5", "app_pages/operations.py"),
]


@pytest.mark.parametrize(("edit", "page"), BEYOND_OLD_LIMITS, ids=lambda v: str(v)[:24])
def test_a_link_value_the_scenario_accepts_reaches_its_input(edit, page):
    """Regression: Streamlit showed the input's minimum for a value outside its limits (a
    link's 99.995 for the percentile read 50, and the address bar then carried 50), and the
    inputs' limits were narrower than the fields'."""
    path, _, raw = edit.partition("=")
    at = link_to([edit], page=page)
    assert_the_page_draws(at)
    assert at.session_state[state.OVERRIDES] == {path: float(raw)}
    assert at.number_input(key=f"in.{path}").value == float(raw)
    assert not [w for w in at.warning if w.value.startswith("The link could not")]
    assert query(at) == {"scenario": [FACTORY], "set": [edit]}


def test_a_link_value_outside_an_inputs_limits_is_said_and_not_used(monkeypatch):
    """Were an input narrower than its field (``tests/app/test_app_input_limits.py`` checks
    that none is), the link reader would leave the value out with a sentence naming the
    input, the value and the range, never clamp it."""
    narrow = input_limits.Limits(50.0, 99.99)
    monkeypatch.setitem(input_limits.NUMBER_INPUTS, "latency.percentile", narrow)
    edit = "latency.percentile=99.995"
    _, overrides, problems = share.read_link(FACTORY, [edit, "workload.request_bytes=150000"])
    assert overrides == {"workload.request_bytes": 150000.0}
    assert problems == [
        f"edit `{edit}` was not used: the app's input for latency.percentile takes 50 to "
        "99.99, and the link gives `99.995`: the input would show another number"
    ]
    assert_plain(problems[0])


@pytest.mark.parametrize("path", sorted(input_limits.NUMBER_INPUTS))
def test_no_edit_a_link_keeps_is_outside_its_inputs_limits(path):
    """Just outside either limit is left out (by the loader or the input's limits, with a
    sentence naming the input); the limits themselves are taken."""
    limits = input_limits.NUMBER_INPUTS[path]
    step = 1 if limits.whole else 0.5
    outside = [limits.low - step] if limits.low is not None else []
    outside += [limits.high + step] if limits.high is not None else []
    assert outside
    for value in outside:
        _, overrides, problems = share.read_link(FACTORY, [f"{path}={value!r}"])
        assert path not in overrides, (value, overrides)
        assert len(problems) == 1 and path in problems[0], (value, problems)
    base = state.load(state.shipped_source(FACTORY))
    for value in (limits.low, limits.high):
        if value is not None:
            assert share.input_problem(path, value, base) == ""


# -- what a link says is shown as text, never as a link or an image ------------------------------


def rendered(markdown: str) -> tuple[list[str], str]:
    """The kinds of inline elements a markdown text renders to, and its text outside code."""
    from markdown_it import MarkdownIt

    kinds, text = [], []
    for block in MarkdownIt("commonmark").parse(markdown):
        for token in block.children or []:
            kinds.append(token.type)
            if token.type == "text":
                text.append(token.content)
    return kinds, " ".join(text)


def assert_plain(markdown: str) -> None:
    kinds, text = rendered(markdown)
    assert not {"link_open", "image", "html_inline"} & set(kinds), (kinds, markdown)
    # what GitHub-flavoured markdown would turn into a link by itself is only in code spans
    for address in ("http", "www.", "@"):
        assert address not in text, (address, markdown)


LINK_TRICKS = [
    ("[Session expired - log in again](http://127.0.0.1:8600/login)", []),
    (FACTORY, ["![x](http://127.0.0.1:8600/track.png)"]),
    (FACTORY, ['name="[Session expired](http://127.0.0.1:8600/login)"']),
    (FACTORY, ['name="www.example.com"', 'description="mail admin@example.com"']),
    (FACTORY, ['cloud.region="![x](http://127.0.0.1:8600/t.png)"']),
    (FACTORY, ["latency.budget_ms=1`![x](http://127.0.0.1:8600/t.png)`"]),
    ("x\n\n![x](http://127.0.0.1:8600/t.png)", []),
    (FACTORY, ["a=1\n\n[log in](http://127.0.0.1:8600/login)"]),
    (FACTORY, ["<http://127.0.0.1:8600/login>"]),
]


@pytest.mark.parametrize(("scenario", "edits"), LINK_TRICKS, ids=lambda v: str(v)[:30])
def test_a_link_cannot_put_a_link_or_an_image_on_the_page(scenario, edits):
    _, _, problems = share.read_link(scenario, edits)
    assert problems
    for problem in problems:
        assert "\n" not in problem
        assert_plain(problem)


def test_the_link_warning_shows_the_links_text_as_text():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.query_params["scenario"] = "[Session expired - log in again](http://127.0.0.1:8600/login)"
    at.run()
    assert_the_page_draws(at)
    warning = link_warning(at)
    assert "`[Session expired - log in again](http://127.0.0.1:8600/login)`" in warning
    assert_plain(warning)

    at = link_to(["![x](http://127.0.0.1:8600/track.png)", 'name="[Session](http://e.example)"'])
    assert_the_page_draws(at)
    warning = link_warning(at)
    assert "`![x](http://127.0.0.1:8600/track.png)` is not `input.path=value`" in warning
    assert_plain(warning)
    assert at.session_state[state.OVERRIDES] == {}  # the name stays the file's on every page


# -- numbers too large for a float --------------------------------------------------------------


def test_a_whole_number_too_large_for_a_float_is_a_sentence_naming_the_field():
    at = link_to(["horizon_months=" + "9" * 1980])
    assert_the_page_draws(at)
    warning = link_warning(at)
    assert "was not used: `horizon_months: a number of about 1,98" in warning
    assert "OverflowError" not in warning
