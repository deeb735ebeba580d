"""Summary statistics of latency samples (min, percentiles, max, mean, standard deviation).

Percentiles use numpy's default ``method="linear"``, which is Hyndman and Fan's type 7
(the definition of R's default ``quantile`` and of Excel's ``PERCENTILE.INC``). With so few
samples as a latency probe takes (20 by default), a p99 is an interpolation between the two
largest samples, not an observed 1-in-100 event: read it as "near the worst seen".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

PERCENTILE_METHOD = "linear"
"""numpy percentile method used everywhere in edgecalc.latency (Hyndman-Fan type 7)."""

PERCENTILE_METHOD_NOTE = "numpy 'linear' percentile (Hyndman-Fan type 7, as R's default quantile)"
"""One line that says how the percentiles were computed, for reports and measurement files."""

STAT_NAMES = ("n", "min_ms", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "std_ms")
"""Keys of :func:`summarize`, in display order."""


def percentile_ms(samples_ms: npt.ArrayLike, q: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """Percentile(s) of latency samples, ignoring NaN (a failed or absent sample).

    Parameters
    ----------
    samples_ms : array_like
        Latency samples [ms]; the samples lie along ``axis``. NaN marks a missing sample.
    q : array_like
        Percentile(s) in [0, 100] [%].
    axis : int, default -1
        The sample axis.

    Returns
    -------
    numpy.ndarray
        The percentile(s) [ms]; NaN where a slice holds no finite sample. A scalar ``q``
        removes ``axis``; an array ``q`` puts its axis first (numpy's convention).

    Notes
    -----
    Hyndman-Fan type 7 ("linear"): with the ``n`` sorted samples ``x[0..n-1]``, the
    percentile ``q`` lies at position ``h = (n - 1) * q / 100`` and is
    ``x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])``.

    Examples
    --------
    >>> float(percentile_ms([10.0, 20.0, 30.0, 40.0], 50))
    25.0
    """
    samples = np.asarray(samples_ms, dtype=float)
    q_arr = np.asarray(q, dtype=float)
    if np.any((q_arr < 0) | (q_arr > 100)):
        raise ValueError(f"percentile must lie in [0, 100], got {q!r}")
    counts = np.sum(np.isfinite(samples), axis=axis)
    if np.all(counts > 0):
        return np.nanpercentile(samples, q_arr, axis=axis, method=PERCENTILE_METHOD)
    # nanpercentile warns on all-NaN slices (and the test suite runs with warnings as errors):
    # fill those slices with zeros, then put NaN back.
    filled = np.where(np.expand_dims(counts > 0, axis), samples, 0.0)
    result = np.nanpercentile(filled, q_arr, axis=axis, method=PERCENTILE_METHOD)
    return np.where(counts > 0, result, np.nan)


def summarize(samples_ms: npt.ArrayLike) -> dict[str, float]:
    """Summary statistics of one set of latency samples.

    Parameters
    ----------
    samples_ms : array_like
        One-dimensional latency samples [ms]; NaN entries (failed samples) are ignored.

    Returns
    -------
    dict
        ``n`` (count of finite samples), ``min_ms``, ``p50_ms``, ``p90_ms``, ``p99_ms``,
        ``max_ms``, ``mean_ms``, ``std_ms`` [ms]. With no finite sample every statistic is NaN
        and ``n`` is 0. ``std_ms`` is the sample standard deviation (``ddof=1``), NaN for
        a single sample.

    Notes
    -----
    Percentiles as in :func:`percentile_ms` (Hyndman-Fan type 7).
    ``std = sqrt(sum((x - mean)**2) / (n - 1))``.

    Examples
    --------
    >>> s = summarize([10.0, 20.0, 30.0, 40.0])
    >>> s["p50_ms"], s["p90_ms"], s["mean_ms"]
    (25.0, 37.0, 25.0)
    """
    samples = np.asarray(samples_ms, dtype=float).ravel()
    finite = samples[np.isfinite(samples)]
    n = int(finite.size)
    if n == 0:
        return {"n": 0} | {name: float("nan") for name in STAT_NAMES[1:]}
    p50, p90, p99 = np.percentile(finite, [50, 90, 99], method=PERCENTILE_METHOD)
    std = float(np.std(finite, ddof=1)) if n > 1 else float("nan")
    return {
        "n": n,
        "min_ms": float(np.min(finite)),
        "p50_ms": float(p50),
        "p90_ms": float(p90),
        "p99_ms": float(p99),
        "max_ms": float(np.max(finite)),
        "mean_ms": float(np.mean(finite)),
        "std_ms": std,
    }
