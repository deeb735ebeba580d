"""Assumptions: every input the evaluation used, where it came from, and the catalog facts."""

from __future__ import annotations

import streamlit as st

from app_pages import state

ORIGIN_HELP = {
    "override": "edited in the app (or --set)",
    "scenario": "written in the scenario file (or the file it extends)",
    "catalog": "a dated catalog fact",
    "measurement": "a measurement file",
    "estimate": "estimated by edgecalc (e.g. RTT from distance)",
    "default": "the schema default",
}


def main() -> None:
    state.init()
    cur = state.current()
    result = cur.result
    st.title("Assumptions")
    st.caption(f"{result.scenario.name}: every input the evaluation used, and its origin.")
    if cur.error:
        st.error(cur.error, icon=":material/error:")

    a = result.assumptions.copy()
    a["value"] = a["value"].map(lambda v: f"{v:,.6g}" if isinstance(v, float) else str(v))
    counts = a["origin"].value_counts()
    st.markdown(" · ".join(f"**{n}** {o} ({ORIGIN_HELP.get(o, o)})" for o, n in counts.items()))
    origins = list(counts.index)
    chosen = st.multiselect("Show origins", origins, default=origins, key="ec.assumptions.origin")
    shown = a[a["origin"].isin(chosen)]
    st.dataframe(
        shown[["path", "value", "range", "unit", "origin", "source", "as_of", "note"]],
        hide_index=True,
        width="stretch",
        key="ec.assumptions.table",
    )

    st.subheader("Catalog facts used")
    st.caption(
        "Dated reference facts that filled inputs the scenario left open. An input the scenario "
        "sets (origin scenario or override above) replaces the catalog's fact, which is then "
        "not listed here."
    )
    f = result.facts.copy()
    st.dataframe(
        f[["used_for", "value", "unit", "source", "as_of", "confidence", "key"]],
        hide_index=True,
        width="stretch",
        key="ec.assumptions.facts",
    )


main()
