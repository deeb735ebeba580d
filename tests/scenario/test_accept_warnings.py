"""Every plausibility check can be accepted, by name or as check:key, and an entry that
accepts nothing is refused where it is written.

Each case below makes one check warn on the hand-worked fixture; the warning must name a
check and a key that ``accept_warnings`` allows, and the entry must then silence it in
``validate --strict``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.errors import ScenarioError
from edgecalc.pipeline.plausibility import check_plausibility, unaccepted
from edgecalc.scenario import load_scenario
from edgecalc.scenario.check_names import (
    CHECK_KEYS,
    PLAUSIBILITY_CHECKS,
    warning_check_and_key,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"

CALM = {"edge.target_utilization": 0.9}
"""The fixture runs its devices at 100%: at 90% its utilisation check is quiet."""

TRIGGERS = {
    ("utilisation_above_0_95", "cloud.target_utilization"): {"cloud.target_utilization": 0.97},
    ("utilisation_above_0_95", "edge.target_utilization"): {"edge.target_utilization": 1.0},
    ("refresh_beyond_device_life", "edge.refresh_months"): {"edge.refresh_months": 96},
    ("model_does_not_fit", "edge"): {"model.parameters": 15e9},
    ("commitment_discount_above_published_maximum", "cloud.commitment.discount_fraction"): {
        "cloud.commitment": {"term_years": 3, "discount_fraction": 0.8}
    },
    ("spot_share_above_0_9", "cloud.spot.share"): {
        "cloud.spot": {"share": 0.95, "usd_per_hour": 0.4}
    },
    ("idle_above_active_power", "edge.idle_power_w"): {"edge.idle_power_w": 30},
    ("support_above_0_25", "edge.support_fraction_per_year"): {
        "edge.support_fraction_per_year": 0.4
    },
}
"""(check, key) -> overrides of the fixture that make that check warn about that key."""


def warnings_of(overrides: dict) -> list[str]:
    return check_plausibility(edgecalc.evaluate(FIXTURE, overrides={**CALM, **overrides}))


def test_every_check_has_a_case_here_but_stale_fact():
    # stale_fact has tests of its own (tests/pipeline/test_stale_facts.py)
    assert {check for check, _ in TRIGGERS} == set(PLAUSIBILITY_CHECKS) - {"stale_fact"}


@pytest.mark.parametrize(
    ("check", "key"), [pytest.param(*pair, id=":".join(pair)) for pair in TRIGGERS]
)
def test_each_check_warns_about_a_key_it_may_be_accepted_by(check, key):
    found = [w for w in warnings_of(TRIGGERS[check, key]) if w.startswith(f"{check}: ")]
    assert found, f"{check} did not warn"
    assert {warning_check_and_key(w) for w in found} >= {(check, key)}
    allowed = CHECK_KEYS[check]
    if allowed is not None:
        assert key in allowed
    # the entry loads, and silences that warning and no other check's
    for entry in (check, f"{check}:{key}", f" {check} : {key} "):
        scenario = load_scenario(
            FIXTURE, overrides={**CALM, **TRIGGERS[check, key], "accept_warnings": [entry]}
        )
        left = unaccepted(warnings_of(TRIGGERS[check, key]), scenario.accept_warnings)
        assert not [w for w in left if warning_check_and_key(w) == (check, key)], entry


def test_a_model_that_fits_nowhere_on_the_edge_is_accepted_option_by_option():
    warnings = [w for w in warnings_of({"model.parameters": 15e9}) if "model_does_not_fit" in w]
    # 15e9 parameters at int8 need 18 GB (with the runtime's overhead): not the 8 GB device
    # (edge, and hybrid's fast path on it), but the cloud's 24 GB L4
    assert {warning_check_and_key(w)[1] for w in warnings} == {"edge", "hybrid"}
    left = unaccepted(warnings, ("model_does_not_fit:edge",))
    assert [warning_check_and_key(w)[1] for w in left] == ["hybrid"]


def test_validate_strict_passes_a_spot_share_its_reviewers_accepted(tmp_path, capsys):
    text = FIXTURE.read_text().replace("  target_utilization: 1.0\n", "  target_utilization: 0.9\n")
    text = text.replace("cloud:\n", "cloud:\n  spot: {share: 0.95, usd_per_hour: 0.4}\n", 1)
    path = tmp_path / "spot.yaml"
    path.write_text(text)
    assert main(["validate", "--strict", str(path)]) == 1
    assert "spot_share_above_0_9: cloud.spot.share is 0.95" in capsys.readouterr().err
    path.write_text(text + "accept_warnings: [spot_share_above_0_9]\n")
    assert main(["validate", "--strict", str(path)]) == 0


def refusal(overrides: dict) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURE, overrides=overrides)
    return str(info.value)


def test_a_key_the_check_never_warns_about_is_refused_naming_the_keys_it_does():
    message = refusal({"accept_warnings": ["utilisation_above_0_95:hybrid.target_utilization"]})
    assert (
        "accept_warnings.0: 'utilisation_above_0_95:hybrid.target_utilization' accepts no "
        "warning: utilisation_above_0_95 warns about cloud.target_utilization or "
        "edge.target_utilization" in message
    )


def test_an_option_the_scenario_does_not_have_is_refused_naming_its_options():
    message = refusal({"accept_warnings": ["model_does_not_fit:hub"]})
    assert "'model_does_not_fit:hub' accepts no warning: model_does_not_fit warns about " in (
        message
    )
    assert "cloud, edge or hybrid; name an option of the scenario" in message
    # a hub is an option by its name, and hybrid only while the scenario has one
    hub = {"name": "plant", "sites_per_hub": 2}
    ok = load_scenario(
        FIXTURE, overrides={"hubs": [hub], "accept_warnings": ["model_does_not_fit:plant"]}
    )
    assert ok.accept_warnings == ("model_does_not_fit:plant",)
    message = refusal({"hybrid": None, "accept_warnings": ["model_does_not_fit:hybrid"]})
    assert "warns about cloud or edge; name an option" in message


def test_a_refused_key_names_the_file_and_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(FIXTURE.read_text() + "accept_warnings:\n  - spot_share_above_0_9:edge\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    line = len(FIXTURE.read_text().splitlines()) + 2
    assert f"s.yaml:{line}:" in str(info.value)
    assert "spot_share_above_0_9 warns about cloud.spot.share" in str(info.value)
