"""Site groups from a CSV file (``sites: {file: ...}``): rows, defaults, links by access
technology, every bad row named by file, line and column, and the folders a file may be in."""

import re
from pathlib import Path

import pytest

from edgecalc import limits
from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario, load_scenario_text

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
HEADER = "name,count,lat,lon,country,uplink_mbps,access,inferences_per_second\n"


def scenario_with_file(tmp_path, rows: str, sites_extra: str = "", name="stores.csv") -> Path:
    (tmp_path / name).write_text(rows, encoding="utf-8")
    sites = f"sites:\n  file: {name}\n  uplink_mbps: 100\n{sites_extra}"
    text = re.sub(r"sites:\n(  .*\n)+", sites, FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path, **kw) -> list:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kw)
    return info.value.problems


def test_each_row_becomes_a_site_with_the_defaults_for_empty_cells(tmp_path):
    path = scenario_with_file(
        tmp_path,
        HEADER + "munich,3,48.1,11.6,DE,50,fibre,10\nrural,2,,,,,lte,\n",
        "  link: {flat_usd_per_month: 40}\n  access_links:\n    lte: {flat_usd_per_month: 60}\n",
    )
    sites = load_scenario(path).sites
    munich, rural = sites.list
    assert (munich.name, munich.count, munich.uplink_mbps) == ("munich", 3, 50)
    assert (munich.location.lat, munich.location.country) == (48.1, "DE")
    assert munich.inferences_per_second == 10
    # fibre is not in access_links: the sites' link with the technology set
    assert (munich.link.technology, munich.link.flat_usd_per_month) == ("fibre", 40)
    # lte is: its own link; the empty cells leave the sites' defaults in force
    assert (rural.link.technology, rural.link.flat_usd_per_month) == ("lte", 60)
    assert rural.uplink_mbps is None and rural.location is None
    assert rural.inferences_per_second is None


def test_every_bad_row_is_named_by_line_column_and_value(tmp_path):
    rows = HEADER + "ok,1,48,11,DE,50,fibre,1\nb,1,48,11,DE,x,fibre,1\nc,0,48,,DE,5,warp,1\n"
    found = [str(p) for p in problems_of(scenario_with_file(tmp_path, rows))]
    text = "\n".join(found)
    assert "stores.csv:3:6: column uplink_mbps: a number is needed here, not text" in text
    assert "(got 'x')" in text
    assert "stores.csv:4" in text and "lacks lon" in text
    assert "stores.csv:4:2: column count" in text  # a count of 0: at least 1
    assert "stores.csv:4:7: column access: allowed values are 'fibre'" in text
    assert len(found) == 4


def test_a_header_with_an_unknown_column_names_the_allowed_ones(tmp_path):
    (problem,) = problems_of(scenario_with_file(tmp_path, "name,uplink\na,5\n"))
    assert (problem.line, problem.column, problem.value) == (1, 2, "uplink")
    assert "the columns are name, country, access, count" in problem.message


def test_problems_are_bounded(tmp_path):
    rows = HEADER + "".join(f"s{i},1,48,11,DE,x,fibre,1\n" for i in range(limits.PROBLEMS + 20))
    found = problems_of(scenario_with_file(tmp_path, rows))
    assert len(found) == limits.PROBLEMS + 1
    assert found[-1].message == "and 20 more problems"


def test_file_with_list_is_refused(tmp_path):
    path = scenario_with_file(tmp_path, HEADER + "a,1,48,11,DE,5,lte,1\n", "  list: []\n")
    (problem,) = problems_of(path)
    assert problem.field == "sites.file" and "not two of them" in problem.message


def test_a_file_outside_the_allowed_folders_is_refused_without_its_content(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir(), outside.mkdir()
    (outside / "secret.csv").write_text("name,uplink_mbps\nsecret-store,x\n")
    path = scenario_with_file(inside, HEADER + "a,1,48,11,DE,5,lte,1\n")
    text = path.read_text().replace("file: stores.csv", "file: ../out/secret.csv")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "upload.yaml", base_dir=inside, allowed_roots=[inside])
    assert "'file' may name only the shipped scenarios" in str(info.value)
    assert "secret-store" not in str(info.value)


def test_a_server_file_reached_from_an_upload_is_not_quoted(tmp_path):
    path = scenario_with_file(tmp_path, HEADER + "secret-store,1,48,11,DE,x,lte,1\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(
            path.read_text(), "upload.yaml", base_dir=tmp_path, allowed_roots=[tmp_path]
        )
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.field) == (2, 6, "column uplink_mbps")
    assert problem.value is None and "'x'" not in str(info.value)


def test_a_file_too_large_is_refused_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "SITES_FILE_BYTES", 100)
    path = scenario_with_file(tmp_path, HEADER + "a,1,48,11,DE,5,lte,1\n" * 10)
    (problem,) = problems_of(path)
    assert "sites files are limited" in problem.message


def test_the_scenario_without_its_file_round_trips(tmp_path):
    scenario = load_scenario(scenario_with_file(tmp_path, HEADER + "a,2,48,11,DE,5,lte,1\n"))
    again = load_scenario_text(scenario.to_yaml())
    assert again.sites.list == scenario.sites.list
