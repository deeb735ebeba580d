"""The recommendation in words: the verdict, each violated constraint with its numbers, and
the reasons in the order an architect asks for them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..catalog.claims import MIN_SAVING_CLAIM_KEY, RULE_OF_THUMB
from ..format import ms as _ms
from ..format import residency as _residency
from ..format import unit_price as _unit_price
from ..format import usd as _usd
from ..scenario.ranges import median
from .engine import BASIS_WORDS, EngineOutput, OptionArrays, decision_cost_usd
from .operations_figures import DayQuantiles, FleetOperations, OptionOperations, RolloutFigures
from .resolve import Resolved
from .site_network import link_reason


@dataclass(frozen=True)
class Decision:
    """What edgecalc recommends and why."""

    recommendation: str
    """``cloud``, ``edge``, ``hybrid`` or ``none``."""
    reasons: list[str]
    """Plain-language reasons, most decisive first, each with its figures."""
    violations: dict[str, list[str]] = field(default_factory=dict)
    """Per option, each violated constraint in words."""
    edge_saving_ms: float = 0.0
    """Latency the edge saves over the cloud at the percentile [ms]."""
    what_would_change: list[str] = field(default_factory=list)
    """When nothing is feasible: what would have to change."""
    flips: list[str] = field(default_factory=list)
    """Input values at which the recommendation changes (filled by sensitivity analysis)."""


def _f(a) -> float:
    return float(np.asarray(a).reshape(-1)[0])


def _mbps(v: float) -> str:
    """A rate in Mbit/s: one decimal, or two significant digits below 1."""
    return f"{v:,.1f}" if abs(v) >= 1 or v == 0 else f"{v:.2g}"


def _count(v: float) -> str:
    """A yearly count a person reads: one decimal, ``<0.1`` for a trace."""
    return "<0.1" if 0 < v < 0.05 else f"{v:,.1f}"


CONSTRAINTS = ("latency", "residency", "uplink", "fit")
"""The hard constraints every option is checked against, in the order reports list them;
hybrid adds ``escalation_latency`` when the scenario sets an escalation budget."""
NETWORK_CONSTRAINTS = ("link_cap", "link_throttle", "availability")
"""Constraints from the sites' network, listed when the scenario's links or availability
requirement make them apply (:mod:`edgecalc.pipeline.site_network`); the engine words them."""
OPTIONAL_CONSTRAINTS = ("escalation_latency", "capacity")
"""Constraints checked only where the scenario sets them: an escalation budget; an API's rate
limits or an autoscaling maximum (``capacity``)."""


def describe_violations(o: OptionArrays, r: Resolved) -> list[str]:
    """Each constraint an option violates, with its numbers (first sample)."""
    return [row["detail"] for row in constraint_rows(o, r) if not row["ok"]]


def constraint_rows(o: OptionArrays, r: Resolved) -> list[dict]:
    """Every hard constraint of an option, satisfied or not, with its figures in words.

    Returns
    -------
    list of dict
        ``option``, ``constraint`` (latency, residency, uplink, fit, escalation_latency),
        ``ok`` (bool) and ``detail`` (what was checked, with numbers), in :data:`CONSTRAINTS`
        order. A constraint that cannot bind for the option (the edge sends no raw data
        anywhere) is listed as satisfied with the reason.
    """
    s = r.scenario
    pct = median(s.latency.percentile)
    by_name = {v.constraint: v for v in o.violations}
    rows = []
    for name in (*CONSTRAINTS, *OPTIONAL_CONSTRAINTS, *NETWORK_CONSTRAINTS):
        v = by_name.get(name)
        if v is None:
            if name in OPTIONAL_CONSTRAINTS or name in NETWORK_CONSTRAINTS:
                continue
            rows.append(_unchecked(o, name))
            continue
        bad = bool(v.mask[0])
        rows.append(
            {
                "option": o.name,
                "constraint": name,
                "ok": not bad,
                "detail": _violation_text(o, r, v, pct) if bad else _ok_text(o, r, v, pct),
            }
        )
    return rows


def _unchecked(o: OptionArrays, name: str) -> dict:
    reasons = {
        "residency": "raw data stays on site: inference runs on the site's devices",
        "uplink": "only results, telemetry and model updates cross the WAN",
        "fit": "no model memory to check",
        "latency": "no latency to check",
    }
    return {"option": o.name, "constraint": name, "ok": True, "detail": reasons[name]}


def _hub_of(o: OptionArrays, r: Resolved):
    """The ``hubs`` entry behind a hub option, else None."""
    for spec in r.options:
        if spec.name == o.name and spec.kind == "hub":
            return r.scenario.hubs[int(spec.prefix.rsplit(".", 1)[1])]
    return None


def _hub_text(o: OptionArrays, r: Resolved, v, bad: bool) -> str | None:
    """Residency and link capacity of a hub option in words; None for other constraints."""
    hub = _hub_of(o, r)
    if hub is None or v.constraint not in ("residency", "uplink"):
        return None
    if v.constraint == "residency":
        rule = _residency(r.scenario.residency.raw_data)
        where = _residency(hub.placement)
        if bad:
            return f"raw data must stay {rule}, but the hub is {where}"
        return (
            f"raw data is processed at the hub ({where}), which its residency rule ({rule}) allows"
        )
    up = _f(v.figures["peak_upload_mbps"])
    ratio = _f(v.figures["usable_ratio"])
    usable = up / ratio if ratio else float("inf")
    if bad:
        return (
            f"peak upload {_mbps(up)} Mbit/s per site exceeds the usable {_mbps(usable)} "
            f"Mbit/s of its link to the hub ({ratio:.1f}x)"
        )
    return (
        f"peak upload {_mbps(up)} Mbit/s per site within the usable {_mbps(usable)} Mbit/s "
        "of its link to the hub"
    )


def _violation_text(o: OptionArrays, r: Resolved, v, pct: float) -> str:
    s = r.scenario
    hub_text = _hub_text(o, r, v, bad=True)
    if hub_text is not None:
        return hub_text
    if v.constraint in NETWORK_CONSTRAINTS and v.text:
        return v.text
    if v.constraint == "latency":
        return _latency_sentence(o, r, pct)
    if v.constraint == "escalation_latency":
        return (
            f"escalated inferences take {_ms(_f(v.figures['latency_ms']), 0)} at "
            f"p{pct:g}, over the {_ms(_f(v.figures['budget_ms']), 0)} escalation budget"
        )
    if v.constraint == "residency":
        what, rule = _residency_subject(o, s)
        return _residency_sentence(what, rule, r)
    if v.constraint == "uplink":
        up = _f(v.figures["peak_upload_mbps"])
        ratio = _f(v.figures["usable_ratio"])
        usable = up / ratio if ratio else float("nan")
        return (
            f"peak upload {_mbps(up)} Mbit/s per site exceeds the usable uplink of "
            f"{_mbps(usable)} Mbit/s ({ratio:.1f}x)"
        )
    if v.constraint in ("fit", "capacity") and v.text:
        return v.text
    if v.constraint == "fit":
        need = _f(v.figures["need_bytes"]) / 1e9
        have = _f(v.figures["have_bytes"]) / 1e9
        return (
            f"the model needs {need:,.2f} GB at {s.model.precision} but the device "
            f"has {have:,.0f} GB"
        )
    return f"{v.constraint} violated"


def _ok_text(o: OptionArrays, r: Resolved, v, pct: float) -> str:
    s = r.scenario
    hub_text = _hub_text(o, r, v, bad=False)
    if hub_text is not None:
        return hub_text
    if v.constraint in NETWORK_CONSTRAINTS and v.ok_text:
        return v.ok_text
    if v.constraint in ("latency", "escalation_latency"):
        return (
            f"{_ms(_f(v.figures['latency_ms']))} at p{pct:g} within the "
            f"{_ms(_f(v.figures['budget_ms']), 0)} budget"
        )
    if v.constraint == "residency":
        what, rule = _residency_subject(o, s)
        if o.name == "hybrid" and median(s.hybrid.escalation_rate) == 0:
            return "nothing is escalated"
        return f"{what} may go to {r.region.key} under its residency rule ({_residency(rule)})"
    if v.constraint == "uplink":
        up = _f(v.figures["peak_upload_mbps"])
        ratio = _f(v.figures["usable_ratio"])
        usable = up / ratio if ratio else float("inf")
        return f"peak upload {_mbps(up)} Mbit/s per site within the usable {_mbps(usable)} Mbit/s"
    if v.constraint == "capacity":
        return v.text
    if v.constraint == "fit":
        need = _f(v.figures["need_bytes"]) / 1e9
        have = _f(v.figures["have_bytes"]) / 1e9
        where = "instance" if o.name == "cloud" else "device"
        if not np.isfinite(have):
            return f"the model needs {need:,.2f} GB; the {where}'s memory is not known"
        return f"the model needs {need:,.2f} GB of the {where}'s {have:,.0f} GB"
    return "satisfied"


def _residency_subject(o: OptionArrays, s) -> tuple[str, str]:
    if o.name == "cloud" or s.hybrid.escalation_carries_raw_data:
        return "raw data", s.residency.raw_data
    return "derived data (escalations)", s.residency.derived_data


def _latency_sentence(o: OptionArrays, r: Resolved, pct: float) -> str:
    lat = {k: _f(v) for k, v in o.latency.items()}
    budget = median(r.scenario.latency.budget_ms)
    text = f"{o.name} p{pct:g} is {_ms(lat['total'], 0)} against a {_ms(budget, 0)} budget"
    if o.name in ("cloud",):
        parts = sorted(((k, v) for k, v in lat.items() if k != "total"), key=lambda kv: -kv[1])
        big, big_ms = parts[0]
        labels = {
            "rtt": "the network round trip",
            "upload": "uploading the request",
            "download": "downloading the response",
            "handshakes": "connection handshakes",
            "inference": "cloud inference",
            "cold_start": "serverless cold starts",
        }
        detail = f"{_ms(big_ms, 0)} of it is {labels.get(big, big)}"
        if big == "upload":
            g = _slowest_group(o, r)
            where = "" if len(r.groups) == 1 else f" of {g.name}, the slowest site group"
            detail += (
                f" ({median(r.scenario.workload.request_bytes) / 1e3:,.0f} kB over the "
                f"{median(r.values[g.uplink_mbps]):g} Mbit/s uplink{where})"
            )
        text += f": {detail}"
    return text


def _slowest_group(o: OptionArrays, r: Resolved):
    """The site group whose latency is the option's worst (at the point estimate), so that a
    sentence quotes that group's own uplink with its own upload time."""
    if len(r.groups) == 1 or len(o.latency_by_group) != len(r.groups):
        return r.groups[0]
    totals = [_f(p["total"]) for p in o.latency_by_group]
    return r.groups[int(np.argmax(totals))]


def basis_phrase(scenario) -> str:
    """The decision's basis in words, with its rate and horizon.

    Examples: "NPV at 8% a year over 60 months", "undiscounted total over 36 months".
    """
    h = scenario.horizon_months
    if scenario.decision.basis == "npv":
        rate = median(scenario.discount_rate_per_year)
        return f"NPV at {rate * 100:.3g}% a year over {h} months"
    return f"{BASIS_WORDS['total']} over {h} months"


def _cost_comparison(name: str, total: float, cloud: float, needed: float, on: str) -> str:
    """How a feasible alternative compares with a feasible cloud, in words."""
    versus = f"({_usd(total)} vs {_usd(cloud)}, {on})"
    if cloud <= 0:
        return f"{name} costs {_usd(total)} ({on}) against a free cloud option"
    ratio = total / cloud
    if ratio <= 1:
        return (
            f"{name} would save {1 - ratio:.0%} against the cloud {versus}, less than the "
            f"{needed:.0%} that edge complexity has to pay for"
        )
    if ratio < 2:
        return f"{name} costs {ratio - 1:.0%} more than the cloud {versus}"
    return f"{name} costs {ratio:.1f}x the cloud {versus}"


def _under_min_saving(min_saving_ms: float) -> str:
    """Why a saving under ``latency.min_saving_ms`` is named, citing the rule of thumb.

    Examples
    --------
    >>> _under_min_saving(50)[:66]
    'under the 50 ms the edge should save to be worth its complexity by'
    >>> _under_min_saving(30)
    'under the 30 ms the scenario asks the edge to save (latency.min_saving_ms)'
    """
    if min_saving_ms == 50:
        return (
            "under the 50 ms the edge should save to be worth its complexity by "
            f"{RULE_OF_THUMB} (catalog: {MIN_SAVING_CLAIM_KEY})"
        )
    return (
        f"under the {_ms(min_saving_ms, 0)} the scenario asks the edge to save "
        "(latency.min_saving_ms)"
    )


def _residency_sentence(what: str, rule: str, r: Resolved) -> str:
    region = r.region
    countries = sorted({g.country for g in r.groups if g.country})
    where = f"{region.key} ({region.country or '?'}"
    where += f", zone {region.zone})" if region.zone else ")"
    if rule == "on_site":
        return f"{what} must stay {_residency(rule)}, so it may not go to {where}"
    sites = ", ".join(countries) or "unknown"
    return f"{what} must stay {_residency(rule)} (sites in {sites}); {where} is outside"


def hub_fleet_sentence(name: str, ops: FleetOperations) -> str:
    """A hub option's servers, spares, repair time, labour and availability in words.

    Examples
    --------
    "plant_server runs 12 servers (6 hot spares, none in a depot; a failed server is replaced
    in 2.0 days): 0.56 FTE of labour (platform 0.32, per hub 0.00, per site 0.00, per server
    0.24); 0.0 minutes per site and month without inference"
    """
    spares, labour = ops.spares, ops.labour
    depot = f"{spares.depot_spares:,.0f} in a depot" if spares.depot_spares else "none in a depot"
    return (
        f"{name} runs {ops.devices_installed_mean:,.0f} servers ({spares.hot_spares:,.0f} hot "
        f"spares, {depot}; a failed server is replaced in {spares.repair_lead_days:.1f} days): "
        f"{ops.labour_fte:.2f} FTE of labour (platform {labour.platform_fte:.2f}, per hub "
        f"{labour.per_hub_fte:.2f}, per site {labour.per_site_fte:.2f}, per server "
        f"{labour.per_device_fte:.2f}); "
        f"{ops.minutes_without_inference_per_site_month:,.1f} minutes per site and month "
        "without inference"
    )


def hub_reasons(
    out: EngineOutput,
    r: Resolved,
    totals: dict[str, float],
    violations: dict[str, list[str]],
    operations: dict[str, OptionOperations] | None = None,
) -> list[str]:
    """Why each hub option won or lost, in words (first sample).

    A hub that is ruled out names its violations; the recommended hub says how many sites
    share a server, what it costs against the cheapest feasible other option and its latency;
    a feasible hub that lost says what it costs against the recommendation. With
    ``operations``, each feasible hub adds its servers, spares, labour and availability
    (:func:`hub_fleet_sentence`).
    """
    rec = str(out.recommendation[0])
    pct = median(r.scenario.latency.percentile)
    on = basis_phrase(r.scenario)
    reasons: list[str] = []
    for spec in out.specs:
        if spec.kind != "hub":
            continue
        name, o = spec.name, out.options[spec.name]
        hub = r.scenario.hubs[int(spec.prefix.rsplit(".", 1)[1])]
        if not bool(o.feasible[0]):
            reasons.extend(f"{name} is ruled out: {v}" for v in violations[name])
            continue
        shared = f"one hub per {median(hub.sites_per_hub):g} sites"
        if rec == name:
            others = {
                k: totals[k]
                for k, other in out.options.items()
                if k != name and bool(other.feasible[0])
            }
            if others:
                best = min(others, key=others.get)
                reasons.append(
                    f"{name} ({shared}) costs {_usd(totals[name])} against "
                    f"{_usd(others[best])} for {best}, the cheapest other feasible option "
                    f"({on})"
                )
            reasons.append(
                f"{name}: the site-to-hub link and inference at the hub take "
                f"{_ms(_f(o.latency['total']))} at p{pct:g}"
            )
        elif rec != "none":
            reasons.append(
                f"{name} ({shared}) is feasible but costs {_usd(totals[name])} against "
                f"{_usd(totals[rec])} for {rec} ({on})"
            )
        ops = (operations or {}).get(name)
        if isinstance(ops, FleetOperations):
            reasons.append(hub_fleet_sentence(name, ops))
    return reasons


def explain(  # noqa: C901 - see [tool.ruff.lint.mccabe] in pyproject.toml
    out: EngineOutput, r: Resolved, operations: dict[str, OptionOperations] | None = None
) -> Decision:
    """Turn the engine's first sample into a :class:`Decision` with reasons.

    ``operations`` (``Result.operations``) adds the operations figures where they matter: the
    rollout of the recommended edge or hybrid fleet, the availability of each option, the
    operating cost beside the 2-3x rule of thumb, and the device ``edge.device: auto`` chose.
    """
    s = r.scenario
    rec = str(out.recommendation[0])
    opts = out.options
    pct = median(s.latency.percentile)
    basis = s.decision.basis
    totals = {k: _f(decision_cost_usd(o, basis)) for k, o in opts.items()}
    # each option's cost on the decision's basis (NPV or undiscounted total) [USD]
    on = basis_phrase(s)
    feasible = {k: bool(o.feasible[0]) for k, o in opts.items()}
    violations = {k: describe_violations(o, r) for k, o in opts.items()}
    reasons: list[str] = []
    cloud_lat = _f(opts["cloud"].latency["total"])
    edge_lat = _f(opts["edge"].latency["total"])
    saving = cloud_lat - edge_lat
    min_saving = median(s.latency.min_saving_ms)
    f = median(s.decision.min_cost_saving_fraction)

    if rec == "cloud":
        reasons.append(
            f"the cloud is feasible and no alternative saves enough on {BASIS_WORDS[basis]}: "
            "it is the default"
        )
    elif rec == "none":
        reasons.append("no option meets every hard constraint")
    if not feasible["cloud"]:
        for v in violations["cloud"]:
            reasons.append(f"cloud is ruled out: {v}")
    for name in ("edge", "hybrid"):
        if name in opts and not feasible[name]:
            for v in violations[name]:
                reasons.append(f"{name} is ruled out: {v}")
    if rec in ("edge", "hybrid") and feasible["cloud"]:
        saving_frac = 1 - totals[rec] / totals["cloud"] if totals["cloud"] else 0.0
        reasons.append(
            f"{rec} costs {_usd(totals[rec])} against {_usd(totals['cloud'])} for the cloud "
            f"({on}): {saving_frac:.0%} less, at least the {f:.0%} that edge complexity has to "
            "pay for"
        )
    if rec == "hybrid" and "edge" in opts:
        if feasible["edge"]:
            what, rule = _residency_subject(opts["hybrid"], s)
            reasons.append(
                f"hybrid ({_usd(totals['hybrid'])}) costs less than edge alone "
                f"({_usd(totals['edge'])}; {on}): escalations "
                f"({median(s.hybrid.escalation_rate):.0%}) go to the cloud carrying "
                f"{what.split(' (')[0]}, which its residency rule ({_residency(rule)}) allows"
            )
        reasons.append(
            f"the latency-critical path runs at the edge: "
            f"{_ms(_f(opts['hybrid'].latency['total']))} at p{pct:g}"
        )
    if rec == "edge" and "hybrid" in opts and not feasible["hybrid"]:
        pass
    elif rec == "edge" and "hybrid" in opts:
        reasons.append(
            f"edge ({_usd(totals['edge'])}) costs no more than hybrid ({_usd(totals['hybrid'])}; "
            f"{on})"
        )
    if rec == "cloud":
        for name in ("edge", "hybrid"):
            if name in opts and feasible[name]:
                reasons.append(_cost_comparison(name, totals[name], totals["cloud"], f, on))
        reasons.append(
            f"cloud p{pct:g} latency {_ms(cloud_lat, 0)} is within the "
            f"{_ms(median(s.latency.budget_ms), 0)} budget"
        )
    reasons.extend(hub_reasons(out, r, totals, violations, operations))
    reasons.extend(pricing_reasons(opts["cloud"], len(out.months)))
    reasons.extend(cloud_option_reasons(out, rec, violations, f, basis, on))
    if saving >= 0:
        saving_text = (
            f"the edge saves {_ms(saving, 0)} at p{pct:g} ({_ms(cloud_lat, 0)} cloud vs "
            f"{_ms(edge_lat, 0)} edge)"
        )
        if saving < min_saving:
            saving_text += ", " + _under_min_saving(min_saving)
    else:
        saving_text = (
            f"the edge is {_ms(-saving, 0)} slower than the cloud at p{pct:g} "
            f"({_ms(edge_lat, 0)} edge vs {_ms(cloud_lat, 0)} cloud): it brings no latency gain"
        )
    reasons.append(saving_text)
    link = link_reason(out.options, len(out.months))
    if link:
        reasons.append(link)
    if operations:
        reasons.extend(operations_reasons(operations, rec, feasible, hub_labels(r)))
    reasons.append(r.rtt_method)
    change: list[str] = []
    if rec == "none":
        for name, texts in violations.items():
            if texts:
                change.append(f"{name} would need: " + "; ".join(texts) + " resolved")
    return Decision(rec, reasons, violations, saving, change)


def pricing_reasons(cloud: OptionArrays, months: int) -> list[str]:
    """Which pricing the cloud figure assumes, what on demand would have cost, and the price
    per million tokens of a hosted API (first sample)."""
    p = cloud.pricing
    if not p:
        return []
    total = _f(cloud.total_usd)
    text = f"the cloud figure assumes {p['label']}"
    if "on_demand_usd" in p:
        od = _f(p["on_demand_usd"])
        text += (
            f"; the same fleet on demand and always on would cost {_usd(od)} in compute over "
            f"{months} months"
        )
    out = [text]
    c = p.get("commitment")
    if c is not None:
        term = c.term_years * 12
        if term > months:
            out.append(
                f"the {c.term_years}-year commitment outlives the {months}-month horizon: it "
                "is owed in full, and the months after the horizon are in the cloud's cost"
            )
        elif c.after_term == "on_demand":
            out.append(f"after the {c.term_years}-year term the fleet runs on demand")
        elif months % term:
            start = months // term * term
            out.append(
                f"the commitment renews at month {start}; that term runs "
                f"{start + term - months} months past the horizon and is owed in full"
            )
    if "million_tokens" in p:
        tokens = _f(p["million_tokens"])
        if tokens > 0:
            out.append(
                f"the hosted API serves {tokens:,.0f} million tokens over {months} months: "
                f"{_unit_price(total / tokens)} per million tokens, all cloud costs included"
            )
    return out


def cloud_option_reasons(
    out: EngineOutput,
    rec: str,
    violations: dict,
    min_saving_fraction: float,
    basis: str = "npv",
    on: str = "NPV",
) -> list[str]:
    """The extra cloud options (``options:``) against the ``cloud:`` one: what each costs on
    the decision's ``basis`` (``on`` names it), which pricing it assumes, and why it is ruled
    out (first sample)."""
    opts = out.options
    months = len(out.months)
    base = _f(decision_cost_usd(opts["cloud"], basis))
    reasons: list[str] = []
    for spec in out.specs:
        if spec.kind != "cloud" or spec.name == "cloud":
            continue
        o = opts[spec.name]
        total = _f(decision_cost_usd(o, basis))
        if not bool(o.feasible[0]):
            reasons.extend(f"{spec.name} is ruled out: {v}" for v in violations[spec.name])
            continue
        change = (1 - total / base) if base else 0.0
        compared = f"{abs(change):.0%} {'less' if change >= 0 else 'more'} than cloud"
        lead = (
            f"{spec.name} is the cheapest feasible cloud option, so it is the default"
            if rec == spec.name
            else f"{spec.name} is another cloud option"
        )
        reasons.append(f"{lead}: {_usd(total)} against {_usd(base)} for cloud ({on}; {compared})")
        reasons.extend(f"{spec.name}: {text}" for text in pricing_reasons(o, months))
        if rec == spec.name:
            for name in ("edge", "hybrid"):
                if name in opts and bool(opts[name].feasible[0]):
                    text = _cost_comparison(
                        name,
                        _f(decision_cost_usd(opts[name], basis)),
                        total,
                        min_saving_fraction,
                        on,
                    )
                    reasons.append(text.replace("the cloud", spec.name))
    return reasons


def _days(q: DayQuantiles | None, key: str = "p50") -> str | None:
    value = None if q is None else getattr(q, key)
    return None if value is None else f"{value:.0f} day{'s' if value != 1 else ''}"


def rollout_sentence(rollout: RolloutFigures) -> str:
    """How fast a new model reaches the fleet, in words.

    Examples
    --------
    >>> from edgecalc.pipeline.operations_figures import DayQuantiles, RolloutCurve, RolloutFigures
    >>> rollout = RolloutFigures(
    ...     devices=10, updates_per_year=4.0, runs=100, horizon_days=60,
    ...     days_to_50=DayQuantiles(2.0, 3.0, 4.0), days_to_95=DayQuantiles(8.0, 9.0, 11.0),
    ...     days_to_100=DayQuantiles(30.0, 41.0, None), mean_staleness_days=3.2,
    ...     never_updated_devices=0.0, update_attempts_per_device=1.1, pauses=0.0,
    ...     offline_spells_longer_than_a_week=0.06, curve=RolloutCurve((), ()))
    >>> rollout_sentence(rollout)
    '95% of the fleet runs a new model after 9 days, the last device after 41 days (median \
over the simulated rollouts; mean staleness 3.2 days): 6% of offline spells last more than a \
week'
    """
    d95 = _days(rollout.days_to_95)
    d100 = _days(rollout.days_to_100)
    horizon = rollout.horizon_days
    first = (
        f"95% of the fleet runs a new model after {d95}"
        if d95
        else (f"95% of the fleet is not reached within {horizon} days")
    )
    last = (
        f"the last device after {d100}"
        if d100
        else (f"some devices not within {horizon} days (a site visit each)")
    )
    text = (
        f"{first}, {last} (median over the simulated rollouts; mean staleness "
        f"{rollout.mean_staleness_days:.1f} days)"
    )
    long_spells = rollout.offline_spells_longer_than_a_week
    if long_spells >= 0.005:
        text += f": {long_spells:.0%} of offline spells last more than a week"
    return text


def hub_labels(r: Resolved) -> dict[str, str]:
    """Per hub option, what its minutes without inference are, in words."""
    labels = {}
    for spec in r.options:
        if spec.kind == "hub":
            hub = r.scenario.hubs[int(spec.prefix.rsplit(".", 1)[1])]
            wan = "" if hub.placement == "on_site" else ", or the site's WAN to it down"
            labels[spec.name] = f"the hub's servers down beyond its spares{wan}"
    return labels


def operations_reasons(
    operations: dict[str, OptionOperations],
    rec: str,
    feasible: dict[str, bool],
    hubs: dict[str, str] | None = None,
) -> list[str]:
    """Operations figures for the reasons: rollout, availability, operating cost, device.

    ``hubs`` names each hub option with what its minutes without inference are
    (:func:`hub_labels`)."""
    out: list[str] = []
    fleet_ops = operations.get(rec)
    fleet = rec if isinstance(fleet_ops, FleetOperations) else None
    if isinstance(fleet_ops, FleetOperations):
        if fleet_ops.rollout.updates_per_year > 0:
            text = f"{fleet} fleet: " + rollout_sentence(fleet_ops.rollout)
        else:
            text = (
                f"{fleet} fleet: no model update is planned (model.updates_per_year is 0), so "
                "no rollout is counted"
            )
        visits = fleet_ops.site_visits.per_year
        if visits:
            text += f"; {_count(visits)} site visits a year for bricked or unreached devices"
        out.append(text)
    minutes = {
        k: v.availability.minutes_without_inference_per_site_month for k, v in operations.items()
    }
    parts = []
    labels = {
        "cloud": "WAN down",
        "edge": "devices down beyond the spares, waiting for a repair",
        "hybrid": "edge down with no fallback, or both edge and WAN down",
    }
    labels.update(hubs or {})
    for name in ("cloud", "edge", "hybrid", *(hubs or {})):
        if minutes.get(name) is not None:
            parts.append(f"{name} {minutes[name]:,.1f} ({labels[name]})")
    if parts:
        out.append("minutes per site and month without inference: " + ", ".join(parts))
    sentence_of = fleet or ("edge" if "edge" in operations else None)
    sentence_ops = operations.get(sentence_of) if sentence_of else None
    if isinstance(sentence_ops, FleetOperations) and sentence_ops.operating_cost_sentence:
        out.append(sentence_ops.operating_cost_sentence)
    edge = operations.get("edge")
    selection = edge.device_selection if isinstance(edge, FleetOperations) else None
    if selection:
        out.append(selection["reason"])
    return out
