"""Operations labour: engineers per fleet, site visits, and edge vs cloud operating cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..catalog.claims import EDGE_OPS_COST_CLAIM_KEY, RULE_OF_THUMB
from ..format import usd

__all__ = [
    "DEFAULT_LOADED_USD_PER_YEAR",
    "SEED_CLAIM_RATIO_RANGE",
    "OpsCostComparison",
    "compare_operating_cost",
    "engineer_fte",
    "engineer_usd_per_month",
    "site_visit_usd_per_month",
]

FloatArray = NDArray[np.float64]


DEFAULT_LOADED_USD_PER_YEAR = 189_630.0
"""Benefits-loaded cost of one engineer [USD/year].

BLS OEWS May 2022 mean software-developer wage 132,930 / ECEC Dec 2019 wages share 0.701
(derived, mixed years, low confidence); catalog
``staffing.derived_loaded_cost_software_developer_usd``.
"""

SEED_CLAIM_RATIO_RANGE = (2.0, 3.0)
"""The rule of thumb "edge often costs 2-3x more to operate" [ratio]: no published source
found (catalog ``claims.edge_ops_cost_2_to_3x_cloud``); shown only for comparison."""


def engineer_fte(devices: ArrayLike, devices_per_engineer: ArrayLike) -> FloatArray:
    """Operations engineers a fleet needs.

    Parameters
    ----------
    devices : float or array
        Fleet size [devices].
    devices_per_engineer : float or array
        Devices one engineer can look after [devices/FTE], > 0. No published figure exists
        (catalog gaps), so this is always the user's assumption.

    Returns
    -------
    ndarray
        ``devices / devices_per_engineer`` [FTE], fractional (no rounding up to whole people).

    Notes
    -----
    Zero devices need 0 FTE.

    Examples
    --------
    >>> float(engineer_fte(500, 250))
    2.0
    """
    per_engineer = np.asarray(devices_per_engineer, dtype=float)
    if np.any(per_engineer <= 0):
        raise ValueError("devices_per_engineer must be > 0")
    return np.asarray(devices, dtype=float) / per_engineer


def engineer_usd_per_month(
    fte: ArrayLike, loaded_usd_per_year: ArrayLike = DEFAULT_LOADED_USD_PER_YEAR
) -> FloatArray:
    """Monthly cost of engineering time.

    Parameters
    ----------
    fte : float or array
        Engineers, fractional [FTE]; for cloud operations a fraction of one engineer.
    loaded_usd_per_year : float or array, default 189,630
        Benefits-loaded cost of one engineer [USD/year].

    Returns
    -------
    ndarray
        ``fte x loaded_usd_per_year / 12`` [USD/month].

    Examples
    --------
    >>> float(engineer_usd_per_month(2.0, 120_000))
    20000.0
    """
    return np.asarray(fte, dtype=float) * np.asarray(loaded_usd_per_year, dtype=float) / 12.0


def site_visit_usd_per_month(visits_per_year: ArrayLike, usd_per_visit: ArrayLike) -> FloatArray:
    """Monthly cost of site visits (truck rolls).

    Parameters
    ----------
    visits_per_year : float or array
        Expected visits, e.g. failures plus stranded or bricked devices [visits/year].
    usd_per_visit : float or array
        Cost of one visit [USD/visit]; catalog truck-roll figures are $150-$500 direct,
        about $1,000 fully loaded (vendor-relayed TSIA).

    Returns
    -------
    ndarray
        ``visits_per_year / 12 x usd_per_visit`` [USD/month].

    Examples
    --------
    >>> float(site_visit_usd_per_month(24, 500))
    1000.0
    """
    return np.asarray(visits_per_year, dtype=float) / 12.0 * np.asarray(usd_per_visit)


@dataclass(frozen=True)
class OpsCostComparison:
    """Edge against cloud operating cost, with a sentence that sets the rule of thumb beside it.

    Attributes
    ----------
    edge_usd_per_month, cloud_usd_per_month : float
        Operating cost of each option [USD/month].
    ratio : float
        ``edge / cloud`` [ratio]; ``inf`` when only the cloud costs nothing, ``nan`` when
        neither costs anything.
    sentence : str
        The comparison in words, with its parts, beside the 2-3x rule of thumb.
    """

    edge_usd_per_month: float
    cloud_usd_per_month: float
    ratio: float
    sentence: str


def compare_operating_cost(
    edge_usd_per_month: float,
    cloud_usd_per_month: float,
    edge_parts: Mapping[str, float] | None = None,
    cloud_parts: Mapping[str, float] | None = None,
    *,
    option: str = "edge",
    cloud_total_usd_per_month: float | None = None,
) -> OpsCostComparison:
    """Ratio of an edge fleet's operating cost to the cloud's, beside the "2-3x" rule of thumb.

    Parameters
    ----------
    edge_usd_per_month : float
        The fleet's operating cost: labour, installation, site visits, failures, fleet
        software, updates, telemetry (the engine's operations categories; not hardware,
        power or inference) [USD/month].
    cloud_usd_per_month : float
        The cloud's operating cost, counted the same way (its labour) [USD/month].
    edge_parts, cloud_parts : mapping of str to float, optional
        What each cost is made of (category -> USD/month); the sentence names the parts that
        are not zero, largest first.
    option : str, default "edge"
        Whose fleet it is (``edge`` or ``hybrid``, or another fleet option's name), as the
        sentence names it.
    cloud_total_usd_per_month : float, optional
        Everything the cloud costs a month (compute and transfer too) [USD/month]; named in
        the sentence when the cloud counts no operating cost, so that "the cloud costs $0"
        is never read as the cloud's bill.

    Returns
    -------
    OpsCostComparison

    Notes
    -----
    ``ratio = edge / cloud``. The rule of thumb says edge "often costs 2-3x more to operate";
    no published source for it was found, and the one quantified example retrieved (a
    vendor's 10,000-device scenario) shows edge operations cheaper than the cloud. Both zero
    gives ``nan``; cloud zero gives ``inf``, and the sentence says the ratio is undefined
    rather than placing it against the range. A ratio within 5% of 1 reads "about the same".

    Examples
    --------
    >>> c = compare_operating_cost(30_000, 12_000)
    >>> c.ratio
    2.5
    >>> c.sentence[:95]
    "Operating the edge fleet costs 2.5x the cloud's operations ($30,000 vs $12,000 a month), \
within"
    """
    if edge_usd_per_month < 0 or cloud_usd_per_month < 0:
        raise ValueError("operating costs must be >= 0")
    if cloud_usd_per_month > 0:
        ratio = edge_usd_per_month / cloud_usd_per_month
    else:
        ratio = np.inf if edge_usd_per_month > 0 else np.nan
    low, high = SEED_CLAIM_RATIO_RANGE
    rule = f"{low:g}-{high:g}x"
    claim = f"{RULE_OF_THUMB} (catalog: {EDGE_OPS_COST_CLAIM_KEY})"
    fleet = f"the {option} fleet"
    edge_text = usd(edge_usd_per_month)
    cloud_bill = (
        f" (the cloud's whole bill, compute included, is {usd(cloud_total_usd_per_month)} a month)"
        if cloud_total_usd_per_month is not None
        else ""
    )
    if np.isnan(ratio):
        sentence = (
            f"Neither {fleet} nor the cloud counts an operating cost (labour, site visits, "
            f"fleet upkeep) in this scenario{cloud_bill}, so the {rule} of {claim} cannot be "
            "compared"
        )
    elif np.isinf(ratio):
        sentence = (
            f"Operating {fleet} costs {edge_text} a month; the cloud counts no operations "
            f"labour in this scenario{cloud_bill}, so there is no ratio to set against the "
            f"{rule} of {claim}"
        )
    else:
        figures = f"({edge_text} vs {usd(cloud_usd_per_month)} a month)"
        if abs(ratio - 1) < 0.05:
            how = "about the same as the cloud's operations"
        else:
            how = f"{_ratio_text(ratio)} the cloud's operations"
        where = "below" if ratio < low else "within" if ratio <= high else "above"
        sentence = f"Operating {fleet} costs {how} {figures}, {where} the {rule} of {claim}"
    parts = [
        f"{side}: {_parts_text(named)}"
        for side, named in ((option, edge_parts), ("cloud", cloud_parts))
        if named and _parts_text(named)
    ]
    if parts:
        sentence += f"; made of {'; '.join(parts)}"
    return OpsCostComparison(
        edge_usd_per_month=float(edge_usd_per_month),
        cloud_usd_per_month=float(cloud_usd_per_month),
        ratio=float(ratio),
        sentence=sentence[0].upper() + sentence[1:] + ".",
    )


def _parts_text(parts: Mapping[str, float]) -> str:
    """``labour $5,000, software $40`` from category -> USD/month, largest first."""
    named = sorted(((v, k) for k, v in parts.items() if v > 0.5), reverse=True)
    return ", ".join(f"{k.replace('_', ' ')} {usd(v)}" for v, k in named)


def _ratio_text(ratio: float) -> str:
    """A ratio a person reads: ``2.5x``, ``23x``, ``120x`` (never ``1.2e+02x``).

    Examples
    --------
    >>> _ratio_text(2.5), _ratio_text(23.4), _ratio_text(117.7)
    ('2.5x', '23x', '118x')
    """
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2g}x"
