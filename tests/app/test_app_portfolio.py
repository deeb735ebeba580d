"""The Decide page's per-site verdicts (app_pages/portfolio_view.py) through AppTest, on a real
evaluation carrying the hand-built portfolio of tests/portfolio_fixture.py."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app_pages import tables

ROOT = Path(__file__).resolve().parents[2]
TESTS = str(ROOT / "tests")
FACTORY = str(ROOT / "tests" / "fixtures" / "golden-factory.yaml")


def _section(tests: str, factory: str, portfolio: bool) -> None:
    import sys
    from dataclasses import replace

    sys.path.insert(0, tests)
    from portfolio_fixture import hand_built_portfolio

    import edgecalc
    from app_pages import portfolio_view

    result = edgecalc.evaluate(factory, flips=False)
    if portfolio:
        result = replace(result, portfolio=hand_built_portfolio(none_group=True))
    portfolio_view.section(result)


def _app(portfolio: bool = True) -> AppTest:
    at = AppTest.from_function(
        _section, kwargs={"tests": TESTS, "factory": FACTORY, "portfolio": portfolio},
        default_timeout=120,
    )  # fmt: skip
    return at.run()


def test_plans_map_and_groups_are_shown():
    at = _app()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "### Per-site verdicts"
    assert at.caption[0].value == tables.text(
        "23 site groups, 334 sites: 11 cloud, 11 edge, 1 none"
    )
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the plan comparison and the map
    plans, groups = at.dataframe
    assert list(plans.value["plan"]) == ["mixed", "all cloud", "all edge", "all hub"]
    table = groups.value.data if hasattr(groups.value, "data") else groups.value
    assert len(table) == 23
    assert list(table.columns)[:6] == ["site group", "sites", "country", "access", "verdict",
                                       "cost (NPV)"]  # fmt: skip
    assert table.iloc[0]["site group"] == "Berlin Mitte"
    assert table.iloc[0]["cost (NPV)"] == 400_000  # numeric: the table sorts by it


def test_the_verdict_filter_narrows_the_table():
    at = _app()
    box = at.selectbox(key="ec.portfolio.verdict")
    assert box.options == ["every verdict", "cloud", "edge", "none"]
    at = box.set_value("edge").run()
    assert not at.exception
    table = at.dataframe[1].value
    table = table.data if hasattr(table, "data") else table
    # edge: Bavaria rural, Paris and the 9 odd generated groups g07 .. g23
    assert len(table) == 11 and set(table["verdict"]) == {"edge"}


def test_nothing_without_site_groups():
    at = _app(portfolio=False)
    assert not at.exception
    assert not at.markdown and not at.get("plotly_chart")


def test_a_rerun_that_leaves_the_result_alone_rebuilds_no_per_site_view(monkeypatch):
    from app_pages import portfolio_view, state

    calls: list[str] = []
    for name in ("plan_comparison", "portfolio_map"):
        real = getattr(portfolio_view, name)
        monkeypatch.setattr(
            portfolio_view,
            name,
            lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a),
        )
    real_verdicts = portfolio_view.pt.group_verdicts
    monkeypatch.setattr(
        portfolio_view.pt,
        "group_verdicts",
        lambda *a, **k: calls.append("group_verdicts") or real_verdicts(*a, **k),
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.SOURCE] = state.shipped_source("store-portfolio.yaml")
    at.session_state[state.OVERRIDES] = {"latency.budget_ms": 41.5}  # a result no test kept
    at.run()
    assert not at.exception, at.exception
    assert sorted(calls) == ["group_verdicts", "plan_comparison", "portfolio_map"]
    at.radio(key="ec.waterfall_option").set_value("edge").run()  # another chart, same result
    assert not at.exception, at.exception
    assert len(calls) == 3
    assert any(m.value == "### Per-site verdicts" for m in at.markdown)
