"""Markdown that a pull-request comment holds: the verdict first, then the evidence.

Layout: a one-line verdict in bold; the options table (upfront, steady monthly, total over the
horizon, NPV, latency at the percentile, feasible); the reasons as a numbered list; what would
flip or change it; warnings; collapsed ``<details>`` sections with the cost lines (summed over
the horizon per option, category and item) and the catalog facts used, with their sources and
dates; a provenance line. The helpers here (:func:`verdict`, :func:`cost_lines_by_item`,
:func:`source_link`) are shared with the HTML rendering.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..format import is_missing as _missing
from ..format import ms, number, unit_for, unit_price, usd
from ..markdown_text import code, esc, escape_all, html_text
from . import portfolio_tables as pt

if TYPE_CHECKING:
    from ..results import Result


_GITHUB_SOURCE = re.compile(r"^github:(?P<repo>[\w.-]+/[\w.-]+)@(?P<rev>[0-9a-f]+):(?P<path>\S+)")
_URL = re.compile(r"^(?P<url>https?://\S+)")


def percentile(result: Result) -> float:
    """The latency percentile of the evaluation (median of a range) [%]."""
    return result.value("latency.percentile")


def verdict(result: Result) -> str:
    """One plain-text line: the recommendation, its cost over the horizon and the main reason.

    Examples: ``"EDGE for Factory QC: $237,420 over 60 months; cloud ruled out by latency,
    residency, uplink"``, ``"NONE for X: no option is feasible"``.
    """
    rec = result.recommendation
    name = result.scenario.name
    months = result.scenario.horizon_months
    if rec == "none":
        return f"NONE for {name}: no option is feasible"
    row = result.option(rec)
    line = f"{rec.upper()} for {name}: {usd(row['total_usd'])} over {months} months"
    ruled_out = [
        o for o, v in result.decision.violations.items() if v and o != rec and o in _options(result)
    ]
    if ruled_out:
        line += "; " + ", ".join(ruled_out) + " ruled out"
    return line


def _options(result: Result) -> list[str]:
    return [str(o) for o in result.summary["option"]]


def cost_lines_by_item(result: Result) -> pd.DataFrame:
    """Cost lines summed over the horizon, one row per option, category and item.

    Returns
    -------
    DataFrame
        option, category, item, kind, quantity (summed over the months) [unit], unit,
        unit_usd (USD divided by quantity: the average unit price, NaN for a zero quantity)
        [USD/unit], usd (summed) [USD]; options in summary order, the largest items first
        within an option.
    """
    c = result.costs
    keys = ["option", "category", "item", "kind", "unit"]
    g = c.groupby(keys, sort=False, dropna=False)[["quantity", "usd"]].sum().reset_index()
    q = g["quantity"].to_numpy(dtype=float)
    u = g["usd"].to_numpy(dtype=float)
    g["unit_usd"] = [uu / qq if qq else math.nan for uu, qq in zip(u, q, strict=True)]
    order = {o: i for i, o in enumerate(_options(result))}
    g["_o"] = g["option"].map(order)
    g = g.sort_values(["_o", "usd"], ascending=[True, False], kind="stable")
    cols = ["option", "category", "item", "kind", "quantity", "unit", "unit_usd", "usd"]
    return g[cols].reset_index(drop=True)


def source_link(source: str) -> tuple[str, str | None]:
    """A short label for a fact's source and a URL to it when one can be made.

    ``github:owner/repo@rev:path (note)`` links to the file at that revision on GitHub; a
    source starting with ``http(s)://`` links to itself. Anything else has no URL.
    """
    source = str(source or "").strip()
    m = _GITHUB_SOURCE.match(source)
    if m:
        url = f"https://github.com/{m['repo']}/blob/{m['rev']}/{m['path']}"
        label = f"{m['repo']}@{m['rev'][:10]}:{m['path'].rsplit('/', 1)[-1]}"
        rest = source[m.end() :].strip()
        return (f"{label} {rest}".strip(), url)
    m = _URL.match(source)
    if m:
        url = m["url"]
        return (source, url)
    return (source, None)


def markdown_table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    """A Markdown table of formatted (and escaped: :func:`esc`) cells; ``align`` has one letter
    a column: ``l``, ``r`` or ``c``."""
    seps = {"l": ":--", "r": "--:", "c": ":-:"}
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(seps[a] for a in align) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _options_table(result: Result) -> list[str]:
    pct = percentile(result)
    months = result.scenario.horizon_months
    rec = result.recommendation
    header = [
        "option",
        "feasible",
        "upfront",
        "monthly (steady)",
        f"total over {months} mo",
        "NPV",
        f"latency p{pct:g}",
    ]
    rows = []
    for r in result.summary.to_dict("records"):
        name = f"**{r['option']}**" if r["option"] == rec else r["option"]
        rows.append(
            [
                name,
                "yes" if r["feasible"] else "**no**",
                usd(r["upfront_usd"]),
                usd(r["steady_monthly_usd"]),
                usd(r["total_usd"]),
                usd(r["npv_usd"]),
                ms(r["latency_ms"]),
            ]
        )
    return markdown_table(header, rows, "llrrrrr")


def _cost_details(result: Result) -> list[str]:
    lines = cost_lines_by_item(result)
    months = result.scenario.horizon_months
    rows = [
        [
            esc(r["option"]),
            esc(r["category"]),
            esc(r["item"]),
            esc(r["kind"]),
            f"{number(r['quantity'])} {esc(unit_for(r['quantity'], r['unit']))}".strip(),
            unit_price(r["unit_usd"]),
            usd(r["usd"]),
        ]
        for r in lines.to_dict("records")
    ]
    out = [
        "<details>",
        f"<summary>Cost lines: {len(lines)} items, summed over {months} months</summary>",
        "",
    ]
    out += markdown_table(
        ["option", "category", "item", "kind", "quantity", "avg unit price", "USD"],
        rows,
        "lllllrr",
    )
    return [*out, "", "</details>"]


def _facts_details(result: Result) -> list[str]:
    f = result.facts
    oldest = result.provenance.get("oldest_fact_as_of")
    summary = f"Catalog facts used: {len(f)}"
    if oldest:
        summary += f", oldest from {oldest}"
    rows = []
    for r in f.to_dict("records"):
        label, url = source_link(r.get("source", ""))
        source = f"[{esc(label, addresses=False)}]({url})" if url else esc(label, addresses=False)
        rows.append(
            [
                f"`{r['key']}`",
                f"{number(r['value'])} {esc(unit_for(r['value'], r.get('unit', '')))}".strip(),
                esc(r.get("as_of", "") or "undated"),
                esc(r["confidence"]) if r.get("confidence") else "-",
                f"`{r['used_for']}`" if r.get("used_for") else "-",
                source,
            ]
        )
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    if rows:
        out += markdown_table(
            ["fact", "value", "as of", "confidence", "used for", "source"], rows, "lrllll"
        )
    else:
        out.append("No catalog facts were used: every figure came from the scenario.")
    return [*out, "", "</details>"]


def _overrides_text(overrides: dict[str, Any]) -> str:
    if not overrides:
        return "none"
    return ", ".join(code(f"{k}={v}") for k, v in overrides.items())


def provenance_line(result: Result) -> str:
    """edgecalc version, catalog date, oldest fact, scenario file, overrides, evaluation time."""
    p = result.provenance
    parts = [
        f"edgecalc {p.get('edgecalc_version', '?')}",
        f"catalog as of {p.get('catalog_as_of') or '?'}",
    ]
    if p.get("oldest_fact_as_of"):
        parts.append(f"oldest fact {p['oldest_fact_as_of']}")
    if p.get("scenario_file"):
        parts.append(f"scenario {code(p['scenario_file'])}")
    parts.append(f"overrides: {_overrides_text(p.get('overrides') or {})}")
    if p.get("evaluated_at"):
        parts.append(f"evaluated {p['evaluated_at']}")
    return " · ".join(parts)


def break_even_sentences(result: Result, against: str = "cloud") -> list[str]:
    """When each option's cumulative cost comes down to the cloud's, in words.

    Uses ``result.break_even`` (``months``: interpolated, undiscounted; see
    :func:`edgecalc.costs.finance.break_even_months`); empty when there is no ``against``.

    Examples: "edge catches up with the cloud after 23.4 months (the cumulative costs cross
    in month 24)", "hybrid does not catch up with the cloud within 60 months".
    """
    frame = result.break_even
    if frame.empty or against not in set(frame["against"]):
        return []
    horizon = result.scenario.horizon_months
    out = []
    for row in frame[frame["against"] == against].to_dict("records"):
        name, months = row["option"], row.get("months")
        if _missing(months):
            out.append(f"{name} does not catch up with the {against} within {horizon} months")
        elif months == 0:
            out.append(f"{name} never costs more than the {against}, cumulatively")
        else:
            out.append(
                f"{name} catches up with the {against} after {months:,.1f} months (the "
                f"cumulative costs cross in month {int(row['month']) + 1} of {horizon})"
            )
    return out


def render_markdown(result: Result) -> str:
    """The Result as Markdown for a pull-request comment.

    Parameters
    ----------
    result : Result
        An evaluation.

    Returns
    -------
    str
        GitHub-flavoured Markdown, ending with a newline. The first line is the verdict in
        bold; cost lines are summed over the horizon (one row per item, not one per month).
    """
    d = result.decision
    pct = percentile(result)
    budget = result.assumptions.loc[result.assumptions["path"] == "latency.budget_ms", "value"]
    out = [f"**{esc(verdict(result))}**", ""]
    if result.portfolio is not None and result.portfolio.headline:
        out += [esc(result.portfolio.headline), ""]
    out += _options_table(result)
    note = f"Latency at p{pct:g} at the worst site"
    if len(budget):
        note += f", against a budget of {number(float(budget.iloc[0]))} ms"
    if "edge" in _options(result) and "cloud" in _options(result):
        note += f"; the edge saves {ms(d.edge_saving_ms)}"
    out += ["", f"<sub>{note}.</sub>", "", "**Reasons**", ""]
    out += [f"{i}. {esc(reason)}" for i, reason in enumerate(d.reasons, 1)]
    if even := break_even_sentences(result):
        out += ["", "**Break-even against the cloud** (cumulative cost, undiscounted)", ""]
        out += [f"- {esc(x)}" for x in even]
    if d.flips:
        out += ["", "**What would flip it**", ""] + [f"- {esc(x)}" for x in d.flips]
    if result.portfolio is not None:
        out += ["", *portfolio_section(result.portfolio)]
    if result.simulation is not None:
        out += ["", *_simulation_section(result.simulation)]
    if d.what_would_change:
        out += ["", "**What would have to change**", ""]
        out += [f"- {esc(x)}" for x in d.what_would_change]
    if result.warnings:
        out += ["", "**Warnings**", ""] + [f"- :warning: {esc(w)}" for w in result.warnings]
    out += ["", *_cost_details(result), "", *_facts_details(result)]
    out += ["", f"<sub>{provenance_line(result)}</sub>"]
    return "\n".join(out) + "\n"


def portfolio_section(portfolio) -> list[str]:
    """Per-site verdicts: the plans side by side, the portfolio's reasons, the 20 largest site
    groups with verdict, cost, runner-up and why, and one summary row per verdict for the rest
    (:mod:`edgecalc.render.portfolio_tables`)."""
    verdicts = pt.group_verdicts(portfolio)
    shown = min(len(verdicts), pt.MAX_GROUPS_SHOWN)
    out = [f"**Per-site verdicts** ({esc(pt.portfolio_summary(portfolio))})", ""]
    plans = [[esc(c) for c in row] for row in pt.plan_cells(portfolio)]
    out += markdown_table(pt.plan_header(portfolio.basis), plans, "llrrrl")
    if portfolio.reasons:
        out += [""] + [f"- {esc(r)}" for r in portfolio.reasons]
    if shown < len(verdicts):
        out += ["", f"The {shown} largest site groups (by sites, then by cost):", ""]
    else:
        out += ["", "Every site group, the largest first:", ""]
    cells = [[esc(c) for c in row] for row in pt.group_cells(verdicts)]
    out += markdown_table(pt.group_header(portfolio.basis), cells, "lrlllrll")
    note = pt.portfolio_note(portfolio)
    if rest := pt.rest_sentence(verdicts):
        note = f"{rest}. {note}"
    return [*out, "", f"<sub>{esc(note)}</sub>"]


__all__ = [
    "break_even_sentences", "code", "cost_lines_by_item", "esc", "escape_all", "html_text",
    "markdown_table", "portfolio_section", "render_markdown", "source_link", "verdict",
]  # fmt: skip


SIMULATION_HEADER = (
    "option",
    "total P10",
    "total P50",
    "total P90",
    "P(feasible)",
    "P(cheapest)",
    "recommended in",
)
"""Columns of the Monte Carlo table in every report."""


def simulation_rows(sim) -> list[tuple[str, ...]]:
    """The Monte Carlo table as formatted cells, one row per option (Markdown and HTML)."""
    return [
        (
            row["option"], usd(row["total_p10_usd"]), usd(row["total_p50_usd"]),
            usd(row["total_p90_usd"]), f"{row['probability_feasible']:.0%}",
            f"{row['probability_cheapest']:.0%}", f"{row['recommendation_share']:.0%}",
        )
        for row in sim.summary.to_dict("records")
    ]  # fmt: skip


def simulation_sentence(sim) -> str:
    """How many samples, which seed, and how often the recommendation holds."""
    return (
        f"{sim.samples:,} samples, seed {sim.seed}: the recommendation holds in "
        f"{sim.stability:.0%} of samples"
    )


def _simulation_section(sim) -> list[str]:
    """Monte Carlo: totals at P10/P50/P90, probability feasible and cheapest, stability."""
    out = [
        f"**Monte Carlo** ({sim.samples:,} samples, seed {sim.seed}): the recommendation "
        f"holds in {sim.stability:.0%} of samples",
        "",
    ]
    out += [
        "| " + " | ".join(SIMULATION_HEADER) + " |",
        "| :-- | --: | --: | --: | --: | --: | --: |",
    ]
    out += ["| " + " | ".join(cells) + " |" for cells in simulation_rows(sim)]
    out += ["", f"<sub>{esc(sim.defaults_note)}.</sub>"]
    if sim.default_ranges:
        out += ["", "<details>", "<summary>Defaults ranged</summary>", ""]
        out += [f"- {esc(t)}" for t in sim.default_range_lines()]
        out += ["", "</details>"]
    out += [f"- :warning: {esc(w)}" for w in sim.warnings]
    return out
