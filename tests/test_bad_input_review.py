"""A bad-input review of every command that reads a file: each test is a case that did not meet
the standard (a clear error naming file, line, field, value and what is allowed; no traceback,
no silent default, no non-finite number, no lost data; files written atomically), named after
what the user tried, and checks the message they now see.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.errors import ScenarioError
from edgecalc.io import NotARegularFileError, write_atomic
from edgecalc.measure.measurement import MeasurementFileError, load_measurement, loads_measurement
from edgecalc.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "hand-worked.yaml"
PORTFOLIO_HEADER = "name,count,lat,lon,country,uplink_mbps,access,inferences_per_second\n"
URL = "http://198.51.100.7:8080/"


def scenario(tmp_path: Path, old: str, new: str, name: str = "s.yaml") -> Path:
    """The hand-worked fixture with ``old`` replaced by ``new``, written to ``tmp_path``."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def error_of(path, **kw) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kw)
    return str(info.value)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if needle in t)


# -- writing: --out never replaces a device, pipe or socket ------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_out_naming_a_fifo_is_refused_and_the_fifo_is_kept(tmp_path, capsys):
    # before: the rename replaced the FIFO (and `--out /dev/full` replaced the device) with a file
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli(capsys, "evaluate", str(FIXTURE), "--out", str(fifo))
    assert code == 2
    assert f"--out {fifo}: is not a regular file (a device, pipe or socket)" in err
    assert "leave --out out to print" in err
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe"]
    with pytest.raises(NotARegularFileError):
        write_atomic(fifo, "text")
    assert fifo.is_fifo()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_measure_out_naming_a_fifo_is_refused_before_measuring(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli(capsys, "measure", "http://127.0.0.1:9/", "--out", str(fifo))
    assert code == 2
    assert f"cannot write --out {fifo}: it is not a regular file (a device, pipe or socket)" in err
    assert fifo.is_fifo()


def test_out_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    link = tmp_path / "latest.md"
    link.symlink_to(target.name)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_an_empty_out_says_it_is_empty(capsys):
    code, _, err = run_cli(capsys, "evaluate", str(FIXTURE), "--out", "")
    assert code == 2
    assert err.strip() == "edgecalc: --out is empty; give a file name, or leave --out out to print"


# -- text: no control characters, and errors never print one -----------------------------------


def test_a_terminal_escape_in_a_name_is_refused_with_its_line(tmp_path):
    path = scenario(tmp_path, "name: Hand-worked fixture", 'name: "Hand\\e[31mworked"')
    message = error_of(path)
    line = line_of(path, "name: ")
    assert f"{path}:{line}:7: name: a name holds the control character U+001B" in message
    assert "a name is plain text on one line" in message
    assert "(got 'Hand\\x1b[31mworked')" in message  # shown escaped
    assert "\x1b" not in message


def test_a_line_break_in_a_name_is_refused_but_a_description_may_have_lines(tmp_path):
    path = scenario(tmp_path, "name: Hand-worked fixture", 'name: "two\\nlines"')
    assert "name: a name holds the control character U+000A" in error_of(path)
    path = scenario(tmp_path, "name: Hand-worked fixture", 'name: x\ndescription: "a\\n\\tb"')
    assert load_scenario(path).description == "a\n\tb"
    path = scenario(tmp_path, "name: Hand-worked fixture", 'name: x\ndescription: "a \\u202e b"')
    message = error_of(path)
    assert "description: the text holds the control character U+202E" in message
    assert "line breaks and tabs but no other control characters" in message


def test_an_unknown_key_with_an_escape_is_printed_escaped(tmp_path):
    path = scenario(tmp_path, "horizon_months: 24", 'horizon_months: 24\n"a\\eb": 1')
    message = error_of(path)
    assert "a\\x1bb: unknown key (misspelt?)" in message
    assert "\x1b" not in message


def test_a_nul_in_a_sites_csv_name_is_refused_with_its_row(tmp_path):
    rows = PORTFOLIO_HEADER + "ok,1,48,11,DE,50,fibre,1\nb\x00ad,1,48,11,DE,50,fibre,1\n"
    path = portfolio(tmp_path, rows)
    message = error_of(path)
    assert "stores.csv:3:1: column name: a name holds the control character U+0000" in message


def test_a_measurement_file_with_an_escape_in_its_host_is_refused():
    data = measurement_data()
    data["host"] = "gw\x1b[2J"
    with pytest.raises(MeasurementFileError) as info:
        loads_measurement(json.dumps(data), "site.json")
    text = str(info.value)
    assert text.startswith("site.json: host: holds the control character U+001B")
    assert "\x1b" not in text


def test_measure_refuses_a_site_name_it_could_not_read_back():
    with pytest.raises(ValueError) as info:
        edgecalc.measure("http://127.0.0.1:9/", site="a\x1b[31m", samples=1)
    assert str(info.value).startswith(
        "site 'a\\x1b[31m': holds the control character U+001B; a site name is plain text"
    )


# -- values that mean nothing ------------------------------------------------------------------


def test_an_unknown_country_code_is_refused_with_what_is_allowed(tmp_path):
    # before: XX was accepted and the RTT estimate silently dropped its continent-pair factor
    path = scenario(tmp_path, "country: DE", "country: XX")
    message = error_of(path)
    assert "sites.location.country: 'XX' is not an ISO 3166-1 alpha-2 country code" in message
    assert "such as DE, US or GB" in message
    assert load_scenario(FIXTURE, overrides={"sites.location.country": "UK"})  # alias of GB


def test_a_quoted_number_is_refused_in_a_field_of_numbers_only(tmp_path):
    # lat is a plain number (no range): "48.14" in quotes was read as 48.14
    path = scenario(tmp_path, "{lat: 48.14,", '{lat: "48.14",')
    message = error_of(path)
    line = line_of(path, "location:")
    assert f"{path}:{line}:" in message
    assert (
        "sites.location.lat: a number is needed here, not text; write a number without" in message
    )
    assert "(got '48.14')" in message
    # an optional number: text is refused too; None and a number are accepted
    with pytest.raises(ScenarioError, match=r"cloud\.rtt\.route_inflation: a number is needed"):
        load_scenario(FIXTURE, overrides={"cloud.rtt": {"route_inflation": "2"}})
    assert load_scenario(FIXTURE, overrides={"cloud.rtt": {"route_inflation": 2}})
    # text fields still take text
    assert load_scenario(FIXTURE, overrides={"name": "48.14"}).name == "48.14"


def test_a_quoted_number_is_refused_not_read_as_a_number(tmp_path):
    # before: "100000" in quotes was read as 100000 although the JSON Schema refuses it
    path = scenario(tmp_path, "request_bytes: 100000", 'request_bytes: "100000"')
    message = error_of(path)
    line = line_of(path, "request_bytes")
    assert f"{path}:{line}:18: workload.request_bytes: a number is needed here" in message
    assert "not text; write a number without quotes (got '100000')" in message
    message = error_of(FIXTURE, overrides={"workload.request_bytes": {"low": "1", "high": 2}})
    assert "low: a number is needed, not the text '1'" in message


def test_an_empty_measurement_file_name_is_refused_when_the_scenario_loads():
    # before: '' resolved to the scenario's folder: "sc: is a directory, not a file"
    message = error_of(FIXTURE, overrides={"cloud.rtt": {"measurement": ""}})
    assert "cloud.rtt.measurement: name the measurement file" in message


def test_accepting_a_stale_fact_that_does_not_exist_is_refused_with_the_close_matches(tmp_path):
    # before: a misspelt key was accepted and accepted nothing; --strict then failed on the
    # very warning the entry was meant to accept
    path = scenario(
        tmp_path, "horizon_months: 24", "horizon_months: 24\naccept_warnings:\n  - "
        "stale_fact:operations.electricty_usd_per_kwh",
    )  # fmt: skip
    message = error_of(path)
    assert f"{path}:{line_of(path, 'electricty')}:5: accept_warnings.0:" in message
    assert "unknown fact 'operations.electricty_usd_per_kwh': did you mean " in message
    assert "operations.electricity_usd_per_kwh" in message


def test_a_measurement_file_given_as_the_scenario_says_so(tmp_path, capsys):
    path = tmp_path / "site.json"
    path.write_text(json.dumps(measurement_data(), indent=1))
    code, _, err = run_cli(capsys, "diff", str(FIXTURE), str(path))
    assert code == 1
    assert err.strip() == (
        f"{path}:2:2: this is a measurement file (written by `edgecalc measure --out`), not a "
        "scenario; a scenario uses it as cloud.rtt: {measurement: FILE}"
    )


def test_a_whole_number_too_large_for_a_float_in_a_float_field_says_so():
    message = error_of(FIXTURE, overrides={"latency.budget_ms": int("9" * 400)})
    assert "latency.budget_ms: a number of about 401 digits is out of bounds" in message


# -- lost data: two site groups of one name ----------------------------------------------------


def test_two_site_groups_of_one_name_are_refused(tmp_path):
    # before: accepted, and `diff` matched groups by name: 2 x 2 rows, a wrong diff
    path = scenario(
        tmp_path, "  count: 2\n", "  list:\n    - {name: store, count: 1}\n    - {name: store}\n"
    )
    message = error_of(path)
    second = line_of(path, "- {name: store}")
    assert f"{path}:{second}:14: sites.list.1.name: 'store' is already the name of the site " in (
        message
    )
    assert f"group on line {second - 1}; give each group its own name" in message


def test_two_csv_rows_of_one_name_are_refused_by_row(tmp_path):
    row = "store,1,48,11,DE,50,fibre,1\n"
    message = error_of(portfolio(tmp_path, PORTFOLIO_HEADER + row + row))
    expected = (
        "stores.csv:3:1: column name: 'store' is already the name of the site group on line 2"
    )
    assert expected in message


# -- messages that named the wrong field or a Python type --------------------------------------


def test_a_bad_value_in_a_measured_rtt_names_that_value_not_the_other_forms(tmp_path):
    # before: "cloud.rtt.ms: required field is missing", "cloud.rtt.measurement: unknown key",
    # "cloud.rtt.max_age_days: unknown key": the forms {ms} and {access_ms} were reported
    path = scenario(tmp_path, "rtt: {ms: 20}", "rtt: {measurement: site.json, max_age_days: 0}")
    message = error_of(path)
    assert message == (
        f"{path}:{line_of(path, 'max_age_days')}:47: cloud.rtt.max_age_days: 0 is out of bounds: "
        "allowed is a number > 0 and at most 10^15, at least 10^-12 (or a range "
        "{low, high} within those limits)"
    )
    message = error_of(FIXTURE, overrides={"cloud.rtt": {"access_ms": -1}})
    assert message.startswith("override: cloud.rtt.access_ms: -1 is out of bounds")
    assert "required field is missing" not in message and "unknown key" not in message


def test_an_incomplete_custom_device_names_its_fields_without_python_class_names(tmp_path):
    path = scenario(
        tmp_path,
        "  device: jetson-orin-nano-super-8gb\n",
        "  device: {name: box, device_usd: 5, inferences_per_second_per_device: 9}\n",
    )
    message = error_of(path)
    assert "edge.device.inference_ms: required field is missing" in message
    assert "edge.device.memory_gb: required field is missing" in message
    assert ".str" not in message and "CustomDevice" not in message


def test_a_list_in_the_yaml_sites_list_keeps_its_field_path(tmp_path):
    # before: "column cont": a problem of a list written in YAML was named like a CSV column
    path = scenario(tmp_path, "  count: 2\n", "  list:\n    - {name: a, cont: 3}\n")
    message = error_of(path)
    assert f"{path}:{line_of(path, 'cont:')}:17: sites.list.0.cont: unknown key" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "latency:\n  budget_ms: 50\n  percentile: 99\n  local_hop_ms: 1\n",
            "latency: [50, 99]\n",
            "latency: a mapping of keys is needed here (`key: value` lines, or {key: value}), "
            "not a list",
        ),
        (
            "horizon_months: 24",
            "horizon_months: 24\nhubs: {name: h}",
            "hubs: a list is needed here (`- item` lines, or [a, b]), not a mapping",
        ),
        (
            "budget_ms: 50",
            "budget_ms:",
            "latency.budget_ms: a number is needed here (or a range {low, high}), but the value "
            "is empty",
        ),
        (
            "budget_ms: 50",
            "budget_ms: [50, 60]",
            "latency.budget_ms: a number is needed here (or a range {low, high}), not a list",
        ),
    ],
    ids=["list-for-a-section", "mapping-for-a-list", "empty-number", "list-for-a-number"],
)
def test_a_value_of_the_wrong_kind_says_what_the_field_takes(tmp_path, old, new, expected):
    # before: "Input should be a valid dictionary or instance of Latency", "a valid tuple"
    message = error_of(scenario(tmp_path, old, new))
    assert expected in message
    assert "instance of" not in message and "tuple" not in message


# -- sites CSV ---------------------------------------------------------------------------------


def portfolio(tmp_path: Path, rows: str) -> Path:
    (tmp_path / "stores.csv").write_text(rows, encoding="utf-8")
    text = re.sub(
        r"sites:\n(  .*\n)+",
        "sites:\n  file: stores.csv\n  uplink_mbps: 100\n",
        FIXTURE.read_text(encoding="utf-8"),
    )
    path = tmp_path / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_cell_longer_than_the_csv_reader_takes_is_a_problem_not_a_traceback(tmp_path):
    # before: _csv.Error: field larger than field limit (131072), a traceback
    rows = PORTFOLIO_HEADER + "ok,1,48,11,DE,50,fibre,1\n" + "x" * 200_000 + ",1\n"
    message = error_of(portfolio(tmp_path, rows))
    assert message == (
        f"{tmp_path / 'stores.csv'}:3: sites.file: not readable as CSV from this line on (a cell "
        "longer than 131,072 characters)"
    )


def test_a_quote_never_closed_is_named_not_swallowed_into_one_name(tmp_path):
    # before: the rest of the file became one name; the error spoke of cloud.rtt
    rows = PORTFOLIO_HEADER + '"unclosed,1,48,11,DE,50,fibre,1\nb,1,48,11,DE,50,fibre,1\n'
    message = error_of(portfolio(tmp_path, rows))
    assert message == (
        f"{tmp_path / 'stores.csv'}:2: sites.file: not readable as CSV from this line on (a "
        "quoted cell is never closed: a quote opens it and the file ends)"
    )


def test_a_csv_with_semicolons_says_which_separator_it_found(tmp_path):
    rows = PORTFOLIO_HEADER.replace(",", ";") + "a;1;48;11;DE;50;fibre;1\n"
    message = error_of(portfolio(tmp_path, rows))
    assert message.startswith(
        f"{tmp_path / 'stores.csv'}:1: sites.file: the header is one column: the cells are "
        "separated by ';', and a sites file separates them by commas"
    )
    assert len(message.splitlines()) == 1


def test_a_header_with_lat_and_lon_but_no_country_is_one_problem(tmp_path):
    # before: one "this row lacks country" per row, 40 lines for 40 rows
    header = "name,count,lat,lon,uplink_mbps\n"
    rows = header + "".join(f"s{i},1,48,11,50\n" for i in range(40))
    message = error_of(portfolio(tmp_path, rows))
    assert message == (
        f"{tmp_path / 'stores.csv'}:1: sites.file: the columns lat, lon and country go together; "
        "the header has lat, lon but no country"
    )


@pytest.mark.parametrize("cell", ["nan", "inf", "1e400"])
def test_a_non_finite_csv_number_is_named_as_written(tmp_path, cell):
    # before: 1e400 was reported as "inf is out of bounds"
    rows = PORTFOLIO_HEADER + f"a,1,48,11,DE,{cell},fibre,1\n"
    message = error_of(portfolio(tmp_path, rows))
    assert message == (
        f"{tmp_path / 'stores.csv'}:2:6: column uplink_mbps: not a finite number; give a number "
        f"(got '{cell}')"
    )


# -- measurement files -------------------------------------------------------------------------


def measurement_data() -> dict:
    samples = [
        {
            "target": URL, "mode": "warm", "sample": i, "warmup": i == 0, "ok": True,
            "kind": None, "error": None, "status": 200, "new_connection": i == 0,
            "phases_ms": {"ttfb": 10.0 + i, "total": 11.0 + i},
        }
        for i in range(5)
    ]  # fmt: skip
    return {
        "edgecalc_measurement": 1,
        "created_at": "2026-11-20T08:00:00Z",
        "host": "gw",
        "targets": [{"url": URL, "label": "echo"}],
        "samples": samples,
    }


def test_a_key_given_twice_in_a_measurement_file_is_refused(tmp_path):
    # before: the JSON reader kept the last one without a word
    path = tmp_path / "site.json"
    path.write_text(json.dumps(measurement_data())[:-1] + ', "host": "other"}')
    with pytest.raises(MeasurementFileError) as info:
        load_measurement(path)
    assert str(info.value) == f"{path}: the key 'host' is given twice in one object; keep one"


def test_a_measurement_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "site.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(measurement_data()).encode())
    assert load_measurement(path).host == "gw"


def test_a_measurement_without_targets_or_with_one_twice_is_refused():
    data = measurement_data()
    empty = {**data, "targets": [], "samples": []}
    with pytest.raises(MeasurementFileError, match="targets: list should have at least 1 item"):
        loads_measurement(json.dumps(empty), "site.json")
    twice = copy.deepcopy(data)
    twice["targets"].append({"url": URL, "label": "again"})
    with pytest.raises(MeasurementFileError) as info:
        loads_measurement(json.dumps(twice), "site.json")
    assert str(info.value) == (
        "site.json: targets[1].url is the URL of targets[0] as well; samples name their target "
        "by URL, so each target needs its own"
    )


def test_a_measurement_of_several_targets_names_the_file_and_the_field_to_set(tmp_path):
    # before: "the measurement holds several targets (...): pass target=", without the file
    data = measurement_data()
    other = "http://198.51.100.8/"
    data["targets"].append({"url": other})
    data["samples"] += [dict(s, target=other) for s in data["samples"]]
    (tmp_path / "site.json").write_text(json.dumps(data))
    path = scenario(tmp_path, "rtt: {ms: 20}", "rtt: {measurement: site.json}")
    with pytest.raises(edgecalc.EdgecalcError) as info:
        edgecalc.evaluate(path)
    assert str(info.value) == (
        f"cloud.rtt.measurement: {tmp_path / 'site.json'}: the measurement holds 2 targets (echo, "
        f"{other}); name one as the target (cloud.rtt.target in a scenario, target= in Python) "
        "by its URL, label or provider/region"
    )


# -- the library -------------------------------------------------------------------------------


def test_load_scenario_of_something_that_is_not_a_path_says_what_it_takes():
    # before: "expected str, bytes or os.PathLike object, not dict" from pathlib
    with pytest.raises(TypeError) as info:
        load_scenario({"edgecalc": 1})
    assert str(info.value).startswith("a scenario is read from the path of a YAML file")
    assert "not dict; load YAML text with edgecalc.load_scenario_text(text)" in str(info.value)
    message = error_of("edgecalc: 1\nname: x\n")
    assert "not the name of a file; load YAML text with edgecalc.load_scenario_text" in message


def test_overrides_that_are_not_a_mapping_say_what_to_pass():
    # before: "dictionary update sequence element #0 has length 32; 2 is required"
    with pytest.raises(TypeError) as info:
        load_scenario(FIXTURE, overrides=["workload.inferences_per_second=3"])
    assert str(info.value).startswith("overrides must be a mapping of dotted paths to values")
    assert "not list; for 'key=value' strings use edgecalc.scenario.parse_overrides" in str(
        info.value
    )


@pytest.mark.parametrize("key", ["", "workload..x", 5])
def test_a_malformed_override_path_is_named(key):
    # before: "override: unknown key" with no field, or AttributeError: 'int' has no 'split'
    message = error_of(FIXTURE, overrides={key: 3})
    assert message.startswith(f"override: bad override path {key!r}: a dotted path such as")


def test_evaluate_of_something_that_is_not_a_scenario_says_what_it_takes():
    # before: AttributeError: 'dict' object has no attribute 'edge'
    with pytest.raises(TypeError) as info:
        edgecalc.evaluate({"edgecalc": 1})
    assert str(info.value) == "evaluate() takes a Scenario or the path of a scenario file, not dict"


# -- standard input ----------------------------------------------------------------------------


def test_the_base_dir_hint_for_stdin_comes_only_with_an_extends_problem(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = run_cli(capsys, "validate", "-")
    assert code == 1
    assert err == "<stdin>: the file is empty\n"


def test_a_server_error_quoted_by_measure_is_printed_escaped():
    # the error of a failed request may quote what a server sent, terminal escapes included
    from edgecalc.commands.measure_cli import format_text
    from edgecalc.measure.measurement import Measurement, Target

    failed = {
        "target": URL, "mode": "cold", "sample": 0, "warmup": False, "ok": False,
        "kind": "protocol", "error": "RemoteProtocolError: bad\x1b[2J", "status": None,
        "new_connection": True, "phases_ms": {},
    }  # fmt: skip
    measurement = Measurement(
        targets=[Target(url=URL, label="echo")],
        samples=[failed],
        settings={"samples": 1},
        created_at="2026-11-20T08:00:00Z",
        host="gw",
    )
    text = format_text(measurement)
    assert "(e.g. RemoteProtocolError: bad\\x1b[2J)" in text
    assert "\x1b" not in text
