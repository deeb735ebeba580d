"""Uncertainty: Monte Carlo over the scenario's ranges, tornado, flips and a sweep."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from app_pages import state, tables
from app_pages.progress import LateProgress
from edgecalc import limits
from edgecalc.render.figures import uncertainty as uplots
from edgecalc.scenario.ranges import Range
from edgecalc.uncertainty.sensitivity import flips, sweep, tornado
from edgecalc.uncertainty.simulate import simulate

# Above this many samples a run takes over about a second: a progress bar instead of a spinner.
_PROGRESS_FROM_SAMPLES = 20_000
# The sample counts offered, those within limits.APP_MONTE_CARLO_CELLS for the scenario, and
# the one the page opens on [samples].
SAMPLE_CHOICES = (1_000, 5_000, 10_000, 50_000)
DEFAULT_SAMPLES = 10_000
SAMPLES_KEY = "ec.mc.samples"
# Runs kept for every session, at most limits.APP_KEPT_SIMULATION_BYTES of arrays [count].
MAX_RUNS_KEPT = 32


@st.cache_resource(show_spinner=False)
def _runs_kept() -> state.Kept:
    """The Monte Carlo runs kept for every session, bounded by count and bytes."""
    return state.Kept(MAX_RUNS_KEPT, limits.APP_KEPT_SIMULATION_BYTES)


def _simulate(scenario_json: str, samples: int, seed: int, pinned: bool, scenario):
    """The run, kept on the scenario's JSON and the settings; one object serves every session
    (pages only read it; its fan is built before it is kept)."""
    key = (hashlib.sha256(scenario_json.encode()).hexdigest(), samples, seed, pinned)
    return _runs_kept().get(
        key, lambda: _run(scenario, samples, seed, pinned), state.simulation_bytes
    )


def _run(scenario, samples: int, seed: int, pinned: bool):
    """One bounded run (``simulate(bounded=True)``) in one of the server's Monte Carlo slots."""
    with state.monte_carlo_slot():
        if samples < _PROGRESS_FROM_SAMPLES:
            with st.spinner("Sampling ..."):
                sim = simulate(
                    scenario, samples=samples, seed=seed, pinned_defaults=pinned, bounded=True
                )
        else:
            bar = st.progress(0.0, text=f"Sampling {samples:,} ...")

            def progress(done: int, total: int) -> None:
                bar.progress(done / total, text=f"Sampling {done:,} of {total:,} ...")

            try:
                sim = simulate(
                    scenario,
                    samples=samples,
                    seed=seed,
                    pinned_defaults=pinned,
                    progress=progress,
                    bounded=True,
                )
            finally:
                bar.empty()
        # built now: a kept run is never changed by a reader (assigned: Streamlit writes a
        # page's bare expressions onto the page, and this one is the whole fan table)
        _ = sim.fan
    return sim


def run_size(scenario) -> tuple[int, int]:
    """Site groups and months of a scenario, the sizes known before it is resolved."""
    horizon = scenario.horizon_months
    months = horizon.high if isinstance(horizon, Range) else horizon
    return state.site_groups(scenario), int(months)


def sample_choices(scenario) -> tuple[list[int], int]:
    """The sample counts of :data:`SAMPLE_CHOICES` the app runs for this scenario, and the most
    it allows by site groups and months alone (its ranged inputs count too, once resolved:
    ``simulate(bounded=True)`` checks them) [samples]."""
    groups, months = run_size(scenario)
    allowed = limits.monte_carlo_samples_allowed(groups, months, ranged=0)
    return [n for n in SAMPLE_CHOICES if n <= allowed], allowed


def _samples_widget(scenario, column) -> int | None:
    """The samples slider, offering only what the app runs; None (and why) when it runs none."""
    choices, allowed = sample_choices(scenario)
    groups, months = run_size(scenario)
    if not choices:
        st.warning(
            f"Monte Carlo is not run in the app for this scenario: {groups:,} site group(s) "
            f"over {months:,} months allow at most {allowed:,} samples (one run is at most "
            f"{limits.APP_MONTE_CARLO_CELLS:,} cells: samples x (months x (site groups + 2) + "
            f"ranged inputs)), and this page draws at least {SAMPLE_CHOICES[0]:,}. Run "
            "`edgecalc simulate FILE` on your own machine, or merge site groups.",
            icon=":material/block:",
        )
        return None
    ss = st.session_state
    if ss.get(SAMPLES_KEY) not in choices:
        ss[SAMPLES_KEY] = max(n for n in choices if n <= DEFAULT_SAMPLES)
    if len(choices) < len(SAMPLE_CHOICES):
        st.caption(
            f":material/info: At most {allowed:,} samples for this scenario in the app: "
            f"{groups:,} site group(s) over {months:,} months, and one run is at most "
            f"{limits.APP_MONTE_CARLO_CELLS:,} cells (samples x (months x (site groups + 2) "
            "+ ranged inputs)). `edgecalc simulate FILE --samples N` runs any number on your "
            "own machine."
        )
    return column.select_slider("samples", choices, key=SAMPLES_KEY)


@st.cache_data(max_entries=32, show_spinner=False)
def _inputs_by_influence(scenario_json: str, samples: int, seed: int, pinned: bool, _sim):
    """The sampled inputs, strongest first (``Simulation.input_influence``), for one run."""
    return _sim.input_influence()["path"].tolist()


@st.cache_data(max_entries=32, show_spinner="Sensitivity ...")
def _tornado_flips(scenario_json: str, _scenario):
    with state.monte_carlo_slot(), LateProgress("Searching for flips") as progress:
        return tornado(_scenario), flips(_scenario, progress=progress)


@st.cache_data(max_entries=32, show_spinner="Sweeping ...")
def _sweep(scenario_json: str, path: str, values: tuple[float, ...], _scenario):
    with LateProgress("Sweeping") as progress:
        return sweep(_scenario, {path: list(values)}, progress=progress)


def _sensitivity(key: str, scenario) -> None:
    """Tornado and flips, on request (they evaluate the scenario many times), then kept."""
    st.subheader("What moves the answer")
    if st.toggle("rank the inputs (tornado) and find flips", key="ec.mc.sensitivity"):
        try:
            tdf, fdf = _tornado_flips(key, scenario)
        except state.Busy as exc:  # every slot taken: nothing to show, try again
            st.warning(str(exc), icon=":material/hourglass_empty:")
            tdf, fdf = None, pd.DataFrame()
        except Exception as exc:  # shown as an error, never a traceback
            st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")
            tdf, fdf = pd.DataFrame(), pd.DataFrame()
        if tdf is not None and len(tdf):
            st.plotly_chart(uplots.tornado_chart(tdf), key="ec.mc.tornado", width="stretch")
        elif tdf is not None:
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


def main() -> None:
    state.init()
    cur = state.current()
    scenario = cur.scenario
    key = scenario.model_dump_json()
    st.title("Uncertainty")
    st.caption(
        f"{tables.text(scenario.name)}: every input given as a range {{low, high}} (a 90% "
        "interval) is sampled, and so are the defaults the scenario does not pin that are "
        "low-confidence catalog facts or assumptions (listed below)."
    )
    if cur.error:
        st.error(tables.error_markdown(cur.error), icon=":material/error:")
    c1, c2 = st.columns(2)
    samples = _samples_widget(scenario, c1)
    if samples is None:
        return
    seed = int(c2.number_input("seed", value=0, min_value=0, step=1, key="ec.mc.seed"))
    pinned = st.toggle(
        "keep the defaults fixed (sample only the scenario's own ranges)", key="ec.mc.pinned"
    )
    try:
        sim = _simulate(key, samples, seed, pinned, scenario)
    except limits.MonteCarloTooLarge as exc:  # what the app allows, and why
        st.warning(str(exc), icon=":material/block:")
        return
    except state.Busy as exc:  # every slot taken: try again
        st.warning(str(exc), icon=":material/hourglass_empty:")
        return
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
        st.caption(f":material/warning: {tables.text(w)}")
    with st.expander(tables.text(sim.defaults_note)):
        for line in sim.default_range_lines():
            st.markdown(tables.lines([line]))

    _sensitivity(key, scenario)

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
