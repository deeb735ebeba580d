"""An option declared with ``kind: cloud`` under another name is priced like the cloud option."""

from __future__ import annotations

import shutil
from pathlib import Path

import edgecalc

ROOT = Path(__file__).resolve().parents[2]
RETAINED = {
    "cloud.retained_raw_fraction": 0.1,
    "cloud.storage_usd_per_gb_month": 0.023,
    "cloud.retention_months": 12,
}


def test_a_cloud_variant_pays_for_the_raw_inputs_it_retains(tmp_path: Path) -> None:
    # The bug: storage was priced only for the option named "cloud", so an identical variant
    # (options: {cloud_copy: {kind: cloud}}) came out cheaper by the whole storage bill.
    shutil.copytree(ROOT / "scenarios" / "base", tmp_path / "base")
    text = (ROOT / "scenarios" / "factory-visual-qc.yaml").read_text(encoding="utf-8")
    assert "\noptions:" not in text
    path = tmp_path / "two-clouds.yaml"
    path.write_text(text + "options:\n  cloud_copy:\n    kind: cloud\n", encoding="utf-8")
    result = edgecalc.evaluate(path, overrides=RETAINED)
    storage = result.costs[result.costs["category"] == "storage"].groupby("option")["usd"].sum()
    assert storage["cloud"] > 0
    assert storage["cloud_copy"] == storage["cloud"]
    totals = result.summary.set_index("option")["total_usd"]
    assert totals["cloud_copy"] == totals["cloud"]
    assert "hybrid" not in storage  # hybrid's escalations retain nothing
