"""``python -m edgecalc.calibrate`` on the shipped data: it runs cleanly, meets the goals that
hold, and docs/model.md quotes its tables as it prints them."""

import subprocess
import sys
from pathlib import Path

from edgecalc.calibrate import quality_table
from edgecalc.latency.calibration import held_out_quality
from edgecalc.latency.route_effects import route_held_out_quality

MODEL_MD = Path(__file__).resolve().parent.parent / "docs" / "model.md"


def test_the_entry_point_prints_the_report_without_warnings():
    run = subprocess.run(
        [sys.executable, "-W", "error", "-m", "edgecalc.calibrate"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # runpy's RuntimeWarning would be an error here
    full = route_held_out_quality(True)
    assert (
        f"median absolute error {full.mdape_pct:.1f} %, p10-p90 covers {full.n_in_band} of "
        f"{full.n}" in run.stdout
    )
    # the goals that hold for the model the pipeline uses when published pairs reach the region
    assert full.mdape_pct < 10.0 and full.n_below_floor == 0
    assert all(abs(b.median_error_pct) < 10.0 and 0.75 <= b.coverage <= 0.85 for b in full.bands)


def test_docs_model_quotes_the_printed_tables_verbatim():
    text = MODEL_MD.read_text(encoding="utf-8")
    for quality in (
        held_out_quality(),
        route_held_out_quality(False),
        route_held_out_quality(True),
    ):
        table = "\n".join(f"  {line}" for line in quality_table(quality))
        assert table in text, "docs/model.md: paste the tables python -m edgecalc.calibrate prints"


def test_the_report_writes_the_fixed_overhead_as_a_duration():
    from edgecalc.calibrate import report

    assert "  fixed overhead 3 ms" in report().splitlines()
