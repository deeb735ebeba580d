"""The three hard constraints: latency, residency, bandwidth; plus the model's fit."""

from __future__ import annotations

RESIDENCY_ORDER = ("on_site", "in_country", "in_region", "anywhere")


def residency_allows(
    rule: str,
    site_country: str | None,
    site_zone: str | None,
    region_country: str | None,
    region_zone: str | None,
) -> bool | None:
    """Whether data under ``rule`` may be processed in a cloud region.

    Returns
    -------
    bool or None
        ``on_site``: never; ``in_country``: the region's country is the site's;
        ``in_region``: the region's residency zone (e.g. EEA) is the site's; ``anywhere``:
        always. None when the answer needs a location that is unknown.

    Examples
    --------
    >>> residency_allows("in_region", "DE", "EEA", "IE", "EEA")
    True
    >>> residency_allows("in_country", "DE", "EEA", "IE", "EEA")
    False
    """
    if rule == "anywhere":
        return True
    if rule == "on_site":
        return False
    if rule == "in_country":
        if site_country is None or region_country is None:
            return None
        return site_country == region_country
    if site_zone is None or region_zone is None:
        if site_country is not None and site_country == region_country:
            return True
        return None
    return site_zone == region_zone
