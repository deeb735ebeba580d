"""The first line of ``edgecalc diff``: the recommendation's cost on the basis the decision
compares (NPV, or the undiscounted total with ``decision.basis: total``), worked by hand for a
dearer device; and the text tables a terminal shows line up under their headers."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from portfolio_fixture import hand_built_portfolio

import edgecalc
from edgecalc.cli import main
from edgecalc.results.diff import diff_results

ROOT = Path(__file__).resolve().parents[1]
FACTORY = ROOT / "scenarios" / "factory-visual-qc.yaml"
PLANT_SERVER = ROOT / "scenarios" / "factory-plant-server.yaml"
GUIDE = ROOT / "docs" / "guide.md"

# factory-visual-qc.yaml: 6 plants x (1 serving Jetson + 1 hot spare) = 12 devices, bought at
# month 0 and again at the 48-month refresh = 24 over the 60 months; the 12 bought at month 48
# retire at month 96, so (96 - 60) / (96 - 48) = 3/4 of them, 9 device-equivalents, are
# credited as residual value at the horizon; 12 installed x 1% a year / 12 = 0.01 failures a
# month, 0.6 over the horizon, each replacing the device (no support contract).
DEARER_USD = 2999 - 1999
TOTAL_DELTA_USD = 24 * DEARER_USD - 9 * DEARER_USD + 0.6 * DEARER_USD  # 15,600
V = 1.08 ** (-1 / 12)  # the month-m payment is worth V**m today at 8% a year
NPV_DELTA_USD = (
    12 * DEARER_USD  # month 0
    + 12 * DEARER_USD * V**48  # the refresh
    - 9 * DEARER_USD * V**59  # the residual credit in the last month
    + 0.01 * DEARER_USD * sum(V**m for m in range(60))  # failures, every month
)  # 15,155


@pytest.fixture(scope="module")
def dearer_device():
    base = edgecalc.evaluate(FACTORY)
    head = edgecalc.evaluate(FACTORY, overrides={"edge.device_usd": 2999})
    return base, head, diff_results(base, head)


def test_the_hand_worked_change_of_the_total_is_in_the_table(dearer_device):
    *_, d = dearer_device
    edge = d.options.set_index("option").loc["edge"]
    assert TOTAL_DELTA_USD == pytest.approx(15_600)
    assert edge["delta_usd"] == pytest.approx(TOTAL_DELTA_USD)
    assert edge["head_npv_usd"] - edge["base_npv_usd"] == pytest.approx(NPV_DELTA_USD)


def test_the_headline_gives_the_npv_the_decision_compares_and_the_total(dearer_device):
    base, head, d = dearer_device
    assert base.scenario.decision.basis == "npv"
    b, h = base.option("edge")["npv_usd"], head.option("edge")["npv_usd"]
    assert round(NPV_DELTA_USD) == 15_155
    assert d.headline() == (
        f"Decision unchanged: EDGE; NPV of the recommendation over 60 months +$15,155 "
        f"({100 * NPV_DELTA_USD / b:+.1f}%): ${b:,.0f} -> ${h:,.0f} "
        "(undiscounted total +$15,600; a typical month +$10)"
    )


def test_on_a_total_basis_the_headline_leads_with_the_hand_worked_total():
    basis = {"decision.basis": "total"}
    base = edgecalc.evaluate(FACTORY, overrides=basis)
    head = edgecalc.evaluate(FACTORY, overrides={**basis, "edge.device_usd": 2999})
    d = diff_results(base, head)
    b = base.option("edge")["total_usd"]
    assert d.headline() == (
        f"Decision unchanged: EDGE; total of the recommendation over 60 months +$15,600 "
        f"({100 * 15_600 / b:+.1f}%): ${b:,.0f} -> ${b + 15_600:,.0f} (a typical month +$10)"
    )


def test_the_cli_prints_it_for_an_edited_copy_of_the_file(tmp_path, capsys):
    # the reviewer's case: a copy of the file with device_usd 1999 -> 2999
    shutil.copytree(ROOT / "scenarios" / "base", tmp_path / "base")
    head = tmp_path / "factory-visual-qc.yaml"
    text = FACTORY.read_text(encoding="utf-8")
    assert text.count("  device_usd: 1999\n") == 1
    head.write_text(text.replace("  device_usd: 1999\n", "  device_usd: 2999\n"))
    assert main(["diff", str(FACTORY), str(head), "--format", "markdown"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("**Decision unchanged: EDGE; NPV of the recommendation over 60 months")
    assert "+$15,155 (+5.9%)" in first and "(undiscounted total +$15,600;" in first


def test_the_guide_quotes_the_headline_this_diff_prints(dearer_device):
    *_, d = dearer_device
    guide = " ".join(GUIDE.read_text(encoding="utf-8").split())
    assert f"**{d.headline('→')}**" in guide


# ---- the text tables ---------------------------------------------------------------------


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell: runs of text separated by two spaces or more."""
    return [m.span() for m in re.finditer(r"\S+(?: \S+)*", line)]


def _check_columns(header: str, rows: list[str], right: list[bool]) -> None:
    """Every row has the header's cells, each ending (right-aligned) or starting
    (left-aligned) where the header's does."""
    columns = _cells(header)
    assert len(columns) == len(right)
    for row in rows:
        cells = _cells(row)
        assert len(cells) == len(columns), row
        for (hs, he), (cs, ce), r in zip(columns, cells, right, strict=True):
            assert (ce == he) if r else (cs == hs), f"{row!r} under {header!r}"


def test_option_names_longer_than_eight_characters_keep_the_columns_aligned():
    d = diff_results(edgecalc.evaluate(FACTORY), edgecalc.evaluate(PLANT_SERVER))
    lines = d.to_text().splitlines()
    start = next(i for i, t in enumerate(lines) if t.startswith("  option "))
    header, rows = lines[start], lines[start + 1 : start + 1 + len(d.options)]
    assert [r.split()[0] for r in rows] == ["cloud", "edge", "hybrid", "plant_server"]
    # option, 3 monthly, 4 total, 2 NPV, feasible
    _check_columns(header, rows, [False, *[True] * 9, False])
    assert "NPV base" in header and "$557,964" in rows[3]  # the headline's after figure


def test_the_per_site_verdicts_have_a_header_over_each_table():
    single = edgecalc.evaluate(ROOT / "tests" / "fixtures" / "golden-factory.yaml")
    head = hand_built_portfolio()
    groups = head.groups.copy()
    groups.loc[groups["group"] == "Paris", "best"] = "cloud"  # edge -> cloud
    d = diff_results(
        replace(single, portfolio=hand_built_portfolio()),
        replace(single, portfolio=replace(head, groups=groups)),
    )
    lines = d.to_text().splitlines()
    top = lines.index("Per-site verdicts: 1 of 23 site groups changed verdict")
    plan_header = lines[top + 1]
    assert [plan_header[s:e] for s, e in _cells(plan_header)] == [
        "plan", "NPV base", "NPV head", "delta", "feasible base -> head"
    ]  # fmt: skip
    plans = lines[top + 2 : top + 6]
    _check_columns(plan_header, plans, [False, True, True, True, False])
    assert plans[0].split()[:4] == ["mixed", "$1,500,000", "$1,500,000", "$0"]
    group_header = lines[top + 7]
    assert [group_header[s:e] for s, e in _cells(group_header)] == [
        "site group", "sites", "verdict base -> head", "NPV base", "NPV head", "delta"
    ]  # fmt: skip
    paris = lines[top + 8]
    _check_columns(group_header, [paris], [False, True, False, True, True, True])
    # Paris, 30 sites: edge's NPV $200,000 -> the cloud's $300,000
    assert [paris[s:e] for s, e in _cells(paris)] == [
        "Paris", "30", "edge -> cloud", "$200,000", "$300,000", "+$100,000"
    ]  # fmt: skip
