"""Each cloud pricing through the whole evaluation, on the hand-worked fixture.

Fixture (tests/fixtures/hand-worked.yaml): 2 sites × 10 inferences/s around the clock, peak
2 × 20 = 40/s; one g6.xlarge serves 100/s × 0.5 = 50/s, so 1 instance at $1.00/h; 24 months;
no discounting; 52,560,000 inferences a month of 100,000 bytes each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.errors import EdgecalcError
from edgecalc.format import unit_price
from edgecalc.scenario.loader import ScenarioError, load_scenario_text

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
GPT_4O_MINI = {
    "cloud.pricing": "hosted_api",
    "cloud.hosted_api": {
        "model": "openai/gpt-4o-mini",
        "input_tokens_per_request": 500,
        "output_tokens_per_request": 1000,
    },
}


def cloud_costs(overrides, category=None):
    result = edgecalc.evaluate(FIXTURE, overrides=overrides)
    costs = result.costs
    costs = costs[costs.option == "cloud"]
    if category is not None:
        costs = costs[costs.category == category]
    return result, costs


def test_on_demand_is_unchanged():
    # 1 instance × 730 h × $1.00 × 24 months = $17,520 (tests/costs/test_hand_worked.py)
    _, costs = cloud_costs({}, "compute")
    assert costs.usd.sum() == pytest.approx(17_520)
    assert list(costs.item.unique()) == ["aws/g6.xlarge instances"]


def test_one_year_all_upfront_renewed_is_capex_at_each_term():
    # 40% off $1.00 = $0.60/h; a term is 1 × 0.60 × 730 × 12 = $5,256, paid at months 0 and 12
    result, costs = cloud_costs(
        {"cloud.commitment": {"term_years": 1, "payment": "all", "discount_fraction": 0.4}}
    )
    upfront = costs[costs.category == "commitment"]
    assert upfront.usd.sum() == pytest.approx(2 * 5_256)
    assert set(upfront[upfront.usd > 0].month) == {0, 12}
    # nothing left on demand: the commitment covers the one instance every hour
    assert costs[costs.category == "compute"].usd.sum() == pytest.approx(0)
    summary = result.summary.set_index("option")
    assert summary.loc["cloud", "capex_usd"] == pytest.approx(10_512)


def test_autoscaling_pays_for_the_active_hours():
    # 12 active hours a day, scale to zero, 15 min lead: (12 + 0.25) × 730/24 = 372.60 h a
    # month × $1.00 × 24 months = $8,942.50
    _, costs = cloud_costs(
        {
            "workload.active_hours_per_day": 12,
            "cloud.min_instances": 0,
            "cloud.autoscaling": {"scale_up_delay_minutes": 15},
        },
        "compute",
    )
    assert costs.usd.sum() == pytest.approx(12.25 * 730 / 24 * 24)


def test_zones_size_the_fleet_to_survive_one():
    # 1 instance over 3 zones: 3 × ceil(1/2) = 3 instances × 730 h × $1.00 × 24 = $52,560
    _, costs = cloud_costs({"cloud.zones": 3}, "compute")
    assert costs.usd.sum() == pytest.approx(52_560)


def test_hosted_api_per_token():
    # 52.56M requests × 500 input tokens = 26,280M tokens × $0.15/1M = $3,942 a month;
    # × 1,000 output tokens = 52,560M × $0.60/1M = $31,536; 24 × $35,478 = $851,472
    result, costs = cloud_costs(GPT_4O_MINI, "compute")
    assert set(costs.item) == {"input tokens", "output tokens"}
    assert costs.usd.sum() == pytest.approx(851_472)
    assert costs[costs.item == "input tokens"].unit_usd.iloc[0] == pytest.approx(0.15)
    # the catalog price is traced to its source
    used = result.assumptions.set_index("path")
    row = used.loc["cloud.hosted_api.input_usd_per_million_tokens"]
    assert row.origin == "catalog" and "openai" in row.source


def test_rate_limit_makes_the_api_infeasible():
    # peak 40/s × 60 × 1,500 tokens = 3,600,000 tokens/min against a 100,000 limit
    result = edgecalc.evaluate(
        FIXTURE,
        overrides={
            **GPT_4O_MINI,
            "cloud.hosted_api": {**GPT_4O_MINI["cloud.hosted_api"], "tokens_per_minute_limit": 1e5},
        },
    )
    violations = " ".join(result.decision.violations["cloud"])
    assert "3,600,000 tokens/min exceeds the 100,000 tokens/min rate limit" in violations


def test_serverless_cold_start_in_the_latency_percentile():
    # 2% of requests cold > the 1% beyond p99: the 600 ms cold start is in the p99 latency
    result, costs = cloud_costs(
        {
            "cloud.pricing": "serverless",
            "cloud.serverless": {
                "platform": "aws/lambda",
                "memory_gb": 2,
                "cold_start_ms": 600,
                "cold_start_fraction": 0.02,
            },
        },
        "compute",
    )
    latency = result.engine.options["cloud"].latency
    assert float(latency["cold_start"][0]) == 600
    assert not bool(result.engine.options["cloud"].feasible[0])  # over the 50 ms budget
    # requests: (52.56M - 1M free) × $0.20/1M = $10.312 a month; GB-s: 52.56M × 0.005 s × 2 GB
    # = 525,600 - 400,000 free = 125,600 × $0.0000166667 = $2.0933 a month
    assert costs.usd.sum() == pytest.approx(24 * (10.312 + 125_600 * 1.66667e-05))


def test_ingest_and_monthly_bills():
    # 52.56M × 100 kB = 5,256 GB a month × $0.008 = $42.048, + 730 h × $0.0225 = $16.425;
    # 24 × $58.473 = $1,403.35; a $100 support plan: $2,400
    _, costs = cloud_costs(
        {
            "cloud.ingest": [{"name": "ALB", "service": "aws/application-load-balancer"}],
            "cloud.monthly_bills": [{"name": "support plan", "usd_per_month": 100}],
        }
    )
    assert costs[costs.category == "ingest"].usd.sum() == pytest.approx(24 * 58.473)
    assert costs[costs.category == "monthly_bill"].usd.sum() == pytest.approx(2_400)


def test_hybrid_cloud_side_uses_the_same_pricing():
    # hybrid escalates 10%: 5.256M requests a month at 500 + 1,000 tokens: 2,628M input ×
    # $0.15 + 5,256M output × $0.60 = $394.20 + $3,153.60 = $3,547.80 a month, × 24
    result = edgecalc.evaluate(
        FIXTURE,
        overrides=GPT_4O_MINI,
    )
    costs = result.costs
    hybrid = costs[(costs.option == "hybrid") & (costs.category == "compute")]
    assert hybrid.usd.sum() == pytest.approx(24 * 3_547.80)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"cloud.pricing": "hosted_api", "cloud.hosted_api": {"input_tokens_per_request": 5}},
            "cloud.hosted_api.output_tokens_per_request",
        ),
        ({"cloud.commitment": {"term_years": 3}}, "cloud.commitment"),
        (
            {
                "cloud.pricing": "hosted_api",
                "cloud.hosted_api": {"input_tokens_per_request": 5, "output_tokens_per_request": 5},
            },
            "cloud.hosted_api.input_usd_per_million_tokens",
        ),
    ],
)
def test_unpriceable_scenarios_are_refused_when_loaded(overrides, field):
    with pytest.raises(ScenarioError) as exc:
        edgecalc.load_scenario(FIXTURE, overrides)
    assert field in str(exc.value)


def test_unknown_hosted_model_names_the_field():
    with pytest.raises(EdgecalcError, match=r"cloud\.hosted_api\.model: unknown hosted model"):
        edgecalc.evaluate(
            FIXTURE,
            overrides={
                "cloud.pricing": "hosted_api",
                "cloud.hosted_api": {
                    "model": "openai/gpt-4o-mni",
                    "input_tokens_per_request": 5,
                    "output_tokens_per_request": 5,
                },
            },
        )


def test_reasons_name_the_pricing_and_what_on_demand_would_cost():
    # 3-yr partial upfront over a 24-month horizon: the term outlives it; on demand and
    # always on the same fleet costs 1 × 730 h × $1.00 × 24 = $17,520
    result = edgecalc.evaluate(
        FIXTURE,
        overrides={
            "cloud.commitment": {"term_years": 3, "payment": "partial", "discount_fraction": 0.4}
        },
    )
    reasons = "\n".join(result.decision.reasons)
    assert "the cloud figure assumes aws/g6.xlarge, 3-yr partial upfront" in reasons
    assert "on demand and always on would cost $17,520 in compute over 24 months" in reasons
    assert "3-year commitment outlives the 24-month horizon" in reasons
    # the whole 36-month term is in the cost: 0.6 × 730 × 36 = $15,768
    costs = result.costs
    committed = costs[(costs.option == "cloud") & costs.item.str.contains("commitment")]
    assert committed.usd.sum() == pytest.approx(15_768)


def test_reasons_give_the_price_per_million_tokens():
    # compute $851,472 + transfer + labour over 1,892,160 million tokens (52.56M × 1,500 × 24)
    result = edgecalc.evaluate(FIXTURE, overrides=GPT_4O_MINI)
    total = float(result.summary.set_index("option").loc["cloud", "total_usd"])
    per_million = total / 1_892_160
    # a unit price: 4 significant figures, as the cost lines write theirs ($0.4628, not $0.46)
    assert f"{unit_price(per_million)} per million tokens" in "\n".join(result.decision.reasons)
    assert "$0.4628 per million tokens" in "\n".join(result.decision.reasons)


def test_monte_carlo_samples_a_commitment_discount_range():
    # the discount as a 90% interval 20-50%: each sample's committed total is
    # 2 terms × 730 × 12 × $1.00 × (1 - discount) = 17,520 × (1 - d), the rest unchanged
    overrides = {
        "cloud.commitment": {
            "term_years": 1,
            "payment": "all",
            "discount_fraction": {"low": 0.2, "high": 0.5},
        }
    }
    sim = edgecalc.simulate(FIXTURE, samples=400, seed=3, overrides=overrides)
    discount = np.asarray(sim.inputs["cloud.commitment.discount_fraction"])
    point = edgecalc.evaluate(
        FIXTURE,
        overrides={
            "cloud.commitment": {"term_years": 1, "payment": "all", "discount_fraction": 0.0}
        },
    )
    undiscounted = float(point.summary.set_index("option").loc["cloud", "total_usd"])
    expected = undiscounted - 17_520 * discount
    assert np.asarray(sim.total_usd["cloud"]) == pytest.approx(expected)
    assert 0.2 < np.median(discount) < 0.5


def test_plausibility_flags_a_discount_beyond_the_published_maximum():
    from edgecalc.pipeline.plausibility import check_plausibility

    result = edgecalc.evaluate(
        FIXTURE,
        overrides={"cloud.commitment": {"term_years": 3, "discount_fraction": 0.8}},
    )
    warnings = check_plausibility(result)
    assert any(w.startswith("commitment_discount_above_published_maximum") for w in warnings)


def test_hours_per_month_still_bills_part_of_the_month():
    # 1 instance × 365 h × $1.00 × 24 months = $8,760
    _, costs = cloud_costs({"cloud.hours_per_month": 365}, "compute")
    assert costs.usd.sum() == pytest.approx(8_760)


ONE_YEAR = {
    "options": {
        "cloud_1yr": {
            "kind": "cloud",
            "commitment": {"term_years": 1, "payment": "all", "discount_fraction": 0.4},
        }
    }
}


def test_a_second_cloud_option_compares_on_demand_and_a_commitment():
    # cloud_1yr is the cloud section with a 1-year all-upfront commitment at 40% off:
    # compute 2 × 5,256 = $10,512 instead of $17,520 on demand; every other line the same
    result = edgecalc.evaluate(FIXTURE, overrides=ONE_YEAR)
    summary = result.summary.set_index("option")
    assert summary.loc["cloud", "total_usd"] - summary.loc["cloud_1yr", "total_usd"] == (
        pytest.approx(17_520 - 10_512)
    )
    # the cheapest feasible cloud-kind option is the default; edge does not save 25% of it
    assert result.recommendation == "cloud_1yr"
    reasons = "\n".join(result.decision.reasons)
    assert "cloud_1yr is the cheapest feasible cloud option, so it is the default" in reasons
    assert "cloud_1yr: the cloud figure assumes aws/g6.xlarge, 1-yr all upfront" in reasons
    # its inputs are traced under its own name
    assert "cloud_1yr.commitment.discount_fraction" in set(result.assumptions.path)


def test_a_second_cloud_option_through_monte_carlo():
    sim = edgecalc.simulate(FIXTURE, samples=50, seed=2, overrides=ONE_YEAR)
    assert set(sim.total_usd) == {"cloud", "edge", "hybrid", "cloud_1yr"}
    gap = np.asarray(sim.total_usd["cloud"]) - np.asarray(sim.total_usd["cloud_1yr"])
    assert gap == pytest.approx(np.full(50, 7_008.0))


def test_option_names_are_checked_when_loaded():
    with pytest.raises(ScenarioError, match=r"options\.edge"):
        edgecalc.load_scenario(FIXTURE, {"options": {"edge": {"kind": "cloud"}}})


def test_an_extra_cloud_option_round_trips_through_yaml():
    # the written option states only what differs from cloud:, and loads back equal
    scenario = edgecalc.load_scenario(FIXTURE, ONE_YEAR)
    text = scenario.to_yaml()
    assert "cloud_1yr:" in text and "discount_fraction: 0.4" in text
    again = load_scenario_text(text, base_dir=FIXTURE.parent)
    assert again == scenario


def test_flips_run_on_a_scenario_with_an_extra_cloud_option():
    # regression: the flip search re-validates the scenario; the extra option's nulls must
    # survive, and a cloud priced per token has no instance price to search
    path = FIXTURE.parents[1].parent / "scenarios" / "llm-branch-assistant.yaml"
    result = edgecalc.evaluate(path, flips=True)
    assert result.recommendation == "cloud"
    flips = " ".join(map(str, result.decision.flips))
    assert flips and "cloud.usd_per_hour" not in flips


def test_summary_gives_usd_per_million_tokens_for_a_hosted_api():
    # total over 1,892,160 million tokens (52.56M requests × 1,500 tokens × 24 months)
    result = edgecalc.evaluate(FIXTURE, overrides=GPT_4O_MINI)
    row = result.summary.set_index("option").loc["cloud"]
    assert row.usd_per_million_tokens == pytest.approx(row.total_usd / 1_892_160)
    assert np.isnan(result.summary.set_index("option").loc["edge", "usd_per_million_tokens"])
    options = {o["name"]: o for o in result.to_dict()["options"]}
    assert options["edge"]["usd_per_million_tokens"] is None


def test_spot_share_through_the_evaluation():
    # half the 730 instance-hours on spot at $0.40 with the catalog's 10% headroom:
    # 365 h × $1.00 + 365 × 1.1 = 401.5 h × $0.40 = $160.60 -> $525.60 a month, × 24
    result, costs = cloud_costs({"cloud.spot": {"share": 0.5, "usd_per_hour": 0.4}}, "compute")
    assert costs.usd.sum() == pytest.approx(24 * 525.6)
    row = result.assumptions.set_index("path").loc["cloud.spot.interruption_headroom_fraction"]
    assert row.origin == "catalog" and "Spot Instance Advisor" in row.source
    assert "50% of the rest on spot" in "\n".join(result.decision.reasons)


def test_the_guide_example_loads_and_prices():
    # docs/guide.md, "Price the cloud as it is billed": the cloud and options sections on the
    # fixture; the API option does not inherit the cloud's commitment or autoscaling
    guide = (FIXTURE.parents[2] / "docs" / "guide.md").read_text(encoding="utf-8")
    block = guide.split("### Price the cloud as it is billed")[1].split("```yaml\n")[1]
    block = block.split("```")[0]
    base = FIXTURE.read_text(encoding="utf-8").split("\ncloud:\n")
    rest = base[1].split("\nedge:\n", 1)[1]
    text = f"{base[0]}\n{block}\nedge:\n{rest}"
    scenario = load_scenario_text(text, base_dir=FIXTURE.parent)
    assert scenario.options["cloud_api"].commitment is None
    result = edgecalc.evaluate(scenario)
    assert {"cloud", "cloud_api"} <= set(result.summary.option)
    api = result.costs[result.costs.option == "cloud_api"]
    assert {"input tokens", "output tokens"} <= set(api.item)
    assert not any("commitment" in item for item in api.item)
    # 4.5 s to answer is over the fixture's 50 ms budget: ruled out, and the reasons say so
    assert any(r.startswith("cloud_api is ruled out") for r in result.decision.reasons)


def test_validate_refuses_a_spot_share_without_a_price(capsys):
    # the catalog has no AWS spot price: `edgecalc validate` names the field, exit 1
    from edgecalc.cli import main

    code = main(["validate", str(FIXTURE), "--set", "cloud.spot.share=0.5"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot be priced: cloud.spot.usd_per_hour is required" in err
