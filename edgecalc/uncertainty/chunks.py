"""Split a Monte Carlo run into chunks, each with its own reproducible random stream.

Memory stays bounded by evaluating ``chunk_size`` samples at a time. Each chunk gets its own
``numpy.random.Generator`` built from a child of one ``SeedSequence``: chunk ``i`` of a run with
seed ``s`` uses ``SeedSequence(entropy=s, spawn_key=(i,))`` (what ``SeedSequence(s).spawn``
gives as its ``i``-th child). The streams are statistically independent.

What holds (and what does not):

- Same seed and same ``chunk_size`` give identical numbers, on any machine with the same numpy
  bit generator (PCG64).
- Chunk ``i`` does not depend on ``total``: with the same seed and chunk size, a run of ``N``
  samples is a prefix of a run of ``M > N`` samples when ``N`` is a multiple of ``chunk_size``.
- A different ``chunk_size`` gives different numbers from the same distribution: results agree
  statistically, not bit for bit. Record the chunk size with the seed.
- A ``numpy.random.Generator`` may stand for the seed: :func:`as_seed_sequence` draws the
  run's entropy from it once (advancing it), so the same generator state gives the same run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

__all__ = [
    "Chunk",
    "as_seed_sequence",
    "chunk_generator",
    "iter_chunks",
    "iter_seeded_chunks",
]

SeedLike = int | np.random.SeedSequence | np.random.Generator


class Chunk(NamedTuple):
    """One slice ``[start, stop)`` of the sample axis."""

    index: int
    """Position of the chunk, from 0 [-]"""
    start: int
    """First sample of the chunk [samples]"""
    stop: int
    """One past the last sample [samples]"""

    @property
    def size(self) -> int:
        """Number of samples in the chunk [samples]."""
        return self.stop - self.start

    @property
    def slice(self) -> slice:
        """``slice(start, stop)``, to index a full-length array."""
        return slice(self.start, self.stop)


def iter_chunks(total: int, chunk_size: int) -> Iterator[Chunk]:
    """Cut ``total`` samples into consecutive chunks of ``chunk_size`` (the last may be shorter).

    Parameters
    ----------
    total : int
        Number of samples [samples], >= 0.
    chunk_size : int
        Samples per chunk [samples], >= 1.

    Yields
    ------
    Chunk
        ``ceil(total / chunk_size)`` chunks; none when ``total == 0``.

    Examples
    --------
    >>> [(c.start, c.stop) for c in iter_chunks(10, 4)]
    [(0, 4), (4, 8), (8, 10)]
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    for index, start in enumerate(range(0, total, chunk_size)):
        yield Chunk(index, start, min(start + chunk_size, total))


def as_seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The run's root SeedSequence.

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        An int or SeedSequence is used as is (a SeedSequence is returned unchanged). A
        Generator is asked once for 128 bits of entropy (``rng.integers`` on 4 uint32), which
        advances it.

    Returns
    -------
    numpy.random.SeedSequence
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        entropy = seed.integers(0, 2**32, size=4, dtype=np.uint32)
        return np.random.SeedSequence([int(e) for e in entropy])
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, SeedSequence or Generator: {seed!r}")
    return np.random.SeedSequence(int(seed))


def chunk_generator(seed: int | np.random.SeedSequence, index: int) -> np.random.Generator:
    """The random generator of chunk ``index`` of a run seeded with ``seed``.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
        The run's seed (convert a Generator once with :func:`as_seed_sequence`). A SeedSequence
        is not modified: its children are built explicitly.
    index : int
        Chunk position [-], >= 0.

    Returns
    -------
    numpy.random.Generator
        ``Generator(PCG64(SeedSequence(entropy, spawn_key=parent_key + (index,))))``, the same
        stream as ``SeedSequence(seed).spawn(index + 1)[index]``.
    """
    if index < 0:
        raise ValueError(f"chunk index must be >= 0, got {index}")
    if isinstance(seed, np.random.Generator):
        raise TypeError("convert a Generator once with as_seed_sequence(), then pass that")
    parent = as_seed_sequence(seed)
    child = np.random.SeedSequence(
        entropy=parent.entropy,
        spawn_key=(*parent.spawn_key, index),
        pool_size=parent.pool_size,
    )
    return np.random.Generator(np.random.PCG64(child))


def iter_seeded_chunks(
    total: int, chunk_size: int, seed: SeedLike
) -> Iterator[tuple[Chunk, np.random.Generator]]:
    """Chunks of a run with the generator each one draws from.

    Parameters
    ----------
    total, chunk_size
        As in :func:`iter_chunks` [samples].
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        The run's seed; a Generator is converted once by :func:`as_seed_sequence`.

    Yields
    ------
    (Chunk, numpy.random.Generator)
        Same seed and chunk size give the same sequence of generators.
    """
    root = as_seed_sequence(seed)
    for chunk in iter_chunks(total, chunk_size):
        yield chunk, chunk_generator(root, chunk.index)
