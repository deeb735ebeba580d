"""The last mile: latency, jitter and availability of a site's access technology.

Figures per technology (fibre, cable, DSL, LTE, 5G, LEO and GEO satellite, MPLS) live in
``edgecalc/catalog/data/access_networks.yaml``, each with its source or marked as an
assumption. The latency is a round trip from the site to a server near it, over time: a median
and a 90th percentile, between which the tail is lognormal (:func:`access_latency_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml

from edgecalc.latency.tail import rtt_at_percentile

ACCESS_NETWORKS_PATH = (
    Path(__file__).resolve().parent.parent / "catalog" / "data" / "access_networks.yaml"
)
"""The data file of access technologies."""

ArrayLike = float | npt.ArrayLike


@dataclass(frozen=True)
class AccessFigure:
    """One figure of one technology, with where it comes from."""

    value: float
    """The figure, in the unit its name says."""
    source: str
    """Where it comes from (a page, a derivation, or the rule of thumb)."""
    as_of: str
    """When the source said so."""
    assumption: bool
    """No published source: a rule of thumb."""


@dataclass(frozen=True)
class AccessTechnology:
    """A site's access technology as the catalog has it."""

    key: str
    """Catalog key, e.g. ``lte``."""
    name: str
    """Name shown to users."""
    latency_p50_ms: AccessFigure
    """Median last-mile round trip [ms]."""
    latency_p90_ms: AccessFigure
    """90th percentile of the last-mile round trip over time [ms]."""
    availability: AccessFigure
    """Share of time the link is up [fraction]."""


@lru_cache(maxsize=1)
def access_technologies() -> dict[str, AccessTechnology]:
    """Every technology in ``access_networks.yaml`` (read once per process).

    Returns
    -------
    dict
        Technology key -> :class:`AccessTechnology`.
    """
    raw = yaml.safe_load(ACCESS_NETWORKS_PATH.read_text(encoding="utf-8"))
    technologies = {}
    for key, entry in raw["technologies"].items():
        figures = {
            name: AccessFigure(
                value=float(entry[name]["value"]),
                source=str(entry[name]["source"]),
                as_of=str(entry[name]["as_of"]),
                assumption=bool(entry[name].get("assumption", False)),
            )
            for name in ("latency_p50_ms", "latency_p90_ms", "availability")
        }
        technologies[key] = AccessTechnology(key=key, name=str(entry["name"]), **figures)
    return technologies


def access_technology(key: str) -> AccessTechnology:
    """One technology by key.

    Raises
    ------
    KeyError
        With the known keys, if ``key`` is not one of them.
    """
    technologies = access_technologies()
    if key not in technologies:
        raise KeyError(f"unknown access technology {key!r}; known: {', '.join(technologies)}")
    return technologies[key]


def access_latency_at(
    p50_ms: ArrayLike, p90_ms: ArrayLike, percentile: ArrayLike
) -> float | np.ndarray:
    r"""Last-mile round trip at a percentile over time.

    Parameters
    ----------
    p50_ms : float or array_like
        Median last-mile round trip, >= 0 [ms].
    p90_ms : float or array_like
        90th percentile, >= ``p50_ms`` [ms].
    percentile : float or array_like
        Percentile in (0, 100) [%].

    Returns
    -------
    float or numpy.ndarray
        :math:`t_{50} \exp(z_q \sigma)` with :math:`\sigma = \ln(t_{90} / t_{50}) / z_{0.9}`
        (a lognormal through the two); ``p50_ms`` when the two are equal, 0 for a median of 0
        [ms].

    Raises
    ------
    ValueError
        If a latency is negative or not finite, or the p90 is below the median.

    Examples
    --------
    LTE (median 32 ms, p90 64 ms) at p95: sigma = ln 2 / 1.2816 = 0.5409;
    32 x exp(1.6449 x 0.5409) = 32 x 2.435 = 77.9 ms.

    >>> round(float(access_latency_at(32.0, 64.0, 95)), 1)
    77.9
    """
    p50 = np.asarray(p50_ms, dtype=float)
    p90 = np.asarray(p90_ms, dtype=float)
    if not (np.all(np.isfinite(p50)) and np.all(np.isfinite(p90))) or np.any(p50 < 0):
        raise ValueError("access latencies must be finite and >= 0")
    if np.any(p90 < p50):
        raise ValueError("the access latency's p90 must be >= its median")
    positive = p50 > 0
    at_ms = rtt_at_percentile(
        np.where(positive, p50, 1.0), np.where(positive, p90, 1.0), percentile
    )
    result = np.where(positive, at_ms, 0.0)
    return float(result) if result.ndim == 0 else result
