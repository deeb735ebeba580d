"""Options as data: the engine iterates over option specs; decide() works on kinds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from edgecalc import load_scenario
from edgecalc.pipeline.compute import compute
from edgecalc.pipeline.engine import decide
from edgecalc.pipeline.options import (
    CLOUD,
    EDGE,
    HYBRID,
    OPTION_KINDS,
    OptionSpec,
    recommendations,
)
from edgecalc.pipeline.prepare import prepare

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
TRUE = np.array([True])
FALSE = np.array([False])


def test_kinds_are_the_four_of_the_model():
    assert OPTION_KINDS == ("cloud", "edge", "hybrid", "hub")
    assert recommendations((CLOUD, EDGE, HYBRID)) == ("cloud", "edge", "hybrid", "none")


@pytest.mark.parametrize("name", ["Cloud", "3yr", "cloud-3yr", "", "none"])
def test_a_bad_option_name_is_refused_with_what_is_allowed(name):
    with pytest.raises(ValueError, match="lower case letters, digits and underscores"):
        OptionSpec(name, "cloud", "cloud")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind 'server' is not one of cloud, edge, hybrid, hub"):
        OptionSpec("onprem", "server", "onprem")  # type: ignore[arg-type]


def _decide(totals, feasible, kinds=None, fraction=0.25):
    return decide(
        {k: np.array([v]) for k, v in totals.items()},
        {k: TRUE if ok else FALSE for k, ok in feasible.items()},
        fraction,
        kinds=kinds,
    )[0]


TWO_CLOUDS = {"cloud": "cloud", "cloud_3yr": "cloud", "edge": "edge", "hybrid": "hybrid"}


def test_the_default_is_the_cheapest_feasible_cloud_option():
    # cloud on demand $100, with a commitment $70; edge $60 saves only 1 - 60/70 = 14% < 25%
    totals = {"cloud": 100.0, "cloud_3yr": 70.0, "edge": 60.0, "hybrid": 90.0}
    ok = dict.fromkeys(totals, True)
    assert _decide(totals, ok, TWO_CLOUDS) == "cloud_3yr"
    # edge $52.50 = (1 - 0.25) x $70 exactly: it saves the fraction against the cheaper cloud
    assert _decide({**totals, "edge": 52.5}, ok, TWO_CLOUDS) == "edge"


def test_an_infeasible_cloud_variant_is_not_the_default():
    # the commitment is ruled out: the default is on demand ($100), which edge ($70) beats
    totals = {"cloud": 100.0, "cloud_3yr": 60.0, "edge": 70.0, "hybrid": 90.0}
    ok = {"cloud": True, "cloud_3yr": False, "edge": True, "hybrid": True}
    assert _decide(totals, ok, TWO_CLOUDS) == "edge"


def test_without_a_feasible_cloud_the_cheapest_feasible_other_option():
    totals = {"cloud": 10.0, "cloud_3yr": 5.0, "edge": 95.0, "hybrid": 90.0}
    ok = {"cloud": False, "cloud_3yr": False, "edge": True, "hybrid": True}
    assert _decide(totals, ok, TWO_CLOUDS) == "hybrid"
    ok["hybrid"] = False
    assert _decide(totals, ok, TWO_CLOUDS) == "edge"
    ok["edge"] = False
    assert _decide(totals, ok, TWO_CLOUDS) == "none"


def test_a_tie_goes_to_the_option_listed_first():
    totals = {"cloud": 1000.0, "edge": 50.0, "hybrid": 50.0}
    assert _decide(totals, dict.fromkeys(totals, True)) == "edge"


def _decide_before(total_usd, feasible, fraction):
    """The rule as it was written out for the three standard options (before options were
    data): the reference the general rule must reproduce."""
    cloud_ok = feasible["cloud"]
    inf = np.full(len(cloud_ok), np.inf)
    edge_cost = np.where(feasible["edge"], total_usd["edge"], inf)
    hybrid_cost = np.where(feasible["hybrid"], total_usd["hybrid"], inf)
    alt_name = np.where(hybrid_cost < edge_cost, "hybrid", "edge")
    alt_cost = np.minimum(edge_cost, hybrid_cost)
    threshold = (1 - fraction) * total_usd["cloud"]
    when_ok = np.where(alt_cost <= threshold * (1 + 1e-12), alt_name, "cloud")
    when_out = np.where(np.isfinite(alt_cost), alt_name, "none")
    return np.where(cloud_ok, when_ok, when_out)


def test_the_general_rule_gives_the_standard_options_answers():
    rng = np.random.default_rng(11)
    n = 20_000
    # costs on a coarse grid, so that ties and exact thresholds occur
    totals = {k: rng.integers(1, 9, n) * 25.0 for k in ("cloud", "edge", "hybrid")}
    feasible = {k: rng.random(n) < 0.7 for k in totals}
    fraction = rng.choice([0.0, 0.25, 0.5], n)
    got = decide(totals, feasible, fraction)
    assert list(got) == list(_decide_before(totals, feasible, fraction))
    assert set(got) == {"cloud", "edge", "hybrid", "none"}


@pytest.fixture(scope="module")
def resolved():
    return prepare(load_scenario(FIXTURE))


def test_the_engine_reports_the_options_it_is_given_in_their_order(resolved):
    out = compute(resolved)
    assert [spec.name for spec in out.specs] == list(out.options)
    swapped = dataclasses.replace(resolved, options=(EDGE, CLOUD))
    out2 = compute(swapped)
    assert list(out2.options) == ["edge", "cloud"]
    assert out2.options["edge"].total_usd == pytest.approx(out.options["edge"].total_usd)


def test_a_second_option_of_a_kind_is_priced_like_the_first(resolved):
    # a second edge-kind option reading the same inputs: the same arrays under its own name
    twin = OptionSpec("edge_b", "edge", "edge")
    out = compute(dataclasses.replace(resolved, options=(*resolved.options, twin)))
    a, b = out.options["edge"], out.options["edge_b"]
    assert b.name == "edge_b"
    assert b.total_usd == pytest.approx(a.total_usd)
    assert b.latency["total"] == pytest.approx(a.latency["total"])
    assert [v.constraint for v in b.violations] == [v.constraint for v in a.violations]
    assert {ln.option for ln in b.lines} == {"edge_b"}


def test_every_option_kind_has_a_pricer_a_latency_model_and_constraints():
    from edgecalc.pipeline.engine import KINDS
    from edgecalc.pipeline.options import OPTION_KINDS

    assert set(KINDS) == set(OPTION_KINDS)


def test_every_option_is_reported_by_name(resolved):
    from edgecalc.pipeline.evaluate import build_result
    from edgecalc.render import render

    twin = OptionSpec("edge_b", "edge", "edge")
    spec_resolved = dataclasses.replace(resolved, options=(*resolved.options, twin))
    result = build_result(compute(spec_resolved), spec_resolved)
    assert list(result.summary["option"]) == ["cloud", "edge", "hybrid", "edge_b"]
    edge, edge_b = (
        result.summary.set_index("option").loc[k, "total_usd"] for k in ("edge", "edge_b")
    )
    assert edge_b == pytest.approx(edge)
    assert "edge_b" in render(result, "text")
    assert "edge_b" in render(result, "markdown")
    assert [o["name"] for o in result.to_dict()["options"]] == ["cloud", "edge", "hybrid", "edge_b"]


def test_every_edge_kind_option_gets_its_operations_figures(resolved):
    # a second edge-kind option (kind edge, not named "edge") reads the same inputs, so its
    # operations figures are the edge option's, under its own name, in the result and the JSON
    from edgecalc.pipeline.evaluate import build_result
    from edgecalc.pipeline.operations_figures import CloudOperations, FleetOperations

    twin = OptionSpec("edge_b", "edge", "edge")
    spec_resolved = dataclasses.replace(resolved, options=(*resolved.options, twin))
    result = build_result(compute(spec_resolved), spec_resolved)
    ops = result.operations
    assert isinstance(ops["cloud"], CloudOperations)
    assert isinstance(ops["edge_b"], FleetOperations)
    edge, edge_b = ops["edge"], ops["edge_b"]
    assert edge_b.availability == edge.availability  # the edge kind's model: no cloud path
    assert edge_b.rollout == edge.rollout  # same fleet, same seeded simulation
    assert edge_b.fit == edge.fit and edge_b.spares == edge.spares
    by_name = {o["name"]: o for o in result.to_dict()["options"]}
    twin_json, edge_json = by_name["edge_b"]["operations"], by_name["edge"]["operations"]
    assert twin_json.keys() == edge_json.keys() and "rollout" in twin_json
    assert twin_json["rollout"] == edge_json["rollout"]
