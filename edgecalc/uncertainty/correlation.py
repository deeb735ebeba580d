"""Rank correlation between named inputs, imposed on the uniforms by a Gaussian copula.

Each input is sampled as ``ppf(u)`` of one uniform ``u`` (see
:mod:`edgecalc.uncertainty.distributions`). Spearman's rank correlation is invariant under the
monotone map ``ppf``, so a rank correlation imposed on the uniforms is the rank correlation of
the inputs, whatever their distributions and bounds.

The copula: draw independent standard normals ``Z`` (one row per name), mix them with the
Cholesky factor ``L`` of the Pearson matrix ``P`` (``L L^T = P``), and map back with the normal
CDF, ``U = Phi(L Z)``. For a bivariate normal, Spearman's ``rho_s`` and Pearson's ``rho_p``
satisfy ``rho_s = (6 / pi) arcsin(rho_p / 2)``, so the target Spearman matrix is converted with
``rho_p = 2 sin(pi rho_s / 6)``.

Only the names that take part in a correlation are mixed; a name without correlations keeps its
own independent normal, and because row ``i`` of a Cholesky factor depends only on the leading
``i + 1`` rows of the matrix, adding a correlation between two inputs leaves the draws of every
input listed before them (and of every uncorrelated input) unchanged for the same seed.

References
----------
Kruskal, W. H. (1958). Ordinal measures of association. JASA 53(284), 814-861 (the
Spearman/Pearson relation for the bivariate normal).
Iman, R. L. and Conover, W. J. (1982). A distribution-free approach to inducing rank
correlation among input variables. Comm. Stat. B 11(3), 311-334.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.special import ndtr

__all__ = [
    "Copula",
    "copula",
    "correlated_uniforms",
    "pearson_matrix",
    "spearman_matrix",
    "spearman_to_pearson",
]

_TINY_Q = 2.0**-54
_PD_TOLERANCE = 1e-10
"""Smallest eigenvalue a Pearson matrix must exceed to count as positive definite [-]"""


def spearman_to_pearson(rho_s: float | np.ndarray) -> float | np.ndarray:
    """Pearson correlation of a normal copula that yields a Spearman rank correlation.

    Parameters
    ----------
    rho_s : float or numpy.ndarray
        Target Spearman rank correlation(s) in [-1, 1] [-].

    Returns
    -------
    float or numpy.ndarray
        Pearson correlation(s) of the underlying normals [-].

    Notes
    -----
    ``rho_p = 2 sin(pi rho_s / 6)``; 0, 1 and -1 map to themselves.

    Examples
    --------
    >>> round(float(spearman_to_pearson(0.5)), 6)
    0.517638
    """
    return 2 * np.sin(np.pi * np.asarray(rho_s) / 6)


def spearman_matrix(
    names: Sequence[str], correlations: Mapping[tuple[str, str], float]
) -> np.ndarray:
    """Build the symmetric target Spearman matrix of ``names``.

    Parameters
    ----------
    names : sequence of str
        Input names, unique; rows and columns follow this order.
    correlations : mapping of (str, str) to float
        Spearman rank correlation of each named pair [-], in [-1, 1]. A pair may be given in
        either order but only once; unnamed pairs are uncorrelated.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(names), len(names))``, ones on the diagonal [-].

    Raises
    ------
    ValueError
        On duplicate names, an unknown name, a pair of a name with itself, a pair given twice,
        or a correlation outside [-1, 1].
    """
    index = {name: i for i, name in enumerate(names)}
    if len(index) != len(names):
        duplicates = sorted({n for n in names if list(names).count(n) > 1})
        raise ValueError(f"input names must be unique; repeated: {', '.join(duplicates)}")
    matrix = np.eye(len(names))
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for pair, rho in correlations.items():
        a, b = pair
        unknown = [n for n in (a, b) if n not in index]
        if unknown:
            raise ValueError(
                f"correlation {a!r}-{b!r} names unknown input(s): {', '.join(unknown)}"
            )
        if a == b:
            raise ValueError(f"correlation of {a!r} with itself is always 1; remove it")
        key = frozenset(pair)
        if key in seen:
            raise ValueError(f"correlation between {a!r} and {b!r} is given twice")
        seen[key] = pair
        if not -1 <= rho <= 1:
            raise ValueError(f"correlation {a!r}-{b!r} must be in [-1, 1], got {rho}")
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = rho
    return matrix


def pearson_matrix(
    names: Sequence[str], correlations: Mapping[tuple[str, str], float]
) -> np.ndarray:
    """The normal copula's Pearson matrix for target Spearman correlations, checked.

    Parameters
    ----------
    names, correlations
        As in :func:`spearman_matrix`.

    Returns
    -------
    numpy.ndarray
        Symmetric positive definite matrix [-], ``2 sin(pi S / 6)`` elementwise.

    Raises
    ------
    ValueError
        When the matrix is not positive definite (the correlations contradict each other, or
        one is +-1); the message names the inputs involved.
    """
    pearson = spearman_to_pearson(spearman_matrix(names, correlations))
    eigenvalues, eigenvectors = np.linalg.eigh(pearson)
    if eigenvalues[0] <= _PD_TOLERANCE:
        weights = np.abs(eigenvectors[:, 0])
        involved = [n for n, w in zip(names, weights, strict=True) if w > 0.1 * weights.max()]
        raise ValueError(
            "rank correlations between "
            + ", ".join(repr(n) for n in involved)
            + " are inconsistent: their correlation matrix is not positive definite "
            f"(smallest eigenvalue {eigenvalues[0]:.3g}). Weaken them, or use |rho| < 1."
        )
    return pearson


def correlated_uniforms(
    n: int,
    names: Sequence[str],
    correlations: Mapping[tuple[str, str], float],
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Draw uniforms for named inputs with target Spearman rank correlations.

    Parameters
    ----------
    n : int
        Number of samples [samples].
    names : sequence of str
        Input names, unique; draws follow this order.
    correlations : mapping of (str, str) to float
        Target Spearman rank correlation of each named pair [-]; unnamed pairs are independent.
    rng : numpy.random.Generator
        Source of randomness; ``rng.standard_normal((len(names), n))`` is drawn once.

    Returns
    -------
    dict of str to numpy.ndarray
        One array of shape ``(n,)`` per name [-], uniform on (0, 1) marginally; feed each to
        ``distributions.ppf``. The arrays are rows of one ``(len(names), n)`` array.

    Raises
    ------
    ValueError
        As :func:`pearson_matrix` (inconsistent correlations name the inputs involved).

    Notes
    -----
    ``U = Phi(L Z)`` over the correlated names, with ``L`` the Cholesky factor of
    ``2 sin(pi S / 6)``; other names get ``U = Phi(Z)``. ``U`` is clipped to
    ``[2^-54, 1 - 2^-53]`` because ``Phi`` rounds to 1 above z = 8.3 (chance 5e-17).
    :class:`Copula` is the same draw with the matrix work done once, for many draws.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    u = Copula.of(names, correlations).uniforms(n, rng)
    return {name: u[i] for i, name in enumerate(names)}


class Copula:
    """The Gaussian copula of named inputs, factorised once and drawn from many times.

    :func:`correlated_uniforms` checks the correlations and factorises their Pearson matrix
    on every call; a Monte Carlo run draws every seed block from one :class:`Copula` instead.
    The factor is the same numbers every time (one LAPACK call on the same matrix), and
    :meth:`uniforms` makes the draw and the array operations of
    :func:`correlated_uniforms`, in its order, so the uniforms are the same bit for bit.

    Parameters
    ----------
    size : int
        Number of names [-].
    mixed : numpy.ndarray of intp
        Rows that take part in a non-zero correlation [-].
    cholesky : numpy.ndarray or None
        Lower Cholesky factor of the Pearson matrix of the ``mixed`` rows [-]; None when no
        row is mixed. Both arrays are made read-only (one copula serves every seed block).
    """

    def __init__(self, size: int, mixed: np.ndarray, cholesky: np.ndarray | None) -> None:
        self.size, self.mixed, self.cholesky = size, mixed, cholesky
        for shared in (mixed, cholesky):  # one copula serves every block, on every thread
            if shared is not None:
                shared.flags.writeable = False

    @classmethod
    def of(cls, names: Sequence[str], correlations: Mapping[tuple[str, str], float]) -> Copula:
        """The copula of ``names``, checked as :func:`pearson_matrix` checks it.

        Raises
        ------
        ValueError
            As :func:`pearson_matrix`.
        """
        pearson = pearson_matrix(names, correlations)
        off_diagonal = pearson - np.eye(len(names))
        mixed = np.flatnonzero(np.any(off_diagonal != 0, axis=1))
        cholesky = np.linalg.cholesky(pearson[np.ix_(mixed, mixed)]) if mixed.size else None
        return cls(len(names), mixed, cholesky)

    def uniforms(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``U = Phi(L Z)`` for ``n`` samples, shape ``(size, n)`` [-], in
        ``[2^-54, 1 - 2^-53]``; ``rng.standard_normal((size, n))`` is drawn once."""
        z = rng.standard_normal((self.size, n))
        if self.mixed.size:
            z[self.mixed] = self.cholesky @ z[self.mixed]
        u = ndtr(z, out=z)
        np.clip(u, _TINY_Q, 1 - 2.0**-53, out=u)
        return u


_COPULAS_KEPT = 64
"""Copulas :func:`copula` remembers [-]."""
_copulas: OrderedDict[tuple, Copula] = OrderedDict()
_copulas_lock = threading.Lock()


def copula(names: Sequence[str], correlations: Mapping[tuple[str, str], float]) -> Copula:
    """:meth:`Copula.of`, remembered for the last :data:`_COPULAS_KEPT` sets of names and
    correlations.

    A Monte Carlo run asks for its copula once per seed block; the eigenvalues and the
    Cholesky factor are computed on the first. The key holds each correlation's exact bits
    (``float.hex``), so ``-0.0`` and ``0.0`` are not taken for each other.

    Raises
    ------
    ValueError
        As :func:`pearson_matrix` (nothing is remembered then).
    """
    try:
        key = (
            tuple(names),
            tuple((tuple(pair), float(rho).hex()) for pair, rho in correlations.items()),
        )
        hash(key)
    except (TypeError, ValueError):  # not hashable, or not numbers: checked (and refused) anew
        return Copula.of(names, correlations)
    with _copulas_lock:
        kept = _copulas.get(key)
        if kept is not None:
            _copulas.move_to_end(key)
            return kept
    made = Copula.of(names, correlations)
    with _copulas_lock:
        _copulas[key] = made
        while len(_copulas) > _COPULAS_KEPT:
            _copulas.popitem(last=False)
    return made
