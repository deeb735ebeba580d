"""Precision changes speed, not only memory: throughput and latency per precision.

A device or instance runs a model faster at a narrower precision where it has the arithmetic
for it. Two ways to say by how much:

- **figures per precision** (``edge.figures_by_precision``, ``cloud.figures_by_precision``):
  measured throughput and latency at each precision; the model's precision picks its own.
  The only honest way for compute-bound models (vision), where the gain depends on the
  accelerator's int8/fp8 units and no rule scales one figure into another.
- **scaling by bytes read** (``model.speed_measured_at``): an LLM's decode step reads every
  weight once per token and is bound by memory bandwidth, so its time per token scales with
  the bytes per parameter. When the figures were measured at another precision, throughput
  is multiplied, and latency divided, by ``bytes(measured) / bytes(deployed)``; stated as the
  method, a first-order rule (prefill, KV-cache reads and dequantisation overhead do not
  scale so).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .ranges import Num, Range

Precision = Literal["fp32", "fp16", "bf16", "fp8", "int8", "int4"]
"""Numeric precision of deployed weights."""


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class DeviceSpeed(_Fields):
    """Throughput and latency of one device at one precision."""

    inferences_per_second_per_device: Num(gt=0) | None = None
    """Throughput of one device at this precision [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Inference time at this precision at the latency percentile [ms]."""


class InstanceSpeed(_Fields):
    """Throughput and latency of one cloud instance at one precision."""

    inferences_per_second_per_instance: Num(gt=0) | None = None
    """Throughput of one instance at this precision [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Inference time at this precision at the latency percentile [ms]."""


def scale_figure(value: float | Range, factor: float) -> float | Range:
    """A figure (a number or a range) multiplied by ``factor`` > 0.

    Examples
    --------
    >>> scale_figure(10.0, 2.0)
    20.0
    >>> scale_figure(Range(low=1, high=4), 0.5).high
    2.0
    """
    if isinstance(value, Range):
        update = {"low": value.low * factor, "high": value.high * factor}
        for bound in ("mode", "min", "max"):
            if getattr(value, bound) is not None:
                update[bound] = getattr(value, bound) * factor
        return value.model_copy(update=update)
    return float(value) * factor


def bytes_read_speedup(measured_bytes_per_parameter: float, deployed_bytes_per_parameter: float):
    """How much faster a memory-bound decode runs at the deployed precision.

    Returns
    -------
    float
        ``measured / deployed`` bytes per parameter [ratio]: throughput is multiplied and
        latency divided by it.

    Examples
    --------
    Figures measured at fp16 (2 bytes), deployed at int4 (0.5 bytes): 4x the tokens per second.

    >>> bytes_read_speedup(2.0, 0.5)
    4.0
    """
    if measured_bytes_per_parameter <= 0 or deployed_bytes_per_parameter <= 0:
        raise ValueError("bytes per parameter must be > 0")
    return measured_bytes_per_parameter / deployed_bytes_per_parameter
