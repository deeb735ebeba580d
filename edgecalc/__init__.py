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
"""

__version__ = "0.1.0"

from .catalog import load_catalog
from .errors import EdgecalcError, Problem, ScenarioError
from .measure.api import measure
from .measure.measurement import Measurement, load_measurement
from .pipeline.evaluate import evaluate
from .results import Result
from .scenario import Range, Scenario, load_scenario, load_scenario_text
from .uncertainty.sensitivity import flips, sweep, tornado
from .uncertainty.simulate import Simulation, simulate

__all__ = [
    "EdgecalcError",
    "Measurement",
    "Problem",
    "Range",
    "Result",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "__version__",
    "evaluate",
    "flips",
    "load_catalog",
    "load_measurement",
    "load_scenario",
    "load_scenario_text",
    "measure",
    "simulate",
    "sweep",
    "tornado",
]
