"""Hostile and careless scenario input (issue #10): refused clearly, bounded, nothing leaked.

Each test is named after what a user or an attacker tried, and checks the message they see.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from edgecalc import limits
from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario, load_scenario_text, parse_overrides

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
SCENARIOS = Path(__file__).parents[2] / "scenarios"


def fixture_text() -> str:
    return FIXTURE.read_text()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error_of(load, *args, **kw) -> str:
    with pytest.raises(ScenarioError) as info:
        load(*args, **kw)
    return str(info.value)


def line_of(text: str, needle: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), 1) if needle in t)


# -- item 1: an upload reads no server file ------------------------------------------------------


def upload(text: str, **kw):
    return load_scenario_text(text, "up.yaml", base_dir=SCENARIOS, allowed_roots=[SCENARIOS], **kw)


def test_upload_may_extend_a_shipped_scenario():
    scenario = upload("extends: factory-visual-qc.yaml\nname: My plant\n")
    assert scenario.name == "My plant"


def test_upload_extending_an_absolute_path_is_refused_without_reading_it(tmp_path):
    secret = write(tmp_path, "secret.yaml", "api_token: hunter2-very-secret\n")
    message = error_of(upload, f"extends: {secret}\nname: x\n")
    assert "up.yaml:1:10: extends: 'extends' must be a path relative" in message
    assert "hunter2" not in message and "api_token" not in message


def test_upload_escaping_with_dot_dot_is_refused(tmp_path):
    message = error_of(upload, "extends: ../../../../../../etc/passwd\nname: x\n")
    assert "extends" in message and "this path leaves them" in message
    assert "root:" not in message


def test_upload_following_a_symlink_out_of_the_roots_is_refused(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    secret = write(tmp_path, "secret.yaml", "api_token: hunter2\n")
    (root / "link.yaml").symlink_to(secret)
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(
            "extends: link.yaml\nname: x\n", "up.yaml", base_dir=root, allowed_roots=[root]
        )
    assert "this path leaves them" in str(info.value)
    assert "hunter2" not in str(info.value)


def test_error_inside_an_extended_file_names_field_and_line_but_not_its_value(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    base = fixture_text().replace("power_w: 20", "power_w: -12345")
    write(root, "base.yaml", base)
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(
            "extends: base.yaml\nname: x\n", "up.yaml", base_dir=root, allowed_roots=[root]
        )
    message = str(info.value)
    assert f"base.yaml:{line_of(base, 'power_w')}:" in message
    assert "edge.power_w" in message
    assert "12345" not in message


def test_the_command_line_may_still_extend_any_file(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write(elsewhere, "base.yaml", fixture_text())
    head = write(tmp_path, "head.yaml", f"extends: {elsewhere / 'base.yaml'}\nname: Head\n")
    assert load_scenario(head).name == "Head"


def test_the_app_passes_the_shipped_roots(monkeypatch, tmp_path):
    from app_pages import state

    secret = write(tmp_path, "secret.yaml", fixture_text())
    source = state.upload_source(f"extends: {secret}\nname: x\n".encode(), "up.yaml")
    with pytest.raises(ScenarioError, match="absolute paths are not allowed"):
        state.load(source)
    # a folder named in EDGECALC_SCENARIO_ROOTS may be extended, by a path relative to
    # the shipped scenarios
    relative = os.path.relpath(secret, state.SCENARIO_DIR)
    source = state.upload_source(f"extends: {relative}\nname: x\n".encode(), "up.yaml")
    with pytest.raises(ScenarioError, match="leaves them"):
        state.load(source)
    monkeypatch.setenv("EDGECALC_SCENARIO_ROOTS", str(tmp_path))
    assert state.load(source).name == "x"


# -- items 2 and 12: bounded reads, odd paths -----------------------------------------------------


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null"])
def test_extends_a_device_is_refused_at_once(tmp_path, target):
    head = write(tmp_path, "head.yaml", f"extends: {target}\nname: x\n")
    started = time.monotonic()
    message = error_of(load_scenario, head)
    assert time.monotonic() - started < 5
    assert "is not a file" in message or "not a regular file" in message


def test_extends_a_fifo_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    head = write(tmp_path, "head.yaml", "extends: pipe.yaml\nname: x\n")
    message = error_of(load_scenario, head)
    assert "head.yaml:1:10: extends: the file it extends is not a file" in message


def test_loading_a_fifo_directly_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    message = error_of(load_scenario, tmp_path / "pipe.yaml")
    assert "pipe.yaml: is not a regular file" in message


@pytest.mark.parametrize("value", ["''", ".", "..", "[]", "{}", "3"])
def test_extends_that_names_no_file(tmp_path, value):
    head = write(tmp_path, "head.yaml", f"extends: {value}\nname: x\n")
    message = error_of(load_scenario, head)
    assert re.search(r"head.yaml:1:(1|10): extends: 'extends' must name a scenario file", message)


def test_a_directory_is_not_a_scenario(tmp_path):
    message = error_of(load_scenario, tmp_path)
    assert f"{tmp_path}: is a directory, not a file" in message


def test_a_5000_character_name_is_refused():
    message = error_of(load_scenario, FIXTURE, overrides={"name": "x" * 5000})
    assert "override: name: a name of 5,000 characters; names are limited to 200" in message


def test_an_empty_name_is_refused(tmp_path):
    text = fixture_text().replace("name: Hand-worked fixture", "name: ''")
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert f"s.yaml:{line_of(text, 'name:')}:7: name: a name must not be empty" in message


def test_yaml_nested_20000_levels_deep_is_refused_with_its_line(tmp_path):
    text = fixture_text() + "description: " + "[" * 20_000 + "]" * 20_000 + "\n"
    message = error_of(load_scenario, write(tmp_path, "deep.yaml", text))
    assert f"deep.yaml:{line_of(text, 'description')}:" in message
    assert f"nested more than {limits.YAML_NESTING_DEPTH} levels deep" in message


# -- item 8: aliases, not nodes, are what the billion-laughs guard counts -------------------------


def sites_file(tmp_path: Path, n: int) -> Path:
    sites = "sites:\n  uplink_mbps: 100\n  list:\n" + "".join(
        f"  - name: site-{i}\n    location: {{lat: {40 + (i % 100) / 10}, lon: {i % 50}, "
        "country: DE}\n"
        for i in range(n)
    )
    text = re.sub(r"sites:\n(  .*\n)+", sites, fixture_text())
    return write(tmp_path, f"sites-{n}.yaml", text)


def test_a_10000_site_file_with_a_location_per_site_loads(tmp_path):
    scenario = load_scenario(sites_file(tmp_path, 10_000))
    assert len(scenario.sites.list) == 10_000
    assert scenario.sites.list[9_999].location.lat == pytest.approx(49.9)


def test_a_few_aliases_are_fine(tmp_path):
    text = fixture_text().replace(
        "  location: {lat: 48.14, lon: 11.58, country: DE}",
        "  location: &munich {lat: 48.14, lon: 11.58, country: DE}",
    )
    text = text.replace("country: DE}\nmodel:", "country: DE}\nmodel:", 1) + (
        "description: &d Sites in Munich\n" if "description" not in fixture_text() else ""
    )
    assert load_scenario(write(tmp_path, "a.yaml", text)).sites.location.country == "DE"


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    message = error_of(load_scenario, write(tmp_path, "r.yaml", "a: &a [1, *a]\n"))
    assert "r.yaml" in message and ("refers to the node" in message or "alias" in message)


# -- item 10 and YAML 1.2: duplicate keys, booleans, NO ------------------------------------------


def test_a_duplicate_key_names_both_lines(tmp_path):
    text = fixture_text().replace("  power_w: 20\n", "  power_w: 20\n  power_w: 25\n")
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    first = line_of(text, "power_w: 20")
    assert (
        f"s.yaml:{first + 1}:3: edge.power_w: the key 'power_w' is given twice in one mapping, "
        f"on line {first} and on line {first + 1}" in message
    )


def test_a_whole_section_given_twice_is_refused(tmp_path):
    text = fixture_text() + "edge:\n  device: jetson-orin-nano-super-8gb\n"
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert f"on line {line_of(text, 'edge:')} and on line" in message


def test_country_no_is_norway(tmp_path):
    text = fixture_text().replace("country: DE", "country: NO")
    scenario = load_scenario(write(tmp_path, "s.yaml", text))
    assert scenario.sites.location.country == "NO"


def test_yes_is_text_so_a_budget_of_yes_names_the_field(tmp_path):
    text = fixture_text().replace("budget_ms: 50", "budget_ms: yes")
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert f"s.yaml:{line_of(text, 'budget_ms')}:14: latency.budget_ms:" in message
    assert "'yes'" in message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("budget_ms: 50", "budget_ms: true", "latency.budget_ms"),
        ("edgecalc: 1", "edgecalc: true", "edgecalc"),
        ("lat: 48.14", "lat: false", "sites.location.lat"),
        ("device_usd: 1000", "device_usd: {low: true, high: 2}", "edge.device_usd"),
    ],
)
def test_a_boolean_where_a_number_belongs_is_refused(tmp_path, old, new, field):
    text = fixture_text().replace(old, new)
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert f"{field}:" in message and "true/false" in message


def test_a_real_switch_still_takes_a_boolean():
    scenario = load_scenario(FIXTURE, overrides={"cloud.connection_reuse": False})
    assert scenario.cloud.connection_reuse is False


def test_scientific_notation_is_a_number(tmp_path):
    text = fixture_text().replace("parameters: 10.0e6", "parameters: 36.4e6")
    assert load_scenario(write(tmp_path, "s.yaml", text)).model.parameters == 36.4e6


# -- items 9 and 11: ranges and magnitudes -------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"latency.percentile": {"low": 90, "high": 99, "min": 100}}, "must be below high"),
        ({"latency.percentile": {"low": 90, "high": 95, "min": 99.5}}, "must be below high"),
        ({"edge.device_usd": {"low": 1, "high": 20, "max": -1000}}, "must be above low"),
        ({"edge.device_usd": {"low": -5, "high": 20, "max": -1}}, "is out of bounds"),
        ({"horizon_months": {"low": 12, "high": 24, "min": 1_000_000}}, "must be below high"),
        ({"horizon_months": {"low": 12, "high": 1_000_000}}, "high 1,000,000 is out of bounds"),
        ({"edge.device_usd": {"low": 1, "high": 2, "min": float("nan")}}, "finite"),
        ({"edge.device_usd": {"low": 1, "high": 2, "max": 1e300}}, "out of bounds"),
        ({"edge.device_usd": {"low": 0, "high": 3, "max": 0}}, "must be above low"),
        ({"edge.device_usd": {"low": 1, "high": 3, "min": 2, "max": 2}}, "max must be above min"),
    ],
)
def test_range_hard_bounds_are_checked(override, expected):
    message = error_of(load_scenario, FIXTURE, overrides=override)
    (field,) = override
    assert f"override: {field}:" in message and expected in message


def test_an_integer_field_given_as_a_range_has_a_whole_median():
    scenario = load_scenario(FIXTURE, overrides={"horizon_months": {"low": 1, "high": 2}})
    # lognormal median sqrt(1 × 2) = 1.41 months, rounded to a whole month
    assert scenario.horizon_months.median() == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("request_bytes: 1e300", "is out of bounds"),
        ("request_bytes: 1.0e308", "is out of bounds"),
        ("request_bytes: 9223372036854775808", "is out of bounds"),
        ("request_bytes: " + "9" * 5000, "numbers are limited to 30 digits"),
        ("request_bytes: .inf", "not a finite number"),
        ("request_bytes: .nan", "not a finite number"),
    ],
)
def test_huge_and_non_finite_numbers_are_refused_with_the_field(tmp_path, text, expected):
    body = fixture_text().replace("request_bytes: 100000", text)
    message = error_of(load_scenario, write(tmp_path, "s.yaml", body))
    assert f"s.yaml:{line_of(body, 'request_bytes')}:" in message
    assert "workload.request_bytes" in message and expected in message


WHOLE_NUMBER_FIELDS = ["horizon_months", "sites.count", "edge.redundancy", "operations.waves"]
TOO_LARGE_FOR_A_FLOAT = int("9" * 1980)
"""A whole number of 1,980 digits: JSON and Python read it, a float cannot hold it."""


@pytest.mark.parametrize("field", WHOLE_NUMBER_FIELDS)
def test_a_whole_number_too_large_for_a_float_is_refused_with_its_field(field):
    factory = SCENARIOS / "factory-visual-qc.yaml"
    message = error_of(load_scenario, factory, overrides={field: TOO_LARGE_FOR_A_FLOAT})
    assert f"override: {field}: a number of about 1,98" in message
    assert "digits is out of bounds: allowed is a whole number >=" in message


def test_no_number_of_a_shipped_scenario_overflows_on_a_huge_whole_number():
    """Every number of every shipped scenario (and both ends of every range) given a 1,980-digit
    whole number is a ScenarioError naming it, never an OverflowError."""
    from edgecalc.results.diff import flatten
    from edgecalc.scenario import read_scenario_tree

    for path in sorted(SCENARIOS.glob("*.yaml")):
        tree = read_scenario_tree(path)
        for field, value in flatten(tree.with_overrides({}).model_dump(mode="json")).items():
            if isinstance(value, bool) or not isinstance(value, (int, float, dict)):
                continue
            for target in [field] if not isinstance(value, dict) else [f"{field}.low"]:
                with pytest.raises(ScenarioError, match=re.escape(target)):
                    tree.with_overrides({target: TOO_LARGE_FOR_A_FLOAT})


# -- item 7: sizes that drive memory are checked before allocating -------------------------------


def test_a_billion_sites_is_refused_before_allocating():
    started = time.monotonic()
    message = error_of(load_scenario, FIXTURE, overrides={"sites.count": 1_000_000_000})
    assert time.monotonic() - started < 5
    assert f"at most {limits.SITES_TOTAL:,} sites" in message


def test_a_billion_sites_in_one_list_entry_is_refused(tmp_path):
    text = fixture_text().replace("sites:\n  count: 2\n", "sites:\n  list:\n  - {name: a}\n")
    message = error_of(
        load_scenario, write(tmp_path, "s.yaml", text), overrides={"sites.list.0.count": 1e9}
    )
    assert "the sites add up to 1,000,000,000" in message


def test_too_many_site_entries_are_refused(tmp_path):
    text = fixture_text().replace(
        "sites:\n  count: 2\n",
        "sites:\n  list:\n" + "  - {name: s}\n" * (limits.SITE_ENTRIES + 1),
    )
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert f"the limit is {limits.SITE_ENTRIES:,}" in message


# -- items 13 and 14: overrides -------------------------------------------------------------------


def test_set_extends_is_refused():
    message = error_of(parse_overrides, ["extends=other.yaml"])
    assert "--set: extends: 'extends' cannot be overridden" in message
    message = error_of(load_scenario, FIXTURE, overrides={"extends": "x.yaml"})
    assert "override: extends:" in message


def test_set_errors_name_the_override_not_line_1():
    message = error_of(load_scenario, FIXTURE, overrides={"foo.bar": 1})
    assert message.startswith("override: foo: unknown key")
    message = error_of(load_scenario, FIXTURE, overrides={"sites.list.0.count": 3})
    assert message.startswith("override: sites.list.0.count: there is no list sites.list")


def test_set_value_is_read_as_yaml_1_2():
    assert parse_overrides(["sites.location.country=NO"]) == {"sites.location.country": "NO"}
    assert parse_overrides(["cloud.connection_reuse=false"]) == {"cloud.connection_reuse": False}
    message = error_of(parse_overrides, ["workload.request_bytes=.nan"])
    assert "--set: workload.request_bytes: bad override value: .nan is not a finite" in message


# -- item 13: names that refer to nothing ----------------------------------------------------------


def test_a_correlation_naming_an_unknown_path_is_refused_with_its_line(tmp_path):
    text = fixture_text() + (
        "correlations:\n"
        "  - between: [workload.inferences_per_secnd, edge.device_usd]\n"
        "    spearman: 0.5\n"
    )
    message = error_of(load_scenario, write(tmp_path, "s.yaml", text))
    assert (
        f"s.yaml:{line_of(text, 'between')}:15: correlations.0.between.0: "
        "'workload.inferences_per_secnd' names no numeric input" in message
    )


def test_a_correlation_of_a_path_with_itself_is_refused():
    overrides = {"correlations": [{"between": ["edge.device_usd"] * 2, "spearman": 0.5}]}
    message = error_of(load_scenario, FIXTURE, overrides=overrides)
    assert "correlations.0.between: a correlation of 'edge.device_usd' with itself" in message


def test_a_correlation_may_name_a_site_groups_estimated_rtt():
    overrides = {
        "correlations": [{"between": ["sites.rtt_ms", "edge.device_usd"], "spearman": 0.3}]
    }
    assert load_scenario(FIXTURE, overrides=overrides).correlations[0].spearman == 0.3


def test_accept_warnings_naming_no_check_is_refused():
    message = error_of(load_scenario, FIXTURE, overrides={"accept_warnings": ["stale_facts"]})
    assert "accept_warnings.0: 'stale_facts' names no plausibility check" in message
    assert "stale_fact," in message  # the allowed names are listed
    # a stale_fact entry names the catalog fact as the warning does (not the input it feeds)
    fact = "stale_fact:operations.truck_roll_usd"
    assert load_scenario(FIXTURE, overrides={"accept_warnings": [fact]}).accept_warnings == (fact,)


def test_the_listed_check_names_are_the_checks_plausibility_emits():
    # every module that writes plausibility warnings: a check written there and not listed
    # could not be accepted (accept_warnings would refuse its name)
    from edgecalc.catalog import cloud_prices
    from edgecalc.pipeline import fleet_plausibility, plausibility
    from edgecalc.scenario.check_names import PLAUSIBILITY_CHECKS

    emitted = set()
    for module in (plausibility, cloud_prices, fleet_plausibility):
        source = Path(module.__file__).read_text(encoding="utf-8")
        emitted |= set(re.findall(r'f"([a-z][a-z0-9_]+): ', source))
    assert emitted == set(PLAUSIBILITY_CHECKS)


def test_device_figures_for_an_unknown_device_is_refused():
    overrides = {"edge.device_figures": {"jetson-nope": {"device_usd": 500}}}
    message = error_of(load_scenario, FIXTURE, overrides=overrides)
    assert "edge.device_figures: unknown device 'jetson-nope'" in message


def test_to_yaml_round_trips_text_that_yaml_1_1_would_misread():
    scenario = load_scenario(
        FIXTURE,
        overrides={"sites.location.country": "NO", "name": "yes", "description": "0o17"},
    )
    text = scenario.to_yaml()
    again = load_scenario_text(text)
    assert again == scenario
    assert (again.name, again.description, again.sites.location.country) == ("yes", "0o17", "NO")


def test_a_hex_integer_of_300_digits_is_refused_before_converting():
    message = error_of(parse_overrides, ["horizon_months=0x" + "f" * 300])
    assert "a number with 300 digits; numbers are limited to 30 digits" in message
