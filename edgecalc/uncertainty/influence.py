"""Which sampled inputs move an outcome most: rank correlation over the Monte Carlo samples.

A cheap first ranking, read off samples already drawn: no extra engine call, unlike the
tornado (:mod:`edgecalc.uncertainty.sensitivity`), which evaluates each input at its low and
high. It measures association, not cause: with correlated inputs (``correlations:``) an input
can rank high through its partner.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import rankdata

__all__ = ["rank_by_influence"]


def rank_by_influence(inputs: Mapping[str, ArrayLike], outcome: ArrayLike) -> pd.DataFrame:
    """Inputs ordered by the strength of their rank correlation with an outcome.

    Parameters
    ----------
    inputs : mapping of str to array, shape (samples,)
        Each sampled input's values, by dotted path.
    outcome : array, shape (samples,)
        The outcome per sample, e.g. a cost gap [USD].

    Returns
    -------
    pandas.DataFrame
        ``path``, ``spearman`` (Spearman's rank correlation with the outcome, in [-1, 1];
        0 where the input or the outcome does not vary), strongest first (by absolute value;
        ties keep the inputs' order).

    Raises
    ------
    ValueError
        If an input's length differs from the outcome's, or the outcome is not finite.

    Notes
    -----
    :math:`\\rho_s = \\mathrm{corr}(\\mathrm{rank}(x), \\mathrm{rank}(y))`, ties given their
    average rank.

    Examples
    --------
    >>> x = {"a": [1, 2, 3, 4], "b": [4, 1, 3, 2]}
    >>> rank_by_influence(x, [10, 20, 30, 40]).to_dict("list")
    {'path': ['a', 'b'], 'spearman': [1.0, -0.4]}
    """
    y = np.asarray(outcome, dtype=float)
    if not np.all(np.isfinite(y)):
        raise ValueError("the outcome has values that are not finite numbers")
    y_ranks = _centred_ranks(y)
    rows = []
    for path, values in inputs.items():
        x = np.asarray(values, dtype=float)
        if x.shape != y.shape:
            raise ValueError(f"{path}: {x.size} samples, the outcome has {y.size}")
        rows.append((path, _correlation(_centred_ranks(x), y_ranks)))
    frame = pd.DataFrame(rows, columns=["path", "spearman"])
    order = np.argsort(-frame["spearman"].abs().to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _centred_ranks(values: np.ndarray) -> np.ndarray:
    ranks = rankdata(values)
    return ranks - ranks.mean()


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of centred arrays; 0 when either does not vary."""
    scale = float(np.sqrt(np.dot(a, a) * np.dot(b, b)))
    return float(np.dot(a, b) / scale) if scale > 0 else 0.0
