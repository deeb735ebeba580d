"""What a site's WAN link costs for the traffic an option sends over it, and whether it can.

Pure, vectorised functions of floats or arrays (a leading sample axis broadcasts). A link has
a flat monthly fee, a VPN or private-link charge, and per direction (upload, download) a
price per GB within an allowance and what happens beyond it:

- ``overage``: each GB beyond the allowance costs ``overage_usd_per_gb``;
- ``throttle``: the link slows to ``throttle_mbps`` for the rest of the month; no charge, but a
  path whose peak rate exceeds the throttled rate is infeasible;
- ``cap``: the link stops; a path that needs more than the allowance is infeasible.

A second link (failover) carries the traffic while the first is down: the WAN is up when
either is (outages independent), and the traffic of those minutes is priced on the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BeyondAllowance = Literal["overage", "throttle", "cap"]

__all__ = [
    "LinkDirectionBill",
    "failover_availability",
    "failover_share",
    "link_direction_bill",
]


@dataclass(frozen=True)
class LinkDirectionBill:
    """One direction of one site's link in one month."""

    usd_per_month: FloatArray
    """Charge for the month's traffic in this direction [USD/month]."""
    gb_beyond_allowance: FloatArray
    """GB beyond the allowance (0 when unlimited) [GB/month]."""
    over_cap: NDArray[np.bool_]
    """The traffic exceeds a hard cap: the path cannot carry it."""
    throttled: NDArray[np.bool_]
    """The traffic runs past the allowance on a throttled link."""


def link_direction_bill(
    gb_per_month: ArrayLike,
    usd_per_gb: ArrayLike = 0.0,
    included_gb_per_month: ArrayLike | None = None,
    beyond_allowance: BeyondAllowance = "overage",
    overage_usd_per_gb: ArrayLike | None = None,
) -> LinkDirectionBill:
    r"""Bill for one direction of a site's link.

    Parameters
    ----------
    gb_per_month : float or array
        Traffic in this direction per site and month, >= 0 [GB/month].
    usd_per_gb : float or array, optional
        Price of each GB within the allowance [USD/GB]. Default 0.
    included_gb_per_month : float or array, optional
        Allowance per site and month; None = unlimited [GB/month].
    beyond_allowance : {"overage", "throttle", "cap"}, optional
        What happens beyond the allowance. Default "overage".
    overage_usd_per_gb : float or array, optional
        Price per GB beyond the allowance; default ``usd_per_gb`` [USD/GB].

    Returns
    -------
    LinkDirectionBill

    Raises
    ------
    ValueError
        If a volume, price or allowance is negative or not finite.

    Notes
    -----
    With :math:`q` the traffic, :math:`A` the allowance, :math:`p` the price and :math:`p_o`
    the overage price,

    .. math::

        \text{usd} = p \min(q, A) + \begin{cases} p_o \max(q - A, 0) & \text{overage} \\
        0 & \text{throttle, cap} \end{cases}

    Under a cap the traffic beyond :math:`A` is not carried (``over_cap``); under a throttle it
    is carried slowly and not billed (``throttled``). An unlimited plan is :math:`A = \infty`.

    Examples
    --------
    3,900 GB on a plan with 1,000 GB included at $0.10/GB and $0.26/GB beyond:
    1,000 x 0.10 + 2,900 x 0.26 = 100 + 754 = $854.

    >>> bill = link_direction_bill(3900, 0.10, 1000, "overage", 0.26)
    >>> round(float(bill.usd_per_month), 2), float(bill.gb_beyond_allowance)
    (854.0, 2900.0)
    """
    quantity = _non_negative(gb_per_month, "gb_per_month")
    price = _non_negative(usd_per_gb, "usd_per_gb")
    allowance = (
        np.full_like(quantity, np.inf)
        if included_gb_per_month is None
        else _non_negative(included_gb_per_month, "included_gb_per_month", allow_inf=True)
    )
    overage_price = (
        price
        if overage_usd_per_gb is None
        else _non_negative(overage_usd_per_gb, "overage_usd_per_gb")
    )
    within_gb = np.minimum(quantity, allowance)
    beyond_gb = np.maximum(quantity - allowance, 0.0)
    within_usd = price * within_gb
    if beyond_allowance not in ("overage", "throttle", "cap"):
        raise ValueError(f"beyond_allowance must be overage, throttle or cap: {beyond_allowance!r}")
    billed_beyond_usd = overage_price * beyond_gb if beyond_allowance == "overage" else 0.0
    usd = within_usd + billed_beyond_usd
    exceeded = beyond_gb > 0
    return LinkDirectionBill(
        usd_per_month=np.asarray(usd, dtype=float),
        gb_beyond_allowance=np.asarray(beyond_gb, dtype=float),
        over_cap=np.asarray(exceeded & (beyond_allowance == "cap")),
        throttled=np.asarray(exceeded & (beyond_allowance == "throttle")),
    )


def failover_availability(primary: ArrayLike, secondary: ArrayLike) -> FloatArray:
    """Share of time the WAN is up with a second link behind the first.

    Parameters
    ----------
    primary, secondary : float or array
        Share of time each link is up, in [0, 1] [fraction].

    Returns
    -------
    ndarray
        ``1 - (1 - primary) x (1 - secondary)`` [fraction]: outages assumed independent (a
        second link on another medium; two lines in one duct fail together, and this reads
        high for them).

    Examples
    --------
    Fibre at 99.9 % behind LTE at 99.5 %: 1 - 0.001 x 0.005 = 0.999995.

    >>> round(float(failover_availability(0.999, 0.995)), 6)
    0.999995
    """
    first = _share(primary, "primary")
    second = _share(secondary, "secondary")
    return 1.0 - (1.0 - first) * (1.0 - second)


def failover_share(primary: ArrayLike, secondary: ArrayLike) -> FloatArray:
    """Share of time the traffic runs over the second link: the first down, the second up.

    Same parameters as :func:`failover_availability`; returns ``(1 - primary) x secondary``
    [fraction].

    Examples
    --------
    >>> round(float(failover_share(0.999, 0.995)), 6)
    0.000995
    """
    return (1.0 - _share(primary, "primary")) * _share(secondary, "secondary")


def _non_negative(value: ArrayLike, name: str, allow_inf: bool = False) -> FloatArray:
    array = np.asarray(value, dtype=float)
    finite = np.isfinite(array)
    if allow_inf:
        finite |= np.isposinf(array)
    if not finite.all() or (array < 0).any():
        raise ValueError(f"{name} must be a finite number >= 0")
    return array


def _share(value: ArrayLike, name: str) -> FloatArray:
    array = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(array)) or np.any((array < 0) | (array > 1)):
        raise ValueError(f"{name} must be in [0, 1]")
    return array
