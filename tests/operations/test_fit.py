"""Model memory at its precision against device memory, on the catalog's reference models."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgecalc.operations import BYTES_PER_PARAMETER, fit, kv_cache_bytes, model_memory_bytes

YOLOV8S_PARAMETERS = 11.2e6  # catalog models.parameter_counts.yolov8s
LLAMA3_8B_PARAMETERS = 8e9  # nominal "8B"


def test_yolov8s_int8_fits_8_gb():
    result = fit(YOLOV8S_PARAMETERS, "int8", 8e9)
    # 11.2e6 x 1 byte x 1.2 = 13.44 MB
    assert result.fits
    assert result.required_bytes == pytest.approx(13.44e6)
    assert result.smallest_precision_that_fits == "int8"
    assert result.headroom_fraction == pytest.approx(1 - 13.44e6 / 8e9)
    assert result.reason == (
        "11.2 M parameters at int8 need 13.4 MB (weights 11.2 MB + 20% runtime overhead); "
        "the device has 8 GB."
    )


def test_llama3_8b_fp16_does_not_fit_16_gb_but_int8_does():
    result = fit(LLAMA3_8B_PARAMETERS, "fp16", 16e9)
    # 8e9 x 2 bytes = 16 GB weights x 1.2 = 19.2 GB > 16 GB
    assert not result.fits
    assert result.required_bytes == pytest.approx(19.2e9)
    assert result.headroom_fraction == pytest.approx((16 - 19.2) / 16)
    # int8: 8e9 x 1 x 1.2 = 9.6 GB <= 16 GB
    assert result.smallest_precision_that_fits == "int8"
    assert "3.2 GB short" in result.reason
    assert "At int8 it needs 9.6 GB and fits." in result.reason
    assert fit(LLAMA3_8B_PARAMETERS, "int8", 16e9).fits


def test_nothing_fits_names_int4():
    # 70e9 x 0.5 x 1.2 = 42 GB > 16 GB
    result = fit(70e9, "bf16", 16e9)
    assert result.smallest_precision_that_fits is None
    assert "does not fit even at int4 (42 GB)" in result.reason


def test_fixed_overhead_and_kv_cache_enter_the_sum_and_the_reason():
    kv = float(kv_cache_bytes(32, 8, 128, 8192))
    # 2 x 32 x 8 x 128 x 8192 x 2 bytes = 1,073,741,824 bytes
    assert kv == 1_073_741_824
    result = fit(8e9, "int4", 8e9, overhead_fixed_bytes=0.5e9, kv_cache_bytes=kv)
    # 4 GB x 1.2 + 0.5 GB + 1.07 GB = 6.37 GB
    assert result.required_bytes == pytest.approx(4.8e9 + 0.5e9 + kv)
    assert result.fits
    assert "+ 500 MB fixed + 1.07 GB KV cache" in result.reason


def test_precision_names():
    assert float(model_memory_bytes(1e6, "BF16", overhead_fraction=0)) == 2e6
    # fp8 is a precision (1 byte, OCP OFP8); an unknown name is still an error
    assert float(model_memory_bytes(1e6, "fp8", overhead_fraction=0)) == 1e6
    with pytest.raises(ValueError, match="unknown precision"):
        fit(1e6, "fp6", 1e9)


def test_vectorised_over_parameters():
    needed = model_memory_bytes(np.array([3.2e6, 11.2e6, 25.9e6]), "fp16")
    np.testing.assert_allclose(needed, np.array([3.2e6, 11.2e6, 25.9e6]) * 2 * 1.2)


@given(
    parameters=st.floats(0, 1e11),
    memory=st.floats(1e6, 1e12),
    precision=st.sampled_from(["fp32", "fp16", "bf16", "int8", "int4"]),
)
def test_fitting_precision_is_at_or_below_the_asked_one_and_fits(parameters, memory, precision):
    result = fit(parameters, precision, memory)
    chosen = result.smallest_precision_that_fits
    if result.fits:
        assert chosen == precision
        return
    asked = BYTES_PER_PARAMETER[precision]
    between = [p for p, b in BYTES_PER_PARAMETER.items() if b <= asked]
    if chosen is None:
        assert all(model_memory_bytes(parameters, p) > memory for p in between)
        return
    # it fits at the chosen precision, and at no wider one up to the asked one
    assert model_memory_bytes(parameters, chosen) <= memory
    wider = [p for p in between if BYTES_PER_PARAMETER[p] > BYTES_PER_PARAMETER[chosen]]
    assert all(model_memory_bytes(parameters, p) > memory for p in wider)


def test_the_fit_wording_and_the_engine_read_one_bytes_per_parameter_table():
    # The engine prices memory from the catalog's models.bytes_per_parameter; the reason's
    # wording ("at int8 it needs ... and fits") from BYTES_PER_PARAMETER: they must agree.
    from edgecalc import load_catalog

    catalog = load_catalog()
    for precision, size in BYTES_PER_PARAMETER.items():
        assert catalog.fact(f"models.bytes_per_parameter.{precision}").value == size, precision


def test_memory_from_bytes_per_weight_is_the_precision_formula():
    # 8e9 x 2 bytes x (1 + 0.2) + 1e9 + 5e8 = 19.2e9 + 1.5e9 = 20.7e9 bytes
    from edgecalc.operations.fit import memory_bytes

    assert float(memory_bytes(8e9, 2.0, 0.2, 1e9, 5e8)) == pytest.approx(20.7e9)
    assert float(model_memory_bytes(8e9, "fp16", overhead_fixed_bytes=1e9, kv_cache_bytes=5e8)) == (
        pytest.approx(20.7e9)
    )
