"""Uncertainty: Monte Carlo over the scenario's ranges, tornado, flips and a sweep."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app_pages import state, tables
from app_pages.progress import LateProgress
from edgecalc.render.figures import uncertainty as uplots
from edgecalc.uncertainty.sensitivity import flips, sweep, tornado
from edgecalc.uncertainty.simulate import simulate

# Above this many samples a run takes over about a second: a progress bar instead of a spinner.
_PROGRESS_FROM_SAMPLES = 20_000


@st.cache_data(max_entries=32, show_spinner="Sampling ...")
def _simulate(scenario_json: str, samples: int, seed: int, pinned: bool, _scenario):
    if samples < _PROGRESS_FROM_SAMPLES:
        return simulate(_scenario, samples=samples, seed=seed, pinned_defaults=pinned)
    bar = st.progress(0.0, text=f"Sampling {samples:,} ...")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Sampling {done:,} of {total:,} ...")

    try:
        return simulate(
            _scenario, samples=samples, seed=seed, pinned_defaults=pinned, progress=progress
        )
    finally:
        bar.empty()


@st.cache_data(max_entries=32, show_spinner=False)
def _inputs_by_influence(scenario_json: str, samples: int, seed: int, pinned: bool, _sim):
    """The sampled inputs, strongest first (``Simulation.input_influence``), for one run."""
    return _sim.input_influence()["path"].tolist()


@st.cache_data(max_entries=32, show_spinner="Sensitivity ...")
def _tornado_flips(scenario_json: str, _scenario):
    with LateProgress("Searching for flips") as progress:
        return tornado(_scenario), flips(_scenario, progress=progress)


@st.cache_data(max_entries=32, show_spinner="Sweeping ...")
def _sweep(scenario_json: str, path: str, values: tuple[float, ...], _scenario):
    with LateProgress("Sweeping") as progress:
        return sweep(_scenario, {path: list(values)}, progress=progress)


def main() -> None:
    state.init()
    cur = state.current()
    scenario = cur.scenario
    key = scenario.model_dump_json()
    st.title("Uncertainty")
    st.caption(
        f"{scenario.name}: every input given as a range {{low, high}} (a 90% interval) is "
        "sampled, and so are the defaults the scenario does not pin that are low-confidence "
        "catalog facts or assumptions (listed below)."
    )
    if cur.error:
        st.error(tables.error_markdown(cur.error), icon=":material/error:")
    c1, c2 = st.columns(2)
    samples = c1.select_slider(
        "samples", [1_000, 5_000, 10_000, 50_000], value=10_000, key="ec.mc.samples"
    )
    seed = int(c2.number_input("seed", value=0, min_value=0, step=1, key="ec.mc.seed"))
    pinned = st.toggle(
        "keep the defaults fixed (sample only the scenario's own ranges)", key="ec.mc.pinned"
    )
    try:
        sim = _simulate(key, samples, seed, pinned, scenario)
    except Exception as exc:  # shown as an error, never a traceback
        st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")
        return
    cols = st.columns(len(sim.options))
    for col, (option, p) in zip(cols, sim.probability_cheapest.items(), strict=False):
        col.metric(f"P({option} cheapest feasible)", f"{p:.0%}")
    st.caption(
        f"The point estimate recommends {sim.point_recommendation}; stability "
        f"{sim.stability:.0%} of samples agree."
    )
    st.plotly_chart(uplots.fan_chart(sim), key="ec.mc.fan", width="stretch")
    for w in sim.warnings:
        st.caption(f":material/warning: {w}")
    with st.expander(sim.defaults_note):
        for line in sim.default_range_lines():
            st.markdown(f"- {line}")

    st.subheader("What moves the answer")
    # Tornado and flips evaluate the scenario many times: run them on request, then keep them.
    if st.toggle("rank the inputs (tornado) and find flips", key="ec.mc.sensitivity"):
        try:
            tdf, fdf = _tornado_flips(key, scenario)
        except Exception as exc:  # shown as an error, never a traceback
            st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")
            tdf, fdf = pd.DataFrame(), pd.DataFrame()
        if len(tdf):
            st.plotly_chart(uplots.tornado_chart(tdf), key="ec.mc.tornado", width="stretch")
        else:
            st.info("The scenario has no ranges to rank.")
        if len(fdf):
            st.markdown("**What would flip the recommendation**")
            st.dataframe(
                tables.flips_table(fdf),
                hide_index=True,
                width="stretch",
                key="ec.mc.flips",
                column_order=["input", "now", "flips", "recommendation", "searched"],
                column_config={"input": tables.MEDIUM, "recommendation": tables.MEDIUM},
            )

    st.subheader("Sweep one input")
    paths = _inputs_by_influence(key, samples, seed, pinned, sim) or [
        "workload.inferences_per_second"
    ]
    path = st.selectbox(
        "input",
        paths,
        key="ec.mc.sweep_path",
        help="Strongest first: by how closely each input moves with the gap between the "
        "recommended option's total cost and the next cheapest, over the samples above "
        "(Spearman's rank correlation).",
    )
    center = float(np.median(sim.inputs[path])) if path in sim.inputs else 1.0
    low, high = st.slider(
        "from / to (x the median)", 0.1, 10.0, (0.25, 4.0), key="ec.mc.sweep_span"
    )
    values = tuple(float(v) for v in np.geomspace(center * low, center * high, 15))
    try:
        sdf = _sweep(key, path, values, scenario)
        st.plotly_chart(uplots.sweep_chart(sdf, path), key="ec.mc.sweep", width="stretch")
    except Exception as exc:
        st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")


main()
