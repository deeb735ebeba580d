"""How long a site waits for a replacement device, with or without a depot of spares."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def repair_lead_days(
    technician_days: ArrayLike, depot_spare_fraction: ArrayLike, depot_lead_days: ArrayLike
) -> NDArray[np.float64]:
    """Days from a failure being noticed until a replacement can be installed.

    Parameters
    ----------
    technician_days : float or array
        Days until a technician reaches the site (``operations.repair_lead_days``) [days].
    depot_spare_fraction : float or array
        Cold spares in a depot as a share of the fleet; 0 means the technician brings a new
        device [fraction].
    depot_lead_days : float or array
        Days to ship a spare from the depot to the site [days].

    Returns
    -------
    ndarray
        ``max(technician, depot lead)`` with a depot, ``technician`` without [days]: the
        technician cannot install a spare that has not arrived; both are dispatched at once.

    Examples
    --------
    >>> float(repair_lead_days(2, 0.05, 3)), float(repair_lead_days(2, 0.0, 3))
    (3.0, 2.0)
    """
    technician = np.asarray(technician_days, dtype=float)
    depot = np.where(np.asarray(depot_spare_fraction, dtype=float) > 0, depot_lead_days, 0.0)
    return np.maximum(technician, depot)
