"""Rank correlation through a Gaussian copula on the uniforms."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from edgecalc.uncertainty.correlation import (
    Copula,
    copula,
    correlated_uniforms,
    pearson_matrix,
    spearman_to_pearson,
)
from edgecalc.uncertainty.distributions import ppf


def test_spearman_to_pearson_formula():
    # 2 sin(pi * 0.5 / 6) = 2 sin(0.261799) = 2 * 0.258819 = 0.517638
    assert spearman_to_pearson(0.5) == pytest.approx(0.517638, abs=1e-6)
    assert spearman_to_pearson(np.array([-1.0, 0.0, 1.0])) == pytest.approx([-1, 0, 1])


def test_achieved_spearman_within_002_of_target():
    names = ["volume", "growth", "price", "rtt"]
    target = {("volume", "growth"): 0.7, ("price", "volume"): -0.4, ("growth", "price"): -0.2}
    u = correlated_uniforms(50_000, names, target, np.random.default_rng(11))
    for (a, b), rho in target.items():
        assert spearmanr(u[a], u[b]).statistic == pytest.approx(rho, abs=0.02)
    assert spearmanr(u["rtt"], u["volume"]).statistic == pytest.approx(0, abs=0.02)


def test_rank_correlation_survives_the_marginals():
    # Spearman is invariant under the monotone ppf, so lognormal and triangular inputs keep it
    u = correlated_uniforms(50_000, ["a", "b"], {("a", "b"): 0.6}, np.random.default_rng(12))
    a = ppf(u["a"], 20, 60)
    b = ppf(u["b"], 0, 10, "triangular", mode=1, min=0.5)
    assert spearmanr(a, b).statistic == pytest.approx(0.6, abs=0.02)


def test_uniforms_are_uniform_and_inside_the_open_interval():
    u = correlated_uniforms(50_000, ["a", "b"], {("a", "b"): 0.9}, np.random.default_rng(13))
    for x in u.values():
        assert 0 < x.min() and x.max() < 1
        # a uniform's deciles: 0.1, 0.2, ..., 0.9 (standard error about 0.0013)
        assert np.percentile(x, np.arange(10, 100, 10)) == pytest.approx(
            np.arange(0.1, 1.0, 0.1), abs=0.01
        )


def test_same_seed_same_uniforms():
    args = (100, ["a", "b", "c"], {("a", "c"): 0.3})
    first = correlated_uniforms(*args, np.random.default_rng(5))
    second = correlated_uniforms(*args, np.random.default_rng(5))
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])


def test_adding_a_correlation_leaves_uncorrelated_inputs_unchanged():
    names = ["a", "b", "c"]
    plain = correlated_uniforms(100, names, {}, np.random.default_rng(6))
    paired = correlated_uniforms(100, names, {("b", "c"): 0.5}, np.random.default_rng(6))
    np.testing.assert_array_equal(plain["a"], paired["a"])
    np.testing.assert_array_equal(plain["b"], paired["b"])
    assert not np.array_equal(plain["c"], paired["c"])


def test_inconsistent_correlations_name_the_inputs():
    # a~b and b~c strongly positive but a~c strongly negative: no such joint distribution
    names = ["a", "b", "c", "untouched"]
    bad = {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9}
    with pytest.raises(ValueError, match="not positive definite") as excinfo:
        correlated_uniforms(10, names, bad, np.random.default_rng(0))
    message = str(excinfo.value)
    assert "'a'" in message and "'b'" in message and "'c'" in message
    assert "untouched" not in message


def test_perfect_correlation_is_rejected():
    with pytest.raises(ValueError, match=r"\|rho\| < 1"):
        pearson_matrix(["a", "b"], {("a", "b"): 1.0})


@pytest.mark.parametrize(
    ("names", "correlations", "message"),
    [
        (["a", "a"], {}, "unique"),
        (["a", "b"], {("a", "z"): 0.1}, "unknown input"),
        (["a", "b"], {("a", "a"): 0.1}, "itself"),
        (["a", "b"], {("a", "b"): 0.1, ("b", "a"): 0.1}, "given twice"),
        (["a", "b"], {("a", "b"): 1.5}, r"\[-1, 1\]"),
    ],
)
def test_malformed_correlations_are_rejected(names, correlations, message):
    with pytest.raises(ValueError, match=message):
        correlated_uniforms(10, names, correlations, np.random.default_rng(0))


@pytest.mark.parametrize(
    ("names", "correlations"),
    [
        (["a", "b", "c"], {("a", "c"): 0.3}),
        (["a", "b", "c", "d"], {("b", "d"): -0.4, ("a", "b"): 0.6, ("c", "d"): 0.0}),
        (["a", "b"], {}),
        (["a"], {}),
    ],
)
def test_a_copula_draws_what_correlated_uniforms_draws_to_the_last_bit(names, correlations):
    # the matrix work done once and the draw made from it: the same numbers, block after block
    made = copula(names, correlations)
    first, second = np.random.default_rng(3), np.random.default_rng(3)
    for n in (1, 7, 500):
        u = made.uniforms(n, first)
        expected = correlated_uniforms(n, names, correlations, second)
        assert u.shape == (len(names), n)
        for i, name in enumerate(names):
            assert u[i].tobytes() == expected[name].tobytes()


def test_a_copula_is_remembered_by_its_exact_numbers():
    names = ["a", "b", "c"]
    made = copula(names, {("a", "b"): 0.5})
    assert copula(tuple(names), {("a", "b"): 0.5}) is made
    assert copula(names, {("a", "b"): 0.4}) is not made
    assert copula(names, {("b", "c"): 0.0}) is not copula(names, {("b", "c"): -0.0})
    assert isinstance(Copula.of(names, {}), Copula)


def test_a_refused_copula_is_refused_every_time():
    names = ["a", "b", "c"]
    contradicting = {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9}
    for _ in range(2):
        with pytest.raises(ValueError, match="not positive definite"):
            copula(names, contradicting)
    with pytest.raises(ValueError, match="must be in"):
        copula(["a", "b"], {("a", "b"): 2})
