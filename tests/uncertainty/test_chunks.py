"""Chunks and their seeds."""

import numpy as np
import pytest

from edgecalc.uncertainty.chunks import (
    as_seed_sequence,
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
