"""The hybrid fast path is checked with its own model: parameters, precision and KV cache.

Regression: a 110 M-parameter fast path was charged the main model's KV cache and precision,
"needed 13.7 GB" and ruled hybrid out, flipping the verdict to an option costing far more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc

LLM = Path(__file__).resolve().parents[2] / "scenarios" / "llm-branch-assistant.yaml"
FAST_PATH = {
    "hybrid.model_parameters": 110e6,
    "hybrid.memory_gb": 8,
    "model.kv_cache_bytes": 13e9,  # a long context for the 8 B main model
}


def test_a_separate_fast_path_model_is_not_charged_the_main_kv_cache():
    result = edgecalc.evaluate(LLM, overrides=FAST_PATH)
    fit = result.operations["hybrid"]["fit"]
    # 110e6 parameters x 0.5 bytes (int4, the model's precision) x 1.2 overhead = 66 MB;
    # no KV cache of the main model (13 GB) on top
    assert fit["required_bytes"] == pytest.approx(66e6)
    assert fit["fits"]
    assert result.option("hybrid")["feasible"]
    # the edge still runs the main model with its cache: 8e9 x 0.5 x 1.2 + 13e9 = 17.8 GB
    assert result.operations["edge"]["fit"]["required_bytes"] == pytest.approx(17.8e9)


def test_the_fast_path_has_its_own_precision_and_kv_cache():
    result = edgecalc.evaluate(
        LLM,
        overrides=FAST_PATH | {"hybrid.model_precision": "fp16", "hybrid.kv_cache_bytes": 0.5e9},
    )
    # 110e6 x 2 bytes (fp16) x 1.2 + 0.5e9 = 264 MB + 500 MB = 764 MB
    assert result.operations["hybrid"]["fit"]["required_bytes"] == pytest.approx(764e6)


def test_the_fast_path_running_the_model_itself_keeps_its_kv_cache():
    result = edgecalc.evaluate(LLM, overrides={"hybrid.memory_gb": 8, "model.kv_cache_bytes": 13e9})
    # same model: 8e9 x 0.5 x 1.2 + 13e9 = 17.8 GB on an 8 GB device: hybrid is ruled out
    assert result.operations["hybrid"]["fit"]["required_bytes"] == pytest.approx(17.8e9)
    reasons = " ".join(result.decision.reasons)
    assert "hybrid is ruled out: the fast-path model needs 17.80 GB at int4" in reasons
