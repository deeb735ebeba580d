"""Arguments an analyst gets slightly wrong in a notebook: refused with what is allowed.

Each of these was accepted silently or failed with Python's own words (``initial_value must
be str or None``, ``KeyError: 'nope'``) before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import edgecalc

HAND = Path(__file__).parent / "fixtures" / "hand-worked.yaml"


def test_a_fractional_chunk_size_is_refused_as_it_is_part_of_the_seed():
    with pytest.raises(ValueError, match=r"chunk_size must be a whole number >= 1 .* got 1\.5"):
        edgecalc.simulate(HAND, samples=20, chunk_size=1.5)
    with pytest.raises(ValueError, match="got True"):
        edgecalc.simulate(HAND, samples=20, chunk_size=True)
    # a numpy integer is a whole number: the same samples as the int
    a = edgecalc.simulate(HAND, samples=20, chunk_size=np.int64(7), seed=3)
    b = edgecalc.simulate(HAND, samples=20, chunk_size=7, seed=3)
    assert np.array_equal(a.total_usd["edge"], b.total_usd["edge"])


def test_scenario_text_that_is_not_text_is_refused_naming_what_to_pass():
    with pytest.raises(TypeError) as info:
        edgecalc.load_scenario_text(5)
    assert str(info.value) == (
        "a scenario's text is a str or bytes (the YAML itself; load_scenario reads a file by "
        "its path), not int"
    )
    # bytes of any kind read as the text they hold
    text = HAND.read_bytes()
    assert edgecalc.load_scenario_text(bytearray(text)) == edgecalc.load_scenario_text(text)


def test_an_option_the_result_does_not_have_names_the_ones_it_has():
    result = edgecalc.evaluate(HAND)
    with pytest.raises(KeyError) as info:
        result.option("hub")
    assert (
        info.value.args[0]
        == "no option 'hub' in this evaluation; its options are cloud, edge, hybrid"
    )
    assert result.option("edge")["feasible"]
