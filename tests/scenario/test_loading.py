"""Loading scenarios: extends, overrides, round trip, and every kind of bad input."""

from pathlib import Path

import pytest

import edgecalc
from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario, load_scenario_text, parse_overrides

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def fixture_text():
    return FIXTURE.read_text()


def error_of(path, **kw) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kw)
    return str(info.value)


def test_round_trip(tmp_path):
    scenario = load_scenario(FIXTURE)
    again = load_scenario_text(scenario.to_yaml())
    assert again == scenario


def test_round_trip_with_ranges(tmp_path):
    scenario = load_scenario(
        FIXTURE,
        overrides={
            "workload.growth_per_year": {"low": 0.05, "high": 0.3},
            "edge.device_usd": {"low": 800, "high": 1500, "dist": "uniform"},
        },
    )
    assert load_scenario_text(scenario.to_yaml()) == scenario


def test_range_median_is_used_for_a_deterministic_run():
    r = edgecalc.evaluate(FIXTURE, overrides={"edge.device_usd": {"low": 400, "high": 2500}})
    # lognormal 90% interval: median sqrt(400 × 2500) = 1000, the fixture's own price
    base = edgecalc.evaluate(FIXTURE)
    assert r.option("edge")["total_usd"] == pytest.approx(base.option("edge")["total_usd"])


def test_unknown_key_names_file_line_and_field(tmp_path):
    text = fixture_text().replace("  redundancy: 1\n", "  redundancy: 1\n  redundnacy: 2\n")
    path = write(tmp_path, "s.yaml", text)
    message = error_of(path)
    line = text.splitlines().index("  redundnacy: 2") + 1
    assert f"s.yaml:{line}:3: edge.redundnacy: unknown key" in message


def test_out_of_range_value_says_what_is_allowed(tmp_path):
    text = fixture_text().replace("annual_failure_rate: 0.12", "annual_failure_rate: 1.5")
    path = write(tmp_path, "s.yaml", text)
    message = error_of(path)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "annual_failure_rate" in t)
    assert f"s.yaml:{line}:" in message
    assert "edge.annual_failure_rate: 1.5 is out of bounds" in message
    assert "<= 1" in message


def test_bad_range_reports_the_range_problem(tmp_path):
    text = fixture_text().replace("device_usd: 1000", "device_usd: {low: 900, high: 100}")
    message = error_of(write(tmp_path, "s.yaml", text))
    assert "edge.device_usd: high (100) must not be below low (900)" in message


def test_wrong_enum_lists_allowed_values(tmp_path):
    text = fixture_text().replace("raw_data: anywhere", "raw_data: onsite")
    message = error_of(write(tmp_path, "s.yaml", text))
    assert "residency.raw_data" in message and "'on_site'" in message and "onsite" in message


def test_missing_required_field(tmp_path):
    text = fixture_text().replace("  budget_ms: 50\n", "")
    message = error_of(write(tmp_path, "s.yaml", text))
    assert "latency.budget_ms: required field is missing" in message


def test_yaml_syntax_error_has_position(tmp_path):
    text = fixture_text().replace("  count: 2\n", "  count: [2\n")
    message = error_of(write(tmp_path, "s.yaml", text))
    assert "s.yaml:" in message and "YAML syntax error" in message


def test_file_over_one_mib_is_refused(tmp_path):
    path = write(tmp_path, "big.yaml", fixture_text() + "#" * (1024 * 1024))
    assert "limited to 1 MiB" in error_of(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "binary file" in error_of(path)


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    message = error_of(write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n"))
    assert "too many aliases" in message


def test_python_tags_are_not_executed(tmp_path):
    marker = tmp_path / "executed"
    text = f"edgecalc: !!python/object/apply:os.system ['touch {marker}']\n"
    message = error_of(write(tmp_path, "s.yaml", text))
    assert "s.yaml:1:" in message and "YAML error" in message
    assert not marker.exists()


def test_extends_merges_and_head_wins(tmp_path):
    write(tmp_path, "base.yaml", fixture_text())
    head = write(tmp_path, "head.yaml", "extends: base.yaml\nname: Head\nedge:\n  redundancy: 0\n")
    scenario = load_scenario(head)
    assert scenario.name == "Head"
    assert scenario.edge.redundancy == 0
    assert scenario.edge.device_usd == 1000  # from the base


def test_extends_error_points_at_the_file_that_set_it(tmp_path):
    write(tmp_path, "base.yaml", fixture_text().replace("power_w: 20", "power_w: -5"))
    head = write(tmp_path, "head.yaml", "extends: base.yaml\nname: Head\n")
    message = error_of(head)
    assert "base.yaml:" in message and "edge.power_w" in message


def test_extends_cycle_is_detected(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "extends: a.yaml\n")
    assert "cycle" in error_of(b)


def test_overrides_apply_last_and_are_recorded():
    scenario = load_scenario(FIXTURE, overrides={"workload.inferences_per_second": 80})
    assert scenario.workload.inferences_per_second == 80
    result = edgecalc.evaluate(scenario)
    assert result.provenance["overrides"] == {"workload.inferences_per_second": 80}
    origins = result.assumptions.set_index("path")["origin"]
    assert origins["workload.inferences_per_second"] == "override"


def test_two_overrides_of_the_same_key_are_an_error():
    with pytest.raises(ScenarioError) as info:
        parse_overrides(["edge.redundancy=1", "edge.redundancy=2"])
    assert "edge.redundancy=1" in str(info.value) and "edge.redundancy=2" in str(info.value)


def test_bad_override_value_names_the_override():
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURE, overrides={"edge.redundancy": -1})
    assert "override" in str(info.value) and "edge.redundancy" in str(info.value)


def test_sites_need_count_or_list(tmp_path):
    text = fixture_text().replace("  count: 2\n", "")
    assert "give either 'count' or 'list'" in error_of(write(tmp_path, "s.yaml", text))


def test_missing_device_price_is_a_clear_evaluation_error():
    scenario = load_scenario(
        FIXTURE, overrides={"edge.device": "jetson-agx-orin-64gb-maxp", "edge.device_usd": None}
    )
    with pytest.raises(edgecalc.EdgecalcError) as info:
        edgecalc.evaluate(scenario)
    assert "edge.device_usd is required" in str(info.value)


def test_unknown_catalog_device_suggests_close_matches():
    # a misspelt catalog key fails validation (not evaluation), naming the field and the
    # nearest keys
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURE, overrides={"edge.device": "jetson-orin-nano-8gb"})
    assert "edge.device" in str(info.value) and "jetson-orin-nano-super-8gb" in str(info.value)


@pytest.mark.parametrize(
    ("path", "value", "close"),
    [
        ("cloud.instance", "aws/g6.xlarg", "aws/g6.xlarge"),
        ("cloud.region", "aws/eu-central-9", "aws/eu-central-1"),
        ("hybrid.device", "jetson-orin-nano-supr-8gb", "jetson-orin-nano-super-8gb"),
    ],
)
def test_unknown_catalog_keys_are_validation_errors(path, value, close):
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURE, overrides={path: value})
    assert path in str(info.value) and close in str(info.value)


def test_device_figures_for_an_unknown_device_are_a_validation_error():
    figures = {"jetson-orin-nano-supr-8gb": {"device_usd": 300}}
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURE, overrides={"edge.device_figures": figures})
    assert "edge.device_figures" in str(info.value)
    assert "jetson-orin-nano-super-8gb" in str(info.value)
