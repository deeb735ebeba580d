"""Update and telemetry volumes of edge devices, worked by hand."""

from __future__ import annotations

import pytest

from edgecalc.costs.device_traffic import telemetry_upload_gb, update_download_gb

X = {
    "model.updates_per_year": 12.0,
    "model.parameters": 11.2e6,
    "model.bytes_per_parameter": 2.0,  # fp16
    "hybrid.model_parameters": 3.2e6,
    "hybrid.bytes_per_parameter": 1.0,  # int8
    "model.delta_update_fraction": 0.5,
    "operations.update_failure_rate": 0.2,
    "edge.telemetry_bytes_per_device_day": 48e6,
}


def test_update_downloads_by_hand():
    # 10 devices x 12/12 per month x 11.2e6 x 2 B x 0.5 x 1/(1-0.2) / 1e9 = 0.14 GB
    assert update_download_gb(X.get, 10.0, "edge") == pytest.approx(0.14)


def test_a_hybrid_device_downloads_the_fast_path_model_at_its_precision():
    # 10 x 1 x 3.2e6 x 1 B x 0.5 x 1.25 / 1e9 = 0.02 GB (not the main model's 11.2e6 x 2 B)
    assert update_download_gb(X.get, 10.0, "hybrid") == pytest.approx(0.02)


def test_telemetry_by_hand():
    # 10 devices x 48e6 B/day x 730/24 days / 1e9 = 14.6 GB/month
    assert telemetry_upload_gb(X.get, 10.0) == pytest.approx(14.6)
