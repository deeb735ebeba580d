"""Chunks and their seeds."""

import collections
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from edgecalc.uncertainty.chunks import (
    array_bytes,
    as_seed_sequence,
    bytes_per_sample,
    chunk_generator,
    iter_chunks,
    iter_seeded_chunks,
)


def test_chunks_cover_total_without_overlap():
    # 10 samples in chunks of 4: [0, 4), [4, 8), [8, 10)
    chunks = list(iter_chunks(10, 4))
    assert [(c.index, c.start, c.stop, c.size) for c in chunks] == [
        (0, 0, 4, 4),
        (1, 4, 8, 4),
        (2, 8, 10, 2),
    ]
    assert list(iter_chunks(0, 4)) == []


@pytest.mark.parametrize(("total", "chunk_size"), [(-1, 4), (10, 0)])
def test_invalid_chunking_is_rejected(total, chunk_size):
    with pytest.raises(ValueError):
        list(iter_chunks(total, chunk_size))


def _draw(total, chunk_size, seed):
    return np.concatenate(
        [rng.random(chunk.size) for chunk, rng in iter_seeded_chunks(total, chunk_size, seed)]
    )


def test_same_seed_and_chunk_size_give_identical_numbers():
    np.testing.assert_array_equal(_draw(1000, 300, 42), _draw(1000, 300, 42))
    assert not np.array_equal(_draw(1000, 300, 42), _draw(1000, 300, 43))


def test_a_shorter_run_is_a_prefix_when_it_ends_on_a_chunk_boundary():
    np.testing.assert_array_equal(_draw(600, 300, 42), _draw(1000, 300, 42)[:600])


def test_chunk_streams_are_seed_sequence_spawn_children():
    children = np.random.SeedSequence(42).spawn(3)
    expected = np.random.Generator(np.random.PCG64(children[2])).random(5)
    np.testing.assert_array_equal(chunk_generator(42, 2).random(5), expected)


def test_a_generator_as_seed_is_reproducible_from_its_state():
    first = _draw(100, 30, np.random.default_rng(9))
    second = _draw(100, 30, np.random.default_rng(9))
    np.testing.assert_array_equal(first, second)
    assert as_seed_sequence(np.random.SeedSequence(3)).entropy == 3


def _array_bytes_walk(obj) -> int:
    """``array_bytes`` as first written (``isinstance`` checks for every item): the oracle."""
    seen: set[int] = set()
    stack = [obj]
    total = 0
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None or isinstance(item, str | bytes | int | float):
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            total += item.nbytes
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif isinstance(item, type):
            continue
        elif hasattr(item, "__dict__"):
            stack.extend(vars(item).values())
        elif dataclasses.is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return total


@dataclasses.dataclass(slots=True)
class _Slotted:
    a: object
    b: object


class _Plain:
    pass


def test_array_bytes_counts_what_the_walk_of_every_type_counts():
    # exact builtins take the quick branches; subclasses, numpy scalars, slotted dataclasses,
    # classes and objects the isinstance checks they always took; shared arrays count once
    a = np.zeros(7)
    plain = _Plain()
    plain.x, plain.y = [a, a[2:]], {"k": (a, np.float64(3.0), np.int64(4))}
    pair = collections.namedtuple("Pair", "p q")(a, np.ones(2, dtype=np.float32))
    things = [
        collections.OrderedDict(z=a, w=np.ones(3)),
        collections.defaultdict(list, v=[np.zeros(4, dtype=np.int8)]),
        {1, 2},
        frozenset({3.0}),
        _Slotted(a, np.ones(3)),
        plain,
        [plain, plain],
        pair,
        np.ma.masked_array([1.0, 2.0]),
        type,
        _Plain,
        True,
        None,
        b"xx",
        "text",
        3.5,
        (a,),
        {"nested": {"deeper": [np.empty((2, 3))]}},
    ]
    assert array_bytes(things) == _array_bytes_walk(things) > 0
    for item in things:
        assert array_bytes(item) == _array_bytes_walk(item)
    assert array_bytes([]) == 0 and array_bytes(a) == 56


def test_bytes_per_sample_of_a_point_estimate_is_the_walks_figure():
    from edgecalc.catalog import load_catalog
    from edgecalc.pipeline.compute import compute
    from edgecalc.pipeline.prepare import prepare
    from edgecalc.pipeline.resolve import point_inputs
    from edgecalc.scenario import load_scenario

    volume = Path(__file__).parents[1] / "fixtures" / "uncertainty" / "volume.yaml"
    resolved = prepare(load_scenario(volume), load_catalog(), volume.parent)
    x = point_inputs(resolved)
    out = compute(resolved, x)
    expected = _array_bytes_walk(out) + _array_bytes_walk(x)
    assert bytes_per_sample(out, x, [], 60) == expected
