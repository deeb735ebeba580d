"""The Decide page's per-site verdicts: the plans compared, the map of site groups coloured by
verdict, and a sortable table of the largest groups (bounded). Every number and sentence comes
from edgecalc (``edgecalc.render.portfolio_tables``, ``edgecalc.render.figures.portfolio``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import state, tables
from edgecalc.format import usd
from edgecalc.render import portfolio_tables as pt
from edgecalc.render.figures.portfolio import plan_comparison, portfolio_map
from edgecalc.results.portfolio import BEST_NONE

MAX_TABLE_ROWS = 1_000
"""Site groups the table holds at most (the largest); the rest are summed below it."""

ALL = "every verdict"
# The base map is served by the app itself (server.enableStaticServing: static/ is the folder
# edgecalc/render/figures/data), so the map draws with no access to plotly's CDN.
MAP_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}


@st.cache_resource(max_entries=32, show_spinner=False)
def _verdicts(key: str, _portfolio) -> pd.DataFrame:
    """Every site group's verdict, kept per result (``state.result_key``); read, never
    changed, by the page."""
    return pt.group_verdicts(_portfolio, explain=None)


def section(result, key: str | None = None) -> None:
    """The per-site verdicts of a result with site groups; nothing when it has none. With
    ``key`` (the result's ``state.result_key``) the verdicts and both figures are built once
    per result, so a rerun that leaves the result alone (another chart's option, the bands,
    the sidebar) rebuilds none of them and the browser keeps the charts it has."""
    portfolio = getattr(result, "portfolio", None)
    if portfolio is None:
        return
    st.markdown("### Per-site verdicts")
    st.caption(tables.text(pt.portfolio_summary(portfolio)))
    plans = pd.DataFrame(pt.plan_cells(portfolio), columns=pt.plan_header(portfolio.basis))
    st.dataframe(plans, hide_index=True, key="ec.portfolio.plans", width="stretch")
    c1, c2 = st.columns([1, 1])
    c1.markdown(tables.lines(portfolio.reasons))
    plans_figure = (
        plan_comparison(portfolio)
        if key is None
        else state.figure("portfolio.plans", key, lambda: plan_comparison(portfolio))
    )
    c2.plotly_chart(plans_figure, key="ec.chart.plans", width="stretch")
    if key is None:
        every = pt.group_verdicts(portfolio, explain=None)
        map_figure = portfolio_map(portfolio, every)
    else:
        every = _verdicts(key, portfolio)
        map_figure = state.figure("portfolio.map", key, lambda: portfolio_map(portfolio, every))
    st.plotly_chart(
        map_figure,
        key="ec.chart.portfolio_map",
        width="stretch",
        config=MAP_CONFIG,
    )
    group_table(portfolio, every)


def group_table(portfolio, every: pd.DataFrame) -> None:
    """The largest site groups (at most :data:`MAX_TABLE_ROWS`), filtered by verdict."""
    verdicts = [ALL, *[v for v in [*portfolio.options, BEST_NONE] if (every["best"] == v).any()]]
    chosen = st.selectbox("site groups with", verdicts, key="ec.portfolio.verdict")
    shown = every if chosen == ALL else every[every["best"] == chosen]
    cost = pt.cost_label(portfolio.basis)
    frame = pd.DataFrame(
        {
            "site group": shown["group"],
            "sites": shown["sites"],
            "country": shown["country"],
            "access": shown["access"],
            "verdict": shown["best"],
            cost: shown["best_usd"],
            "runner-up": shown["runner_up"],
            f"runner-up {cost}": shown["runner_up_usd"],
            "why": shown["why"],
        }
    ).head(MAX_TABLE_ROWS)
    money = {cost: usd, f"runner-up {cost}": usd}
    st.dataframe(
        tables.styled(frame, money), hide_index=True, key="ec.portfolio.groups", width="stretch"
    )
    if len(shown) > len(frame):
        st.caption(
            f"The {len(frame):,} largest of {len(shown):,} site groups (sort by any column); "
            f"{tables.text(pt.rest_sentence(shown, shown=len(frame)))}."
        )
    st.caption(tables.text(pt.portfolio_note(portfolio)))
