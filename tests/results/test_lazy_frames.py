"""Result's tidy frames are built on first access, once, and read the same as when eager."""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pandas as pd

import edgecalc
from edgecalc.pipeline import evaluate as evaluate_module
from edgecalc.pipeline import fleet_ops
from edgecalc.results import Result
from edgecalc.results.lazy import Deferred, LazyField

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "city-traffic-cameras.yaml"
FRAMES = (
    "costs", "monthly", "summary", "latency", "break_even", "assumptions", "facts", "sites",
    "constraints",
)  # fmt: skip


def _built(result: Result, name: str) -> bool:
    return vars(Result)[name].is_built(result)


def test_frames_are_built_on_first_access_only():
    result = edgecalc.evaluate(SCENARIO)
    assert result.recommendation == "edge"
    assert not any(_built(result, name) for name in FRAMES)
    costs = result.costs
    assert _built(result, "costs")
    assert result.costs is costs  # kept, not rebuilt
    assert not _built(result, "summary")


def test_lazy_frames_equal_the_builders_output():
    """Each frame is what its builder gives from the engine output and the resolution."""
    result = edgecalc.evaluate(SCENARIO)
    out = result.engine
    pd.testing.assert_frame_equal(result.costs, evaluate_module._costs_frame(out))
    pd.testing.assert_frame_equal(result.monthly, evaluate_module._monthly_frame(out))
    pd.testing.assert_frame_equal(result.break_even, evaluate_module._break_even_frame(out))
    # 3 options x 60 months x lines: every line of every option, month by month
    lines = sum(len(o.lines) for o in out.options.values())
    assert len(result.costs) == lines * result.scenario.horizon_months


def test_oldest_fact_matches_the_facts_frame():
    result = edgecalc.evaluate(SCENARIO)
    dates = result.facts["as_of_date"].dropna()
    assert result.provenance["oldest_fact_as_of"] == min(dates)


def test_pickle_builds_every_frame_and_round_trips():
    result = edgecalc.evaluate(SCENARIO)
    copy = pickle.loads(pickle.dumps(result))
    assert all(_built(result, name) for name in FRAMES)
    assert copy.to_dict() == result.to_dict()


def test_a_frame_given_by_hand_is_kept_as_it_is():
    result = edgecalc.evaluate(SCENARIO)
    frame = pd.DataFrame({"option": ["cloud"], "usd": [1.0]})
    result.monthly = frame
    assert result.monthly is frame


def test_deferred_builds_once_across_threads():
    calls = []

    def build(n):
        calls.append(n)
        return n * 2

    deferred = Deferred(build, 21)
    threads = [threading.Thread(target=deferred) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert deferred() == 42
    assert calls == [21]


def test_lazy_field_without_default_is_required():
    import dataclasses

    fields = {f.name: f for f in dataclasses.fields(Result)}
    assert fields["costs"].default is dataclasses.MISSING
    assert fields["sites"].default is None
    assert isinstance(vars(Result)["costs"], LazyField)


def test_rollout_figures_are_the_same_from_the_cache():
    """The rollout memo changes no figure: a cold and a warm evaluation give the same JSON
    (except the time of evaluation)."""
    fleet_ops._rollout_figures.cache_clear()
    cold = edgecalc.evaluate(SCENARIO).to_dict()
    info = fleet_ops._rollout_figures.cache_info()
    # edge and hybrid run fleets of the same size and plan: one simulation, one hit
    assert (info.misses, info.hits) == (1, 1)
    warm = edgecalc.evaluate(SCENARIO).to_dict()
    for d in (cold, warm):
        d["provenance"].pop("evaluated_at")
    assert cold == warm
