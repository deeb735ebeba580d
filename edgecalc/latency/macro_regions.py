"""Which part of the world a country lies in, for the RTT estimate's continent-pair factor.

The UN M49 standard gives every country a geographic region (Africa, Americas, Asia, Europe,
Oceania) and a sub-region (Northern America, Eastern Asia, ...), read from
``edgecalc/catalog/data/country_regions.yaml``. The RTT estimate groups countries by M49
sub-region, except for the regions listed under ``macro_regions.merged_regions`` in
``rtt_calibration.yaml`` (Europe), whose sub-regions are taken as one: Europe's backbone is one
dense mesh, and its four sub-regions split the published intra-European pairs into cells too
small to fit (held out, the split read 9.1 % median error against 8.8 % merged).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from edgecalc.latency.geo import load_rtt_calibration

COUNTRY_REGIONS_PATH = (
    Path(__file__).resolve().parent.parent / "catalog" / "data" / "country_regions.yaml"
)
"""UN M49 region and sub-region of every ISO 3166-1 alpha-2 code."""

COUNTRIES_PATH = COUNTRY_REGIONS_PATH.parent / "countries.yaml"
"""The catalog's countries file, read here for its code aliases only (``UK`` for ``GB``)."""


@lru_cache(maxsize=1)
def country_regions() -> dict[str, tuple[str, str]]:
    """``{ISO code: (M49 region, M49 sub-region)}`` for the 248 listed countries and areas."""
    with COUNTRY_REGIONS_PATH.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        str(code): (entry["region"], name)
        for name, entry in data["sub_regions"].items()
        for code in entry["countries"]
    }


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    with COUNTRIES_PATH.open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle).get("aliases", {}))


UNPLACED_CODES = ("AQ",)
"""ISO 3166-1 alpha-2 codes that M49 places in no sub-region (Antarctica): valid countries of a
site, with no continent-pair factor."""


def known_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (``UK`` and ``EL`` accepted as aliases).

    Examples
    --------
    >>> known_country("DE"), known_country("UK"), known_country("AQ"), known_country("XX")
    (True, True, True, False)
    """
    code = code.strip().upper()
    return _aliases().get(code, code) in country_regions() or code in UNPLACED_CODES


def macro_region(country: str | None) -> str | None:
    """The latency macro-region of a country: its M49 sub-region, or its region where merged.

    Parameters
    ----------
    country : str or None
        ISO 3166-1 alpha-2 code (``UK`` and ``EL`` accepted for ``GB`` and ``GR``).

    Returns
    -------
    str or None
        ``'Northern America'``, ``'Eastern Asia'``, ``'Europe'`` ...; None for None or a code
        M49 does not place (then no continent-pair factor applies).

    Examples
    --------
    >>> macro_region("US"), macro_region("DE"), macro_region("SG")
    ('Northern America', 'Europe', 'South-eastern Asia')
    """
    if country is None:
        return None
    code = country.strip().upper()
    entry = country_regions().get(_aliases().get(code, code))
    if entry is None:
        return None
    region, sub_region = entry
    merged = load_rtt_calibration()["macro_regions"]["merged_regions"]
    return region if region in merged else sub_region


def macro_region_pair(a: str, b: str) -> tuple[str, str]:
    """The unordered pair of two macro-regions, as the fit keys it (sorted)."""
    return (a, b) if a <= b else (b, a)
