"""How a refused value is worded: what a person reads, never pydantic's or Python's words.

Each case was found by reviewing the command line as a user (2026-12-04): the messages
named regular expressions, Python's types, ``1e+15`` and ``1e-12``, said "> 0 ... zero",
blamed a ``--set`` on a line of the file, or refused the documented ``tls: 1.3``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def refusal(overrides: dict, path: Path = FIXTURE) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides=overrides)
    return str(info.value)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"sites.location.country": "de"},
            "override: sites.location.country: two capital letters are needed here: an ISO "
            "3166-1 alpha-2 country code such as DE, US or GB (got 'de')",
        ),
        (
            {"sites.location.lat": 148.14},
            "override: sites.location.lat: allowed is a number <= 90 (got 148.14)",
        ),
        ({"sites.count": 2.5}, "override: sites.count: a whole number is needed here (got 2.5)"),
        (
            {"cloud.connection_reuse": "maybe"},
            "override: cloud.connection_reuse: true or false is needed here (got 'maybe')",
        ),
        (
            {"latency.percentile": 150},
            "override: latency.percentile: 150 is out of bounds: allowed is a number > 0 and "
            "< 100, at least 10^-12 (or a range {low, high} within those limits)",
        ),
        (
            {"workload.inferences_per_second": -5},
            "override: workload.inferences_per_second: -5 is out of bounds: allowed is a number "
            ">= 0 and at most 10^15, zero or at least 10^-12 (or a range {low, high} within "
            "those limits)",
        ),
        (
            {"horizon_months": 1e6},
            "override: horizon_months: 1,000,000 is out of bounds: allowed is a whole number "
            ">= 1 and <= 240 (or a range {low, high} within those limits)",
        ),
        (
            {"edge.device_usd": 2.5e-13},
            "override: edge.device_usd: 2.5 x 10^-13 is out of bounds",
        ),
        ({"cloud.tls": 1.4}, "override: cloud.tls: allowed values are '1.3' or '1.2' (got 1.4)"),
    ],
)
def test_a_refused_value_reads_as_words_and_numbers_a_person_reads(overrides, expected):
    message = refusal(overrides)
    assert message.startswith(expected), message
    for program_words in ("Input should", "String should", "pattern", "1e+", "1e-", "e+1"):
        assert program_words not in message


def test_tls_written_as_the_number_yaml_reads_is_that_version(tmp_path):
    # docs/nomenclature.md: "one of 1.3, 1.2"; YAML reads `tls: 1.2` as the number 1.2
    text = FIXTURE.read_text().replace("cloud:\n", "cloud:\n  tls: 1.2\n", 1)
    path = tmp_path / "tls.yaml"
    path.write_text(text)
    assert load_scenario(path).cloud.tls == "1.2"
    assert load_scenario(FIXTURE, overrides={"cloud.tls": 1.3}).cloud.tls == "1.3"
    assert load_scenario(FIXTURE, overrides={"cloud.tls": "1.2"}).cloud.tls == "1.2"


def test_a_range_a_set_left_half_written_is_the_overrides_fault_not_the_files():
    # the file gives the rate as one number on line 9; --set ...low=5 makes it a range
    # without its high: the override is at fault, not line 9
    message = refusal({"workload.inferences_per_second.low": 5})
    assert message == "override: workload.inferences_per_second.high: required field is missing"


def test_an_accepted_warning_a_set_names_wrongly_is_the_overrides_fault():
    message = refusal({"accept_warnings": ["foo"]})
    assert message.startswith("override: accept_warnings.0: 'foo' names no plausibility check")


def test_a_problem_the_file_itself_has_is_still_on_its_line(tmp_path):
    text = FIXTURE.read_text().replace("  budget_ms: 50\n", "  budget_ms: -50\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "budget_ms: -50" in t)
    # an unrelated override beside it does not take the blame
    message = refusal({"latency.percentile": 99}, path)
    assert message.startswith(f"{path}:{line}:")
    assert "latency.budget_ms: -50 is out of bounds" in message


SCENARIOS = Path(__file__).parents[2] / "scenarios"


@pytest.mark.parametrize(
    ("sites_file", "expected"),
    [
        ("base", "upload.yaml:59:9: sites.file: the file it names is not a file: base"),
        ("nope.csv", "upload.yaml:59:9: sites.file: the file it names does not exist: nope.csv"),
        ("factory-visual-qc.yaml", "factory-visual-qc.yaml:1:1: sites.file: unknown column"),
    ],
)
def test_an_uploads_error_never_names_where_the_server_keeps_its_files(sites_file, expected):
    # docs/security.md: errors name neither a server file's content nor where the roots are;
    # an upload's sites.file reaching a shipped folder, a missing file or a shipped YAML read
    # as a CSV named the server's absolute path
    from edgecalc.scenario import read_scenario_text_tree

    text = (SCENARIOS / "factory-visual-qc.yaml").read_text()
    assert "  count: 6\n" in text
    text = text.replace("  count: 6\n", f"  file: {sites_file}\n", 1)
    with pytest.raises(ScenarioError) as info:
        read_scenario_text_tree(
            text, "upload.yaml", base_dir=SCENARIOS, allowed_roots=[SCENARIOS]
        ).with_overrides({})
    message = str(info.value)
    assert message.startswith(expected), message
    assert str(SCENARIOS.resolve()) not in message and str(SCENARIOS) not in message
