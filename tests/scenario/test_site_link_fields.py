"""The site's link and the availability requirement in a scenario file: what loads, what is an
error, and what the error says."""

from pathlib import Path

import pytest

from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario_text

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def with_sites_link(link_yaml: str) -> str:
    text = FIXTURE.read_text()
    return text.replace("  uplink_mbps: 100\n", "  uplink_mbps: 100\n  link:\n" + link_yaml, 1)


def test_a_metered_satellite_link_loads():
    scenario = load_scenario_text(
        with_sites_link(
            "    technology: geo_satellite\n"
            "    flat_usd_per_month: 300\n"
            "    upload: {included_gb_per_month: 500, overage_usd_per_gb: 0.26}\n"
            "    failover: {technology: lte, flat_usd_per_month: 40, usd_per_gb: 2}\n"
        )
    )
    link = scenario.sites.link
    assert link.technology == "geo_satellite"
    assert link.upload.included_gb_per_month == 500
    assert link.upload.beyond_allowance == "overage"
    assert link.failover.technology == "lte"
    assert link.download.included_gb_per_month is None  # unlimited unless said


def test_availability_requirement_loads():
    text = FIXTURE.read_text().replace(
        "operations:\n",
        "operations:\n  availability_requirement:\n    min_share_served: 0.999\n"
        "    usd_per_minute_without_inference: 12\n",
        1,
    )
    requirement = load_scenario_text(text).operations.availability_requirement
    assert requirement.min_share_served == 0.999
    assert requirement.usd_per_minute_without_inference == 12


@pytest.mark.parametrize(
    ("link_yaml", "expected"),
    [
        ("    technology: carrier_pigeon\n", "carrier_pigeon"),
        ("    upload: {beyond_allowance: throttle, included_gb_per_month: 5}\n", "throttle_mbps"),
        ("    upload: {beyond_allowance: cap}\n", "included_gb_per_month"),
        ("    access_latency_ms: 30\n    access_latency_p90_ms: 10\n", "below access_latency_ms"),
        ("    upload: {usd_per_gb: -1}\n", "usd_per_gb"),
        ("    flat_usd_per_mnth: 3\n", "flat_usd_per_mnth"),
        (
            "    data_plan: {usd_per_gb: 1}\n    upload: {usd_per_gb: 1}\n",
            "leave upload and download out",
        ),
    ],
)
def test_bad_link_is_an_error_naming_the_field(link_yaml, expected):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(with_sites_link(link_yaml))
    assert expected in str(info.value)
    assert "sites.link" in str(info.value)
