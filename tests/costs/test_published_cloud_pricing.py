"""Published cloud-pricing figures, rebuilt as scenarios from their stated inputs.

llmtco.com, "LLM Cost-vs-Volume Curve", https://llmtco.com/compare/cost-curve/ (prices as of
2026-06-25): 10M input + 2M output tokens a month at $3 / $15 per million (blended $5.00) cost
$60 a month; an A100 80GB at $1.59/h × 730 h × 30% costs $348.21 a month; the two cross at
about 69.6M tokens a month. Fixture: tests/fixtures/published/llmtco-api-vs-gpu.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc

FIXTURE = Path(__file__).parents[1] / "fixtures" / "published" / "llmtco-api-vs-gpu.yaml"
IPS = 0.012683916793505834  # 10,000 requests a month in 219 active hours
RENTED_A100 = {
    "cloud.pricing": "instances",
    "cloud.hosted_api": None,
    "cloud.instance": "aws/g6e.xlarge",  # a stand-in: the study's price and throughput below
    "cloud.usd_per_hour": 1.59,
    "cloud.inferences_per_second_per_instance": 10,
    "cloud.memory_gb": 80,
    "cloud.min_instances": 0,
    "cloud.autoscaling": {"scale_up_delay_minutes": 0},
}


def monthly_compute(overrides=None):
    result = edgecalc.evaluate(FIXTURE, overrides=overrides or {})
    costs = result.costs
    compute = costs[(costs.option == "cloud") & (costs.category == "compute")]
    return compute[compute.month == 0].usd.sum(), result


def test_api_cost_of_the_published_volume():
    # 10M input × $3/1M + 2M output × $15/1M = $30 + $30 = $60 a month ($5.00 blended)
    usd, _ = monthly_compute()
    assert usd == pytest.approx(60.0)


def test_rented_gpu_at_thirty_percent_utilisation():
    # $1.59/h × 730 h × 30% = $348.21 a month: the fleet runs 7.2 h × 730/24 = 219 h
    usd, _ = monthly_compute(RENTED_A100)
    assert usd == pytest.approx(348.21)


def test_the_lines_cross_at_the_published_volume():
    # break-even volume = $348.21 / $5.00 per million = 69.642M tokens a month (published
    # "about 69.6M"): at 69.642 / 12 × today's volume the API costs what the GPU costs
    scale = 348.21 / 5.00 / 12
    api, _ = monthly_compute({"workload.inferences_per_second": IPS * scale})
    gpu, _ = monthly_compute({**RENTED_A100, "workload.inferences_per_second": IPS * scale})
    assert api == pytest.approx(gpu, rel=1e-9)
    assert 12 * scale == pytest.approx(69.6, abs=0.05)


def test_one_year_partial_upfront_gpu_commitment():
    # disintermediate.global, "How GPU Cloud Pricing Works: On-Demand, Reserved, and Spot"
    # (https://disintermediate.global/insights/gpu-cloud-pricing-models, Q1 2026): p5.48xlarge
    # $98.32/h on demand; "a 1-year reserved p5.48xlarge with partial upfront payment runs
    # approximately $52/hour effective rate; a 47% discount". One instance for 12 months:
    # committed 52 × 730 × 12 = $455,520 (half upfront: $227,760 at month 0, $18,980 a month);
    # on demand 98.32 × 8,760 = $861,283.20; 1 - 455,520 / 861,283.20 = 47.1%
    overrides = {
        **RENTED_A100,
        "cloud.usd_per_hour": 98.32,  # the study's on-demand price (stand-in instance type)
        "cloud.min_instances": 1,
        "cloud.autoscaling": None,
        "cloud.commitment": {"term_years": 1, "payment": "partial", "usd_per_hour": 52},
    }
    result = edgecalc.evaluate(FIXTURE, overrides=overrides)
    costs = result.costs
    cloud = costs[(costs.option == "cloud") & costs.item.str.contains("commitment")]
    assert cloud.usd.sum() == pytest.approx(455_520)
    assert cloud[cloud.category == "commitment"].usd.sum() == pytest.approx(227_760)
    on_demand = float(result.engine.options["cloud"].pricing["on_demand_usd"][0])
    assert on_demand == pytest.approx(861_283.20)
    assert 1 - 455_520 / on_demand == pytest.approx(0.47, abs=0.005)


def test_kinesis_video_streams_ingest_example():
    # AWS, Kinesis Video Streams pricing page (archived, German), example 1: 100 users stream
    # 70 MB a day each: "Aufgenommene Daten = 30 Tage * (7 000/1 024) * (0,0085 USD/GB) =
    # 1,74 USD". AWS counts 1,024 MB to the GB: 30 × 7,000 / 1,024 = 205.08 GB a month.
    # Rebuilt on the hand-worked fixture (52.56M requests a month) with the request size that
    # carries those 205.08 GB (edgecalc's GB is 1e9 bytes): 205.078125e9 / 52.56e6 bytes.
    hand_worked = FIXTURE.parents[1] / "hand-worked.yaml"
    gb = 30 * 7000 / 1024
    result = edgecalc.evaluate(
        hand_worked,
        overrides={
            "workload.request_bytes": gb * 1e9 / 52_560_000,
            "cloud.ingest": [{"name": "video streams", "service": "aws/kinesis-video-streams"}],
        },
    )
    costs = result.costs
    ingest = costs[(costs.option == "cloud") & (costs.category == "ingest")]
    assert ingest[ingest.month == 0].usd.sum() == pytest.approx(1.74, abs=0.005)
