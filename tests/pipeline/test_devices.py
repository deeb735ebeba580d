"""Hardware selection: the device ranking, ``edge.device: auto`` and ``edgecalc devices``."""

from pathlib import Path

import pandas as pd
import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.pipeline.devices import RANKING_COLUMNS, rank_devices
from edgecalc.scenario import load_scenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"

# Two catalog devices with MLPerf resnet50 figures but no sourced price, priced here.
FIGURES = {
    "edge.device_figures": {
        "jetson-orin-nx-16gb-maxp": {"device_usd": 600},
        "jetson-agx-orin-64gb-maxp": {"device_usd": 2000},
    }
}


@pytest.fixture(scope="module")
def ranking():
    return rank_devices(load_scenario(FIXTURE))


def test_every_catalog_device_is_ranked(ranking):
    assert list(ranking.columns) == RANKING_COLUMNS
    assert len(ranking) == len(edgecalc.catalog.load_catalog().devices())
    assert ranking["rank"].tolist() == list(range(1, len(ranking) + 1))


def test_named_device_uses_the_scenario_figures(ranking):
    row = ranking.set_index("device").loc["jetson-orin-nano-super-8gb"]
    # the scenario's figures: 3 devices per site, 1 ms hop + 10 ms inference
    assert row.feasible and row.fits and row.meets_latency
    assert row.devices_per_site == 3
    assert row.latency_ms == pytest.approx(11)
    assert row.total_usd == pytest.approx(edgecalc.evaluate(FIXTURE).option("edge")["total_usd"])
    assert ranking.iloc[0].device == "jetson-orin-nano-super-8gb"


def test_why_the_others_lost(ranking):
    why = ranking.set_index("device").why_lost
    assert (
        "no sourced price: set edge.device_figures.dell-xr5610-l4.device_usd"
        in why["dell-xr5610-l4"]
    )
    assert "no MLPerf figure for resnet50" in why["coral-dev-board"]
    assert "no MLPerf latency for resnet50" in why["jetson-orin-nx-16gb"]


def test_auto_picks_the_cheapest_feasible_device():
    overrides = {"edge.device": "auto", **FIGURES}
    result = edgecalc.evaluate(FIXTURE, overrides=overrides)
    selection = result.operations["edge"].device_selection
    assert selection["chosen"] == "jetson-orin-nx-16gb-maxp"
    # the same total as naming the device with its price
    named = edgecalc.evaluate(
        FIXTURE,
        overrides={
            "edge.device": "jetson-orin-nx-16gb-maxp",
            "edge.device_usd": 600,
            "edge.inferences_per_second_per_device": None,
            "edge.inference_ms": None,
            "edge.memory_gb": None,
            "edge.power_w": None,
        },
    )
    assert result.option("edge")["total_usd"] == pytest.approx(named.option("edge")["total_usd"])
    assert any("auto chose jetson-orin-nx-16gb-maxp" in r for r in result.decision.reasons)
    assert any("ignored with edge.device: auto" in w for w in result.warnings)
    rows = {r["device"]: r for r in selection["ranking"]}
    assert rows["jetson-agx-orin-64gb-maxp"]["why_lost"].startswith("costs $")
    assert (
        "more (NPV at 0% a year over 24 months) than jetson-orin-nx-16gb-maxp"
        in (rows["jetson-agx-orin-64gb-maxp"]["why_lost"])
    )


def test_auto_with_nothing_feasible_says_why():
    with pytest.raises(edgecalc.errors.EdgecalcError, match="no feasible catalog device"):
        edgecalc.evaluate(FIXTURE, overrides={"edge.device": "auto"})


def test_devices_command_prints_the_ranking(capsys):
    assert main(["devices", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(" 1. jetson-orin-nano-super-8gb: feasible")
    assert "edge.device: auto would choose jetson-orin-nano-super-8gb" in out


def test_auto_reason_writes_a_slow_device_latency_with_a_thousands_separator():
    # a 4,500 ms inference on a 1 ms hop: 4,501 ms, within a 10 s budget
    figures = {**FIGURES["edge.device_figures"]}
    figures["jetson-orin-nx-16gb-maxp"] = {"device_usd": 600, "inference_ms": 4500}
    overrides = {
        "edge.device": "auto",
        "latency.budget_ms": 10_000,
        "edge.device_figures": figures,
    }
    result = edgecalc.evaluate(FIXTURE, overrides=overrides)
    (reason,) = (r for r in result.decision.reasons if "auto chose" in r)
    assert ", 4,501.0 ms; " in reason
    assert "feasible device(s) at $" in reason and "$-" not in reason


def test_devices_command_writes_large_figures_as_a_person_reads_them(capsys):
    args = ["--set", "latency.budget_ms=10000", "--set", "edge.inference_ms=4500"]
    assert main(["devices", str(FIXTURE), *args]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(" 1. jetson-orin-nano-super-8gb: feasible ($")
    assert first.endswith(" over the horizon, 3 per site, 4,501.0 ms)")


def test_devices_text_puts_the_sign_of_a_negative_total_before_the_dollar():
    from edgecalc.commands.devices import _text

    row = {
        "rank": 1, "device": "d", "feasible": True, "total_usd": -74_700.0,
        "devices_per_site": 1.0, "latency_ms": 12_345.0, "why_lost": "",
    }  # fmt: skip
    first = _text(pd.DataFrame([row])).splitlines()[0]
    assert first == " 1. d: feasible (-$74,700 over the horizon, 1 per site, 12,345.0 ms)"
