"""Operations: what running the fleet takes (rollout, offline, failures, fit, labour, devices)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import input_limits, state, tables
from edgecalc.format import usd
from edgecalc.pipeline.devices import rank_devices
from edgecalc.pipeline.operations_figures import DayQuantiles, FleetAvailability, FleetOperations
from edgecalc.render import figures as plots
from edgecalc.scenario import scenario_source
from edgecalc.scenario.ranges import Range, median

# (path, label with unit, widget settings); each edit becomes an override. The limits of every
# input are app_pages/input_limits.py's (the link reader checks them too).
INPUTS = [
    (
        "operations.offline_probability_per_day",
        "offline probability [per device and day]",
        {"step": 0.01, "format": "%.3f"},
    ),
    ("operations.mean_offline_spell_days", "mean offline spell [days]", {"step": 0.5}),
    ("operations.waves", "waves after the canary [count]", {"step": 1}),
    ("operations.days_between_waves", "days between waves [days]", {"step": 1.0}),
    ("edge.redundancy", "spare devices per site [count]", {"step": 1}),
    ("edge.annual_failure_rate", "annual failure rate [1/year]", {"step": 0.005, "format": "%.3f"}),
]
REQUIREMENT = "operations.availability_requirement"
# The same, of the availability requirement; empty = none.
REQUIREMENT_INPUTS = [
    (
        f"{REQUIREMENT}.min_share_served",
        "share served at least [fraction]",
        {"step": 0.0005, "format": "%.4f"},
    ),
    (
        f"{REQUIREMENT}.max_minutes_without_inference_per_month",
        "without inference at most [min/site/month]",
        {"step": 10.0},
    ),
    (
        f"{REQUIREMENT}.usd_per_minute_without_inference",
        "a minute without inference costs [USD]",
        {"step": 1.0},
    ),
]
FLEET_INPUTS = [
    ("edge.platform_fte", "edge platform labour [FTE]", {"step": 0.05, "format": "%.2f"}),
    (
        "edge.devices_per_engineer",
        "devices per engineer [devices/FTE]",
        {"step": 50.0, "format": "%.0f"},
    ),
    (
        "cloud.ops_engineer_fraction",
        "cloud platform labour [FTE]",
        {"step": 0.05, "format": "%.2f"},
    ),
    (
        "edge.depot_spare_fraction",
        "depot spares [share of fleet]",
        {"step": 0.01, "format": "%.2f"},
    ),
    ("edge.idle_power_w", "idle power [W]", {"step": 1.0, "format": "%.1f"}),
]
# FLEET_INPUTS: labour, spares and power, the fleet economics a reviewer most often questions
# (a comment: Streamlit writes a page's bare strings onto the page)


def fleets(ops: dict) -> dict[str, FleetOperations]:
    """The edge-side options (kind edge or hybrid) of ``Result.operations``, in order."""
    return {name: o for name, o in ops.items() if isinstance(o, FleetOperations)}


def _base_values(base, rows=INPUTS) -> dict[str, float | None]:
    """The value each input has in the loaded scenario (catalog defaults filled in)."""
    try:
        a = state.evaluate(base).assumptions.set_index("path")["value"]
    except Exception:  # the scenario cannot be evaluated: the current page shows why
        a = pd.Series(dtype=object)
    data = base.model_dump()
    out = {}
    for path, _, _ in rows:
        integer = input_limits.NUMBER_INPUTS[path].whole
        value = a.get(path, state.get_path(data, path))
        if value is None:
            out[path] = None
            continue
        value = median(Range.model_validate(value) if isinstance(value, dict) else value)
        out[path] = round(value) if integer else float(value)
    return out


def inputs(base) -> None:
    for title, rows in (
        ("**Operations inputs** (edits apply to every page, as on Decide)", INPUTS),
        (
            "**Labour, spares and power** (defaults are assumptions: see docs/model.md)",
            FLEET_INPUTS,
        ),
    ):
        values = _base_values(base, rows)
        ranged = set(base.ranged_paths())
        with st.container(border=True):
            st.markdown(title)
            # three to a row, so the labels stay whole (the last row may have empty columns)
            cols = [c for _ in range(0, len(rows), 3) for c in st.columns(3)]
            for col, (path, label, kw) in zip(cols, rows, strict=False):
                _number(col, path, label, values[path], kw, exact=path not in ranged)


def _number(col, path: str, label: str, value, kw: dict, exact: bool = True) -> None:
    """A number input with the limits of ``input_limits`` (which the link reader checks); its
    edit becomes an override. ``exact``: show the scenario's ``value`` with all its decimals
    (not for the median of a range)."""
    key = state.seed(path, value)
    shown = input_limits.shown_format(value, kw.get("format")) if exact else kw.get("format")
    widget = {**kw, "format": shown} if shown is not None else kw
    col.number_input(label, key=key, **input_limits.widget(path), **widget)
    state.record(path, value)


def requirement_inputs(base) -> None:
    """The availability the sites require (empty: none) and what a minute without costs."""
    required = base.operations.availability_requirement
    with st.container(border=True):
        st.markdown(
            "**Availability the sites require** (empty: no requirement; an option that misses "
            "it is ruled out on Decide, the price per minute is a cost line)"
        )
        for col, (path, label, kw) in zip(
            st.columns(len(REQUIREMENT_INPUTS)), REQUIREMENT_INPUTS, strict=True
        ):
            name = path.rsplit(".", 1)[1]
            given = None if required is None else getattr(required, name)
            value = None if given is None else float(median(given))
            _number(col, path, label, value, kw, exact=not isinstance(given, Range))


def requirement_lines(result) -> list[str]:
    """Per option, the availability check as Decide shows it; empty without a requirement."""
    rows = result.constraints
    if rows is None:
        return []
    rows = rows[rows["constraint"] == "availability"]
    return [
        f"- **{r.option}**: " + ("" if r.ok else ":red[**ruled out**] ") + tables.text(r.detail)
        for r in rows.itertuples()
    ]


def _range(q: DayQuantiles) -> str:
    """p50 (p10-p90) in days; '>horizon' when not reached."""

    def show(v):
        return "not reached" if v is None else f"{v:g}"

    return f"{show(q.p50)} ({show(q.p10)} to {show(q.p90)})"


def rollout_table(ops: dict) -> pd.DataFrame:
    """Per edge-side option: days to 50/95/100% of the fleet (p50 and p10 to p90), staleness."""
    rows = []
    for name, o in fleets(ops).items():
        r = o.rollout
        rows.append(
            {
                "option": name,
                "devices": r.devices,
                "days to 50%": _range(r.days_to_50),
                "days to 95%": _range(r.days_to_95),
                "days to 100%": _range(r.days_to_100),
                "mean staleness [days]": r.mean_staleness_days,
                "never updated [devices]": r.never_updated_devices,
            }
        )
    return pd.DataFrame(rows)


def visits_table(ops: dict) -> pd.DataFrame:
    """Per edge-side option: site visits a year (firmware, rollout), their cost, failures."""
    rows = []
    for name, o in fleets(ops).items():
        v = o.site_visits
        rows.append(
            {
                "option": name,
                "site visits [per year]": v.per_year,
                "of which firmware [per year]": v.firmware_per_year,
                "of which rollout [per year]": v.rollout_per_year,
                "site visits [USD/year]": v.usd_per_year,
                "hardware failures [per year]": v.hardware_failures_per_year,
            }
        )
    return pd.DataFrame(rows)


def availability_table(ops: dict) -> pd.DataFrame:
    """Per option: minutes per site and month without inference, shares served and in budget."""
    rows = []
    for name, o in ops.items():
        a = o.availability
        rows.append(
            {
                "option": name,
                "without inference [min/site/month]": a.minutes_without_inference_per_site_month,
                "served [%]": 100 * a.share_served,
                "within budget [%]": 100 * a.share_within_budget,
                "site down [%]": (
                    100 * a.site_down_share if isinstance(a, FleetAvailability) else None
                ),
            }
        )
    return pd.DataFrame(rows)


def labour_table(ops: dict) -> pd.DataFrame:
    """Per option: labour [FTE], operating cost [USD/month] and its ratio to the cloud's."""
    rows = []
    for name, o in ops.items():
        rows.append(
            {
                "option": name,
                "labour [FTE]": o.labour_fte,
                "operating [USD/month]": o.operating_usd_per_month,
                "ratio to cloud": (
                    o.operating_cost_ratio_to_cloud if isinstance(o, FleetOperations) else 1.0
                ),
            }
        )
    return pd.DataFrame(rows)


def _numbers(frame: pd.DataFrame, key: str, number_format: str) -> None:
    """A table of an option column and numbers, shown when it has rows."""
    if frame.empty:
        return
    config = {c: st.column_config.NumberColumn(format=number_format) for c in frame.columns[1:]}
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=config)


def _edge_side_table(ops: dict, section: str, columns: dict[str, str]) -> pd.DataFrame:
    """Per edge-side option, the fields of one operations section under their labels."""
    rows = []
    for name, o in fleets(ops).items():
        values = getattr(o, section)
        rows.append({"option": name, **{label: getattr(values, k) for label, k in columns.items()}})
    return pd.DataFrame(rows)


def labour_parts_table(ops: dict) -> pd.DataFrame:
    """Per edge-side or hub option: the labour floor, per hub, per site, per device (a hub's
    servers), and model optimisation."""
    columns = {
        "platform [FTE]": "platform_fte",
        "per hub [FTE]": "per_hub_fte",
        "per site [FTE]": "per_site_fte",
        "per device or server [FTE]": "per_device_fte",
        "model optimisation [days/month]": "optimisation_engineer_days_per_month",
    }
    return _edge_side_table(ops, "labour", columns)


def spares_table(ops: dict) -> pd.DataFrame:
    """Per edge-side option: hot spares at the sites, cold spares in a depot, repair lead."""
    columns = {
        "hot spares at sites [devices]": "hot_spares",
        "depot spares [devices]": "depot_spares",
        "repair lead [days]": "repair_lead_days",
    }
    return _edge_side_table(ops, "spares", columns)


@st.cache_data(max_entries=64, show_spinner="Ranking devices ...")
def _ranking(scenario_json: str, base_dir: str, _scenario) -> pd.DataFrame:
    return rank_devices(_scenario, base_dir=base_dir or None)


def _same_curves(ops: dict) -> bool:
    curves = [o.rollout.curve for o in fleets(ops).values()]
    return len(curves) == 2 and curves[0] == curves[1]


def devices(scenario) -> None:
    origin = scenario_source(scenario)
    base_dir = str(origin.path.parent) if origin is not None and origin.path else ""
    try:
        ranking = _ranking(scenario.model_dump_json(), base_dir, scenario)
    except Exception as exc:  # shown as an error, never a traceback
        st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")
        return
    shown = ranking.assign(
        **{c: ranking[c].map(tables.cell) for c in ("feasible", "fits", "meets_latency")}
    )
    formats = {
        "latency_ms": "{:.1f}",
        "device_usd": usd,
        "total_usd": usd,
        "devices_per_site": "{:.0f}",
    }
    st.dataframe(
        tables.styled(shown, formats),
        hide_index=True,
        width="stretch",
        height=35 * (len(ranking) + 1) + 3,
        key="ec.ops.devices",
        column_order=[c for c in ranking.columns if c != "name"],
        column_config={
            "rank": st.column_config.NumberColumn(width=40),
            "device": st.column_config.TextColumn(width="medium", help="catalog key"),
            "feasible": st.column_config.TextColumn(width="small"),
            "fits": st.column_config.TextColumn(width="small"),
            "meets_latency": st.column_config.TextColumn("in budget", width="small"),
            "latency_ms": st.column_config.NumberColumn("latency [ms]"),
            "device_usd": st.column_config.NumberColumn("device [USD]"),
            "total_usd": st.column_config.NumberColumn("edge total [USD]"),
            "devices_per_site": st.column_config.NumberColumn("devices/site"),
            "why_lost": st.column_config.TextColumn("why not chosen", width="large"),
        },
    )
    lost = ranking[ranking["why_lost"].astype(bool)]
    with st.expander(f"Why the other {len(lost)} devices were not chosen", expanded=False):
        st.markdown(
            "\n".join(
                f"- **{tables.text(r.device)}**: {tables.text(r.why_lost)}"
                for r in lost.itertuples()
            )
        )


def main() -> None:
    state.init()
    base = state.base_scenario()
    st.title("Operations")
    st.caption(
        f"{tables.text(base.name)}: what running the fleet takes. Rollout figures come from "
        "simulated rollouts (devices go offline for spells); the rest are expectations at the "
        "point values."
    )
    inputs(base)
    requirement_inputs(base)
    cur = state.current()
    if cur.error:
        st.error(tables.error_markdown(cur.error), icon=":material/error:")
    if cur.stale:
        st.warning("Showing the last inputs that could be evaluated.", icon=":material/undo:")
    ops = cur.result.operations
    if not fleets(ops):
        st.info("No edge-side option in this scenario: nothing to roll out.")
    st.subheader("Rolling out a new model")
    st.plotly_chart(plots.rollout_curve(cur.result), key="ec.ops.rollout", width="stretch")
    if _same_curves(ops):
        st.caption("Edge and hybrid roll out to the same fleet here: their curves coincide.")
    st.caption("Days after the release: median run (p10 to p90 over simulated rollouts).")
    st.dataframe(
        tables.styled(
            rollout_table(ops),
            {"mean staleness [days]": "{:.1f}", "never updated [devices]": "{:.2f}"},
        ),
        hide_index=True,
        width="stretch",
        key="ec.ops.rollout_table",
    )
    visits = visits_table(ops)
    st.dataframe(
        tables.styled(
            visits,
            {c: "{:.2f}" for c in visits.columns if c.endswith("[per year]")}
            | {"site visits [USD/year]": usd},
        ),
        hide_index=True,
        width="stretch",
        key="ec.ops.visits",
    )
    st.subheader("Offline and failures")
    st.dataframe(
        tables.styled(
            availability_table(ops),
            {"without inference [min/site/month]": "{:.3f}"}
            | {c: "{:.3f} %" for c in ("served [%]", "within budget [%]", "site down [%]")},
        ),
        hide_index=True,
        width="stretch",
        key="ec.ops.availability",
    )
    st.caption("— : not applicable (a cloud option has no site of its own to go down).")
    for name, o in ops.items():
        text = (
            o.availability.fallback
            if isinstance(o, FleetOperations)
            else "while the WAN is down, no inference"
        )
        st.markdown(f"- **{name}**: {tables.text(text)}")
    checked = requirement_lines(cur.result)
    if checked:
        st.markdown("**Against the requirement**")
        st.markdown("\n".join(checked))
    st.subheader("Does the model fit the device?")
    for name, o in fleets(ops).items():
        mark = ":green[fits]" if o.fit.fits else ":red[does not fit]"
        st.markdown(f"- **{name}** ({mark}): {tables.text(o.fit.reason)}")
    st.subheader("Labour and operating cost")
    st.dataframe(
        tables.styled(
            labour_table(ops),
            {
                "labour [FTE]": "{:.2f}",
                "operating [USD/month]": usd,
                "ratio to cloud": "{:.2f}x",
            },
        ),
        hide_index=True,
        width="stretch",
        key="ec.ops.labour",
    )
    if isinstance(ops.get("edge"), FleetOperations):
        st.markdown(tables.text(ops["edge"].operating_cost_sentence))
    _numbers(labour_parts_table(ops), "ec.ops.labour_parts", "%.2f")
    spares = spares_table(ops)
    if not spares.empty:
        st.markdown(
            "**Spares**: hot spares idle at the sites; depot spares are cold and ship on failure."
        )
    _numbers(spares, "ec.ops.spares", "%.1f")
    st.subheader("Edge devices ranked for this scenario")
    st.caption(
        "Every catalog device as the edge device: feasible ones first, cheapest first "
        "(rank 1 is what `edge.device: auto` would pick)."
    )
    devices(cur.scenario)


main()
