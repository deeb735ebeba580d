"""Data transfer prices: tiered egress with a free allowance."""

from __future__ import annotations

import numpy as np


def tiered_cost_usd(quantity_gb, tiers, free_gb=0.0):
    """Cost of a monthly transfer volume under tiered prices.

    Parameters
    ----------
    quantity_gb : array
        Volume in one month [GB].
    tiers : sequence of (up_to_gb, usd_per_gb)
        Cumulative upper bound of each tier and its price; the last bound may be ``inf``
        [GB], [USD/GB].
    free_gb : float or array
        Free allowance per month, taken before the first tier [GB].

    Returns
    -------
    array
        ``sum_i price_i × clip(q - free - lower_i, 0, upper_i - lower_i)`` [USD].

    Examples
    --------
    12,000 GB with 100 GB free at 0.09 up to 10,240 GB then 0.085:
    10,240 × 0.09 + 1,660 × 0.085 = 921.60 + 141.10 = 1,062.70 USD.

    >>> round(float(tiered_cost_usd(12000, [(10240, 0.09), (51200, 0.085)], 100)), 2)
    1062.7
    """
    billable = np.clip(np.asarray(quantity_gb, dtype=float) - free_gb, 0.0, None)
    total = np.zeros_like(billable)
    lower = 0.0
    for upper, price in tiers:
        total = total + price * np.clip(billable - lower, 0.0, upper - lower)
        lower = upper
    return total
