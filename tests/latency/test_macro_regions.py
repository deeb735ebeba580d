"""UN M49 macro-regions of countries, for the RTT estimate's continent-pair factor."""

import yaml

from edgecalc.latency.macro_regions import COUNTRIES_PATH, country_regions, macro_region


def test_every_catalog_country_and_every_region_country_is_placed():
    with COUNTRIES_PATH.open(encoding="utf-8") as handle:
        catalog_countries = yaml.safe_load(handle)["countries"]
    assert all(macro_region(code) is not None for code in catalog_countries)
    # 249 ISO 3166-1 codes less Antarctica; every code once (NO read as a string, not False)
    assert len(country_regions()) == 248
    assert all(isinstance(code, str) and len(code) == 2 for code in country_regions())


def test_sub_regions_except_europe_which_is_one():
    assert macro_region("US") == "Northern America"
    assert macro_region("BR") == macro_region("MX") == "Latin America and the Caribbean"
    assert macro_region("JP") == "Eastern Asia" and macro_region("SG") == "South-eastern Asia"
    assert macro_region("IN") == "Southern Asia" and macro_region("AE") == "Western Asia"
    assert macro_region("DE") == macro_region("NO") == macro_region("PL") == "Europe"
    assert macro_region("uk") == macro_region("GB") == "Europe"  # catalog alias, any case
    assert macro_region("CY") == "Western Asia"  # as M49 places it


def test_unknown_codes_have_no_macro_region():
    assert macro_region(None) is None
    assert macro_region("AQ") is None
    assert macro_region("ZZ") is None
