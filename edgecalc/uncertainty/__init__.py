"""Uncertainty: ranges -> samples (rng passed in) -> summaries.

The pure, engine-independent layer: distributions of ranges, rank correlation, chunked seeding
and summaries. Evaluating samples is the engine's job (the same function as the point estimate).
"""

from edgecalc.uncertainty.chunks import (
    Chunk,
    as_seed_sequence,
    chunk_generator,
    iter_chunks,
    iter_seeded_chunks,
)
from edgecalc.uncertainty.correlation import (
    correlated_uniforms,
    pearson_matrix,
    spearman_matrix,
    spearman_to_pearson,
)
from edgecalc.uncertainty.distributions import (
    DISTRIBUTIONS,
    cdf,
    median_of,
    ppf,
    resolve_dist,
    sample,
    uniforms,
)
from edgecalc.uncertainty.summary import (
    DEFAULT_PERCENTILES,
    StreamingQuantiles,
    fan,
    fan_frame,
    percentiles,
    probability_cheapest,
    stability,
)

__all__ = [
    "DEFAULT_PERCENTILES",
    "DISTRIBUTIONS",
    "Chunk",
    "StreamingQuantiles",
    "as_seed_sequence",
    "cdf",
    "chunk_generator",
    "correlated_uniforms",
    "fan",
    "fan_frame",
    "iter_chunks",
    "iter_seeded_chunks",
    "median_of",
    "pearson_matrix",
    "percentiles",
    "ppf",
    "probability_cheapest",
    "resolve_dist",
    "sample",
    "spearman_matrix",
    "spearman_to_pearson",
    "stability",
    "uniforms",
]
