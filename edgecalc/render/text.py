"""Plain text for a terminal: the verdict first, then the options, then the reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format import usd as _usd

if TYPE_CHECKING:
    from ..results import Result


def render_text(result: Result) -> str:
    """A report a person reads at a glance in a terminal."""
    s = result.scenario
    d = result.decision
    pct = result.scenario.latency.percentile
    w = max([8, *(len(str(o)) for o in result.summary["option"])])
    lines = [
        f"{s.name}",
        f"Recommendation: {d.recommendation.upper()}",
        "",
        f"{'option':<{w}} {'feasible':<9} {'upfront':>12} {'monthly':>10} "
        f"{'total ' + str(s.horizon_months) + ' mo':>14} {'NPV':>12} {'$/1k inf':>9} "
        f"{'latency':>9}",
    ]
    for row in result.summary.to_dict("records"):
        lines.append(
            f"{row['option']:<{w}} {'yes' if row['feasible'] else 'NO':<9} "
            f"{_usd(row['upfront_usd']):>12} {_usd(row['steady_monthly_usd']):>10} "
            f"{_usd(row['total_usd']):>14} {_usd(row['npv_usd']):>12} "
            f"{row['usd_per_1k_inferences']:>9.4f} {row['latency_ms']:>7.1f}ms"
        )
    lines.append(
        f"(latency at p{pct if isinstance(pct, (int, float)) else pct.median():g}, worst site)"
    )
    lines += ["", "Reasons:"]
    lines += [f"  {i}. {reason}" for i, reason in enumerate(d.reasons, 1)]
    lines += _portfolio_lines(result)
    if d.flips:
        lines += ["", "What would flip it:"] + [f"  - {f}" for f in d.flips]
    sim = result.simulation
    if sim is not None:
        lines += [
            "",
            f"Monte Carlo ({sim.samples:,} samples, seed {sim.seed}): the "
            f"recommendation holds in {sim.stability:.0%} of samples",
        ]
        for row in sim.summary.to_dict("records"):
            lines.append(
                f"  {row['option']:<8} total P10 {_usd(row['total_p10_usd'])}, "
                f"P50 {_usd(row['total_p50_usd'])}, P90 {_usd(row['total_p90_usd'])}; "
                f"feasible {row['probability_feasible']:.0%}, "
                f"cheapest {row['probability_cheapest']:.0%}"
            )
    if d.what_would_change:
        lines += ["", "What would have to change:"] + [f"  - {c}" for c in d.what_would_change]
    if result.warnings:
        lines += ["", "Warnings:"] + [f"  ! {w}" for w in result.warnings]
    prov = result.provenance
    lines += [
        "",
        f"edgecalc {prov['edgecalc_version']}, catalog as of {prov['catalog_as_of']}; "
        f"oldest fact used: {prov['oldest_fact_as_of']}; "
        f"{len(result.facts)} catalog facts, "
        f"{(result.assumptions.origin == 'default').sum()} schema defaults "
        "(see --format json or `edgecalc report` for every source)",
    ]
    return "\n".join(lines) + "\n"


def _portfolio_lines(result: Result) -> list[str]:
    """The mixed plan against the single-option plans, and why (several site groups only)."""
    p = result.portfolio
    if p is None:
        return []
    groups, sites = len(p.groups), int(p.groups["sites"].sum())
    lines = [
        "",
        f"Per site group ({groups:,} groups, {sites:,} sites): the mixed plan against one "
        "option everywhere",
    ]
    w = max([14, *(len(str(name)) for name in p.plans["plan"])])
    lines.append(
        f"  {'plan':<{w}} {'feasible':<20} {'total':>14} {'NPV':>14} {'sites':>8}  options"
    )
    for row in p.plans.to_dict("records"):
        n = int(row["groups_infeasible"])
        feasible = "yes" if row["feasible"] else f"NO ({n:,} {'group' if n == 1 else 'groups'})"
        lines.append(
            f"  {row['plan']:<{w}} {feasible:<20} {_usd(row['total_usd']):>14} "
            f"{_usd(row['npv_usd']):>14} {row['sites']:>8,}  {row['options_used']}"
        )
    lines += [f"  - {reason}" for reason in p.reasons]
    return lines
