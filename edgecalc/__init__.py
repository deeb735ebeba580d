"""edgecalc: cloud, edge or hybrid for one ML inference workload, and why.

The public API::

    import edgecalc
    scenario = edgecalc.load_scenario("scenarios/factory-visual-qc.yaml",
                                      overrides={"workload.inferences_per_second": 80})
    result = edgecalc.evaluate(scenario)
    result.recommendation, result.decision.reasons
    result.summary, result.costs, result.monthly
    sim = edgecalc.simulate(scenario, samples=10_000, seed=0)   # Monte Carlo over the ranges
    edgecalc.sweep(scenario, {"workload.inferences_per_second": [5, 10, 20, 40]})
    edgecalc.flips(scenario)                                    # what would flip the verdict
    edgecalc.measure(["https://..."], samples=20)               # real round trips

Each name loads its module on first use, so ``import edgecalc.costs.finance`` (or any other
pure layer) does not pull in pandas, httpx or plotly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from . import measure as _measure_package  # noqa: F401 - see below
from . import views as _views
from ._version import __version__

# ``edgecalc.measure`` is the function, not the subpackage of the same name: the subpackage is
# bound first (importing its submodules later never rebinds the name), then the name is
# cleared so that the function below is loaded on first use.
del globals()["measure"]

_EXPORTS: dict[str, str] = {
    "EdgecalcError": "edgecalc.errors",
    "Measurement": "edgecalc.measure.measurement",
    "Problem": "edgecalc.errors",
    "Range": "edgecalc.scenario",
    "Result": "edgecalc.results",
    "Scenario": "edgecalc.scenario",
    "ScenarioError": "edgecalc.errors",
    "ScenarioTree": "edgecalc.scenario",
    "Simulation": "edgecalc.uncertainty.simulate",
    "evaluate": "edgecalc.pipeline.evaluate",
    "flips": "edgecalc.uncertainty.sensitivity",
    "load_catalog": "edgecalc.catalog",
    "load_measurement": "edgecalc.measure.measurement",
    "load_scenario": "edgecalc.scenario",
    "load_scenario_text": "edgecalc.scenario",
    "measure": "edgecalc.measure.api",
    "read_scenario_text_tree": "edgecalc.scenario",
    "read_scenario_tree": "edgecalc.scenario",
    "simulate": "edgecalc.uncertainty.simulate",
    "sweep": "edgecalc.uncertainty.sensitivity",
    "tornado": "edgecalc.uncertainty.sensitivity",
}
"""Public name -> the module that defines it."""

__all__ = [
    "EdgecalcError",
    "Measurement",
    "Problem",
    "Range",
    "Result",
    "Scenario",
    "ScenarioError",
    "ScenarioTree",
    "Simulation",
    "__version__",
    "evaluate",
    "flips",
    "load_catalog",
    "load_measurement",
    "load_scenario",
    "load_scenario_text",
    "measure",
    "read_scenario_text_tree",
    "read_scenario_tree",
    "simulate",
    "sweep",
    "tornado",
]


def _result_html(result) -> str:
    """A result's HTML table for Jupyter (render is loaded only when a notebook draws one)."""
    from .render.html import result_table_html

    return result_table_html(result)


_views.html_view = _result_html


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'edgecalc' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from .catalog import load_catalog
    from .errors import EdgecalcError, Problem, ScenarioError
    from .measure.api import measure
    from .measure.measurement import Measurement, load_measurement
    from .pipeline.evaluate import evaluate
    from .results import Result
    from .scenario import (
        Range,
        Scenario,
        ScenarioTree,
        load_scenario,
        load_scenario_text,
        read_scenario_text_tree,
        read_scenario_tree,
    )
    from .uncertainty.sensitivity import flips, sweep, tornado
    from .uncertainty.simulate import Simulation, simulate
