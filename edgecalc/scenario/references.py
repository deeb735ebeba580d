"""Names inside a scenario that must refer to something (correlation paths, accepted warnings)
or tell things apart (site group names).

A correlation between a path that does not exist (or a path and itself), or an
``accept_warnings`` entry that names no check (or a key its check never warns about,
:mod:`edgecalc.scenario.check_names`), would otherwise be ignored without a word; two site
groups of one name would be merged by every comparison that matches groups by name
(``edgecalc diff``). They are refused when the scenario loads, each naming the entry, its
line and what is allowed.
(A ``device_figures`` key that names no catalog device is refused by the model itself,
:class:`edgecalc.scenario.models.Edge`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from .. import limits
from ..errors import Problem
from .check_names import (
    CHECK_KEYS,
    MODEL_DOES_NOT_FIT,
    PLAUSIBILITY_CHECKS,
    STALE_FACT,
    entry_check_and_key,
)
from .models import Scenario
from .override_blame import override_behind
from .ranges import Range


def reference_problems(
    scenario: Scenario, locations: dict, overrides: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Problems with the correlations and accepted warnings of a validated scenario.

    Parameters
    ----------
    scenario
        The validated scenario.
    locations
        Field path (a tuple) -> ``(file, line, column)``, as the loader collects them.
    overrides
        The overrides applied to the file: a problem one of them caused is reported as
        ``override``, not on a line of the file (:mod:`edgecalc.scenario.override_blame`).
    """
    problems: list[Problem] = []

    def at(path: tuple[str, ...], message: str, value: object) -> None:
        if override_behind(".".join(path), overrides or {}, locations) is not None:
            problems.append(Problem(message, file="override", field=".".join(path), value=value))
            return
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
    first_named: dict[str, int] = {}
    for i, site in enumerate(scenario.sites.list or ()):
        j = first_named.setdefault(site.name, i)
        if j != i and len(problems) < limits.PROBLEMS:
            none = (None, None, None)
            file, line, col = locations.get(("sites", "list", str(j), "name"), none)
            here, here_line, _ = locations.get(("sites", "list", str(i), "name"), none)
            where = f"line {line}" if line is not None else f"sites.list.{j}"
            if line is not None and line == here_line:
                where += f", column {col}"
            if file is not None and file != here:
                where = f"{file}:{line}"
            at(
                ("sites", "list", str(i), "name"),
                f"{site.name!r} is already the name of the site group on {where}; give each "
                "group its own name (reports and diffs tell groups apart by name)",
                None,
            )
    for i, entry in enumerate(scenario.accept_warnings):
        if (why := _accepts_nothing(entry, scenario)) is not None:
            at(("accept_warnings", str(i)), why, None)
    return problems


def _accepts_nothing(entry: str, scenario: Scenario) -> str | None:
    """Why an ``accept_warnings`` entry accepts no warning the checks can give (naming what
    is allowed); None when it names a check, alone or with a key that check warns about."""
    check, key = entry_check_and_key(entry)
    if check not in CHECK_KEYS:
        return f"{entry!r} names no plausibility check; the checks are " + ", ".join(
            PLAUSIBILITY_CHECKS
        )
    if not key:
        return None
    if check == STALE_FACT:
        if (unknown := _unknown_fact(key)) is None:
            return None
        return (
            f"{entry!r} accepts no warning: {unknown}; a stale_fact warning is accepted as "
            "stale_fact:KEY with the fact's key as the warning names it"
        )
    if check == MODEL_DOES_NOT_FIT:
        allowed = _option_names(scenario)
        what = "an option of the scenario"
    else:
        allowed = CHECK_KEYS[check] or ()
        what = "the input it warns about"
    if key in allowed:
        return None
    listed = ", ".join(allowed[:-1]) + " or " + allowed[-1] if len(allowed) > 1 else allowed[0]
    return (
        f"{entry!r} accepts no warning: {check} warns about {listed}; name {what} after the "
        "colon, or the check alone"
    )


def _option_names(scenario: Scenario) -> tuple[str, ...]:
    """The names of the options a scenario compares, as its results name them."""
    standard = ("cloud", "edge") + (("hybrid",) if scenario.hybrid is not None else ())
    return (*standard, *scenario.options, *(hub.name for hub in scenario.hubs))


def _unknown_fact(key: str) -> str | None:
    """Why ``key`` names no fact of the packaged catalog (with the close matches); None when
    it names one."""
    from ..catalog import CatalogError, load_catalog

    try:
        load_catalog().fact(key)
    except CatalogError as exc:
        return exc.message
    return None


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
