"""``edgecalc report``: formats, ``--set``, ``--out`` and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from edgecalc.cli import main

FACTORY = Path(__file__).resolve().parent / "fixtures" / "golden-factory.yaml"


def test_markdown_is_the_default(capsys):
    assert main(["report", str(FACTORY)]) == 0
    assert capsys.readouterr().out.startswith("**EDGE for Golden factory line visual QC")


def test_json_carries_its_version(capsys):
    assert main(["report", str(FACTORY), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["edgecalc_result"] == 1
    assert data["decision"]["recommendation"] == "edge"


def test_set_overrides_reach_the_report_and_its_provenance(capsys):
    args = ["report", str(FACTORY), "--set", "residency.raw_data=anywhere", "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["provenance"]["overrides"] == {"residency.raw_data": "anywhere"}
    assert not any("raw data must stay" in r for r in data["decision"]["reasons"])


def test_out_writes_the_file_and_prints_nothing(tmp_path, capsys):
    out = tmp_path / "sub" / "report.html"
    assert main(["report", str(FACTORY), "--format", "html", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "EDGE for Golden factory" in text
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temporary left


def test_an_invalid_scenario_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(FACTORY.read_text().replace("horizon_months: 60", "horizon_monthz: 60"))
    assert main(["report", str(bad)]) == 1
    assert "horizon_monthz" in capsys.readouterr().err


def test_an_unknown_format_is_a_usage_error(capsys):
    try:
        main(["report", str(FACTORY), "--format", "pdf"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("argparse accepted --format pdf")
    assert "invalid choice" in capsys.readouterr().err


def test_an_html_report_writes_an_unlimited_memory_as_words_not_inf(tmp_path):
    # llm-branch-assistant's hosted API has no memory limit (cloud.memory_gb is infinite);
    # the JSON report writes null, the HTML one printed "inf"
    out = tmp_path / "r.html"
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "llm-branch-assistant.yaml"
    assert main(["report", str(scenario), "--format", "html", "--no-flips", "--out", str(out)]) == 0
    html = out.read_text()
    assert '<td>cloud.memory_gb</td><td class="num">no limit</td>' in html
    assert ">inf<" not in html and ">-inf<" not in html


def test_one_of_a_counted_unit_is_written_in_the_singular(capsys):
    # hospital-imaging's firmware updates brick one device in 60 months: "1 visit", as
    # "<0.001 visits" and "2 devices" stay plural (edgecalc.format.with_unit)
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "hospital-imaging.yaml"
    assert main(["report", str(scenario), "--no-flips"]) == 0
    text = capsys.readouterr().out
    assert "| opex | 1 visit | $600 | $600 |" in text
    assert "| 1 visits |" not in text and "| 1 bytes/parameter |" not in text
