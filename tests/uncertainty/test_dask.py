"""Monte Carlo on Dask gives the same numbers as in this process (issues 16 and 18).

One module-scoped LocalCluster: two worker processes, one thread each, every socket on
127.0.0.1. No test talks to any other address.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from edgecalc.cli import main  # noqa: E402
from edgecalc.errors import EdgecalcError  # noqa: E402
from edgecalc.uncertainty import portfolio_runs  # noqa: E402
from edgecalc.uncertainty import simulate as simulate_module  # noqa: E402
from edgecalc.uncertainty.backend import (  # noqa: E402
    DaskBackend,
    InProcess,
    SchedulerError,
    open_backend,
    parse_scheduler,
)
from edgecalc.uncertainty.sensitivity import sweep  # noqa: E402
from edgecalc.uncertainty.simulate import simulate  # noqa: E402

VOLUME = Path(__file__).parent.parent / "fixtures" / "uncertainty" / "volume.yaml"

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture
def small_batches(monkeypatch):
    # pilot of 1,500 samples, batches of 700: tasks cut seed blocks and the counted pass runs
    monkeypatch.setattr(simulate_module, "PILOT_SIZE", 1_500)
    monkeypatch.setattr(simulate_module, "batch_size", lambda *args: 700)
    monkeypatch.setattr(simulate_module, "run_batch_size", lambda *args, **kwargs: 700)


def test_cluster_listens_on_loopback_only(cluster):
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    for worker in cluster.scheduler_info["workers"]:
        assert worker.startswith("tcp://127.0.0.1:")


def test_dask_run_equals_the_in_process_run_sample_for_sample(client, small_batches, same_run):
    here = simulate(VOLUME, samples=5_000, seed=9, chunk_size=1_000)
    there = simulate(VOLUME, samples=5_000, seed=9, chunk_size=1_000, scheduler=DaskBackend(client))
    same_run(there, here)
    assert there.to_dict() == here.to_dict()


def test_scheduler_by_address_checks_versions_and_gives_the_same_run(
    cluster, small_batches, same_run
):
    seen = []
    there = simulate(
        VOLUME,
        samples=3_000,
        seed=1,
        chunk_size=1_000,
        scheduler=cluster.scheduler_address,
        progress=lambda *a: seen.append(a),
    )
    same_run(there, simulate(VOLUME, samples=3_000, seed=1, chunk_size=1_000))
    # progress after every task, in order: 700, 1,400, 1,500 (end of pilot), 2,200, ...
    assert seen[:3] == [(700, 3_000), (1_400, 3_000), (1_500, 3_000)]
    assert seen[-1] == (3_000, 3_000)


def test_map_batches_keeps_the_order_of_the_batches(client):
    backend = DaskBackend(client)
    out = list(backend.map_batches(_scaled, range(20), shared=3))
    assert out == [3 * k for k in range(20)]
    assert out == list(InProcess().map_batches(_scaled, range(20), shared=3))


def _scaled(factor: int, k: int) -> int:
    return factor * k


def test_an_error_in_a_task_comes_back_as_raised(client):
    with pytest.raises(EdgecalcError, match="sample 2 is bad"):
        list(DaskBackend(client).map_batches(_fails_on_two, range(4)))


def _fails_on_two(_shared, k: int) -> int:
    if k == 2:
        raise EdgecalcError(f"sample {k} is bad")
    return k


def test_batch_memory_respects_the_workers_memory_limit(client):
    backend = DaskBackend(client)
    limit = min(w["memory_limit"] for w in client.scheduler_info()["workers"].values())
    assert backend.batch_memory_bytes(10**15) == int(0.25 * limit)
    assert backend.batch_memory_bytes(1_000) == 1_000


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_a_clear_error_within_the_timeout():
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with (
        pytest.raises(SchedulerError, match="could not reach the Dask scheduler") as err,
        open_backend(address, connect_timeout_s=2),
    ):
        pass
    assert address in str(err.value)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("http://127.0.0.1:8786", "only tcp:// and tls://"),
        ("127.0.0.1:8786", "only tcp:// and tls://"),
        ("tcp://", "not a host"),
        ("tcp://host name:8786", "not a host"),
        ("tcp://user@host:8786", "not a host"),
        ("tcp://127.0.0.1:99999", "port must be 1 to 65535"),
        ("tcp://127.0.0.1:abc", "port must be 1 to 65535"),
        ("tcp://[::1", "not a host"),
        ("tcp://127.0.0.1:8786/path", "port must be"),
    ],
)
def test_malformed_addresses_are_refused_before_connecting(text, why):
    with pytest.raises(SchedulerError, match=why):
        parse_scheduler(text)


def test_well_formed_addresses():
    assert parse_scheduler(None).kind == "inprocess"
    assert parse_scheduler("local").kind == "local"
    assert parse_scheduler("tcp://127.0.0.1").address == "tcp://127.0.0.1:8786"
    assert parse_scheduler("TLS://sched.example.org:9000").address == (
        "tls://sched.example.org:9000"
    )
    assert parse_scheduler("tcp://[::1]:8786").address == "tcp://[::1]:8786"


def test_cli_simulate_on_a_scheduler_prints_what_it_prints_in_process(cluster, capsys):
    args = [
        "simulate", str(VOLUME), "--samples", "2500", "--seed", "3", "--format", "json",
        "--no-progress",
    ]  # fmt: skip
    assert main(args) == 0
    here = json.loads(capsys.readouterr().out)
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    assert json.loads(capsys.readouterr().out) == here


def test_cli_reads_the_scheduler_from_the_environment(cluster, capsys, monkeypatch):
    monkeypatch.setenv("EDGECALC_SCHEDULER", "ftp://127.0.0.1:8786")
    assert main(["simulate", str(VOLUME), "--samples", "100", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("EDGECALC_SCHEDULER: ") and "only tcp:// and tls://" in err
    assert "Traceback" not in err


def test_cli_errors_name_the_problem_without_a_traceback(capsys):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    code = main(
        ["simulate", str(VOLUME), "--samples", "100", "--no-progress", "--scheduler", address]
    )
    err = capsys.readouterr().err
    assert code == 3 and "could not reach the Dask scheduler" in err and address in err
    assert "Traceback" not in err
    bad = ["simulate", str(VOLUME), "--scheduler", address, "--workers", "2"]
    assert main(bad) == 2
    assert "--workers is for a local cluster" in capsys.readouterr().err


def test_cli_workers_start_a_local_cluster_for_the_run_and_close_it(capsys):
    # --workers 1: a LocalCluster of one process on 127.0.0.1, closed when the run ends
    args = ["simulate", str(VOLUME), "--samples", "300", "--format", "json", "--no-progress"]
    assert main(args) == 0
    here = json.loads(capsys.readouterr().out)
    assert main([*args, "--workers", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == here
    with pytest.raises(SystemExit) as stop:
        main([*args, "--workers", "0"])
    assert stop.value.code == 2
    assert "outside the allowed 1 to 64" in capsys.readouterr().err


def test_sweep_on_dask_equals_the_sweep_in_process(client, cluster, capsys):
    # 4 x 3 = 12 grid points, cut into 4 tasks per worker thread (8 tasks of 1-2 points);
    # sites.count is a file field (each value prepared anew), the rate an engine input
    grid = {"workload.inferences_per_second": [5, 10, 20, 40], "sites.count": [10, 100, 400]}
    here = sweep(VOLUME, grid)
    there = sweep(VOLUME, grid, scheduler=DaskBackend(client))
    pd.testing.assert_frame_equal(there, here)
    args = ["sweep", str(VOLUME), "--param", "sites.count=10,100", "--format", "csv"]
    assert main(args) == 0
    csv_here = capsys.readouterr().out
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    assert capsys.readouterr().out == csv_here


def test_portfolio_verdicts_on_dask_equal_those_in_process(client, portfolio, monkeypatch):
    # tasks of 2 groups x 40 samples on two workers; gathered, the same verdicts
    here = simulate(portfolio, samples=120, seed=5, chunk_size=50, by_group=True)
    monkeypatch.setattr(portfolio_runs, "GROUP_SLICE", 2)
    monkeypatch.setattr(simulate_module, "batch_size", lambda *args: 40)
    there = simulate(
        portfolio, samples=120, seed=5, chunk_size=50, by_group=True, scheduler=DaskBackend(client)
    )
    assert there.group_verdicts.equals(here.group_verdicts)
    assert there.mixed_plan == here.mixed_plan
