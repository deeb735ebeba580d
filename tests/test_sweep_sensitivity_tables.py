"""``edgecalc sweep`` and ``edgecalc sensitivity`` print tables a person reads: aligned columns,
units in the headers, money as the rest of the command line writes it (``-$995,491``), no
exponent (regression: pandas printed ``1.372096e+05`` and a zero swing as ``4.656613e-10``).
``--format csv`` and ``--format json`` stay machine-readable: raw numbers, the frame's columns.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from edgecalc.cli import main
from edgecalc.uncertainty.sensitivity import sweep

SCENARIO = str(Path(__file__).resolve().parents[1] / "scenarios" / "hybrid-self-checkout.yaml")
VOLUME = "workload.inferences_per_second"
GRID = ["--param", f"{VOLUME}=5,2000000", "--param", "sites.count=10,200"]
_EXPONENT = re.compile(r"\d[eE][+-]?\d")
_MONEY = re.compile(r"^-?\$\d{1,3}(,\d{3})*$")


def _run(capsys, *args: str) -> str:
    assert main([*args, "--no-progress"]) == 0
    return capsys.readouterr().out


def _right_edges(line: str, header: str, column: str) -> tuple[int, int]:
    """Where the header ``column`` ends and where the cell under it ends in ``line``."""
    end = header.index(column) + len(column)
    start = line.rfind(" ", 0, end) + 1
    cell_end = start + len(line[start:].split(" ", 1)[0])
    return end, cell_end


@pytest.fixture(scope="module")
def sensitivity_text():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sensitivity", SCENARIO, "--no-progress"]) == 0
    return out.getvalue()


def test_sweep_text_is_an_aligned_table_with_units_and_dollars(capsys):
    out = _run(capsys, "sweep", SCENARIO, *GRID, "--scheduler", "none")
    lines = out.splitlines()
    assert lines[0] == (
        f"Sweep of {VOLUME}, sites.count: 4 points, one row per point and option (total: "
        "undiscounted over the horizon):"
    )
    header, rows = lines[1], lines[2:]
    assert header.split() == [
        f"{VOLUME}", "[1/s]", "sites.count", "option", "total", "[USD]", "NPV", "[USD]",
        "feasible", "recommendation",
    ]  # fmt: skip
    assert len(rows) == 4 * 3  # 4 points x 3 options
    assert not _EXPONENT.search(out), out
    for line in rows:
        cells = line.split()
        assert cells[0] in ("5", "2,000,000")  # the swept value as written, not 2e+06
        assert _MONEY.match(cells[3]) and _MONEY.match(cells[4]), line
        assert cells[5] in ("yes", "NO")
        for column in (f"{VOLUME} [1/s]", "total [USD]", "NPV [USD]"):
            end, cell_end = _right_edges(line, header, column)
            assert cell_end == end, (column, line)  # numbers right-aligned under their header


def test_sweep_csv_and_json_keep_the_raw_frame(capsys):
    frame = sweep(SCENARIO, {VOLUME: [5, 2_000_000], "sites.count": [10, 200]})
    csv = _run(capsys, "sweep", SCENARIO, *GRID, "--format", "csv", "--scheduler", "none")
    assert (
        csv.splitlines()[0]
        == f"{VOLUME},sites.count,option,total_usd,npv_usd,feasible,recommendation"
    )
    assert csv == frame.to_csv(index=False)
    data = json.loads(
        _run(capsys, "sweep", SCENARIO, *GRID, "--format", "json", "--scheduler", "none")
    )
    pd.testing.assert_frame_equal(pd.DataFrame(data), frame, check_dtype=False)


def test_sweep_markdown_formats_the_cells(capsys):
    out = _run(capsys, "sweep", SCENARIO, *GRID, "--format", "markdown", "--scheduler", "none")
    assert f"| {VOLUME} [1/s] | sites.count | option | total [USD] | NPV [USD] |" in out
    assert "| 2,000,000 | 200 | cloud | $" in out
    assert not _EXPONENT.search(out), out


def test_sensitivity_text_is_a_tornado_table_with_dollars_and_units(sensitivity_text):
    out = sensitivity_text
    assert not _EXPONENT.search(out), out
    lines = out.splitlines()
    assert lines[0].startswith("Tornado (NPV of hybrid minus the best feasible alternative")
    header = lines[1]
    for column in ("input", "low", "high", "unit", "difference at low [USD]",
                   "difference at high [USD]", "swing [USD]"):  # fmt: skip
        assert column in header
    rows = lines[2 : lines.index("")]
    assert rows, out
    by_input = {line.split()[0]: line for line in rows}
    assert " USD/h " in by_input["cloud.usd_per_hour"]
    for line in rows:
        money = [c for c in line.split() if "$" in c]
        assert len(money) == 3 and all(_MONEY.match(c) for c in money), line
        for column in ("difference at low [USD]", "difference at high [USD]", "swing [USD]"):
            end, cell_end = _right_edges(line, header, column)
            assert cell_end == end, (column, line)
    # hybrid is cheaper than edge here: the differences are negative, the sign first
    assert "-$" in by_input["cloud.usd_per_hour"] and "$-" not in out
    # a swing of floating-point noise (4.7e-10) is no swing
    assert by_input["edge.platform_fte"].endswith(" $0")
    assert "What flips the recommendation:" in lines


def test_sensitivity_markdown_has_no_exponent(capsys):
    out = _run(capsys, "sensitivity", SCENARIO, "--format", "markdown")
    assert "| input | low | high | unit | alternative at low | difference at low [USD] |" in out
    assert not _EXPONENT.search(out), out
