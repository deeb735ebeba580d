"""Decide: load a scenario, edit its main inputs, read the verdict, its reasons and the charts."""

from __future__ import annotations

from functools import partial

import streamlit as st

import edgecalc
from app_pages import chart_keys, input_limits, portfolio_view, share, state, tables
from edgecalc import limits
from edgecalc.costs.cloud_bill import pricing_label
from edgecalc.render import figures as plots
from edgecalc.scenario.cloud_pricing import CLOUD_PRICING_CHOICES, pricing_overrides
from edgecalc.scenario.models import Residency
from edgecalc.scenario.ranges import Range, median

RESIDENCY = list(Residency.__args__)
RESIDENCY_LABELS = {
    "on_site": "on site",
    "in_country": "in the country",
    "in_region": "in the region (e.g. EEA)",
    "anywhere": "anywhere",
}
# Edge figures that belong to one device: cleared (the catalog's apply) when the device changes.
# (Comments, not docstrings: Streamlit's "magic" would print a bare string on the page.)
DEVICE_FIELDS = ("inferences_per_second_per_device", "inference_ms", "memory_gb", "power_w")
# Markdown colours closest to edgecalc.render.figures.OPTION_COLORS.
VERDICT_COLORS = {"cloud": "blue", "edge": "orange", "hybrid": "green", "none": "gray"}
CONSTRAINTS = {
    "latency": "latency",
    "escalation_latency": "latency",
    "residency": "residency",
    "uplink": "bandwidth / uplink",
    "fit": "model fits device",
    "capacity": "rate limits / capacity",
    "link_cap": "site link: cap",
    "link_throttle": "site link: throttle",
    "availability": "availability required",
}
COMMITMENT_DISCOUNT_PCT = 40.0
# The commitment discount the app starts from [%].
BEYOND = ["overage", "throttle", "cap"]
BEYOND_LABELS = {
    "overage": "billed per GB (overage)",
    "throttle": "slowed (throttle)",
    "cap": "cut off (hard cap)",
}


@st.cache_resource(show_spinner=False)
def _catalog():
    return edgecalc.load_catalog()


def _plain(value):
    """A number for a widget: the median of a range, the value otherwise."""
    return median(value) if isinstance(value, Range) else value


# -- scenario source (sidebar) ------------------------------------------------------------------


def _on_choose_file() -> None:
    name = st.session_state.get("ec.scenario_file")
    if name:
        state.set_source(state.shipped_source(name))


def _on_template() -> None:
    state.set_source(state.template_source())


def _on_upload() -> None:
    """Runs before the page is drawn: take a good upload, keep the scenario on a bad one."""
    upload = st.session_state.get("ec.upload")
    if upload is None:  # the file was removed from the uploader
        state.clear_error()
        return
    if state.accept_upload(upload.getvalue(), upload.name):
        st.session_state["ec.scenario_file"] = None


def source_picker() -> None:
    """Choose a shipped scenario, upload one, or start from the template."""
    ss = st.session_state
    source = ss[state.SOURCE]
    names = state.shipped_scenarios()
    with st.sidebar:
        st.subheader("Scenario")
        if "ec.scenario_file" not in ss:
            ss["ec.scenario_file"] = source["name"] if source["kind"] == "shipped" else None
        st.selectbox(
            "Shipped scenario",
            names,
            key="ec.scenario_file",
            index=None,
            placeholder="choose a shipped scenario",
            on_change=_on_choose_file,
        )
        st.file_uploader(
            "or upload a YAML scenario",
            type=["yaml", "yml"],
            key="ec.upload",
            max_upload_size=1,
            on_change=_on_upload,
            help="A scenario file (edgecalc: 1), up to 1 MiB (1,048,576 bytes: the limit the "
            "widget writes 1MB); `extends:` resolves against scenarios/. A file that is not "
            "valid leaves the current scenario on screen, and its problems are listed.",
        )
        st.button("or start from a blank template", key="ec.template", on_click=_on_template)
        st.caption(f"Loaded: **{tables.text(state.source_label(ss[state.SOURCE]))}**")


# -- inputs -------------------------------------------------------------------------------------


# Every input records its edit in a callback, which Streamlit runs before the page: the page
# evaluates the edits first and sends the verdict before it draws the inputs again.


def _widget_value(base, integer: bool = False):
    """What a number field shows for a scenario value: the median of a range, None if unset."""
    value = _plain(base)
    return None if value is None else (int(value) if integer else float(value))


def _number(col, path: str, label: str, base, **kw) -> None:
    """A number input with the limits of ``input_limits`` (which the link reader checks)."""
    allowed = input_limits.NUMBER_INPUTS[path]
    value = _widget_value(base, allowed.whole)
    key = state.seed(path, value)
    help_text = kw.pop("help", None)
    if isinstance(base, Range):
        note = f"The file gives a 90% range {base.low:g} to {base.high:g}; editing sets a number."
        help_text = f"{help_text} {note}" if help_text else note
    elif not allowed.whole:  # the file's value with all its decimals (99.995, not 99.99)
        kw["format"] = input_limits.shown_format(value, kw.get("format"))
    col.number_input(
        label,
        key=key,
        help=help_text,
        on_change=state.record,
        args=(path, value),
        **allowed.widget(),
        **kw,
    )
    state.record(path, value)


def _select(col, path: str, label: str, base, options, *, on_change=None, **kw) -> None:
    key = state.seed(path, base)
    on_change = on_change or state.record
    col.selectbox(label, options, key=key, on_change=on_change, args=(path, base), **kw)
    state.record(path, base)


def _on_device_change(path: str, base, *, device_usd: float | None) -> None:
    """A new device brings its catalog price (or none: then the user must type one);
    ``device_usd`` is the file's price (what the price field records its edit against)."""
    state.record(path, base)
    key = st.session_state.get(state.widget_key("edge.device"))
    try:
        fact = _catalog().device(key).price_usd
    except Exception:  # unknown device: leave the price to the user
        fact = None
    st.session_state[state.widget_key("edge.device_usd")] = (
        float(fact.value) if fact is not None else None
    )
    state.record("edge.device_usd", device_usd)


def inputs(base) -> None:
    """The main inputs, each with its unit; edits become overrides of the loaded scenario."""
    catalog = _catalog()
    with st.container(border=True):
        st.markdown("**Inputs** (edits apply at once; the file is unchanged until you download)")
        c1, c2, c3, c4 = st.columns(4)
        c1.caption("Latency")
        _number(
            c1,
            "latency.budget_ms",
            "budget [ms]",
            base.latency.budget_ms,
            step=5.0,
            help="End-to-end budget for one inference.",
        )
        _number(
            c1,
            "latency.percentile",
            "at percentile [%]",
            base.latency.percentile,
            step=0.5,
        )
        c2.caption("Residency: where data may go")
        _select(
            c2,
            "residency.raw_data",
            "raw data",
            base.residency.raw_data,
            RESIDENCY,
            format_func=RESIDENCY_LABELS.get,
        )
        _select(
            c2,
            "residency.derived_data",
            "derived data",
            base.residency.derived_data,
            RESIDENCY,
            format_func=RESIDENCY_LABELS.get,
            help="Results, escalations and telemetry.",
        )
        c3.caption("Volume")
        _number(
            c3,
            "workload.inferences_per_second",
            "inferences/s per site",
            base.workload.inferences_per_second,
            step=1.0,
            help="Average rate while the site is active [1/s].",
        )
        _number(
            c3,
            "workload.request_bytes",
            "request size [bytes]",
            base.workload.request_bytes,
            step=10_000.0,
            format="%.0f",
            help="Raw input of one inference as sent to the cloud.",
        )
        c4.caption("Sites")
        if base.sites.count is not None:
            _number(
                c4,
                "sites.count",
                "number of sites",
                base.sites.count,
                step=1,
            )
        else:
            n = sum(int(_plain(s.count)) for s in base.sites.list)
            c4.number_input(
                "number of sites",
                value=n,
                disabled=True,
                key="ec.sites_fixed",
                help="The file lists its sites by name; edit the list in YAML.",
            )
        d1, d2, d3 = st.columns([2, 1, 2])
        devices = [d.key for d in catalog.devices()]
        if base.edge.device not in devices:
            devices.insert(0, base.edge.device)
        names = {d.key: d.name for d in catalog.devices()}
        _select(
            d1,
            "edge.device",
            "edge device (catalog)",
            base.edge.device,
            devices,
            format_func=lambda k: (
                f"{k.name} (written inline)" if hasattr(k, "name") else f"{names.get(k, k)} ({k})"
            ),
            on_change=partial(_on_device_change, device_usd=_widget_value(base.edge.device_usd)),
        )
        _number(
            d2,
            "edge.device_usd",
            "device price [USD]",
            base.edge.device_usd,
            step=50.0,
            help="Empty: the catalog's price (most devices have none: type a quote).",
        )
        provider = base.cloud.region.split("/")[0]
        regions = [r.key for r in catalog.regions(provider)]
        if base.cloud.region not in regions:
            regions.insert(0, base.cloud.region)
        _select(
            d3,
            "cloud.region",
            f"cloud region ({provider}, catalog)",
            base.cloud.region,
            regions,
            help="Regions of the scenario's cloud provider.",
        )
    cloud_pricing(base)
    site_link(base)


def derived_overrides(base) -> None:
    """The overrides that follow from the inputs rather than edit one path: the cloud pricing
    chosen, and a new device clearing the file's figures of the old one. Run before the page
    evaluates (the inputs' own edits are recorded by their callbacks)."""
    overrides = st.session_state[state.OVERRIDES]
    if base.cloud.pricing == "instances":
        for path in ("cloud.commitment", "cloud.spot", "cloud.autoscaling"):
            overrides.pop(path, None)
        choice, discount = _pricing_choice()
        overrides.update(pricing_overrides(choice, discount / 100))
    for name in DEVICE_FIELDS:
        overrides.pop(f"edge.{name}", None)
    if "edge.device" in overrides:
        for name in DEVICE_FIELDS:
            if getattr(base.edge, name) is not None:
                overrides[f"edge.{name}"] = None


def _pricing_choice() -> tuple[str, float]:
    """The cloud pricing and commitment discount [%] chosen (the widgets' defaults before they
    are drawn)."""
    ss = st.session_state
    choice = ss.get("ec.cloud_pricing", CLOUD_PRICING_CHOICES[0])
    return choice, float(ss.get("ec.commitment_discount", COMMITMENT_DISCOUNT_PCT))


def site_link(base) -> None:
    """The sites' WAN link: access technology, flat fee, price per GB, allowance and beyond.

    Edits ``sites.link``; its traffic is priced as a data plan (upload and download together)
    unless the file prices upload and download separately, in which case the upload is edited.
    """
    from edgecalc.latency.access import access_technologies
    from edgecalc.scenario.site_network import LinkTransferPrice

    link = base.sites.link
    term = "data_plan"
    if link is not None and link.data_plan is None and link.upload != LinkTransferPrice():
        term = "upload"
    price = (getattr(link, term) if link is not None else None) or LinkTransferPrice()
    technologies = access_technologies()
    with st.expander("Site link: access technology and price", expanded=link is not None):
        l1, l2, l3, l4, l5, l6 = st.columns(6)
        _select(
            l1,
            "sites.link.technology",
            "access technology",
            link.technology if link is not None else None,
            [None, *technologies],
            format_func=lambda k: "not given (5 ms access)" if k is None else technologies[k].name,
            help="Its last-mile latency enters the estimated RTT at the percentile, its "
            "availability the WAN's (catalog: access_networks.yaml).",
        )
        _number(
            l2,
            "sites.link.flat_usd_per_month",
            "flat fee [USD/site-month]",
            link.flat_usd_per_month if link is not None else 0.0,
            step=10.0,
        )
        what = "both directions" if term == "data_plan" else "upload"
        _number(
            l3,
            f"sites.link.{term}.usd_per_gb",
            f"price [USD/GB, {what}]",
            price.usd_per_gb,
            step=0.01,
            format="%.3f",
        )
        _number(
            l4,
            f"sites.link.{term}.included_gb_per_month",
            "included [GB/site-month]",
            price.included_gb_per_month,
            step=100.0,
            help="Empty: unlimited.",
        )
        _select(
            l5,
            f"sites.link.{term}.beyond_allowance",
            "beyond the allowance",
            price.beyond_allowance,
            BEYOND,
            format_func=BEYOND_LABELS.get,
        )
        _number(
            l6,
            f"sites.link.{term}.overage_usd_per_gb",
            "overage [USD/GB]",
            price.overage_usd_per_gb,
            step=0.01,
            format="%.3f",
            help="Empty: the price per GB. With throttle, set the slowed rate in the file "
            f"(sites.link.{term}.throttle_mbps).",
        )


def cloud_pricing(base) -> None:
    """How the cloud is billed: as the file says, on demand, autoscaled, or committed."""
    p1, p2, p3 = st.columns([2, 1, 2])
    if base.cloud.pricing != "instances":
        p1.caption(f"Cloud pricing: {base.cloud.pricing.replace('_', ' ')} (edit it in the YAML)")
        return
    choice = p1.selectbox(
        "cloud pricing",
        CLOUD_PRICING_CHOICES,
        key="ec.cloud_pricing",
        help="How the cloud's instances are billed; the reasons say what on demand, always "
        "on, would have cost.",
    )
    p2.number_input(
        "commitment discount [%]",
        min_value=0.0,
        max_value=72.0,
        value=COMMITMENT_DISCOUNT_PCT,
        step=5.0,
        key="ec.commitment_discount",
        disabled="commitment" not in choice,
        help="Off the on-demand price; AWS publishes up to 72%. No catalog figure exists for "
        "GPU instances: use your quote.",
    )
    p3.caption(f"The file prices the cloud as: {tables.text(_file_pricing(base))}")


def _file_pricing(base) -> str:
    return pricing_label(base.cloud, base.cloud.instance)


# -- verdict ------------------------------------------------------------------------------------


def verdict(result) -> None:
    """The recommendation, its reasons, and the hard constraints per option."""
    rec = result.recommendation
    color = VERDICT_COLORS.get(rec, "gray")
    st.markdown(f"## Recommendation: :{color}-background[**{rec.upper()}**]")
    if result.portfolio is not None and result.portfolio.headline:
        st.markdown(tables.text(result.portfolio.headline))
    cols = st.columns(len(result.summary))
    h = result.scenario.horizon_months
    for col, row in zip(cols, result.summary.to_dict("records"), strict=True):
        label, value, help_text = tables.option_metric(row, h)
        col.metric(label, value, help=help_text)
    st.markdown("**Why**")
    st.markdown(tables.lines(result.decision.reasons, numbered=True))
    if result.decision.what_would_change:
        st.markdown("**What would have to change**")
        st.markdown(tables.lines(result.decision.what_would_change))
    st.markdown("**Hard constraints**")
    rows = checklist(result)
    for col, (option, checks) in zip(st.columns(len(rows)), rows.items(), strict=True):
        feasible = all(ok is not False for ok, _ in checks.values())
        col.markdown(f"**{option}**" + ("" if feasible else " :red[(ruled out)]"))
        col.markdown(
            "\n".join(_check_line(label, ok, text) for label, (ok, text) in checks.items())
        )
    for w in result.warnings:
        st.caption(f":material/warning: {tables.text(w)}")


def _check_line(label: str, ok: bool | None, text: str) -> str:
    if ok is None:
        return f"- :gray[:material/remove: {label}: not checked]"
    if ok:
        return f"- :green[:material/check_circle:] {label}"
    return f"- :red[:material/cancel: **{label}**]: {tables.text(text)}"


def checklist(result) -> dict[str, dict[str, tuple[bool | None, str]]]:
    """Per option and hard constraint: met (True), broken (False, with why) or not checked."""
    out = {}
    texts = result.decision.violations
    engine = getattr(result, "engine", None)
    for option in result.summary["option"]:
        checks: dict[str, tuple[bool | None, str]] = {
            label: (None, "") for label in dict.fromkeys(CONSTRAINTS.values())
        }
        if engine is not None and option in engine.options:
            broken = iter(texts.get(option, []))
            for v in engine.options[option].violations:
                label = CONSTRAINTS.get(v.constraint, v.constraint)
                if bool(v.mask[0]):
                    checks[label] = (False, next(broken, v.constraint))
                elif checks.get(label, (None, ""))[0] is not False:
                    checks[label] = (True, "")
        else:  # no engine output: list the violations as they are
            for i, text in enumerate(texts.get(option, [])):
                checks[f"constraint {i + 1}"] = (False, text)
        out[str(option)] = checks
    return out


# -- charts and downloads -----------------------------------------------------------------------


BANDS_SAMPLES = 1_000
# Samples of the "show uncertainty" bands [samples].


@st.cache_data(max_entries=32, show_spinner="Sampling the ranges (1,000 samples) ...")
def _bands(scenario_json: str, _scenario):
    """P10-P90 of the cumulative cost per option and month, cached on the scenario's JSON; a
    bounded run (``limits.check_monte_carlo``) in one of the server's Monte Carlo slots."""
    with state.monte_carlo_slot():
        return edgecalc.simulate(_scenario, samples=BANDS_SAMPLES, seed=0, bounded=True).bands


def cost_bands(scenario):
    """The P10-P90 bands when "show uncertainty" is ticked (a Monte Carlo: seconds), else None;
    a run over the app's limits, or a server busy with others' runs, is said so instead."""
    if not st.checkbox(
        "show uncertainty (P10-P90)",
        key="ec.decide.bands",
        help="1,000 Monte Carlo samples over the scenario's ranges (seed 0); shades the cost "
        "between the 10th and 90th percentile.",
    ):
        return None
    horizon = scenario.horizon_months
    months = int(horizon.high if isinstance(horizon, Range) else horizon)
    try:  # the sizes known before resolving: a large portfolio is refused at once
        limits.check_monte_carlo(BANDS_SAMPLES, state.site_groups(scenario), months, 0)
        return _bands(scenario.model_dump_json(), scenario)
    except limits.MonteCarloTooLarge as exc:
        st.warning(f"No uncertainty bands in the app: {exc}", icon=":material/block:")
        return None
    except state.Busy as exc:
        st.warning(str(exc), icon=":material/hourglass_empty:")
        return None
    except Exception as exc:  # shown as an error, never a traceback
        st.error(tables.error_markdown(state.error_text(exc)), icon=":material/error:")
        return None


def charts(result, scenario=None) -> None:
    """Cumulative cost (with P10-P90 bands on request), cost by category, and the latency
    waterfall against the budget; each figure is kept on the numbers it shows
    (``chart_keys``), so an edit that leaves a chart's numbers alone rebuilds nothing and the
    browser keeps the chart it has."""
    bands = cost_bands(scenario) if scenario is not None else None
    st.plotly_chart(_cumulative(result, bands), key="ec.chart.cumulative", width="stretch")
    c1, c2 = st.columns(2)
    c1.plotly_chart(_breakdown(result), key="ec.chart.breakdown", width="stretch")
    options = list(result.summary["option"])
    option = c2.radio(
        "latency of",
        options,
        horizontal=True,
        key="ec.waterfall_option",
        index=0 if "cloud" in options else None,
    )
    shown = option or options[0]
    c2.plotly_chart(_waterfall(result, shown), key="ec.chart.waterfall", width="stretch")


def _cumulative(result, bands):
    return state.figure(
        "cumulative",
        chart_keys.cumulative(result, bands),
        lambda: plots.cumulative_cost(result, bands=bands),
    )


def _breakdown(result):
    return state.figure(
        "breakdown", chart_keys.breakdown(result), lambda: plots.cost_breakdown(result)
    )


def _waterfall(result, option: str):
    return state.figure(
        "waterfall",
        chart_keys.waterfall(result, option),
        lambda: plots.latency_waterfall(result, option),
    )


def build_charts(result) -> None:
    """Build the charts :func:`charts` will draw (they are kept, :func:`state.figure`), from
    the choices their widgets hold, while the browser draws the verdict just sent: the page
    sends nothing more until they are built, so the verdict is drawn on its own, sooner. The
    bands (a Monte Carlo behind its own spinner) are left to :func:`charts`."""
    ss = st.session_state
    options = [str(o) for o in result.summary["option"]]
    shown = ss.get("ec.waterfall_option")
    try:
        if not ss.get("ec.decide.bands"):
            _cumulative(result, None)
        _breakdown(result)
        _waterfall(result, shown if shown in options else options[0])
    except Exception:  # charts() builds it again and shows the error in its place
        pass


def _report(result, fmt: str):
    def make() -> str:
        return edgecalc.render.render(result, fmt)

    return make


def downloads(cur) -> None:
    """The edited scenario as YAML; the report as HTML and Markdown."""
    import edgecalc.render  # noqa: F401 - the renderers load on first use

    stem = cur.scenario.name.lower().replace(" ", "-")[:40] or "scenario"
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Scenario (YAML)",
        data=lambda: share.scenario_file(cur.source, cur.overrides),  # built on click
        file_name=share.file_name(cur.source),
        help="The loaded file with your edits written in; its comments, `$schema` line and "
        "`extends` stay, so the diff is the edited lines only.",
        mime="application/yaml",
        key="ec.download.yaml",
        on_click="ignore",
    )
    c2.download_button(
        "Report (HTML)",
        data=_report(cur.result, "html"),
        file_name=f"{stem}.html",
        mime="text/html",
        key="ec.download.html",
        on_click="ignore",
    )
    c3.download_button(
        "Report (Markdown)",
        data=_report(cur.result, "markdown"),
        file_name=f"{stem}.md",
        mime="text/markdown",
        key="ec.download.md",
        on_click="ignore",
    )


# -- page ---------------------------------------------------------------------------------------


def main() -> None:
    """The page, the verdict first: the edits were recorded by the inputs' callbacks, so the
    page evaluates them and sends the verdict before it draws the inputs (above it) again."""
    state.init()  # what a link could not use is shown above every page (app.py)
    base = state.base_scenario()
    st.title(tables.text(base.name))
    if base.description:
        st.caption(tables.text(base.description))
    inputs_box, verdict_box = st.container(), st.container()
    derived_overrides(base)
    cur = state.current()
    with verdict_box:
        if cur.error:
            st.error(tables.error_markdown(cur.error), icon=":material/error:")
        if cur.stale:
            st.warning("Showing the last inputs that could be evaluated.", icon=":material/undo:")
        verdict(cur.result)
    build_charts(cur.result)
    with inputs_box:
        inputs(base)
    if st.session_state[state.OVERRIDES] != cur.overrides:  # an edit no callback recorded
        st.rerun()
    source_picker()
    portfolio_view.section(cur.result, cur.key)
    charts(cur.result, cur.scenario)
    st.markdown("**Download**")
    downloads(cur)
    if cur.source["kind"] == "shipped":
        st.caption(
            ":material/link: The address bar holds this scenario and your edits: copy it to "
            "send the same view."
        )
    else:
        st.caption(":material/link_off: A link can carry a shipped scenario, not an upload.")


main()
