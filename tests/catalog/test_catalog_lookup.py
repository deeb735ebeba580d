"""The catalog API: lookups, known values, the honesty rules for devices."""

import math
import re
import shutil

import pytest
import yaml

from edgecalc.catalog import BENCHMARKS, DATA_DIR, CatalogError, load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# ---------------------------------------------------------------- regions and countries
def test_region_lookup(catalog):
    region = catalog.region("aws/eu-central-1")
    assert (region.key, region.provider, region.code) == ("aws/eu-central-1", "aws", "eu-central-1")
    assert (region.city, region.country, region.zone) == ("Frankfurt", "DE", "EEA")
    assert region.lat.value == pytest.approx(50.1109)
    assert region.lat.source.startswith("github:oaustegard/")


def test_regions_per_provider(catalog):
    # 36 AWS (botocore), 43 GCP (gcping), 56 Azure (regions-list doc) in the reference.
    assert [len(catalog.regions(p)) for p in ("aws", "gcp", "azure")] == [36, 43, 56]
    assert len(catalog.regions()) == 36 + 43 + 56


def test_region_coordinates_are_in_range(catalog):
    located = [r for r in catalog.regions() if r.lat is not None]
    assert len(located) > 120
    for r in located:
        assert -90 <= r.lat.value <= 90, r.key
        assert r.lon is not None and -180 <= r.lon.value <= 180, r.key
        assert r.lat.unit == r.lon.unit == "degrees (WGS84)"


def test_regions_without_sourced_coordinates_have_none(catalog):
    for key in ("aws/ap-east-2", "aws/me-west-1", "azure/austriaeast", "azure/newzealandnorth"):
        region = catalog.region(key)
        assert region.lat is None and region.lon is None, key
        assert region.country is not None


def test_coordinate_warnings_are_kept(catalog):
    assert "coordinate warning" in catalog.region("azure/israelcentral").note
    # The one correction is visible: derived, with the published value in the formula.
    lon = catalog.region("azure/spaincentral").lon
    assert lon.value == pytest.approx(-3.4209)
    assert lon.derived and "3.4209" in lon.formula


def test_every_region_country_has_a_zone(catalog):
    for region in catalog.regions():
        assert region.country is None or re.fullmatch(r"[A-Z]{2}", region.country), region.key
        assert region.zone == catalog.zone_of(region.country), region.key
        assert region.zone is not None, region.key


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("DE", "EEA"),
        ("de", "EEA"),
        ("NO", "EEA"),
        ("IS", "EEA"),
        ("CH", "CH"),
        ("GB", "UK"),
        ("UK", "UK"),
        ("US", "US"),
        ("CA", "CA"),
        ("JP", "JP"),
        ("ZZ", None),
    ],
)
def test_zone_of(catalog, country, zone):
    assert catalog.zone_of(country) == zone


def test_region_zones(catalog):
    assert catalog.region("aws/eu-west-2").zone == "UK"
    assert catalog.region("aws/eu-central-2").zone == "CH"
    assert catalog.region("gcp/europe-west4").zone == "EEA"
    assert catalog.region("azure/northeurope").country == "IE"


# ---------------------------------------------------------------- instances
def test_instance_known_values(catalog):
    g6 = catalog.instance("aws/g6.xlarge")
    assert g6.usd_per_hour.value == 0.8048
    assert g6.usd_per_hour.unit == "USD/h"
    assert g6.reference_region == "us-east-1"
    assert (g6.vcpu, g6.ram_gib, g6.accelerator) == (4, 16.0, "NVIDIA L4")
    assert g6.accelerator_memory_gb.value == 24
    assert g6.accelerator_memory_mib_reported.value == 22888
    assert catalog.instance("gcp/g2-standard-4").usd_per_hour.value == 0.706832255
    assert catalog.instance("azure/Standard_NC4as_T4_v3").usd_per_hour.value == 0.526


def test_gcp_n1_with_t4_is_the_sum_of_its_parts(catalog):
    combo = catalog.instance("gcp/n1-standard-4+nvidia-tesla-t4")
    # 0.189999 (n1-standard-4) + 0.35 (T4) = 0.539999 USD/h
    parts = (
        catalog.instance("gcp/n1-standard-4").usd_per_hour.value
        + combo.extra_facts["gpu_component_usd_per_hour"].value
    )
    assert combo.usd_per_hour.value == pytest.approx(parts)
    assert combo.usd_per_hour.derived


@pytest.mark.parametrize("key", ["aws/g6.xlarge", "gcp/g2-standard-4"])
def test_l4_instances_use_the_l4_mlperf_figures(catalog, key):
    perf = catalog.instance(key).performance
    assert perf["resnet50"].inferences_per_second.value == 12881.7
    assert perf["resnet50"].latency_ms.value == 0.349
    assert "L4x1_TRT" in perf["resnet50"].inferences_per_second.source
    assert set(perf) <= set(BENCHMARKS)


@pytest.mark.parametrize(
    "key", ["aws/g4dn.xlarge", "azure/Standard_NC4as_T4_v3", "gcp/n1-standard-4+nvidia-tesla-t4"]
)
def test_t4_instances_use_the_t4_v07_figures(catalog, key):
    perf = catalog.instance(key).performance
    assert perf["resnet50"].inferences_per_second.value == 6035.57
    assert "inference_results_v0.7" in perf["resnet50"].inferences_per_second.source
    assert "retinanet" not in perf  # v0.7 had no RetinaNet


@pytest.mark.parametrize("key", ["aws/g5.xlarge", "aws/c7i.xlarge", "azure/Standard_NV6ads_A10_v5"])
def test_instances_without_measurements_have_no_performance(catalog, key):
    assert catalog.instance(key).performance == {}


# ---------------------------------------------------------------- transfer
def test_gcp_egress_is_converted_from_gib(catalog):
    gcp = catalog.transfer("gcp")
    up_to_gb, first = gcp.egress_tiers[0]
    # 0.12 USD/GiB / 1.073741824 GB/GiB = 0.1117587... USD/GB
    assert first.value == pytest.approx(0.11175870895385742)
    assert first.unit == "USD/GB" and first.derived
    # 1 TiB = 1024 GiB = 1024 * 1.073741824 GB = 1099.511627776 GB
    assert up_to_gb == pytest.approx(1099.511627776)
    assert gcp.egress_tiers[-1][0] == math.inf
    assert gcp.egress_free_gb_per_month is None


def test_aws_egress_tiers(catalog):
    aws = catalog.transfer("aws")
    # 10 TB, +40 TB, +100 TB of 1,024 GB: 10,240 / 51,200 / 153,600 GB, then unbounded.
    assert [up for up, _ in aws.egress_tiers] == [10240, 51200, 153600, math.inf]
    assert [f.value for _, f in aws.egress_tiers] == [0.09, 0.085, 0.07, 0.05]
    assert aws.egress_free_gb_per_month.value == 100
    assert aws.ingress_usd_per_gb.value == 0


def test_azure_egress(catalog):
    azure = catalog.transfer("azure")
    assert [(up, f.value) for up, f in azure.egress_tiers] == [(math.inf, 0.087)]
    assert azure.egress_tiers[0][1].confidence == "medium"
    assert azure.egress_free_gb_per_month.value == 100


# ---------------------------------------------------------------- devices
def test_agx_orin_pairs_maxq_power_with_maxq_throughput(catalog):
    agx = catalog.device("jetson-agx-orin-64gb")
    assert agx.power_w.value == 22.59
    assert agx.performance["resnet50"].inferences_per_second.value == 3526.29
    assert "Orin_TRT_MaxQ" in agx.power_w.source
    # MaxP-only benchmarks are not attached to the MaxQ power figure.
    assert set(agx.performance) == {"resnet50"}
    maxp = catalog.device("jetson-agx-orin-64gb-maxp")
    assert maxp.performance["resnet50"].inferences_per_second.value == 6423.63
    assert "power/server.json" not in maxp.power_w.source


def _system(source: str) -> str | None:
    match = re.search(r"closed/[^/]+/results/([^/]+)/", source)
    return match.group(1) if match else None


def test_measured_power_and_performance_come_from_one_mlperf_system(catalog):
    """Wherever power is an MLPerf measurement, every figure of the device is from that system."""
    checked = 0
    for device in catalog.devices():
        power_system = _system(device.power_w.source) if device.power_w else None
        if power_system is None:
            continue
        for perf in device.performance.values():
            for fact in (perf.inferences_per_second, perf.latency_ms):
                if fact is not None:
                    assert _system(fact.source) == power_system, (device.key, fact.key)
                    checked += 1
    assert checked >= 5


def test_device_known_values(catalog):
    nx = catalog.device("jetson-orin-nx-16gb")
    assert (nx.power_w.value, nx.performance["resnet50"].inferences_per_second.value) == (
        14.21,
        1681.87,
    )
    xr = catalog.device("dell-xr5610-l4")
    assert (xr.power_w.value, xr.performance["resnet50"].inferences_per_second.value) == (
        334.59,
        12432.5,
    )
    assert catalog.device("jetson-orin-nano-super-8gb").price_usd.value == 249
    pi = catalog.device("raspberry-pi-5-8gb")
    assert pi.performance == {}
    assert pi.price_usd.value == 80


@pytest.mark.parametrize(
    "key",
    [
        "jetson-orin-nx-16gb",
        "jetson-orin-nx-16gb-maxp",
        "jetson-agx-orin-64gb",
        "jetson-agx-orin-64gb-maxp",
        "jetson-agx-orin-32gb",
        "dell-xr5610-l4",
        "t4-edge-server",
        "raspberry-pi-ai-hat-plus-26tops",
        "raspberry-pi-ai-hat-plus-13tops",
    ],
)
def test_devices_without_a_sourced_price_have_none(catalog, key):
    assert catalog.device(key).price_usd is None


def test_t4_server_carries_the_v07_caveat(catalog):
    t4 = catalog.device("t4-edge-server")
    assert t4.power_w is None
    assert "v0.7" in t4.note
    assert "early stopping" in t4.performance["resnet50"].latency_ms.note


def test_performance_benchmarks_are_known(catalog):
    for device in catalog.devices():
        assert set(device.performance) <= set(BENCHMARKS), device.key
        for bench, perf in device.performance.items():
            assert perf.benchmark == bench
            if perf.inferences_per_second is not None:
                assert perf.inferences_per_second.unit == "samples/s"
            if perf.latency_ms is not None:
                assert perf.latency_ms.unit == "ms"


# ---------------------------------------------------------------- operations and models
@pytest.mark.parametrize(
    ("key", "value", "unit"),
    [
        ("operations.electricity_usd_per_kwh", 0.1310, "USD/kWh"),
        ("operations.truck_roll_usd", 1000, "USD"),
        ("operations.fleet_software_usd_per_device_month", 2, "USD/device-month"),
        (
            "operations.fleet_software_usd_per_device_month_by_product.aws_iot_greengrass_us",
            0.16,
            "USD/device-month",
        ),
        ("operations.support_fraction_per_year", 0.12, "fraction/yr"),
        ("operations.engineer_loaded_usd_per_year", 189630, "USD/yr"),
        ("operations.annual_failure_rate", 0.01, "1/yr"),
        ("operations.electricity_eur_per_kwh_eu_non_household", 0.1902, "EUR/kWh"),
        ("models.runtime_overhead_fraction", 0.20, "fraction"),
        ("models.bytes_per_parameter.fp32", 4, "bytes/parameter"),
        ("models.bytes_per_parameter.fp16", 2, "bytes/parameter"),
        ("models.bytes_per_parameter.bf16", 2, "bytes/parameter"),
        ("models.bytes_per_parameter.fp8", 1, "bytes/parameter"),
        ("models.bytes_per_parameter.int8", 1, "bytes/parameter"),
        ("models.bytes_per_parameter.int4", 0.5, "bytes/parameter"),
    ],
)
def test_operations_defaults(catalog, key, value, unit):
    fact = catalog.fact(key)
    assert (fact.key, fact.value, fact.unit) == (key, value, unit)


def test_loaded_engineer_cost_is_derived_from_its_inputs(catalog):
    loaded = catalog.fact("operations.engineer_loaded_usd_per_year")
    wage = catalog.fact("operations.engineer_wage_usd_per_year").value
    share = catalog.fact("operations.wages_share_of_compensation").value
    # 132,930 / 0.701 = 189,629.1 -> published as 189,630
    assert loaded.value == pytest.approx(wage / share, abs=1)
    assert loaded.derived and loaded.confidence == "low"
    assert catalog.fact("operations.annual_failure_rate").confidence == "low"


# ---------------------------------------------------------------- probes
def test_probes(catalog):
    aws = catalog.probe("aws", "eu-central-1")
    assert aws.url == "https://dynamodb.eu-central-1.amazonaws.com/ping"
    gcp = catalog.probe("gcp", "us-central1")
    assert gcp.url == "https://us-central1-5tkroniexa-uc.a.run.app/api/ping"
    assert "warm" in gcp.method and "Google Front End" in gcp.method
    azure = catalog.probe("azure", "westeurope")
    assert azure.url == "https://s8westeurope.blob.core.windows.net/public/latency-test.json"
    assert "override" in azure.note


def test_every_probe_names_a_catalog_region(catalog):
    for provider in ("aws", "gcp", "azure"):
        probes = catalog.probes(provider)
        assert probes
        for p in probes:
            assert catalog.region(f"{provider}/{p.region}")
            assert p.source and p.as_of


def test_unannounced_regions_are_not_probed(catalog):
    with pytest.raises(CatalogError):
        catalog.probe("aws", "me-west-1")
    with pytest.raises(CatalogError):
        catalog.probe("gcp", "asia-southeast3")  # no URL in the source list
    coming = [r.code for r in catalog.regions("azure") if r.coming_soon]
    assert coming and not {p.region for p in catalog.probes("azure")} & set(coming)


# ---------------------------------------------------------------- unknown keys, facts, loading
@pytest.mark.parametrize(
    ("lookup", "key", "match"),
    [
        ("region", "aws/eu-central1", "aws/eu-central-1"),
        ("instance", "aws/g6.xlarg", "aws/g6.xlarge"),
        ("device", "jetson-agx-orin", "jetson-agx-orin-64gb"),
        ("fact", "operations.truck_roll", "operations.truck_roll_usd"),
        ("transfer", "gpc", "gcp"),
    ],
)
def test_unknown_keys_name_close_matches(catalog, lookup, key, match):
    with pytest.raises(CatalogError) as info:
        getattr(catalog, lookup)(key)
    assert repr(key) in str(info.value)
    assert match in str(info.value)
    assert re.search(r"\(\d+ \w+ in the catalog\)", str(info.value))


def test_unknown_provider(catalog):
    with pytest.raises(CatalogError, match="provider"):
        catalog.regions("aliyun")


def test_every_fact_is_reachable_by_its_key(catalog):
    facts = catalog.facts()
    assert len({f.key for f in facts}) == len(facts) > 400
    for f in facts:
        assert catalog.fact(f.key) is f
    assert catalog.fact("devices.jetson-agx-orin-64gb.power_w").value == 22.59
    assert catalog.fact("instances.aws/g6.xlarge.usd_per_hour").value == 0.8048
    assert catalog.fact("regions.aws/eu-central-1.lon").value == pytest.approx(8.6821)


def test_catalog_date(catalog):
    assert catalog.as_of == "2026-11-26"


def test_packaged_catalog_is_cached():
    assert load_catalog() is load_catalog()


def test_load_from_a_directory(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "instances.yaml"
    tree = yaml.safe_load(path.read_text())
    tree["instances"]["aws"]["instances"][2]["usd_per_hour"]["value"] = 0.9
    path.write_text(yaml.safe_dump(tree, sort_keys=False))
    edited = load_catalog(data)
    assert edited.instance("aws/g6.xlarge").usd_per_hour.value == 0.9
    assert load_catalog().instance("aws/g6.xlarge").usd_per_hour.value == 0.8048


def test_a_fact_without_a_source_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "operations.yaml"
    tree = yaml.safe_load(path.read_text())
    del tree["operations"]["truck_roll_usd"]["source"]
    path.write_text(yaml.safe_dump(tree, sort_keys=False))
    with pytest.raises(ValueError, match=r"operations\.truck_roll_usd lacks source"):
        load_catalog(data)
