"""Every change of recommendation that a report states is true on both sides of its edge.

Property over every shipped scenario and a generated set (shipped scenarios with volume, sites
and request size drawn by a seeded generator): for each edge reported by ``flips``, evaluating
the scenario just below and just above the edge gives the two recommendations the report
names, and the stretches listed in the sentence cover the scanned range.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from edgecalc.scenario.loader import load_scenario
from edgecalc.uncertainty.sensitivity import flip_sentences, flips, sweep
from edgecalc.uncertainty.simulate import field_spec

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
RTOL = 1e-4
SIDE = 10 * RTOL
"""Relative step from an edge to each side of it (outside the final bracket of width RTOL)."""


def _generated() -> list[tuple[Path, dict[str, float]]]:
    rng = np.random.default_rng(12)
    out = []
    for path in SCENARIOS[:4]:
        s = load_scenario(path)
        ips = float(np.median([s.workload.inferences_per_second]).item())
        out.append(
            (
                path,
                {
                    "workload.inferences_per_second": ips * float(rng.uniform(0.3, 3.0)),
                    "sites.count": int(rng.integers(2, 400)),
                },
            )
        )
    return out


CASES = [(p, {}) for p in SCENARIOS] + _generated()


def _sides(row: dict) -> tuple[float, float]:
    v = row["flip_value"]
    spec = field_spec(row["path"])
    if spec is not None and spec.integer:
        return (v - 1, v) if row["direction"] == "above" else (v, v + 1)
    return v * (1 - SIDE), v * (1 + SIDE)


@pytest.mark.parametrize(
    ("path", "overrides"), CASES, ids=[f"{p.stem}{'-gen' if o else ''}" for p, o in CASES]
)
def test_every_reported_edge_holds_on_both_sides(path, overrides):
    table = flips(path, rtol=RTOL, overrides=overrides or None)
    edges = table[table["flip_value"].notna()].to_dict("records")
    for row in edges:
        below, above = _sides(row)
        grid = sweep(path, {row["path"]: [below, above]}, overrides=overrides or None)
        recs = grid.drop_duplicates(row["path"])["recommendation"].tolist()
        assert recs == [row["below_recommendation"], row["above_recommendation"]], row
        assert recs[0] != recs[1]
        # the near side is the one towards the point value
        near = recs[0] if row["direction"] == "above" else recs[1]
        assert near == row["from_recommendation"]
    for text in flip_sentences(table):
        assert "scanned" in text
        assert not re.search(r"\de[+-]\d", text), text  # 3,000,000, not 3e+06
        if " over the scanned " in text:
            # stretches are contiguous: each "from a to b" starts where the last ended
            stretches = re.findall(
                r"from (-?[\d.,e+]*\d) to (-?[\d.,e+]*\d)", text.split("): ", 1)[1]
            )
            assert len(stretches) >= 3
            for (_, end), (start, _) in itertools.pairwise(stretches):
                assert end == start


def test_a_non_monotone_input_reports_every_stretch():
    # The hand-worked fixture's volume goes edge -> cloud -> edge -> cloud -> edge over
    # 1-100 inferences/s (instances and devices are bought in whole units): all four edges.
    fixture = ROOT / "tests" / "fixtures" / "hand-worked.yaml"
    table = flips(fixture, paths=["workload.inferences_per_second"], top=0)
    rows = table[table["path"] == "workload.inferences_per_second"]
    assert len(rows) >= 3
    values = rows["flip_value"].tolist()
    assert values == sorted(values) and not any(math.isnan(v) for v in values)
    (sentence,) = {t for t in rows["intervals"]}
    assert sentence.startswith("workload.inferences_per_second over the scanned 1 to 100")
