"""Does the model fit in the device's memory, and at which precision would it?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BYTES_PER_PARAMETER",
    "DEFAULT_OVERHEAD_FRACTION",
    "FitResult",
    "fit",
    "format_bytes",
    "kv_cache_bytes",
    "memory_bytes",
    "model_memory_bytes",
]

FloatArray = NDArray[np.float64]

BYTES_PER_PARAMETER: dict[str, float] = {
    "fp32": 4.0,
    "fp16": 2.0,
    "bf16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "int4": 0.5,
}
"""Bytes per weight at each precision [bytes/parameter]; widest first.

Definitional; catalog ``models.bytes_per_parameter`` in ``shared/reference/edge.yaml``. Real
int4 formats store per-group scales too, so they need somewhat more than 0.5.
"""

DEFAULT_OVERHEAD_FRACTION = 0.20
"""Runtime overhead on top of the weights at inference [fraction].

"Add up to an additional 20%": Hugging Face accelerate's model-memory estimator, citing
EleutherAI's Transformer Math (https://blog.eleuther.ai/transformer-math/); catalog
``models.runtime_overhead_rules_of_thumb.inference_overhead_fraction_hf_eleuther``. Excludes
large KV caches and, on Jetson, the OS and app sharing the same memory.
"""

_SEARCH_ORDER = ("fp32", "fp16", "int8", "int4")
"""Precisions suggested when a model does not fit; fp8 is left out (few edge accelerators run
it: Jetson Orin does not), int8 has the same size."""


def _bytes_per_parameter(precision: str) -> float:
    try:
        return BYTES_PER_PARAMETER[precision.lower()]
    except KeyError:
        known = ", ".join(BYTES_PER_PARAMETER)
        raise ValueError(f"unknown precision {precision!r}; known: {known}") from None


def kv_cache_bytes(
    layers: ArrayLike,
    kv_heads: ArrayLike,
    head_dim: ArrayLike,
    context_tokens: ArrayLike,
    concurrency: ArrayLike = 1,
    bytes_per_value: ArrayLike = 2.0,
) -> FloatArray:
    """Memory of a transformer's key/value cache.

    Parameters
    ----------
    layers : int or array
        Transformer layers [count].
    kv_heads : int or array
        Key/value heads per layer (fewer than query heads with grouped-query attention) [count].
    head_dim : int or array
        Dimension of one head [values].
    context_tokens : int or array
        Tokens held per sequence (prompt + generated) [tokens].
    concurrency : int or array, default 1
        Sequences served at once [sequences].
    bytes_per_value : float or array, default 2
        Bytes per cached value (2 for fp16/bf16, 1 for an int8 cache) [bytes].

    Returns
    -------
    ndarray
        KV cache size [bytes].

    Notes
    -----
    ``2 (keys and values) x layers x kv_heads x head_dim x context_tokens x concurrency x
    bytes_per_value``. Zero context or concurrency gives 0 (vision models have no KV cache).

    Examples
    --------
    Llama 3 8B (32 layers, 8 KV heads of 128), 8,192 tokens, one sequence, fp16:

    >>> float(kv_cache_bytes(32, 8, 128, 8192))
    1073741824.0
    """
    values = (
        2.0
        * np.asarray(layers, dtype=float)
        * np.asarray(kv_heads)
        * np.asarray(head_dim)
        * np.asarray(context_tokens)
        * np.asarray(concurrency)
    )
    return values * np.asarray(bytes_per_value, dtype=float)


def model_memory_bytes(
    parameters: ArrayLike,
    precision: str,
    *,
    overhead_fraction: ArrayLike = DEFAULT_OVERHEAD_FRACTION,
    overhead_fixed_bytes: ArrayLike = 0.0,
    kv_cache_bytes: ArrayLike = 0.0,
) -> FloatArray:
    """Memory a model needs to serve at a given precision.

    Parameters
    ----------
    parameters : float or array
        Weights in the model [parameters].
    precision : {"fp32", "fp16", "bf16", "fp8", "int8", "int4"}
        Numeric format of the weights.
    overhead_fraction : float or array, default 0.20
        Runtime overhead (activations, workspace) as a share of the weights [fraction].
    overhead_fixed_bytes : float or array, default 0
        Fixed runtime memory (framework, CUDA context) [bytes].
    kv_cache_bytes : float or array, default 0
        KV cache for language models, see :func:`kv_cache_bytes` [bytes].

    Returns
    -------
    ndarray
        Required memory [bytes].

    Notes
    -----
    .. math::

        M = N \\cdot b_{precision} \\cdot (1 + f) + M_{fixed} + M_{KV}

    with :math:`b` = 4 / 2 / 2 / 1 / 0.5 bytes for fp32 / fp16 / bf16 / int8 / int4 and
    :math:`f` = 0.20 by default (HF accelerate, after EleutherAI). Zero parameters leave the
    fixed and KV terms.

    Examples
    --------
    >>> float(model_memory_bytes(8e9, "fp16"))
    19200000000.0
    """
    return memory_bytes(
        parameters,
        _bytes_per_parameter(precision),
        overhead_fraction,
        overhead_fixed_bytes,
        kv_cache_bytes,
    )


def memory_bytes(
    parameters: ArrayLike,
    bytes_per_parameter: ArrayLike,
    overhead_fraction: ArrayLike = DEFAULT_OVERHEAD_FRACTION,
    overhead_fixed_bytes: ArrayLike = 0.0,
    kv_cache_bytes: ArrayLike = 0.0,
) -> FloatArray:
    """Memory a model needs to serve, from its bytes per weight: the one formula the engine's
    fit check and the fit wording (:func:`model_memory_bytes`) both use.

    Notes
    -----
    ``parameters × bytes_per_parameter × (1 + overhead_fraction) + overhead_fixed_bytes +
    kv_cache_bytes`` [bytes].

    Examples
    --------
    YOLOv8s (11.2 M parameters) at int8 with 20% overhead: 11.2e6 × 1 × 1.2 = 13.44 MB.

    >>> float(memory_bytes(11.2e6, 1, 0.2))
    13440000.0
    """
    weights = np.asarray(parameters, dtype=float) * np.asarray(bytes_per_parameter, dtype=float)
    return (
        weights * (1 + np.asarray(overhead_fraction, dtype=float))
        + np.asarray(overhead_fixed_bytes, dtype=float)
        + np.asarray(kv_cache_bytes, dtype=float)
    )


def format_bytes(value: float) -> str:
    """Bytes in decimal units with three significant figures, e.g. ``"13.4 MB"``, ``"8 GB"``.

    Examples
    --------
    >>> format_bytes(13.44e6), format_bytes(8e9), format_bytes(512)
    ('13.4 MB', '8 GB', '512 B')
    """
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(value) >= size:
            return f"{value / size:.3g} {unit}"
    return f"{value:.3g} B"


def _format_count(value: float) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"{value / size:.3g} {unit}"
    return f"{value:.3g}"


@dataclass(frozen=True)
class FitResult:
    """Whether a model fits a device, with the numbers and a sentence a user reads.

    Attributes
    ----------
    fits : bool
        Required memory is at most the device's memory.
    required_bytes : float
        Memory the model needs at ``precision`` [bytes].
    available_bytes : float
        Device memory [bytes].
    headroom_fraction : float
        ``(available - required) / available``; negative when it does not fit [fraction].
    precision : str
        Precision asked for.
    smallest_precision_that_fits : str or None
        The widest precision, at or below the one asked for, at which the model fits (the
        least quantisation needed); ``None`` if it does not fit even at int4.
    reason : str
        One or two sentences with the figures.
    """

    fits: bool
    required_bytes: float
    available_bytes: float
    headroom_fraction: float
    precision: str
    smallest_precision_that_fits: str | None
    reason: str


def fit(
    parameters: float,
    precision: str,
    device_memory_bytes: float,
    *,
    overhead_fraction: float = DEFAULT_OVERHEAD_FRACTION,
    overhead_fixed_bytes: float = 0.0,
    kv_cache_bytes: float = 0.0,
) -> FitResult:
    """Check a model against a device's memory and name the precision that would fit.

    Parameters
    ----------
    parameters : float
        Weights in the model [parameters], >= 0.
    precision : {"fp32", "fp16", "bf16", "fp8", "int8", "int4"}
        Precision the model is deployed at.
    device_memory_bytes : float
        Memory available to the model on the device [bytes], > 0.
    overhead_fraction, overhead_fixed_bytes, kv_cache_bytes
        As in :func:`model_memory_bytes` [fraction, bytes, bytes].

    Returns
    -------
    FitResult

    Notes
    -----
    Fits when :math:`M \\le M_{device}` with :math:`M` from :func:`model_memory_bytes`.
    Precisions are tried from the one asked for down to int4 (bf16 counts as fp16); the fixed
    overhead and KV cache do not shrink with the weights. Zero parameters fit whenever the
    fixed terms do.

    Examples
    --------
    >>> fit(11.2e6, "int8", 8e9).reason
    '11.2 M parameters at int8 need 13.4 MB (weights 11.2 MB + 20% runtime overhead); the device has 8 GB.'
    >>> r = fit(8e9, "fp16", 16e9)
    >>> r.fits, r.smallest_precision_that_fits
    (False, 'int8')
    """  # noqa: E501
    if device_memory_bytes <= 0:
        raise ValueError("device_memory_bytes must be > 0")
    if parameters < 0:
        raise ValueError("parameters must be >= 0")
    precision = precision.lower()
    asked_bytes_per_parameter = _bytes_per_parameter(precision)

    def required(at: str) -> float:
        return float(
            model_memory_bytes(
                parameters,
                at,
                overhead_fraction=overhead_fraction,
                overhead_fixed_bytes=overhead_fixed_bytes,
                kv_cache_bytes=kv_cache_bytes,
            )
        )

    need = required(precision)
    fits = need <= device_memory_bytes
    candidates = [p for p in _SEARCH_ORDER if BYTES_PER_PARAMETER[p] <= asked_bytes_per_parameter]
    if fits:
        fitting: str | None = precision
    else:
        fitting = next((p for p in candidates if required(p) <= device_memory_bytes), None)

    parts = [f"weights {format_bytes(parameters * asked_bytes_per_parameter)}"]
    parts.append(f"{overhead_fraction:.0%} runtime overhead")
    if overhead_fixed_bytes:
        parts.append(f"{format_bytes(overhead_fixed_bytes)} fixed")
    if kv_cache_bytes:
        parts.append(f"{format_bytes(kv_cache_bytes)} KV cache")
    reason = (
        f"{_format_count(parameters)} parameters at {precision} need {format_bytes(need)} "
        f"({' + '.join(parts)}); the device has {format_bytes(device_memory_bytes)}"
    )
    if fits:
        reason += "."
    elif fitting is not None:
        reason += (
            f": {format_bytes(need - device_memory_bytes)} short. "
            f"At {fitting} it needs {format_bytes(required(fitting))} and fits."
        )
    else:
        reason += f": it does not fit even at int4 ({format_bytes(required('int4'))})."
    return FitResult(
        fits=fits,
        required_bytes=need,
        available_bytes=float(device_memory_bytes),
        headroom_fraction=(device_memory_bytes - need) / device_memory_bytes,
        precision=precision,
        smallest_precision_that_fits=fitting,
        reason=reason,
    )
