"""Each number input the pages draw takes every value its scenario field admits.

Regression: the inputs' limits were written by hand and narrower than the scenario model's
(the percentile input took 50 to 99.99, the field ``> 0 and < 100``), and Streamlit shows an
input's minimum for a value outside its limits without a word: an upload with
``latency.percentile: 99.995`` read 50 on the Decide page and saved ``{'latency.percentile':
50.0}`` as an edit. The limits now come from the fields' pydantic bounds
(``app_pages/input_limits.py: field_limits``).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import input_limits, share, state
from edgecalc import limits
from edgecalc.scenario import Scenario
from edgecalc.uncertainty.fields import field_spec

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT_S = 120
FACTORY = "factory-visual-qc.yaml"


def tree():
    return state.tree(state.shipped_source(FACTORY))


def admitted(path: str, value: float) -> bool:
    """Whether edgecalc's loader, as the app runs it on an edit, takes ``value`` at ``path``."""
    return not share.validation_problem(tree(), {path: value})


@pytest.mark.parametrize("path", sorted(input_limits.NUMBER_INPUTS))
def test_an_input_takes_every_value_its_scenario_field_admits(path):
    """The input's limits contain the interval the pydantic field admits (read from the
    model, so a model change that widens a field fails here until the input follows)."""
    spec = field_spec(path)
    assert spec is not None, f"{path} is not a number field of {Scenario.__name__}"
    allowed = input_limits.NUMBER_INPUTS[path]
    assert allowed.low is None or allowed.low <= spec.lower, (allowed, spec)
    assert allowed.high is None or allowed.high >= spec.upper, (allowed, spec)
    assert spec.integer or not allowed.whole, (allowed, spec)  # a fraction is a fraction
    # an exclusive bound is the input's inclusive limit; no bound of its own, no limit
    for bound, kept in ((spec.lower, allowed.low), (spec.upper, allowed.high)):
        assert kept == (bound if abs(bound) < limits.NUMBER_MAGNITUDE else None)


@pytest.mark.parametrize("path", sorted(input_limits.NUMBER_INPUTS))
def test_the_field_bounds_read_are_the_loaders(path):
    """What the model's metadata says is what the loader does at each finite bound: the
    bound itself taken or refused (``ge`` or ``gt``), a value just inside it taken, and
    whatever the loader takes, the input can show."""
    spec = field_spec(path)
    allowed = input_limits.NUMBER_INPUTS[path]
    step = 1 if spec.integer else 0.005
    for bound, is_open, inward in (
        (spec.lower, spec.lower_open, step),
        (spec.upper, spec.upper_open, -step),
    ):
        if abs(bound) >= limits.NUMBER_MAGNITUDE:
            continue
        assert admitted(path, bound) is not is_open, (path, bound)
        assert admitted(path, bound + inward), (path, bound + inward)
        assert allowed.admits(bound) and allowed.admits(bound + inward)
        assert not admitted(path, bound - inward)


def upload(at: AppTest, text: str, name: str = "up.yaml") -> AppTest:
    at.sidebar.file_uploader(key="ec.upload").set_value((name, text.encode(), "application/yaml"))
    return at.run()


def factory_with(old: str, new: str) -> str:
    text = (ROOT / "scenarios" / FACTORY).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_an_uploads_percentile_beyond_the_old_limits_shows_as_written_and_is_no_edit():
    """Regression: ``latency.percentile: 99.995`` showed 50 and saved an edit of 50."""
    text = factory_with("  percentile: 99\n", "  percentile: 99.995\n")
    at = upload(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), text)
    assert not at.exception
    assert not [e.value for e in at.error]
    assert at.session_state[state.SOURCE]["kind"] == "upload"
    percentile = at.number_input(key="in.latency.percentile")
    assert percentile.value == 99.995
    assert percentile.proto.format == "%.3f"  # the browser shows 99.995, not 99.99
    assert (percentile.min, percentile.max) == (0.0, 100.0)
    assert at.session_state[state.OVERRIDES] == {}
    at.run()  # and a rerun keeps it so
    assert at.number_input(key="in.latency.percentile").value == 99.995
    assert at.session_state[state.OVERRIDES] == {}


def test_an_edit_to_an_exclusive_bound_is_the_loaders_sentence_on_the_page():
    """The input takes 100 (the field's ``< 100`` as an inclusive limit); the loader refuses
    it with its own sentence, and the page shows the last inputs it could evaluate."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.shipped_source(FACTORY)
    at.run()
    at.number_input(key="in.latency.percentile").set_value(100.0).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    plain = re.sub(r"\\(.)", r"\1", error)  # the page escapes the message's punctuation
    assert "latency.percentile" in plain
    assert "100 is out of bounds: allowed is a number > 0 and < 100" in plain, plain
    assert "Traceback" not in plain
    assert any("Showing the last inputs" in w.value for w in at.warning)
    assert at.session_state[state.OVERRIDES] == {"latency.percentile": 100.0}


def test_a_whole_number_input_is_a_whole_number_field():
    """The inputs that take whole numbers are the fields that do (request_bytes is not one:
    an average request may be 1500.5 bytes)."""
    whole = {p for p, lim in input_limits.NUMBER_INPUTS.items() if lim.whole}
    assert whole == {p for p in input_limits.NUMBER_INPUTS if field_spec(p).integer}
    assert "workload.request_bytes" not in whole
    assert {"sites.count", "operations.waves", "edge.redundancy"} <= whole


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (99.995, None, "%.3f"),
        (99.0, None, None),
        (0.0125, "%.3f", "%.4f"),
        (1500.5, "%.0f", "%.1f"),
        (150000.0, "%.0f", "%.0f"),
        (1e-05, "%.3f", "%.5f"),
        (0.30000000000000004, "%.2f", "%.2f"),  # arithmetic noise is not a decimal to show
        (None, "%.2f", "%.2f"),
        (3, "%d", "%d"),
        (math.nan, "%.2f", "%.2f"),
    ],
)
def test_an_inputs_format_shows_the_files_decimals(value, fmt, shown):
    assert input_limits.shown_format(value, fmt) == shown
