"""Every input in a result's assumptions table carries its unit (from the field's docs)."""

from __future__ import annotations

from pathlib import Path

import edgecalc

ROOT = Path(__file__).resolve().parents[2]


def test_inputs_set_by_the_scenario_show_their_units():
    table = edgecalc.evaluate(ROOT / "scenarios" / "factory-visual-qc.yaml").assumptions
    unit = dict(zip(table.path, table.unit, strict=True))
    assert unit["cloud.usd_per_hour"] == "USD/h"
    assert unit["edge.device_usd"] == "USD"
    assert unit["latency.budget_ms"] == "ms"
    assert unit["sites.uplink_mbps"] == "Mbit/s"
    assert unit["workload.request_bytes"] == "bytes"
    assert unit["hybrid.power_w"] == "W"  # a default, read from the field's docs
    # only the schema version and the site count are without a unit
    assert sorted(p for p, u in unit.items() if not u) == ["edgecalc", "sites.count"]


def test_hybrid_on_the_edge_device_cites_the_edges_sources():
    """factory-visual-qc's hybrid has no device of its own: it runs on the edge's Jetson, so
    its MLPerf latency and throughput are the edge's catalog facts, with their source and
    date, not bare defaults."""
    table = edgecalc.evaluate(ROOT / "scenarios" / "factory-visual-qc.yaml").assumptions
    rows = table.set_index("path")
    for name in ("inference_ms", "inferences_per_second_per_device", "power_w", "memory_gb"):
        hybrid, edge = rows.loc[f"hybrid.{name}"], rows.loc[f"edge.{name}"]
        assert hybrid["value"] == edge["value"]
        assert (hybrid["origin"], hybrid["source"], hybrid["as_of"]) == (
            "catalog",
            edge["source"],
            edge["as_of"],
        )
        assert hybrid["note"].startswith(f"the edge's {name}")
    # the device price the scenario sets for the edge is the scenario's for the hybrid too
    assert rows.loc["hybrid.device_usd", "origin"] == "scenario"
