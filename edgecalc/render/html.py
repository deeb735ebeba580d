"""HTML renderings of a Result: one self-contained report file, and a compact Jupyter table.

:func:`render_html` writes a whole page that works offline: plotly.js is embedded once (in the
first figure) and nothing is fetched from a CDN. :func:`result_table_html` is what
``Result._repr_html_`` shows in a notebook: the verdict on top of the options table.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..format import with_unit
from . import figures as plots
from . import portfolio_tables as pt
from .markdown import (
    SIMULATION_HEADER,
    break_even_sentences,
    cost_lines_by_item,
    ms,
    number,
    percentile,
    provenance_line,
    simulation_rows,
    simulation_sentence,
    source_link,
    unit_price,
    usd,
    verdict,
)

if TYPE_CHECKING:
    from ..results import Result

_CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.edgecalc-verdict { font-size: 1.15em; font-weight: 600; padding: 0.6em 0.9em;
       border-left: 6px solid var(--rec); background: #f6f8fa; margin: 0.8em 0; }
table.edgecalc { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
table.edgecalc th, table.edgecalc td { border: 1px solid #ddd; padding: 0.3em 0.6em; }
table.edgecalc th { background: #f6f8fa; text-align: left; }
table.edgecalc td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.edgecalc tr.recommended td { font-weight: 600; }
table.edgecalc td.wrap { overflow-wrap: anywhere; min-width: 12em; max-width: 30em; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px;
       margin-right: 0.4em; vertical-align: baseline; }
.no { color: #b00020; font-weight: 600; }
.note, .provenance { color: #555; font-size: 0.88em; }
.warning { color: #8a6d00; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1em; }
code { font-size: 0.92em; }
"""


def _cell(text: Any, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{text}</td>"


def _options_table(result: Result) -> str:
    pct = percentile(result)
    months = result.scenario.horizon_months
    rec = result.recommendation
    head = [
        "option",
        "feasible",
        "upfront",
        "monthly (steady)",
        f"total over {months} mo",
        "NPV",
        "USD per 1k inferences",
        f"latency p{pct:g}",
    ]
    rows = []
    for r in result.summary.to_dict("records"):
        o = str(r["option"])
        swatch = f'<span class="swatch" style="background:{plots.option_color(o)}"></span>'
        feasible = "yes" if r["feasible"] else '<span class="no">no</span>'
        if r["violations"]:
            feasible += '<br><span class="note">' + "<br>".join(
                escape(str(v)) for v in r["violations"]
            )
            feasible += "</span>"
        per_1k = r["usd_per_1k_inferences"]
        cells = [
            _cell(swatch + escape(o)),
            _cell(feasible),
            _cell(usd(r["upfront_usd"]), "num"),
            _cell(usd(r["steady_monthly_usd"]), "num"),
            _cell(usd(r["total_usd"]), "num"),
            _cell(usd(r["npv_usd"]), "num"),
            _cell(unit_price(per_1k), "num"),
            _cell(ms(r["latency_ms"]), "num"),
        ]
        cls = ' class="recommended"' if o == rec else ""
        rows.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    header = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"
    return f'<table class="edgecalc">{header}{"".join(rows)}</table>'


def _frame_table(
    df: pd.DataFrame,
    numeric: frozenset[str] = frozenset(),
    raw: frozenset[str] = frozenset(),
    wrap: frozenset[str] = frozenset(),
) -> str:
    """An HTML table of ``df``: ``numeric`` columns right-aligned, ``wrap`` columns broken
    anywhere; cells are escaped except in the ``raw`` columns (which hold HTML)."""
    header = "<tr>" + "".join(f"<th>{escape(str(c))}</th>" for c in df.columns) + "</tr>"
    rows = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r, strict=True):
            text = str(v) if c in raw else escape(str(v))
            cls = "num" if c in numeric else ("wrap" if c in wrap else None)
            cells.append(_cell(text, cls))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="edgecalc">{header}{"".join(rows)}</table>'


def _verdict_div(result: Result) -> str:
    color = plots.option_color(result.recommendation)
    return (
        f'<div class="edgecalc-verdict" style="--rec:{color}">'
        f"Recommendation: {escape(verdict(result))}</div>" + _portfolio_headline(result)
    )


def _portfolio_headline(result: Result) -> str:
    """The mixed plan's sentence under the verdict, when a portfolio has one."""
    line = result.portfolio.headline if result.portfolio is not None else None
    return f'<p class="edgecalc-portfolio-headline">{escape(line)}</p>' if line else ""


def _latency_note(result: Result) -> str:
    pct = percentile(result)
    budget_ms = plots.latency_budget_ms(result)
    return (
        f'<p class="note">Latency at p{pct:g} at the worst site, against a budget of '
        f"{number(budget_ms)} ms; the edge saves {ms(result.decision.edge_saving_ms)}.</p>"
    )


def _list(items: list[str], ordered: bool, cls: str | None = None) -> str:
    tag = "ol" if ordered else "ul"
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>" + "".join(f"<li>{escape(str(x))}</li>" for x in items) + f"</{tag}>"


def _cost_table(result: Result) -> str:
    c = cost_lines_by_item(result)
    shown = pd.DataFrame(
        {
            "option": c["option"],
            "category": c["category"],
            "item": c["item"],
            "kind": c["kind"],
            "quantity": [with_unit(q, u) for q, u in zip(c.quantity, c.unit, strict=True)],
            "avg unit price": [unit_price(v) for v in c["unit_usd"]],
            "USD": [usd(v) for v in c["usd"]],
        }
    )
    return _frame_table(shown, frozenset({"quantity", "avg unit price", "USD"}))


def _assumptions_table(result: Result) -> str:
    a = result.assumptions
    shown = pd.DataFrame(
        {
            "input": a["path"],
            "value": [number(v) for v in a["value"]],
            "range": a.get("range", ""),
            "unit": a.get("unit", ""),
            "origin": a["origin"],
            "as of": a.get("as_of", ""),
            "note": a.get("note", ""),
        }
    ).fillna("")
    return _frame_table(shown, frozenset({"value"}), wrap=frozenset({"note", "range"}))


def _source_html(source: str) -> str:
    label, url = source_link(source)
    if url is None:
        return escape(label)
    return f'<a href="{escape(url, quote=True)}">{escape(label)}</a>'


def _facts_table(result: Result) -> str:
    f = result.facts
    if f.empty:
        return "<p>No catalog facts were used: every figure came from the scenario.</p>"
    shown = pd.DataFrame(
        {
            "fact": f["key"],
            "value": [with_unit(v, u) for v, u in zip(f.value, f.unit, strict=True)],
            "as of": [x or "undated" for x in f["as_of"].fillna("")],
            "confidence": f["confidence"].fillna(""),
            "used for": f["used_for"].fillna(""),
            "source": [_source_html(s) for s in f["source"].fillna("")],
        }
    )
    source = frozenset({"source"})
    return _frame_table(shown, frozenset({"value"}), raw=source, wrap=source)


def _figures_html(result: Result, include_plotlyjs: bool = True) -> str:
    figures = [
        (
            "cumulative",
            plots.cumulative_cost(
                result, bands=result.simulation.bands if result.simulation is not None else None
            ),
        ),
        ("breakdown", plots.cost_breakdown(result)),
        ("latency", plots.latency_waterfall(result, option=None)),
        ("monthly", plots.monthly_cost(result)),
    ]
    if "cloud" in set(result.latency["option"]):
        figures.insert(3, ("latency-cloud", plots.latency_waterfall(result, option="cloud")))
    parts = [
        _figure_div(fig, name, include_plotlyjs and i == 0) for i, (name, fig) in enumerate(figures)
    ]
    return '<div class="charts">' + "".join(f"<div>{p}</div>" for p in parts) + "</div>"


def _figure_div(fig, name: str, include_plotlyjs: bool, height: str = "460px") -> str:
    """One chart as a ``<div>``; plotly.js embedded in it when ``include_plotlyjs`` (once a
    page, in its first chart: no CDN)."""
    return fig.to_html(
        full_html=False,
        include_plotlyjs=include_plotlyjs,
        div_id=f"edgecalc-{name}",
        default_height=height,
        config={"displaylogo": False, "responsive": True},
    )


def _portfolio_html(portfolio) -> list[str]:
    """Per-site verdicts: the plans (table and chart), the map of site groups by verdict, the
    20 largest groups and a summary row per verdict for the rest. Embeds plotly.js (it comes
    first among the page's charts) and the base map, so it draws offline."""
    from .figures.portfolio import geo_assets_script, plan_comparison, portfolio_map

    every = pt.group_verdicts(portfolio, explain=None)
    plans = pd.DataFrame(pt.plan_cells(portfolio), columns=pt.plan_header(portfolio.basis))
    groups = pd.DataFrame(pt.group_cells(every), columns=pt.group_header(portfolio.basis))
    cost = pt.cost_label(portfolio.basis)
    note = pt.portfolio_note(portfolio)
    if rest := pt.rest_sentence(every):
        note = f"{rest}. {note}"
    shown = min(len(every), pt.MAX_GROUPS_SHOWN)
    lead = (
        f"The {shown} largest site groups (by sites, then by cost)"
        if shown < len(every)
        else "Every site group, the largest first"
    )
    out = [
        "<h2>Per-site verdicts</h2>",
        f"<p>{escape(pt.portfolio_summary(portfolio))}.</p>",
        _frame_table(plans, frozenset({cost, "against the mixed plan", "sites served"})),
    ]
    if portfolio.reasons:
        out.append(_list(list(portfolio.reasons), ordered=False))
    out += [
        geo_assets_script(),
        _figure_div(portfolio_map(portfolio, every), "portfolio-map", True, "600px"),
        _figure_div(plan_comparison(portfolio), "portfolio-plans", False, "420px"),
        f"<p>{escape(lead)}:</p>",
        _frame_table(groups, frozenset({"sites", cost}), wrap=frozenset({"why"})),
        f'<p class="note">{escape(note)}</p>',
    ]
    return out


def _simulation_html(sim) -> list[str]:
    """Monte Carlo: totals at P10/P50/P90, probability feasible and cheapest, stability."""
    head = "".join(f"<th>{h}</th>" for h in SIMULATION_HEADER)
    rows = "".join(
        f"<tr><td>{escape(cells[0])}</td>"
        + "".join(f"<td class='num'>{c}</td>" for c in cells[1:])
        + "</tr>"
        for cells in simulation_rows(sim)
    )
    return [
        "<h2>Monte Carlo</h2>",
        f"<p>{simulation_sentence(sim)}. The cumulative cost chart shows P10-P90 bands.</p>",
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>",
    ]


def render_html(result: Result) -> str:
    """The Result as one self-contained HTML page that works offline.

    Parameters
    ----------
    result : Result
        An evaluation.

    Returns
    -------
    str
        A complete HTML document: the verdict, the options table, the reasons, what would
        flip it, the per-site verdicts with their map (a portfolio of site groups), warnings,
        the charts of :mod:`edgecalc.render.figures` (plotly.js embedded once, in the first
        chart; no CDN; the map's base map embedded too), the cost lines summed over the
        horizon, every input with its origin, the catalog facts with sources and dates, and
        the provenance.
    """
    d = result.decision
    name = escape(result.scenario.name)
    body = [
        f"<h1>{name}</h1>",
        _verdict_div(result),
        _options_table(result),
        _latency_note(result),
        "<h2>Reasons</h2>",
        _list(d.reasons, ordered=True),
    ]
    if even := break_even_sentences(result):
        body += [
            "<h2>Break-even against the cloud</h2>",
            '<p class="note">Cumulative cost, undiscounted.</p>',
            _list(even, ordered=False),
        ]
    if d.flips:
        body += ["<h2>What would flip it</h2>", _list(d.flips, ordered=False)]
    if d.what_would_change:
        body += ["<h2>What would have to change</h2>", _list(d.what_would_change, ordered=False)]
    if result.portfolio is not None:
        body += _portfolio_html(result.portfolio)
    if result.warnings:
        body += ["<h2>Warnings</h2>", _list(result.warnings, ordered=False, cls="warning")]
    if result.simulation is not None:
        body += _simulation_html(result.simulation)
    months = result.scenario.horizon_months
    body += [
        "<h2>Charts</h2>",
        _figures_html(result, include_plotlyjs=result.portfolio is None),
        f"<h2>Cost lines, summed over {months} months</h2>",
        _cost_table(result),
        "<h2>Inputs and where they come from</h2>",
        _assumptions_table(result),
        "<h2>Catalog facts used</h2>",
        _facts_table(result),
        f'<p class="provenance">{escape(provenance_line(result)).replace("`", "")}</p>',
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>edgecalc: {name}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def result_table_html(result: Result) -> str:
    """A compact HTML table for Jupyter (``Result._repr_html_``): the verdict on top.

    Returns
    -------
    str
        An HTML fragment (no scripts): the verdict, the options table, the latency note and
        the reasons in a collapsed ``<details>``.
    """
    reasons = _list(result.decision.reasons, ordered=True)
    warnings = ""
    if result.warnings:
        warnings = _list(result.warnings, ordered=False, cls="warning")
    return (
        '<div class="edgecalc-result">'
        f"<style>{_CSS_COMPACT}</style>"
        f"{_verdict_div(result)}{_options_table(result)}{_latency_note(result)}"
        f"<details><summary>Reasons ({len(result.decision.reasons)})</summary>{reasons}"
        f"</details>{warnings}</div>"
    )


_CSS_COMPACT = """
.edgecalc-result .edgecalc-verdict { font-weight: 600; padding: 0.4em 0.7em;
       border-left: 6px solid var(--rec); margin: 0.4em 0; }
.edgecalc-result table.edgecalc td.num { text-align: right; }
.edgecalc-result table.edgecalc tr.recommended td { font-weight: 600; }
.edgecalc-result .swatch { display: inline-block; width: 0.8em; height: 0.8em;
       margin-right: 0.4em; }
.edgecalc-result .no { color: #b00020; font-weight: 600; }
.edgecalc-result .note { font-size: 0.88em; opacity: 0.8; }
"""


__all__ = ["render_html", "result_table_html"]
