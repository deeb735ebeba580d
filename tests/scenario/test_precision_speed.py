"""Precision changes speed, not only memory: figures per precision, and the bytes-read rule."""

from pathlib import Path

import pytest

import edgecalc
from edgecalc.scenario import load_scenario

HAND = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
UNSET = {"edge.inferences_per_second_per_device": None, "edge.inference_ms": None}
BY_PRECISION = {
    "fp16": {"inferences_per_second_per_device": 7.5, "inference_ms": 20},
    "int8": {"inferences_per_second_per_device": 15, "inference_ms": 10},
    "fp8": {"inferences_per_second_per_device": 12, "inference_ms": 12},
}


def _edge(result, path):
    return float(result.assumptions.set_index("path").loc[path, "value"])


@pytest.mark.parametrize(("precision", "per_second", "ms"), [("fp16", 7.5, 20), ("fp8", 12, 12)])
def test_each_precision_uses_its_own_figures(precision, per_second, ms):
    overrides = {**UNSET, "edge.figures_by_precision": BY_PRECISION, "model.precision": precision}
    result = edgecalc.evaluate(load_scenario(HAND, overrides=overrides))
    assert _edge(result, "edge.inferences_per_second_per_device") == per_second
    assert _edge(result, "edge.inference_ms") == ms
    # sizing follows: fp16 at 7.5/s needs ceil(20 / 7.5) = 3 devices + 1 spare per site = 8;
    # fp8 at 12/s ceil(20 / 12) = 2 + 1 = 6 (hardware bought at months 0 and 12, $1,000 each)
    c = result.costs
    hardware = c[(c.option == "edge") & (c.category == "hardware")].usd.sum()
    assert hardware == {"fp16": 16_000, "fp8": 12_000}[precision]


def test_a_single_figure_in_the_scenario_wins_over_the_table():
    overrides = {"edge.figures_by_precision": BY_PRECISION, "model.precision": "fp16"}
    result = edgecalc.evaluate(load_scenario(HAND, overrides=overrides))
    assert _edge(result, "edge.inferences_per_second_per_device") == 15  # the fixture's own


def test_llm_decode_scales_with_bytes_per_parameter():
    # figures measured at fp16 (2 bytes), deployed at int4 (0.5 bytes): bytes read per token
    # fall 4x, so throughput x4 (15 -> 60/s) and latency / 4 (10 -> 2.5 ms); the cloud's too
    # (100 -> 400/s, 5 -> 1.25 ms)
    overrides = {"model.precision": "int4", "model.speed_measured_at": "fp16"}
    result = edgecalc.evaluate(load_scenario(HAND, overrides=overrides))
    assert _edge(result, "edge.inferences_per_second_per_device") == pytest.approx(60)
    assert _edge(result, "edge.inference_ms") == pytest.approx(2.5)
    assert _edge(result, "cloud.inferences_per_second_per_instance") == pytest.approx(400)
    assert _edge(result, "cloud.inference_ms") == pytest.approx(1.25)
    note = result.assumptions.set_index("path").loc["edge.inference_ms", "note"]
    assert "bytes per parameter" in note


def test_fp8_is_a_precision_with_one_byte_per_parameter():
    result = edgecalc.evaluate(load_scenario(HAND, overrides={"model.precision": "fp8"}))
    assert _edge(result, "model.bytes_per_parameter") == 1.0
