"""With no scheduler named, a large portfolio Monte Carlo or sweep goes to a local Dask cluster
and a small one stays in this process (edgecalc.commands.scheduler). No cluster is started
here: the library call is replaced by a recorder of the scheduler it is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgecalc.cli import main
from edgecalc.commands import scheduler as scheduler_module
from edgecalc.commands import simulate as simulate_command
from edgecalc.uncertainty import sensitivity
from edgecalc.uncertainty import simulate as simulate_module

STORES = Path(__file__).parents[1] / "scenarios" / "store-portfolio.yaml"  # 40 site groups


class Called(Exception):
    """Raised by the recorder to stop before any work."""


@pytest.fixture
def recorded(monkeypatch):
    seen: dict = {}

    def record(*args, scheduler=None, workers=None, **kwargs):
        seen["scheduler"], seen["workers"] = scheduler, workers
        raise Called

    monkeypatch.setattr(simulate_module, "simulate", record)
    monkeypatch.setattr(sensitivity, "sweep", record)
    monkeypatch.delenv("EDGECALC_SCHEDULER", raising=False)
    return seen


def _run(argv):
    with pytest.raises(Called):
        main(argv)


def test_a_large_portfolio_run_goes_to_a_local_cluster(recorded, capsys):
    # 40 groups x 250,000 samples = 10,000,000 group-samples: the threshold
    assert scheduler_module.LOCAL_BY_DEFAULT_GROUP_SAMPLES == 10_000_000
    _run(["simulate", str(STORES), "--by-group", "--samples", "250000", "--no-progress"])
    assert recorded["scheduler"] == "local"
    assert "local Dask cluster on 127.0.0.1" in capsys.readouterr().err


def test_a_small_portfolio_run_stays_in_this_process(recorded, capsys):
    # 40 x 249,999 = 9,999,960 group-samples: 40 under the threshold
    _run(["simulate", str(STORES), "--by-group", "--samples", "249999", "--no-progress"])
    assert recorded["scheduler"] is None
    assert "Dask" not in capsys.readouterr().err


def test_none_keeps_a_large_run_in_this_process(recorded):
    _run(["simulate", str(STORES), "--by-group", "--samples", "250000", "--scheduler", "none",
          "--no-progress"])  # fmt: skip
    assert recorded["scheduler"] is None


def test_a_fleet_run_without_by_group_stays_in_this_process(recorded):
    _run(["simulate", str(STORES), "--samples", "250000", "--no-progress"])
    assert recorded["scheduler"] is None


def test_a_large_sweep_goes_to_a_local_cluster(recorded, monkeypatch):
    monkeypatch.setattr(simulate_command, "LOCAL_BY_DEFAULT_SWEEP_POINTS", 6)
    # 3 x 2 = 6 points: at the (lowered) threshold
    _run(["sweep", str(STORES), "--param", "latency.budget_ms=100,200,300",
          "--param", "edge.device_usd=500,900", "--no-progress"])  # fmt: skip
    assert recorded["scheduler"] == "local"
