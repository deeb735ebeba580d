"""Great-circle distance and the fibre floor: hand-worked numbers, invariants, the data file."""

import json
import math

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from edgecalc.latency import fibre_floor_rtt_ms, great_circle_km
from edgecalc.latency.geo import EARTH_MEAN_RADIUS_KM, RTT_CALIBRATION_PATH

latitudes = st.floats(min_value=-90.0, max_value=90.0)
longitudes = st.floats(min_value=-180.0, max_value=180.0)


def test_munich_to_frankfurt_by_hand():
    # Munich (48.14 N, 11.58 E) to Frankfurt (50.11 N, 8.68 E), R = 6371.0088 km:
    #   dphi = 1.97 deg = 0.0343830 rad, dlambda = -2.90 deg = -0.0506145 rad
    #   sin^2(dphi/2)                 = 0.00029552
    #   cos(48.14) cos(50.11)         = 0.66722 * 0.64140 = 0.42796
    #   sin^2(dlambda/2)              = 0.00064032
    #   a = 0.00029552 + 0.42796 * 0.00064032 = 0.00056955
    #   d = 2 R asin(sqrt(a)) = 2 * 6371.0088 * 0.0238675 = 304.12 km
    assert great_circle_km(48.14, 11.58, 50.11, 8.68) == pytest.approx(304.12, abs=0.01)


def test_quarter_of_the_equator_is_a_quarter_circumference():
    # (0, 0) to (0, 90): central angle pi/2, d = pi/2 * 6371.0088 = 10007.56 km
    assert great_circle_km(0.0, 0.0, 0.0, 90.0) == pytest.approx(10007.56, abs=0.01)


def test_scalars_give_a_float_and_arrays_broadcast():
    assert isinstance(great_circle_km(48.14, 11.58, 50.11, 8.68), float)
    sites_lat = np.array([48.14, 50.11, 0.0])
    sites_lon = np.array([11.58, 8.68, 0.0])
    distances_km = great_circle_km(sites_lat, sites_lon, 50.11, 8.68)
    assert distances_km.shape == (3,)
    assert distances_km[0] == pytest.approx(304.12, abs=0.01)
    assert distances_km[1] == 0.0
    one_by_one = [
        great_circle_km(la, lo, 50.11, 8.68) for la, lo in zip(sites_lat, sites_lon, strict=True)
    ]
    np.testing.assert_allclose(distances_km, one_by_one)


@pytest.mark.parametrize("bad_lat", [90.5, -91.0, float("nan")])
def test_impossible_latitude_is_refused(bad_lat):
    with pytest.raises(ValueError, match=r"latitude|finite"):
        great_circle_km(bad_lat, 0.0, 0.0, 0.0)


@settings(deadline=None)
@given(latitudes, longitudes, latitudes, longitudes)
def test_distance_is_symmetric_and_bounded(lat1, lon1, lat2, lon2):
    there_km = great_circle_km(lat1, lon1, lat2, lon2)
    back_km = great_circle_km(lat2, lon2, lat1, lon1)
    assert there_km == pytest.approx(back_km, abs=1e-6)
    assert 0.0 <= there_km <= math.pi * EARTH_MEAN_RADIUS_KM + 1e-6
    assert great_circle_km(lat1, lon1, lat1, lon1) == pytest.approx(0.0, abs=1e-6)


def test_fibre_floor_for_1000_km():
    # 2 * 1000 km / 204.19 km/ms = 9.7948 ms (about 1 ms per 100 km of distance)
    assert fibre_floor_rtt_ms(1000.0) == pytest.approx(9.7948, abs=1e-4)


def test_fibre_floor_is_distance_over_102_point_1():
    distances_km = np.array([0.0, 102.095, 6549.0])
    # 2 * d / 204.19 = d / 102.095: 0, 1.0, 64.146 ms
    np.testing.assert_allclose(fibre_floor_rtt_ms(distances_km), [0.0, 1.0, 64.146], atol=1e-3)


def test_fibre_floor_refuses_negative_distance():
    with pytest.raises(ValueError, match="distance_km"):
        fibre_floor_rtt_ms(np.array([10.0, -1.0]))


def test_calibration_file_states_fibre_speed_with_its_source():
    with RTT_CALIBRATION_PATH.open(encoding="utf-8") as handle:
        calibration = yaml.safe_load(handle)
    fibre = calibration["fibre_speed"]
    assert fibre["value"] == 204190
    assert "mapyourtech" in fibre["source"]
    assert fibre["as_of"]


def test_every_calibration_fact_and_dataset_has_source_and_as_of():
    with RTT_CALIBRATION_PATH.open(encoding="utf-8") as handle:
        calibration = yaml.safe_load(handle)
    facts = [calibration[key] for key in ("fibre_speed", "fixed_overhead")]
    facts += [calibration[key] for key in ("fit_bands_km", "report_bands_km", "split")]
    datasets = list(calibration["datasets"].values())
    for entry in facts + datasets:
        assert entry["source"] and entry["as_of"]
    rows = [row for dataset in datasets for row in dataset.get("rows", ())]
    assert len(rows) == 21  # the Azure rows of the reference; AWS is the full matrix file
    matrix_file = calibration["datasets"]["aws_cloudping_p50_1y"]["matrix_file"]
    matrix = json.loads((RTT_CALIBRATION_PATH.parent / matrix_file).read_text())["data"]
    assert len(matrix) == 32 and all(len(row) == 32 for row in matrix.values())
    assert matrix["us-east-1"]["us-east-2"] == 14.668  # as in the reference's row
    assert all(row["great_circle_km"] > 0 and row["rtt_p50_ms"] > 0 for row in rows)
