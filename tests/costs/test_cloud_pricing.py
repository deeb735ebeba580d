"""The cloud pricing functions, each against arithmetic done by hand (issue #13's six cases
and the edges each docstring names)."""

from __future__ import annotations

import numpy as np
import pytest

from edgecalc.costs.cloud_pricing import (
    always_on,
    autoscaled,
    cold_start_at_percentile_ms,
    commitment_bill,
    serverless_usage,
    spot_split,
    token_usage,
    uncommitted_hours,
    zone_redundant,
)

G6_XLARGE_USD_PER_HOUR = 0.8048  # catalog: aws/g6.xlarge on demand, us-east-1


def test_three_year_all_upfront_over_sixty_months_renews_at_month_36():
    # 2 × g6.xlarge at 40% off on demand: 0.8048 × 0.6 = $0.48288/h
    # one term: 2 × 0.48288 × 730 h × 36 months = $25,380.17, all paid in the term's month 0
    bill = commitment_bill(2, 0.48288, 1.0, 36, 60, renew=True)
    assert bill.upfront_usd[0, 0] == pytest.approx(25_380.1728)
    assert bill.upfront_usd[0, 36] == pytest.approx(25_380.1728)
    assert bill.upfront_usd.sum() == pytest.approx(2 * 25_380.1728)
    assert bill.monthly_usd.sum() == 0  # all upfront: nothing monthly
    # the second term (months 36-71) runs 12 months past the 60-month horizon, already paid
    assert bill.months_beyond_horizon == 12
    assert bill.owed_after_horizon_usd.sum() == 0
    assert bill.covered.min() == 1.0


def test_three_year_term_falls_back_to_on_demand():
    # not renewed: covered for months 0-35 only; months 36-59 run on demand
    bill = commitment_bill(2, 0.48288, 1.0, 36, 60, renew=False)
    assert bill.covered[0, 35] == 1.0 and bill.covered[0, 36] == 0.0
    assert bill.upfront_usd.sum() == pytest.approx(25_380.1728)
    # the 24 uncovered months: 2 × 730 h × $0.8048 × 24 = $28,200.19 on demand
    uncovered = uncommitted_hours(always_on(2), 2 * bill.covered[0])
    assert (uncovered * G6_XLARGE_USD_PER_HOUR).sum() == pytest.approx(28_200.192)


def test_commitment_outliving_the_horizon_is_still_owed():
    # 3-year, no upfront, 24-month horizon: 2 × 0.48288 × 730 = $705.0048 a month
    bill = commitment_bill(2, 0.48288, 0.0, 36, 24, renew=True)
    assert bill.monthly_usd[0, 0] == pytest.approx(705.0048)
    assert bill.monthly_usd.sum() == pytest.approx(24 * 705.0048)  # $16,920.12
    # the 12 months after the horizon: 12 × $705.0048 = $8,460.06, booked in month 23
    assert bill.months_beyond_horizon == 12
    assert bill.owed_after_horizon_usd[0, 23] == pytest.approx(8_460.0576)
    assert bill.owed_after_horizon_usd[0, :23].sum() == 0


def test_partial_upfront_splits_the_term_price():
    # 1-year, half upfront, 1 instance at $1.00/h: term $8,760; $4,380 at month 0, then
    # $4,380 / 12 = $365 a month
    bill = commitment_bill(1, 1.0, 0.5, 12, 12, renew=True)
    assert bill.upfront_usd[0, 0] == pytest.approx(4_380)
    assert bill.monthly_usd[0] == pytest.approx(np.full(12, 365.0))


def test_spot_share_with_interruption_headroom():
    # 10 g2-standard-4 always on; half on spot at $0.397336/h with 10% headroom
    hours = always_on(10).instance_hours  # 7,300 instance-hours
    on_demand_h, spot_h = spot_split(hours, 0.5, 0.1)
    assert on_demand_h == pytest.approx(3_650)
    assert spot_h == pytest.approx(4_015)  # 3,650 × 1.1
    # 3,650 × $0.706832 = $2,579.94 on demand + 4,015 × $0.397336 = $1,595.30 spot
    usd = on_demand_h * 0.706832 + spot_h * 0.397336
    assert usd == pytest.approx(4_175.2408, abs=0.01)
    assert usd < hours * 0.706832  # $5,159.87 all on demand


def test_fleet_that_scales_with_fourteen_active_hours_a_day():
    # 12 g6.xlarge at peak, zero outside the active hours, 15 min scale-up lead, every day:
    # (14 + 0.25) h × 730/24 = 433.4375 h; 12 × 433.4375 = 5,201.25 instance-hours
    fleet = autoscaled(12, 0, 14, 7, 15)
    assert fleet.high_hours == pytest.approx(433.4375)
    assert fleet.instance_hours == pytest.approx(5_201.25)
    # × $0.8048 = $4,185.97 a month, against 12 × 730 × 0.8048 = $7,050.05 always on
    assert fleet.instance_hours * G6_XLARGE_USD_PER_HOUR == pytest.approx(4_185.966)
    assert always_on(12).instance_hours * G6_XLARGE_USD_PER_HOUR == pytest.approx(7_050.048)


def test_autoscaling_keeps_min_instances_outside_active_hours():
    # 6 at peak for 10 h × 5/7 days, 2 the rest: high hours 10 × 5/7 × 730/24 = 217.26 h
    fleet = autoscaled(6, 2, 10, 5, 0)
    high_h = 10 * 5 / 7 * 730 / 24
    assert fleet.instance_hours == pytest.approx(6 * high_h + 2 * (730 - high_h))
    # around the clock the autoscaled fleet equals the always-on one
    assert autoscaled(6, 2, 24, 7, 30).instance_hours == pytest.approx(6 * 730)


def test_commitment_covers_only_the_committed_instances_each_hour():
    # 2 committed of a 6/2 fleet: the 4 above it are uncommitted during active hours only
    fleet = autoscaled(6, 2, 10, 5, 0)
    assert uncommitted_hours(fleet, 2) == pytest.approx(4 * fleet.high_hours)
    # committing 4 wastes 2 instances off-hours but covers 4 of 6 at peak
    assert uncommitted_hours(fleet, 4) == pytest.approx(2 * fleet.high_hours)


def test_per_token_api_with_one_to_two_input_output():
    # 1M requests a month, 500 input and 1,000 output tokens (1:2), gpt-4o-mini prices
    # input 500M tokens × $0.15/1M = $75; output 1,000M × $0.60/1M = $600; $675 in all
    usage = token_usage(1e6, 500, 1000)
    assert usage.input_million == pytest.approx(500)
    assert usage.output_million == pytest.approx(1000)
    assert usage.input_million * 0.15 + usage.output_million * 0.60 == pytest.approx(675)
    # a quarter of the input from the cache ($0.075) and half the requests in batch (50% off):
    # input 375 × 0.15 + cached 125 × 0.075 + output 600 = 56.25 + 9.375 + 600 = $665.625,
    # × (1 - 0.5 × 0.5) = $499.22
    usage = token_usage(1e6, 500, 1000, 0.25, 0.5, 0.5)
    usd = (
        usage.input_million * 0.15 + usage.cached_input_million * 0.075 + usage.output_million * 0.6
    ) * usage.price_factor
    assert usd == pytest.approx(499.21875)


def test_ingest_price_on_ten_terabytes_a_month():
    # an application load balancer: 10 TB = 10,000 GB processed at $0.008/GB (one LCU per GB
    # processed) = $80, plus 730 h × $0.0225 = $16.425 for the balancer itself
    gb = 10e12 / 1e9
    assert gb * 0.008 + 730 * 0.0225 == pytest.approx(96.425)


def test_serverless_bills_requests_and_gb_seconds_after_the_free_tier():
    # 3M requests of 120 ms at 2 GB on Lambda: 2M billed requests × $0.20/1M = $0.40;
    # 720,000 - 400,000 free = 320,000 GB-s × $0.0000166667 = $5.33
    requests, gb_s = serverless_usage(3e6, 120, 2, 1e6, 4e5)
    assert requests / 1e6 * 0.20 + gb_s * 1.66667e-05 == pytest.approx(0.40 + 5.333344)
    # below the free tier nothing is billed (never negative)
    assert [float(v) for v in serverless_usage(1000, 100, 1, 1e6, 4e5)] == [0.0, 0.0]


def test_cold_start_counts_only_inside_the_percentile():
    # 2% cold > 1% tail at p99: in; 0.5% cold: out; at p99.9 (0.1% tail) 0.5% cold is in
    assert cold_start_at_percentile_ms(600, 0.02, 99) == 600
    assert cold_start_at_percentile_ms(600, 0.005, 99) == 0
    assert cold_start_at_percentile_ms(600, 0.005, 99.9) == 600


def test_zone_redundancy_survives_one_zone():
    # 5 instances over 2 zones: each must carry all 5 -> 10; over 3 zones: 3 + 3 + 3 = 9
    assert zone_redundant(5, 2) == 10
    assert zone_redundant(5, 3) == 9
    # one instance still needs one per zone; one zone changes nothing
    assert zone_redundant(1, 2) == 2
    assert zone_redundant(5, 1) == 5
    assert list(zone_redundant(np.array([0.0, 4.0]), 2)) == [2.0, 8.0]
