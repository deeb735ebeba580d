"""Fact dates and the unknown-key error."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgecalc.catalog import CatalogError, Fact


def _fact(as_of: str) -> Fact:
    return Fact(key="k", value=1.0, unit="W", source="https://example.org", as_of=as_of)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2023-09", datetime.date(2023, 9, 1)),
        ("2023", datetime.date(2023, 1, 1)),
        ("2025-03-06", datetime.date(2025, 3, 6)),
        (
            "2026-07-20T13:44:30Z (file header 'generated at ... for us-east-1')",
            datetime.date(2026, 7, 20),
        ),
        ("2022-01-01 (price-list EffectiveDate)", datetime.date(2022, 1, 1)),
        ("2025-H1", datetime.date(2025, 1, 1)),
        ("2023 (Electric Power Annual, released 2024-10-17)", datetime.date(2023, 1, 1)),
        ("2026-07-06 ; 2026-07-11", datetime.date(2026, 7, 6)),
        (
            "mixed: 2026-08-03 and SkyPilot commit 006059e0 (date unknown)",
            datetime.date(2026, 8, 3),
        ),
        ("2026 (wring.co)", datetime.date(2026, 1, 1)),
        ("undated", None),
        ("undated (launch coverage; before 2026-05)", None),
        ("unknown (archived page)", None),
        # A date inside an "unknown" remark is not the fact's date.
        ("unknown - repository copy at commit 006059e0 (absent from the 2024-09 list)", None),
    ],
)
def test_as_of_date_parses_the_reference_forms(as_of, expected):
    assert _fact(as_of).as_of_date() == expected


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_as_of_date_round_trips_iso_dates(day):
    assert _fact(day.isoformat()).as_of_date() == day


def test_age_days():
    # 2023-09 -> 2023-09-01; to 2023-09-11 is 10 days.
    assert _fact("2023-09").age_days(datetime.date(2023, 9, 11)) == 10
    assert _fact("undated").age_days(datetime.date(2023, 9, 11)) is None


def test_catalog_error_names_close_matches_and_count():
    error = CatalogError("device", "jetson-agx-orin", ["jetson-agx-orin-64gb", "coral-dev-board"])
    assert isinstance(error, KeyError)
    text = str(error)
    assert "'jetson-agx-orin'" in text
    assert "jetson-agx-orin-64gb" in text
    assert "coral-dev-board" not in text
    assert "2 devices" in text
    # str() is the message itself (not KeyError's quoted repr), and so is args[0].
    assert error.args[0] == text
    assert error.close_matches == ("jetson-agx-orin-64gb",)


def test_catalog_error_without_a_close_match():
    text = str(CatalogError("region", "xyz", ["aws/us-east-1"]))
    assert "no close match" in text
    assert "1 regions" in text
