"""Targets from the catalog's probe endpoints (needs edgecalc.catalog; no network)."""

import pytest

from edgecalc.catalog import load_catalog
from edgecalc.measure.api import catalog_targets


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_a_region_becomes_a_get_target_with_provenance_and_coordinates(catalog):
    (target,) = catalog_targets("aws", ["eu-central-1"], catalog=catalog)
    endpoint = catalog.probe("aws", "eu-central-1")
    region = catalog.region("aws/eu-central-1")
    assert target.url == endpoint.url and target.label == "aws/eu-central-1"
    assert target.method == "GET"  # the verb, not the catalog's description of the method
    assert (target.source, target.as_of) == (endpoint.source, endpoint.as_of)
    assert (target.lat, target.lon) == (region.lat.value, region.lon.value)
    assert target.payload is False  # provider pings take no POST payload


def test_all_regions_of_a_provider(catalog):
    targets = catalog_targets("gcp", all_regions=True, catalog=catalog)
    assert len(targets) == len(catalog.probes("gcp"))
    assert all(t.provider == "gcp" and t.url.startswith("https://") for t in targets)


def test_unknown_region_is_a_lookup_error(catalog):
    with pytest.raises(LookupError):
        catalog_targets("aws", ["mars-north-1"], catalog=catalog)
