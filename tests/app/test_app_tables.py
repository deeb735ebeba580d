"""The app's tables as a person reads them: no raw None or nan, flips in words, sources as
links, an upload's problems as a list."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

import edgecalc
from app_pages import state, tables

ROOT = Path(__file__).resolve().parents[2]
FACTORY = ROOT / "scenarios" / "factory-visual-qc.yaml"


def no_raw_missing(frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> None:
    for column in frame.columns:
        if column in skip:
            continue
        for value in frame[column]:
            assert isinstance(value, str) and value.strip(), (column, value)
            assert value not in ("None", "nan", "NaN"), (column, value)


def test_assumptions_and_facts_have_no_raw_missing_cells_and_link_their_sources():
    result = edgecalc.evaluate(FACTORY)
    a = tables.assumptions_table(result.assumptions)
    assert result.assumptions["range"].eq("").any()  # the raw frame has empty cells
    no_raw_missing(a, skip=("link",))
    assert len(a) == len(result.assumptions)
    f = tables.facts_table(result.facts)
    no_raw_missing(f, skip=("link",))
    # a github:owner/repo@rev:path source links to that file at that revision
    raw = result.facts["source"].iloc[0]
    assert raw.startswith("github:mlcommons/inference_results_v3.1@")
    assert f["link"].iloc[0].startswith("https://github.com/mlcommons/inference_results_v3.1/blob/")
    assert len(f["source"].iloc[0]) < len(raw)  # a short label, the whole path in the link
    # a source with no web address has no link, not a broken one
    label, url = tables.link_column(pd.Series(["an assumption", None]))
    assert list(label) == ["an assumption", "—"] and list(url) == [None, None]


def test_flips_in_words():
    flips = pd.DataFrame(
        [
            {"path": "workload.inferences_per_second", "point_value": 2.5, "direction": "above",
             "flip_value": 23.04, "from_recommendation": "cloud", "to_recommendation": "edge",
             "search_low": 0.25, "search_high": 25.0, "sentence": "s1"},
            {"path": "sites.count", "point_value": 6.0, "direction": None,
             "flip_value": math.nan, "from_recommendation": "edge", "to_recommendation": math.nan,
             "search_low": 1.0, "search_high": 60.0, "sentence": "s2"},
        ]
    )  # fmt: skip
    t = tables.flips_table(flips)
    assert t.to_dict("records") == [
        {"input": "workload.inferences_per_second", "now": "2.5", "flips": "above 23.04",
         "recommendation": "CLOUD → EDGE", "searched": "0.25 to 25", "sentence": "s1"},
        {"input": "sites.count", "now": "6", "flips": "no", "recommendation": "EDGE throughout",
         "searched": "1 to 60", "sentence": "s2"},
    ]  # fmt: skip
    real = tables.flips_table(edgecalc.flips(FACTORY))
    no_raw_missing(real)


def test_an_error_with_several_problems_is_a_list():
    text = "The scenario is invalid:\na.yaml:3:5: x: bad\na.yaml:4:5: y: bad\na.yaml:9:1: z: bad"
    md = tables.error_markdown(text)
    # each line shown as text (an error may quote the visitor's file)
    assert md.splitlines()[0] == tables.text("The scenario is invalid:")
    assert [line for line in md.splitlines() if line.startswith("- ")] == [
        "- " + tables.text("a.yaml:3:5: x: bad"),
        "- " + tables.text("a.yaml:4:5: y: bad"),
        "- " + tables.text("a.yaml:9:1: z: bad"),
    ]
    assert tables.error_markdown("one line") == "one line"
    assert tables.error_markdown("a.yaml: ![x](http://e.invalid/x.png)") == tables.text(
        "a.yaml: ![x](http://e.invalid/x.png)"
    )


def test_decide_lists_each_problem_of_a_bad_upload():
    good = FACTORY.read_bytes()
    bad = good.replace(b"budget_ms: 50", b"budget_ms: -5").replace(
        b"inferences_per_second: 2.5", b"inferences_per_second: -1"
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    # what the page keeps when an upload is refused (state.accept_upload), shown on Decide
    at.session_state[state.ERROR] = state.read_upload(bad, "bad.yaml")[1]
    at.run()
    (error,) = [e.value for e in at.error]
    items = [line for line in error.splitlines() if line.startswith("- ")]
    assert len(items) == 2, error
    assert any(tables.text("latency.budget_ms") in i for i in items)
    assert any(tables.text("workload.inferences_per_second") in i for i in items)


def test_upload_limit_reads_1_mib_in_help_and_widget():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    source = (ROOT / "app_pages" / "decide.py").read_text()
    assert "max_upload_size=1," in source and "2MB" not in source
    assert state.MAX_UPLOAD_BYTES == 1024 * 1024
    assert not at.exception
