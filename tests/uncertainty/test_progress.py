"""Progress of long runs: simulate reports each batch; the CLI draws a bar on a terminal only."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from edgecalc.cli import main
from edgecalc.commands.progress import ProgressBar, terminal_progress
from edgecalc.uncertainty.simulate import simulate

VOLUME = Path(__file__).parent.parent / "fixtures" / "uncertainty" / "volume.yaml"


def test_simulate_reports_progress_per_batch_and_numbers_do_not_change():
    # a 2 MB budget makes batches of a few dozen samples: done rises batch by batch to 2,500
    seen = []
    with_bar = simulate(
        VOLUME,
        samples=2_500,
        seed=4,
        chunk_size=1_000,
        progress=lambda *a: seen.append(a),
        batch_memory_bytes=2 * 10**6,
    )
    without = simulate(VOLUME, samples=2_500, seed=4, chunk_size=1_000)
    done = [d for d, _ in seen]
    assert len(seen) > 3 and done == sorted(done) and seen[-1] == (2_500, 2_500)
    assert {total for _, total in seen} == {2_500}
    for option in with_bar.options:
        np.testing.assert_array_equal(with_bar.total_usd[option], without.total_usd[option])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_draws_on_a_terminal_and_ends_with_a_newline():
    stream = _Terminal()
    bar = ProgressBar(stream, "sampling", width=10)
    bar(5_000, 10_000)
    bar(10_000, 10_000)
    assert stream.getvalue() == (
        "\rsampling [#####-----] 5,000/10,000\rsampling [##########] 10,000/10,000\n"
    )


def test_no_bar_when_piped_or_switched_off():
    assert terminal_progress(io.StringIO(), "sampling", no_progress=False) is None
    assert terminal_progress(_Terminal(), "sampling", no_progress=True) is None
    assert isinstance(terminal_progress(_Terminal(), "sampling", no_progress=False), ProgressBar)


def test_simulate_command_piped_prints_no_bar(capsys):
    assert main(["simulate", str(VOLUME), "--samples", "500", "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "sampling [" not in captured.err
    assert captured.out


def test_sweep_reports_progress_per_batch_and_numbers_do_not_change():
    from edgecalc.uncertainty.sensitivity import sweep

    seen = []
    grid = {"workload.inferences_per_second": [5, 10, 20, 40, 80]}
    with_bar = sweep(VOLUME, grid, progress=lambda *a: seen.append(a))
    # five points of one structure: one batch
    assert seen == [(5, 5)]
    assert with_bar.equals(sweep(VOLUME, grid))


def test_flips_progress_grows_then_ends_once_at_its_total():
    from edgecalc.uncertainty.sensitivity import flips

    seen = []
    with_bar = flips(VOLUME, progress=lambda *a: seen.append(a))
    assert with_bar.equals(flips(VOLUME))
    dones = [d for d, _ in seen]
    assert dones == sorted(dones)
    # the bar ends once: done reaches the total only on the last call
    assert [d >= t for d, t in seen] == [False] * (len(seen) - 1) + [True]
    assert seen[-1][0] > 65  # at least one scan of 65 values


def test_sweep_and_sensitivity_draw_a_bar_on_a_terminal_only(monkeypatch, capsys):
    import sys

    stream = _Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    assert main(["sweep", str(VOLUME), "--param", "workload.inferences_per_second=5,10"]) == 0
    assert "\rsweeping [" in stream.getvalue() and stream.getvalue().endswith("2/2\n")
    assert main(["sensitivity", str(VOLUME)]) == 0
    assert "\rsensitivity [" in stream.getvalue()
    stream.seek(0)
    stream.truncate()
    assert main(["sweep", str(VOLUME), "--param", "sites.count=1,2", "--no-progress"]) == 0
    assert main(["sensitivity", str(VOLUME), "--no-progress"]) == 0
    assert stream.getvalue() == ""
