"""Residency rules read as words in every reason and report: "in-country", "on site",
"in region", "anywhere", from one mapping (:data:`edgecalc.format.RESIDENCY_WORDS`).

Regression: the hybrid reason said "which residency 'in_country' allows", quoting the enum.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

import edgecalc
from edgecalc.format import RESIDENCY_WORDS, residency
from edgecalc.render import render
from edgecalc.scenario.models import Hub, Residency

ROOT = Path(__file__).resolve().parents[2]
HYBRID = ROOT / "scenarios" / "hybrid-self-checkout.yaml"
HUBS = ROOT / "tests" / "fixtures" / "hub-hand-worked.yaml"
ENUMS = ("on_site", "in_country", "in_region")


def test_every_rule_and_hub_placement_has_its_words():
    assert set(RESIDENCY_WORDS) == set(typing.get_args(Residency))
    placements = typing.get_args(Hub.model_fields["placement"].annotation)
    assert set(placements) <= set(RESIDENCY_WORDS)
    assert [residency(r) for r in ("on_site", "in_country", "in_region", "anywhere")] == [
        "on site", "in-country", "in region", "anywhere",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def hybrid():
    return edgecalc.evaluate(HYBRID)


def test_the_hybrid_reason_names_the_rule_in_words(hybrid):
    (cost,) = [r for r in hybrid.decision.reasons if r.startswith("hybrid (")]
    assert hybrid.scenario.residency.derived_data == "in_country"
    assert cost.endswith("carrying derived data, which its residency rule (in-country) allows")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_no_report_quotes_a_residency_enum(hybrid, fmt):
    text = render(hybrid, fmt)
    assert "which its residency rule (in-country) allows" in text
    for enum in ENUMS:
        assert f"'{enum}'" not in text and f"&#x27;{enum}&#x27;" not in text


def test_a_broken_rule_and_a_satisfied_one_in_words():
    moved = edgecalc.evaluate(
        HYBRID, overrides={"residency.raw_data": "in_country", "cloud.region": "aws/eu-west-1"}
    )
    assert "raw data must stay in-country (sites in DE)" in " ".join(
        moved.decision.violations["cloud"]
    )
    region = edgecalc.evaluate(HYBRID, overrides={"residency.raw_data": "in_region"})
    detail = region.constraints.set_index(["option", "constraint"]).detail
    assert detail[("cloud", "residency")] == (
        "raw data may go to aws/eu-central-1 under its residency rule (in region)"
    )


def test_a_hub_placement_in_words():
    r = edgecalc.evaluate(HUBS, {"residency.raw_data": "on_site"})
    detail = r.constraints.set_index(["option", "constraint"]).detail
    assert detail[("zone", "residency")] == "raw data must stay on site, but the hub is in-country"
    r = edgecalc.evaluate(HUBS, {"residency.raw_data": "in_region"})
    detail = r.constraints.set_index(["option", "constraint"]).detail
    assert detail[("zone", "residency")] == (
        "raw data is processed at the hub (in-country), which its residency rule (in region) allows"
    )
