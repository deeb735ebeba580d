"""Assumptions: every input the evaluation used, where it came from, and the catalog facts."""

from __future__ import annotations

import streamlit as st

from app_pages import state, tables

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
    st.caption(
        f"{tables.text(result.scenario.name)}: every input the evaluation used, and its origin."
    )
    if cur.error:
        st.error(tables.error_markdown(cur.error), icon=":material/error:")

    a = tables.assumptions_table(result.assumptions)
    counts = a["origin"].value_counts()
    st.markdown(" · ".join(f"**{n}** {o} ({ORIGIN_HELP.get(o, o)})" for o, n in counts.items()))
    origins = list(counts.index)
    chosen = st.multiselect("Show origins", origins, default=origins, key="ec.assumptions.origin")
    shown = a[a["origin"].isin(chosen)]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="ec.assumptions.table",
        column_order=["input", "value", "90% range", "unit", "origin", "as of", "note", "source",
                      "link"],
        column_config={
            "input": tables.MEDIUM, "note": tables.WIDE, "source": tables.WIDE,
            "link": tables.LINK,
        },
    )  # fmt: skip

    st.subheader("Catalog facts used")
    st.caption(
        "Dated reference facts that filled inputs the scenario left open. An input the scenario "
        "sets (origin scenario or override above) replaces the catalog's fact, which is then "
        "not listed here. `open ↗` opens the source where it is on the web."
    )
    st.dataframe(
        tables.facts_table(result.facts),
        hide_index=True,
        width="stretch",
        key="ec.assumptions.facts",
        column_order=["used for", "value", "unit", "as of", "confidence", "source", "link",
                      "fact"],
        column_config={
            "used for": tables.MEDIUM, "source": tables.WIDE, "link": tables.LINK,
            "fact": tables.MEDIUM,
        },
    )  # fmt: skip


main()
