"""A sites CSV row cut short (fewer cells than the header names) is refused like a long one.

Before: ``a,10,41.1,-86.7,US`` under an 8-column header was read with its last three cells
empty, so the row silently took the defaults for ``uplink_mbps``, ``access`` and
``inferences_per_second``, while a row with 9 cells was refused. Blank cells written with
their commas (``a,10,,,,,fibre,``) still mean "use the default", and an empty line is still
skipped.
"""

import re
from pathlib import Path

import pytest

from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
HEADER = "name,count,lat,lon,country,uplink_mbps,access,inferences_per_second"
GOOD = "ok,1,48.1,11.6,DE,50,fibre,1"
SHORT = "a,10,41.1,-86.7,US"
SHORT_MESSAGE = (
    "5 cells, but the header names 8 columns: no cell for uplink_mbps, access, "
    "inferences_per_second; give every column a cell, an empty one (for the default) as "
    "nothing between two commas, as in a,,c"
)
LINE_ENDINGS = pytest.mark.parametrize(
    ("newline", "trailing"),
    [("\n", True), ("\n", False), ("\r\n", True), ("\r\n", False)],
    ids=["lf", "lf-no-final-newline", "crlf", "crlf-no-final-newline"],
)


def scenario_with_rows(tmp_path: Path, lines: list[str], newline="\n", trailing=True) -> Path:
    """A scenario whose sites come from ``stores.csv`` holding ``lines`` (bytes as given)."""
    text = newline.join(lines) + (newline if trailing else "")
    (tmp_path / "stores.csv").write_bytes(text.encode("utf-8"))
    sites = "sites:\n  file: stores.csv\n  uplink_mbps: 100\n"
    scenario = re.sub(r"sites:\n(  .*\n)+", sites, FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path / "portfolio.yaml"
    path.write_text(scenario, encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


@LINE_ENDINGS
def test_a_row_cut_short_is_refused_by_file_line_and_cell_counts(tmp_path, newline, trailing):
    path = scenario_with_rows(tmp_path, [HEADER, GOOD, SHORT], newline, trailing)
    (problem,) = problems_of(path)
    assert (problem.line, problem.column, problem.field) == (3, None, "sites.file")
    assert str(problem) == f"{tmp_path / 'stores.csv'}:3: sites.file: {SHORT_MESSAGE}"


@LINE_ENDINGS
def test_the_same_row_with_its_blank_cells_written_takes_the_defaults(tmp_path, newline, trailing):
    blank = "a,,41.1,-86.7,US,,,"  # count, uplink_mbps, access, inferences_per_second blank
    path = scenario_with_rows(tmp_path, [HEADER, GOOD, blank], newline, trailing)
    _, site = load_scenario(path).sites.list
    assert site.name == "a"
    assert site.count == 1  # the Site default
    assert (site.location.lat, site.location.country) == (41.1, "US")
    # left unset: the sites' uplink_mbps (100) and the workload's rate apply
    assert site.uplink_mbps is None and site.inferences_per_second is None
    assert site.link is None


@LINE_ENDINGS
def test_a_long_row_is_still_refused_with_its_message(tmp_path, newline, trailing):
    long = GOOD.replace("ok", "b") + ",9"
    path = scenario_with_rows(tmp_path, [HEADER, GOOD, long], newline, trailing)
    (problem,) = problems_of(path)
    assert str(problem) == (
        f"{tmp_path / 'stores.csv'}:3: sites.file: 9 cells, but the header names 8 columns"
    )


def test_a_lost_comma_mid_row_is_refused_not_shifted(tmp_path):
    # "-86.7US": the cells after it would have moved one column left
    path = scenario_with_rows(tmp_path, [HEADER, "a,10,41.1,-86.7US,353,fibre,2"])
    (problem,) = problems_of(path)
    assert problem.line == 2
    assert problem.message.startswith(
        "7 cells, but the header names 8 columns: no cell for inferences_per_second;"
    )


def test_a_row_of_only_a_name_says_one_cell(tmp_path):
    path = scenario_with_rows(tmp_path, [HEADER, GOOD, "alone"])
    (problem,) = problems_of(path)
    assert problem.line == 3
    assert problem.message.startswith(
        "1 cell, but the header names 8 columns: no cell for count, lat, lon, country, "
    )


def test_every_short_row_is_named_and_the_good_rows_are_not(tmp_path):
    lines = [HEADER, SHORT, GOOD, "c,2,48,11,DE,50"]
    found = [
        (p.line, p.message.split(":")[0]) for p in problems_of(scenario_with_rows(tmp_path, lines))
    ]
    assert found == [
        (2, "5 cells, but the header names 8 columns"),
        (4, "6 cells, but the header names 8 columns"),
    ]


@LINE_ENDINGS
def test_empty_lines_are_skipped_as_before_and_lines_still_count(tmp_path, newline, trailing):
    # an empty line, a row of only commas and a line of spaces hold no site: skipped, not
    # refused as short rows; the short row after them is named on its own line
    lines = [HEADER, GOOD, "", ",,,,,,,", "   ", SHORT]
    (problem,) = problems_of(scenario_with_rows(tmp_path, lines, newline, trailing))
    assert (problem.line, problem.message) == (6, SHORT_MESSAGE)
    good = scenario_with_rows(tmp_path, [HEADER, GOOD, "", ",,,,,,,", "   "], newline, trailing)
    assert [site.name for site in load_scenario(good).sites.list] == ["ok"]
