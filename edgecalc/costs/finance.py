"""Money over time: discounting, net present value, break-even."""

from __future__ import annotations

import numpy as np


def monthly_rate(discount_rate_per_year):
    """Monthly discount rate equivalent to an annual one.

    Notes
    -----
    ``(1 + r_year) ** (1/12) - 1``, so that twelve months compound to one year.

    Examples
    --------
    >>> round(float(monthly_rate(0.08)), 8)
    0.00643403
    """
    return np.power(1.0 + np.asarray(discount_rate_per_year, dtype=float), 1.0 / 12.0) - 1.0


def discount_factors(discount_rate_per_year, n_months: int):
    """Present value of 1 USD paid at the start of month ``m``: ``1 / (1 + r_m) ** m``.

    Returns shape ``(..., n_months)``; a zero rate gives ones (NPV = the plain sum).
    """
    rate = np.asarray(monthly_rate(discount_rate_per_year))[..., None]
    return 1.0 / np.power(1.0 + rate, np.arange(n_months))


def npv(monthly_usd, discount_rate_per_year):
    """Net present value of monthly cash flows paid at the start of each month.

    Parameters
    ----------
    monthly_usd : array (..., M)
        Costs per month [USD].
    discount_rate_per_year : float or array (...)
        Annual discount rate [fraction/year].

    Returns
    -------
    array (...)
        ``sum_m usd[m] / (1 + r_m) ** m`` [USD].

    Examples
    --------
    100 USD now and 100 USD in a month at 12.68%/year (1%/month): 100 + 100/1.01 = 199.0099.

    >>> round(float(npv(np.array([100.0, 100.0]), 1.01 ** 12 - 1)), 4)
    199.0099
    """
    monthly_usd = np.asarray(monthly_usd, dtype=float)
    rate = np.asarray(discount_rate_per_year, dtype=float)
    one_rate = rate.ndim == 1 and rate.size > 1 and monthly_usd.shape[:-1] == rate.shape
    if one_rate and np.all(rate == rate[0]):
        rate = rate[:1]  # one rate for every sample: one row of factors, not (S, M) powers
    return np.sum(monthly_usd * discount_factors(rate, monthly_usd.shape[-1]), axis=-1)


def dearer_threshold(cumulative_b):
    """The cumulative cost above which another option counts as dearer than B:
    ``b + 1e-9 x max(|b|, 1)`` (a relative tolerance, 1e-9 USD near zero) [USD], shape of
    ``cumulative_b``. Computed once per option, it serves every pair B is the second of
    (:func:`break_even_month`'s ``threshold_b``).

    Notes
    -----
    Computed in one temporary, operation for operation as the formula reads: ``|b|``; then
    ``max(|b|, 1)`` as ``|b|`` with every value below 1 set to 1, which is what
    ``numpy.maximum(|b|, 1.0)`` gives for every ``|b|`` (NaN stays NaN: it is not below 1)
    at about a quarter of its cost; then the product with 1e-9 (a product is the same in
    either order) and the sum with ``b``, in that order. The same numbers, bit for bit.

    Examples
    --------
    >>> dearer_threshold(np.array([0.0, -0.0, 0.5, 2.0, -2e9, np.inf])).tolist()
    [1e-09, 1e-09, 0.500000001, 2.000000002, -1999999998.0, inf]
    """
    b = np.asarray(cumulative_b, dtype=float)
    if b.ndim == 0:
        return b + 1e-9 * np.maximum(np.abs(b), 1.0)
    tolerance = np.abs(b)
    np.copyto(tolerance, 1.0, where=tolerance < 1.0)
    tolerance *= 1e-9
    return np.add(b, tolerance, out=tolerance)


def break_even_month(cumulative_a, cumulative_b, threshold_b=None, axis=-1):
    """First month from which option A has cost no more than B, cumulatively, to the horizon.

    Parameters
    ----------
    cumulative_a, cumulative_b : array (..., M)
        Cumulative costs [USD].
    threshold_b : array (..., M), optional
        :func:`dearer_threshold` of ``cumulative_b``, when already computed [USD].
    axis : int, default -1
        The months axis (0 for arrays laid out month by month, (M, samples)).

    Returns
    -------
    array (...) of float
        The month index, or NaN when A is still dearer at the horizon. 0 means A is never
        dearer.

    Notes
    -----
    The last month at which A is dearer, plus one; "from which" means A stays no dearer for
    the rest of the horizon, so a crossing that reverses (a refresh purchase) moves it later.

    It is the largest of the numbers (1, 2, ...) of the months at which A is dearer, 0 when
    there is none: up to 255 months the numbers are multiplied into the comparisons' own
    bytes (no other array of that size), and the NaN of "still dearer at the horizon" is set
    where the number is the horizon's. Integers, exact: the numbers do not depend on how
    they are computed.
    """
    a = np.asarray(cumulative_a, dtype=float)
    threshold = dearer_threshold(cumulative_b) if threshold_b is None else threshold_b
    dearer = np.greater(a, threshold)
    n = dearer.shape[axis]
    # the number (1..n) of the last month at which A is dearer, 0 when it never is: the
    # largest of the numbers of the months at which it is (a small integer per sample-month)
    numbers = np.arange(1, n + 1, dtype=np.min_scalar_type(n))
    numbers = numbers.reshape([n if i == axis % dearer.ndim else 1 for i in range(dearer.ndim)])
    if numbers.dtype == np.uint8:  # up to 255 months: the products in the comparisons' bytes
        numbered = np.multiply(dearer.view(np.uint8), numbers, out=dearer.view(np.uint8))
    else:
        numbered = np.multiply(dearer, numbers, dtype=numbers.dtype)
    last_number = np.max(numbered, axis=axis)
    if last_number.ndim == 0:
        return np.where(last_number == n, np.nan, last_number.astype(float))
    months = last_number.astype(float)
    months[last_number == n] = np.nan
    return months


def break_even_months(cumulative_a, cumulative_b):
    """When the cumulative cost of A comes down to B's for good, interpolated within a month.

    Parameters
    ----------
    cumulative_a, cumulative_b : array (..., M)
        Cumulative costs at the end of each month [USD].

    Returns
    -------
    array (...) of float
        Months elapsed since the start [month]; NaN when A is still dearer at the horizon, 0
        when A is never dearer.

    Notes
    -----
    Convention: month ``k`` (0-based) ends ``k + 1`` months after the start, and the
    cumulative difference ``D = a - b`` is linear within a month. With ``j`` the last month at
    whose end A is dearer (``D_j > 0 >= D_{j+1}``, as in :func:`break_even_month`), the curves
    cross at

    .. math:: t = (j + 1) + D_j / (D_j - D_{j+1})

    so ``break_even_month`` (``j + 1``) is the whole-month index of the month in which they
    cross and ``t`` lies in ``(j + 1, j + 2]``.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.cumsum([1000.0, 100, 100, 100])   # 1000, 1100, 1200, 1300
    >>> b = np.cumsum([400.0, 400, 400, 400])    #  400,  800, 1200, 1600
    >>> float(break_even_months(a, b)), float(break_even_month(a, b))
    (3.0, 2.0)
    >>> b2 = np.cumsum([400.0, 400, 300, 500])   #  400,  800, 1100, 1600
    >>> round(float(break_even_months(a, b2)), 4)  # D = 100 at month 2's end, -300 at month 3's
    3.25
    """
    a = np.asarray(cumulative_a, dtype=float)
    b = np.asarray(cumulative_b, dtype=float)
    d = a - b
    n = a.shape[-1]
    index = break_even_month(a, b)
    j = np.where(np.isnan(index), 0, index - 1).astype(int)
    at_j = np.take_along_axis(d, np.clip(j, 0, n - 1)[..., None], axis=-1)[..., 0]
    after = np.take_along_axis(d, np.clip(j + 1, 0, n - 1)[..., None], axis=-1)[..., 0]
    gap = at_j - after
    fraction = np.divide(at_j, gap, out=np.ones_like(gap), where=gap > 0)
    crossing = (j + 1) + np.clip(fraction, 0.0, 1.0)
    return np.where(np.isnan(index), np.nan, np.where(index == 0, 0.0, crossing))
