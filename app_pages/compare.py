"""Compare: two scenarios side by side: decision, costs, and the inputs that differ."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import state, tables
from edgecalc.format import usd
from edgecalc.render import figures as plots

EDITED = "the current scenario (with your edits)"
ORIGINAL = "the current scenario as loaded (without edits)"


def _choices() -> list[str]:
    return [EDITED, ORIGINAL, *(f"scenarios/{n}" for n in state.shipped_scenarios())]


def _pick(label: str, key: str, default: str, cur) -> tuple[str, object, object] | None:
    """A scenario chosen in a selectbox, loaded and evaluated; None (with the error) if bad."""
    choices = _choices()
    if key not in st.session_state or st.session_state[key] not in choices:
        st.session_state[key] = default
    choice = st.selectbox(label, choices, key=key)
    try:
        if choice == EDITED:
            return choice, cur.scenario, cur.result
        if choice == ORIGINAL:
            return choice, cur.base, state.evaluate(cur.base)
        source = state.shipped_source(choice.removeprefix("scenarios/"))
        scenario = state.load(source)
        return choice, scenario, state.evaluate(scenario)
    except Exception as exc:  # shown as an error, never a traceback
        st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")
        return None


def _side(col, name: str, label: str, scenario, result) -> None:
    rec = result.recommendation
    color = {"cloud": "blue", "edge": "orange", "hybrid": "green"}.get(rec, "gray")
    col.markdown(f"### {name}: :{color}-background[**{rec.upper()}**]")
    col.caption(tables.text(f"{label}: {scenario.name}"))
    col.markdown(tables.lines(result.decision.reasons[:3], numbered=True))
    col.plotly_chart(plots.cumulative_cost(result), key=f"ec.compare.chart.{name}", width="stretch")


def cost_table(result_a, result_b) -> pd.DataFrame:
    """Total and NPV per option in A and B, with the change from A to B [USD]."""
    a = result_a.summary.set_index("option")
    b = result_b.summary.set_index("option")
    rows = []
    for option in dict.fromkeys([*a.index, *b.index]):
        ta = float(a.loc[option, "total_usd"]) if option in a.index else float("nan")
        tb = float(b.loc[option, "total_usd"]) if option in b.index else float("nan")
        rows.append(
            {
                "option": option,
                "feasible A": bool(a.loc[option, "feasible"]) if option in a.index else None,
                "feasible B": bool(b.loc[option, "feasible"]) if option in b.index else None,
                "total A [USD]": ta,
                "total B [USD]": tb,
                "B - A [USD]": tb - ta,
                "B - A [%]": (tb / ta - 1) * 100 if ta else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    state.init()
    st.title("Compare two scenarios")
    cur = state.current()
    if cur.error:
        st.error(tables.error_markdown(cur.error), icon=":material/error:")
    c1, c2 = st.columns(2)
    with c1:
        a = _pick("Scenario A", "ec.compare.a", ORIGINAL, cur)
    with c2:
        b = _pick("Scenario B", "ec.compare.b", EDITED, cur)
    if a is None or b is None:
        return
    (label_a, sa, ra), (label_b, sb, rb) = a, b
    c1, c2 = st.columns(2)
    _side(c1, "A", label_a, sa, ra)
    _side(c2, "B", label_b, sb, rb)
    st.subheader("Costs over the horizon")
    costs = cost_table(ra, rb)
    for side in ("feasible A", "feasible B"):
        costs[side] = costs[side].map(tables.cell)
    st.dataframe(
        tables.styled(
            costs,
            {"total A [USD]": usd, "total B [USD]": usd, "B - A [%]": "{:+.1f} %"}
            | {"B - A [USD]": "{:+,.0f}"},
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader("Inputs that differ")
    rows = state.differing_inputs(sa, sb)
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="ec.compare.diff")
    else:
        st.info("The two scenarios have the same inputs.")


main()
