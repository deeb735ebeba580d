"""Network latency: the physics-based round-trip estimate and its tail."""

from edgecalc.latency.estimate import RttEstimate, estimate_rtt
from edgecalc.latency.geo import fibre_floor_rtt_ms, great_circle_km
from edgecalc.latency.tail import rtt_at_percentile

__all__ = [
    "RttEstimate",
    "estimate_rtt",
    "fibre_floor_rtt_ms",
    "great_circle_km",
    "rtt_at_percentile",
]
