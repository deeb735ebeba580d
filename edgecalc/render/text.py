"""Plain text for a terminal: the verdict first, then the options, then the reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format import ms, unit_price
from ..format import usd as _usd
from . import portfolio_tables as pt

if TYPE_CHECKING:
    from ..results import Result


def _portfolio_headline(result: Result) -> list[str]:
    """The mixed plan's sentence under the recommendation, when a portfolio has one."""
    line = result.portfolio.headline if result.portfolio is not None else None
    return [line] if line else []


def render_text(result: Result) -> str:
    """A report a person reads at a glance in a terminal."""
    s = result.scenario
    d = result.decision
    pct = result.scenario.latency.percentile
    w = max([8, *(len(str(o)) for o in result.summary["option"])])
    lines = [
        f"{s.name}",
        f"Recommendation: {d.recommendation.upper()}",
        *_portfolio_headline(result),
        "",
        f"{'option':<{w}} {'feasible':<9} {'upfront':>12} {'monthly':>10} "
        f"{'total ' + str(s.horizon_months) + ' mo':>14} {'NPV':>12}  "
        f"{'per 1k inferences':>17} {'latency':>11}",
    ]
    for row in result.summary.to_dict("records"):
        lines.append(
            f"{row['option']:<{w}} {'yes' if row['feasible'] else 'NO':<9} "
            f"{_usd(row['upfront_usd']):>12} {_usd(row['steady_monthly_usd']):>10} "
            f"{_usd(row['total_usd']):>14} {_usd(row['npv_usd']):>12}  "
            f"{unit_price(row['usd_per_1k_inferences']):>17} {ms(row['latency_ms']):>11}"
        )
    lines.append(
        f"(latency at p{pct if isinstance(pct, (int, float)) else pct.median():g}, worst site)"
    )
    lines += ["", "Reasons:"]
    lines += [f"  {i}. {reason}" for i, reason in enumerate(d.reasons, 1)]
    if d.flips:
        lines += ["", "What would flip it:"] + [f"  - {f}" for f in d.flips]
    if result.portfolio is not None:
        lines += ["", *portfolio_lines(result.portfolio)]
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
        "(--format json lists each with its source and date)",
    ]
    return "\n".join(lines) + "\n"


def portfolio_lines(portfolio) -> list[str]:
    """Per-site verdicts for a terminal: the plans, the portfolio's reasons, the 20 largest site
    groups and the rest summed per verdict (:mod:`edgecalc.render.portfolio_tables`)."""
    verdicts = pt.group_verdicts(portfolio)
    lines = [f"Per-site verdicts: {pt.portfolio_summary(portfolio)}"]
    lines += text_table(pt.plan_header(portfolio.basis), pt.plan_cells(portfolio), right={2, 3, 4})
    lines += [f"  - {r}" for r in portfolio.reasons]
    shown = min(len(verdicts), pt.MAX_GROUPS_SHOWN)
    lines.append(
        f"The {shown} largest site groups:" if shown < len(verdicts) else "Every site group:"
    )
    lines += text_table(pt.group_header(portfolio.basis), pt.group_cells(verdicts), right={1, 5})
    if rest := pt.rest_sentence(verdicts):
        lines.append(f"  {rest}")
    lines.append(f"  {pt.portfolio_note(portfolio)}")
    return lines


def text_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """A table of formatted cells in fixed-width columns, two spaces indented, two between
    columns; the columns numbered in ``right`` right-aligned (numbers), the others left-aligned.
    A left-aligned last column is not padded (no trailing spaces)."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    last = len(header) - 1
    out = []
    for cells in [header, *rows]:
        parts = [
            f"{c:>{w}}" if i in right else (f"{c:<{w}}" if i < last else str(c))
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        out.append("  " + "  ".join(parts))
    return out
