"""What each edge device downloads and uploads for its own upkeep: model updates and telemetry.

One home for both volumes: the edge option's cost lines (:func:`edgecalc.costs.options.edge_lines`)
price them, and the site link (:func:`edgecalc.costs.link_lines.device_traffic_gb`) carries them.
"""

from __future__ import annotations

from ..operations.expected import expected_attempts_per_update
from .volume import HOURS_PER_MONTH

GB = 1e9
"""Bytes in a (decimal) gigabyte [bytes/GB]."""


def model_paths(prefix: str) -> tuple[str, str]:
    """The input paths of the deployed model's weights and bytes per weight: the fast-path
    model's for ``hybrid``, the model's otherwise."""
    if prefix == "hybrid":
        return "hybrid.model_parameters", "hybrid.bytes_per_parameter"
    return "model.parameters", "model.bytes_per_parameter"


def update_download_gb(col, devices, prefix: str):
    """Model-update downloads [GB/month].

    Notes
    -----
    ``devices × per_device`` with ``per_device = updates_per_year / 12 × parameters ×
    bytes_per_parameter × delta_update_fraction × expected attempts (1 / (1 - update_failure_rate))
    / 1e9`` [GB per device-month]: the per-device volume is worked out once per sample, and the
    devices (samples x months) multiplied by it once.
    """
    params, bytes_per_parameter = model_paths(prefix)
    per_device_gb = (
        col("model.updates_per_year")
        / 12
        * col(params)
        * col(bytes_per_parameter)
        * col("model.delta_update_fraction")
        * expected_attempts_per_update(col("operations.update_failure_rate"))
        / GB
    )
    return devices * per_device_gb


def telemetry_upload_gb(col, devices):
    """Telemetry uploads [GB/month].

    Notes
    -----
    ``devices × (telemetry_bytes_per_device_day × 730 / 24 / 1e9)``: the per-device volume
    once per sample, then one product with the devices.
    """
    return devices * (col("edge.telemetry_bytes_per_device_day") * HOURS_PER_MONTH / 24 / GB)
