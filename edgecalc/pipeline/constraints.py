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


def model_memory_bytes(
    parameters, bytes_per_parameter, overhead_fraction, overhead_bytes=0.0, kv_cache_bytes=0.0
):
    """Memory a model needs to serve.

    Notes
    -----
    ``parameters × bytes_per_parameter × (1 + overhead_fraction) + overhead_bytes +
    kv_cache_bytes`` [bytes].

    Examples
    --------
    YOLOv8s (11.2 M parameters) at int8 with 20% overhead: 11.2e6 × 1 × 1.2 = 13.44 MB.

    >>> model_memory_bytes(11.2e6, 1, 0.2)
    13440000.0
    """
    return (
        parameters * bytes_per_parameter * (1 + overhead_fraction)
        + overhead_bytes
        + (kv_cache_bytes)
    )
