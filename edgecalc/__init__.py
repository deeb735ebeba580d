"""edgecalc: cloud, edge or hybrid for one ML inference workload, and why.

The public API::

    import edgecalc
    scenario = edgecalc.load_scenario("scenarios/factory-visual-qc.yaml",
                                      overrides={"workload.inferences_per_second": 80})
    result = edgecalc.evaluate(scenario)
    result.recommendation, result.decision.reasons
    result.summary, result.costs, result.monthly
"""

__version__ = "0.1.0"

from .catalog import load_catalog
from .errors import EdgecalcError, Problem, ScenarioError
from .evaluate import evaluate
from .results import Result
from .scenario import Range, Scenario, load_scenario, load_scenario_text

__all__ = [
    "EdgecalcError",
    "Problem",
    "Range",
    "Result",
    "Scenario",
    "ScenarioError",
    "__version__",
    "evaluate",
    "load_catalog",
    "load_scenario",
    "load_scenario_text",
]
