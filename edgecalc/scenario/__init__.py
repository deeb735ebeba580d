"""Scenario files: pydantic models, YAML loading with ``extends`` and overrides, errors."""

from .loader import (
    apply_overrides,
    extends_roots,
    load_scenario,
    load_scenario_text,
    merge,
    parse_override,
    parse_overrides,
    scenario_source,
)
from .models import (
    Cloud,
    Decision,
    Edge,
    Hybrid,
    Latency,
    Location,
    Model,
    Operations,
    ResidencyRules,
    Scenario,
    Site,
    Sites,
    Workload,
)
from .ranges import Range, median

__all__ = [
    "Cloud",
    "Decision",
    "Edge",
    "Hybrid",
    "Latency",
    "Location",
    "Model",
    "Operations",
    "Range",
    "ResidencyRules",
    "Scenario",
    "Site",
    "Sites",
    "Workload",
    "apply_overrides",
    "extends_roots",
    "load_scenario",
    "load_scenario_text",
    "median",
    "merge",
    "parse_override",
    "parse_overrides",
    "scenario_source",
]
