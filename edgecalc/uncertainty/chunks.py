"""How a Monte Carlo run is cut: seed blocks (the random streams) and evaluation batches (memory).

Two cuts of the sample axis, on purpose independent of each other:

- **Seed blocks** of ``chunk_size`` samples (default 2,000) define the random numbers. Block
  ``i`` of a run with seed ``s`` draws from its own ``numpy.random.Generator`` built from
  ``SeedSequence(entropy=s, spawn_key=(i,))`` (what ``SeedSequence(s).spawn`` gives as its
  ``i``-th child); the streams are statistically independent. A block always draws all of
  its samples, even when a batch needs only part of them, so sample ``k`` has the same value
  however the run is evaluated.
- **Evaluation batches** (:func:`iter_batches`) are how many samples one engine call holds.
  Their size comes from memory (:func:`batch_size`): the bytes one sample occupies in the
  engine, measured on the point estimate (:func:`array_bytes`), against a budget
  (:func:`batch_memory_bytes`: a quarter of the memory available, at most 256 MB, or
  ``EDGECALC_BATCH_MEMORY_MB``). A batch may hold several blocks or part of one. The results
  do not depend on it: every sample is computed from its own inputs alone.

What holds (and what does not):

- Same seed and same ``chunk_size`` give identical numbers, on any machine with the same numpy
  bit generator (PCG64), whatever the batch size, the memory budget or the number of Dask
  workers (:mod:`edgecalc.uncertainty.backend`).
- Block ``i`` does not depend on ``total``: with the same seed and chunk size, a run of ``N``
  samples is a prefix of a run of ``M > N`` samples when ``N`` is a multiple of ``chunk_size``.
- A different ``chunk_size`` gives different numbers from the same distribution: results agree
  statistically, not bit for bit. Record the chunk size with the seed.
- A ``numpy.random.Generator`` may stand for the seed: :func:`as_seed_sequence` draws the
  run's entropy from it once (advancing it), so the same generator state gives the same run.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import EdgecalcError

__all__ = [
    "BATCH_MEMORY_ENV",
    "MAX_BATCH_MEMORY_BYTES",
    "Chunk",
    "array_bytes",
    "as_seed_sequence",
    "available_memory_bytes",
    "batch_memory_bytes",
    "batch_size",
    "blocks_in",
    "cache_batch_size",
    "chunk_generator",
    "iter_batches",
    "iter_chunks",
    "iter_seeded_chunks",
    "run_batch_size",
]

BATCH_MEMORY_ENV = "EDGECALC_BATCH_MEMORY_MB"
"""Environment variable that sets the memory budget of one evaluation batch [MB]."""

MAX_BATCH_MEMORY_BYTES = 256 * 10**6
"""Largest default budget of one evaluation batch [bytes]; beyond a few thousand samples a
bigger batch is not faster, and the 1,000,000-sample run must stay under 1 GB in all."""

MEMORY_FRACTION = 0.25
"""Share of the memory available that one batch may use by default [-]."""

CACHE_ARRAY_BYTES = 2**20
"""Largest samples x months array a batch aims for [bytes]: the size measured fastest (on the
peer scenario, 2,000 samples a batch ran 1.6x faster per sample than 10,000, and faster than
500 or 1,000; docs/performance.md). It was chosen as about a core's L2 cache; the development
machine's L2 is 512 KiB a core, and an engine call holds far more than that anyway."""

MAX_SLICES_PER_BATCH = 10
"""Most engine calls (slices) one batch holds [-]: a batch's fan counts cost mostly per month,
so fewer, larger batches count less often, while each engine call stays cache-sized."""

MIN_CACHE_BATCH = 500
"""Fewest samples a cache-sized batch holds, so that the engine's fixed cost per call (about
1.5 ms) stays small beside its arrays [samples]."""

BATCH_HEADROOM = 1.5
"""Factor on the measured bytes per sample for what the loop adds around the engine (the
cumulative cost, the fan's counts, temporaries) [-]."""

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


def iter_batches(start: int, stop: int, size: int) -> Iterator[Chunk]:
    """Cut samples ``[start, stop)`` into evaluation batches of ``size`` (the last may be shorter).

    Parameters
    ----------
    start, stop : int
        The samples to cut [samples], ``0 <= start <= stop``.
    size : int
        Samples per batch [samples], >= 1.

    Yields
    ------
    Chunk
        Numbered from 0 in this cut; ``start`` and ``stop`` are positions in the whole run.

    Examples
    --------
    >>> [(b.start, b.stop) for b in iter_batches(3, 10, 4)]
    [(3, 7), (7, 10)]
    """
    if not 0 <= start <= stop:
        raise ValueError(f"need 0 <= start <= stop, got {start}, {stop}")
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    for index, first in enumerate(range(start, stop, size)):
        yield Chunk(index, first, min(first + size, stop))


def blocks_in(batch: Chunk, total: int, chunk_size: int) -> Iterator[Chunk]:
    """The seed blocks that samples ``[batch.start, batch.stop)`` of a run fall in.

    Parameters
    ----------
    batch : Chunk
        Part of the run [samples].
    total : int
        Samples of the whole run [samples] (the last block may be shorter).
    chunk_size : int
        Samples per seed block [samples].

    Yields
    ------
    Chunk
        Whole blocks, as :func:`iter_chunks` cuts the run, in order.

    Examples
    --------
    >>> [(b.index, b.start, b.stop) for b in blocks_in(Chunk(0, 3, 9), 10, 4)]
    [(0, 0, 4), (1, 4, 8), (2, 8, 10)]
    """
    if batch.stop > total:
        raise ValueError(f"batch ends at {batch.stop}, after the run's {total} samples")
    if batch.size == 0:
        return
    for index in range(batch.start // chunk_size, (batch.stop - 1) // chunk_size + 1):
        start = index * chunk_size
        yield Chunk(index, start, min(start + chunk_size, total))


_LEAF_TYPES = frozenset({str, bytes, int, float, bool, type(None)})
"""Exact types :func:`array_bytes` skips at once (no arrays within)."""


def array_bytes(obj: object) -> int:
    """Bytes held by the numpy arrays reachable from ``obj`` (each array counted once).

    Walks dataclasses, mappings, sequences and objects' attributes. A view is counted at its
    own size, so the figure is an upper bound of what the arrays occupy [bytes].

    Notes
    -----
    The items of the commonest exact types (text, numbers, None, arrays, dicts, lists,
    tuples) are told apart by ``type(item)`` alone; any other item goes through the
    ``isinstance`` checks in the order they have always been made. A skipped item holds no
    array either way, and each array is counted once whatever the order of the walk, so the
    total is the same number.

    Examples
    --------
    >>> a = np.zeros(10)
    >>> array_bytes({"x": a, "y": [a, np.zeros(5, dtype=np.int8)]})
    85
    """
    seen: set[int] = set()
    stack = [obj]
    total = 0
    leaves, ndarray = _LEAF_TYPES, np.ndarray
    pop, push_all, mark = stack.pop, stack.extend, seen.add
    while stack:
        item = pop()
        kind = type(item)
        if kind in leaves:
            continue
        key = id(item)
        if key in seen:
            continue
        mark(key)
        if kind is ndarray:
            total += item.nbytes
        elif kind is dict:
            push_all(item.values())
        elif kind is list or kind is tuple:
            push_all(item)
        elif isinstance(item, str | bytes | int | float):  # subclasses, numpy scalars
            continue
        elif isinstance(item, np.ndarray):
            total += item.nbytes
        elif isinstance(item, dict):
            push_all(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            push_all(item)
        elif isinstance(item, type):
            continue
        elif hasattr(item, "__dict__"):  # an object, a dataclass among them: its attributes
            push_all(vars(item).values())
        elif dataclasses.is_dataclass(item):  # a dataclass with slots
            push_all(getattr(item, f.name) for f in dataclasses.fields(item))
    return total


LINK_TRAFFIC_ARRAYS = 8
"""Samples x months arrays per site group that pricing the site links holds at its peak while
an engine call runs, and not in its output: the groups' upload and download volume and their
two peak rates, the devices' update and telemetry volume, a zero array to broadcast against
and one temporary, all groups at once (:func:`edgecalc.costs.link_lines.site_traffic`) [-]."""


def bytes_per_sample(point_out: object, point_inputs: object, groups: list, months: int) -> int:
    """What one sample of an engine call occupies, from the point estimate [bytes], >= 1.

    Parameters
    ----------
    point_out, point_inputs
        The engine's output for the point estimate (one sample) and its inputs.
    groups : list
        The scenario's site groups (:attr:`~edgecalc.pipeline.resolve.Resolved.groups`).
    months : int
        Months of the horizon [months].

    Returns
    -------
    int
        ``array_bytes(point_out) + array_bytes(point_inputs)``, plus, when some group has a
        site link, the link traffic held while the call runs: ``LINK_TRAFFIC_ARRAYS x groups x
        months x 8``. Measured with ``tracemalloc`` at the peak of an engine call, store-portfolio
        (60 months) and copies of its groups: 40 linked groups 280 kB a sample against an
        estimate of 283 kB (130 kB without the link traffic); 400 groups 2.60 MB against 2.48
        MB; 2,000 groups 13.1 MB against 12.2 MB; the batch headroom of 1.5 covers the rest.

    Examples
    --------
    >>> class Group:
    ...     link = object()
    >>> bytes_per_sample({}, {"x": np.zeros(1)}, [Group(), Group()], 60)  # 8 + 8 x 2 x 60 x 8
    7688
    """
    held = array_bytes(point_out) + array_bytes(point_inputs)
    if any(getattr(g, "link", None) is not None for g in groups):
        held += LINK_TRAFFIC_ARRAYS * len(groups) * int(months) * 8
    return max(1, held)


def available_memory_bytes(meminfo: str | Path = "/proc/meminfo") -> int | None:
    """Memory the system can give without swapping (Linux ``MemAvailable``) [bytes].

    Returns ``None`` where it cannot be read (another system, a restricted container); then
    ``os.sysconf`` is asked for the free pages, and ``None`` is returned if that fails too.
    """
    try:
        with open(meminfo, encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def batch_memory_bytes(
    override_bytes: int | None = None, environ: dict[str, str] | None = None
) -> int:
    """The memory budget of one evaluation batch [bytes].

    Parameters
    ----------
    override_bytes : int, optional
        The budget, when the caller sets it [bytes], >= 1.
    environ : mapping, optional
        Where to read ``EDGECALC_BATCH_MEMORY_MB`` [MB, 10**6 bytes]; default ``os.environ``.

    Returns
    -------
    int
        ``override_bytes``; else ``EDGECALC_BATCH_MEMORY_MB`` x 10**6; else
        ``min(256 MB, 0.25 x available memory)``; 256 MB when the available memory is unknown.

    Raises
    ------
    EdgecalcError
        When ``EDGECALC_BATCH_MEMORY_MB`` is not a number >= 1.
    """
    if override_bytes is not None:
        if override_bytes < 1:
            raise ValueError(f"the batch memory budget must be >= 1 byte, got {override_bytes}")
        return int(override_bytes)
    environ = os.environ if environ is None else environ
    text = environ.get(BATCH_MEMORY_ENV, "").strip()
    if text:
        try:
            mb = float(text)
        except ValueError:
            mb = math.nan
        if not (math.isfinite(mb) and mb >= 1):
            raise EdgecalcError(
                f"{BATCH_MEMORY_ENV}={text[:40]!r}: give the memory one batch of samples may "
                "use, in MB, a number of at least 1 (e.g. 200)"
            )
        return int(mb * 10**6)
    available = available_memory_bytes()
    if available is None:
        return MAX_BATCH_MEMORY_BYTES
    return max(1, min(MAX_BATCH_MEMORY_BYTES, int(MEMORY_FRACTION * available)))


def batch_size(bytes_per_sample: float, budget_bytes: int, chunk_size: int) -> int:
    """Samples per evaluation batch that fit a memory budget.

    Parameters
    ----------
    bytes_per_sample : float
        Memory one sample takes in the engine [bytes], > 0 (:func:`array_bytes` of the point
        estimate's output and inputs).
    budget_bytes : int
        Memory one batch may take [bytes] (:func:`batch_memory_bytes`).
    chunk_size : int
        Samples per seed block [samples].

    Returns
    -------
    int
        ``n = floor(budget / (1.5 x bytes_per_sample))``, at least 1; rounded down to whole
        seed blocks when ``n >= chunk_size`` (so that no block is drawn twice).

    Examples
    --------
    >>> batch_size(40_000, 256 * 10**6, 2_000)  # 256e6 / 60e3 = 4,266 -> 2 blocks
    4000
    >>> batch_size(40_000, 30 * 10**6, 2_000)  # 30e6 / 60e3 = 500 samples, part of a block
    500
    """
    if not bytes_per_sample > 0:
        raise ValueError(f"bytes per sample must be > 0, got {bytes_per_sample}")
    n = max(1, int(budget_bytes // (BATCH_HEADROOM * bytes_per_sample)))
    if n >= chunk_size:
        n -= n % chunk_size
    return n


def cache_batch_size(months: int, chunk_size: int) -> int:
    """Samples per evaluation batch whose samples x months arrays fit in a core's cache.

    Parameters
    ----------
    months : int
        Months of the horizon [months], >= 1.
    chunk_size : int
        Samples per seed block [samples].

    Returns
    -------
    int
        ``n = max(500, floor(CACHE_ARRAY_BYTES / (8 x months)))``, rounded down to whole seed
        blocks when ``n >= chunk_size``.

    Examples
    --------
    >>> cache_batch_size(60, 2_000)  # 2**20 / 480 = 2,184 -> one block
    2000
    >>> cache_batch_size(240, 2_000)  # 2**20 / 1,920 = 546 samples, part of a block
    546
    """
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    n = max(MIN_CACHE_BATCH, CACHE_ARRAY_BYTES // (8 * int(months)))
    if n >= chunk_size:
        n -= n % chunk_size
    return n


def run_batch_size(
    samples: int, slice_size: int, workers: int, memory_samples: int | None = None
) -> int:
    """Samples per batch of a run: whole engine slices, enough batches to keep every worker
    busy, and few enough that each batch's fan counts are worth their fixed cost.

    Parameters
    ----------
    samples : int
        Samples of the run [samples].
    slice_size : int
        Samples per engine call [samples] (:func:`cache_batch_size`, or less for memory).
    workers : int
        Batches evaluated at once (threads or Dask worker threads) [-], >= 1.
    memory_samples : int, optional
        Most samples whose per-sample results (the cumulative cost of every option, month by
        month) one batch may hold [samples].

    Returns
    -------
    int
        ``k x slice_size`` with ``k = clip(samples // (4 x workers x slice_size), 1, 10)``,
        ``k`` lowered to fit ``memory_samples``. When ``k`` is 1 (a small run), the run is cut
        into one equal batch per worker (more, a multiple of ``workers``, where a batch would
        not fit ``memory_samples``), so that no worker waits for the last one and no seed
        block is drawn by more batches than it must.

    Notes
    -----
    A batch draws the whole of every seed block it touches (:mod:`.chunks`), and draws,
    fills and counts once per batch: on 10,000 samples of the peer scenario on two threads,
    two batches of 5,000 took 77-79 ms where six of 1,667 took 81-84 ms (2026-12-03).

    Examples
    --------
    >>> run_batch_size(10_000, 2_000, 2)  # small: one batch of 5,000 per worker
    5000
    >>> run_batch_size(1_000_000, 2_000, 2)  # large runs: 10 slices a batch, 50 batches
    20000
    """
    workers = max(1, workers)
    k = max(1, min(MAX_SLICES_PER_BATCH, samples // (4 * workers * slice_size)))
    if memory_samples is not None:
        k = max(1, min(k, memory_samples // slice_size))
    if k > 1:
        return k * slice_size
    samples = max(1, samples)
    per_batch = -(-samples // workers)
    if memory_samples is not None:
        per_batch = min(per_batch, max(1, memory_samples))
    batches = -(-samples // per_batch)
    batches = -(-batches // workers) * workers
    return max(1, -(-samples // batches))
