"""What an analyst types into sweep, tornado and flips, right or slightly wrong.

A path given as a string is one path, not its letters; a pandas column of paths (a
tornado's) is its paths; a grid or a search that is not a mapping, or a grid value that is
not a list of numbers, is refused with what to write instead, never a bare TypeError.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from edgecalc.errors import EdgecalcError
from edgecalc.uncertainty.sensitivity import flips, sweep, tornado

VOLUME = Path(__file__).parent.parent / "fixtures" / "uncertainty" / "volume.yaml"
VOLUME_PATH = "workload.inferences_per_second"


def message(call) -> str:
    with pytest.raises(EdgecalcError) as info:
        call()
    return str(info.value)


def test_one_path_as_a_string_is_that_path():
    one = tornado(VOLUME, VOLUME_PATH)
    assert list(one["path"]) == [VOLUME_PATH]
    pd.testing.assert_frame_equal(one, tornado(VOLUME, [VOLUME_PATH]))
    found = flips(VOLUME, VOLUME_PATH, top=0)
    assert set(found["path"]) == {VOLUME_PATH}
    # the fixture's volume flips the recommendation between its point (20/s) and 80/s
    assert found["flip_value"].between(20, 80).any()


def test_a_tornado_column_of_paths_is_its_paths():
    table = tornado(VOLUME)
    column = table["path"].head(2)
    assert list(tornado(VOLUME, column)["path"]) == list(column)


def test_a_grid_given_as_a_list_is_refused_with_the_form_to_use():
    text = message(lambda: sweep(VOLUME, [VOLUME_PATH]))
    assert text == (
        "sweep: the grid maps each input path to its values, such as "
        "{'workload.inferences_per_second': [5, 10, 20]}; got list"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (5, "give a list of numbers to sweep, even for one value (sites.count: [5]); got 5"),
        ("5", "give a list of numbers to sweep, even for one value (sites.count: [1.5]); got '5'"),
        ([], "sites.count: no values to sweep"),
        ([1, "2"], "sites.count: sweep values must be numbers, got '2'"),
        ([1, float("nan")], "sites.count: sweep values must be finite numbers, got nan"),
        ([True], "sites.count: sweep values must be numbers, got True"),
    ],
)
def test_a_grid_value_that_is_not_a_list_of_numbers_is_refused(values, expected):
    assert expected in message(lambda: sweep(VOLUME, {"sites.count": values}))


def test_an_endless_grid_is_refused_without_being_read_whole():
    # range(10**12) would be 8 TB as a list; the check reads one value past the limit
    text = message(lambda: sweep(VOLUME, {"sites.count": range(1, 10**12)}))
    assert "sites.count: more than 100,000 values" in text


def test_a_numpy_grid_sweeps_like_a_list():
    a = sweep(VOLUME, {"sites.count": np.array([6, 12])})
    b = sweep(VOLUME, {"sites.count": [6, 12]})
    pd.testing.assert_frame_equal(a, b)
    assert a.shape[0] == 2 * 3  # two values x three options


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: flips(VOLUME, 5), "paths: a list of input paths such as"),
        (lambda: tornado(VOLUME, [VOLUME_PATH, 3]), "paths: input paths are text, got 3"),
        (
            lambda: flips(VOLUME, search=[(1, 2)], top=0),
            "search: a mapping of input path to (low, high)",
        ),
        (
            lambda: flips(VOLUME, search={"sites.count": (5,)}, top=0),
            "search: 'sites.count' maps to (5,); give each input path two finite numbers",
        ),
        (
            lambda: flips(VOLUME, search={"sites.count": (float("nan"), 50)}, top=0),
            "search: 'sites.count' maps to (nan, 50); give each input path two finite numbers",
        ),
        (lambda: flips(VOLUME, top=-1), "top: a whole number of inputs >= 0, got -1"),
        (lambda: flips(VOLUME, top="3"), "top: a whole number of inputs >= 0, got '3'"),
        (lambda: flips(VOLUME, VOLUME_PATH, top=0, rtol=0), "rtol: the final bracket's"),
        (lambda: flips(VOLUME, VOLUME_PATH, top=0, rtol=float("nan")), "below 1 (default"),
    ],
)
def test_paths_and_searches_of_the_wrong_kind_are_refused(call, expected):
    assert expected in message(call)


def test_a_search_range_as_a_numpy_pair_is_searched_like_a_tuple():
    a = flips(VOLUME, search={"sites.count": np.array([2, 40])}, top=0)
    b = flips(VOLUME, search={"sites.count": (2, 40)}, top=0)
    pd.testing.assert_frame_equal(a, b)
    assert (a["search_low"].iloc[0], a["search_high"].iloc[0]) == (2, 40)
