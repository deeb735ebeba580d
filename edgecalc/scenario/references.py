"""Names inside a scenario that must refer to something: correlation paths, accepted warnings.

A correlation between a path that does not exist (or a path and itself), or an
``accept_warnings`` entry that names no check, would otherwise be ignored without a word. They
are refused when the scenario loads, each naming the entry, its line and what is allowed.
(A ``device_figures`` key that names no catalog device is refused by the model itself,
:class:`edgecalc.scenario.models.Edge`.)
"""

from __future__ import annotations

from pydantic import BaseModel

from ..errors import Problem
from .models import Scenario
from .ranges import Range

PLAUSIBILITY_CHECKS = (
    "utilisation_above_0_95",
    "refresh_beyond_device_life",
    "stale_fact",
    "model_does_not_fit",
)
"""The names of the plausibility checks (:mod:`edgecalc.pipeline.plausibility`), which
``accept_warnings`` entries name, alone or as ``check:key``."""


def reference_problems(scenario: Scenario, locations: dict) -> list[Problem]:
    """Problems with the correlations and accepted warnings of a validated scenario.

    Parameters
    ----------
    scenario
        The validated scenario.
    locations
        Field path (a tuple) -> ``(file, line, column)``, as the loader collects them.
    """
    problems: list[Problem] = []

    def at(path: tuple[str, ...], message: str, value: object) -> None:
        probe = path
        while probe and probe not in locations:
            probe = probe[:-1]
        file, line, col = locations.get(probe, (None, None, None))
        problems.append(
            Problem(message, file=file, line=line, column=col, field=".".join(path), value=value)
        )

    for i, correlation in enumerate(scenario.correlations):
        a, b = correlation.between
        for j, name in enumerate((a, b)):
            if not _is_number_field(scenario, name):
                at(
                    ("correlations", str(i), "between", str(j)),
                    f"{name!r} names no numeric input of the scenario "
                    "(a dotted path such as workload.inferences_per_second)",
                    None,
                )
        if a == b:
            at(
                ("correlations", str(i), "between"),
                f"a correlation of {a!r} with itself is always 1; name two different inputs",
                None,
            )
    for i, entry in enumerate(scenario.accept_warnings):
        check = entry.partition(":")[0].strip()
        if check not in PLAUSIBILITY_CHECKS:
            at(
                ("accept_warnings", str(i)),
                f"{entry!r} names no plausibility check; the checks are "
                + ", ".join(PLAUSIBILITY_CHECKS),
                None,
            )
    return problems


DERIVED_RTT = "rtt_ms"
"""The RTT estimated from distance is a range the resolver makes, per site group:
``sites.rtt_ms`` and ``sites.list.N.rtt_ms`` may be correlated too."""


def _is_number_field(scenario: Scenario, dotted: str) -> bool:
    """Whether ``dotted`` (``workload.inferences_per_second``, ``sites.list.0.count``) names a
    field that holds a number or a range, or a site group's estimated RTT."""
    parts = dotted.split(".")
    if parts[0] == "sites" and parts[-1] == DERIVED_RTT and len(parts) in (2, 4):
        return len(parts) == 2 or _is_site_entry(scenario, parts[1:3])
    node: object = scenario
    for part in dotted.split("."):
        if isinstance(node, tuple):
            if not part.isdigit() or int(part) >= len(node):
                return False
            node = node[int(part)]
        elif isinstance(node, BaseModel) and part in type(node).model_fields:
            annotation = str(type(node).model_fields[part].annotation)
            node = getattr(node, part)
            if node is None:
                return "Range" in annotation  # an unset optional number may still be set
        else:
            return False
    return isinstance(node, (int, float, Range)) and not isinstance(node, bool)


def _is_site_entry(scenario: Scenario, parts: list[str]) -> bool:
    entries = scenario.sites.list or ()
    return parts[0] == "list" and parts[1].isdigit() and int(parts[1]) < len(entries)
