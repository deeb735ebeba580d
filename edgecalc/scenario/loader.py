"""Load a scenario: read YAML, follow ``extends``, apply overrides, validate.

Precedence, strongest first: overrides (command line ``--set``, the app) > the file > the
files it ``extends`` (recursively) > catalog defaults (resolved at evaluation) > schema
defaults. Mappings merge key by key; lists and scalars replace.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import Problem, ScenarioError
from .models import Scenario
from .yaml_io import KEY, decode, parse, read_text

MAX_EXTENDS_DEPTH = 10


class LoadedScenario:
    """A validated scenario together with where it came from."""

    def __init__(
        self,
        scenario: Scenario,
        path: Path | None,
        overrides: dict[str, Any],
        chain: list[str],
    ) -> None:
        self.scenario = scenario
        self.path = path
        self.overrides = overrides
        self.chain = chain


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """Load, merge and validate a scenario file.

    Parameters
    ----------
    path
        The YAML scenario file.
    overrides
        Dotted paths and values applied last, e.g.
        ``{"workload.inferences_per_second": 80}``.

    Returns
    -------
    Scenario
        Frozen and validated. ``scenario_source(s)`` gives its file, the ``extends`` chain
        and the overrides applied.

    Raises
    ------
    ScenarioError
        With every problem found, each naming file, line, column, field, value and what is
        allowed.
    """
    path = Path(path)
    data, locations, chain = _load_tree(path, [])
    return _finish(data, locations, chain, path, dict(overrides or {}))


def load_scenario_text(
    text: str | bytes,
    name: str = "<upload>",
    overrides: Mapping[str, Any] | None = None,
    base_dir: str | Path | None = None,
) -> Scenario:
    """Load a scenario from text (an upload); ``extends`` resolves against ``base_dir``."""
    if isinstance(text, bytes):
        text = decode(text, name)
    data, locations = parse(text, name)
    locations = {k: (name, *v) for k, v in locations.items()}
    chain = [name]
    if data.get("extends"):
        if base_dir is None:
            raise ScenarioError(
                [
                    Problem(
                        "'extends' needs a file on disk to resolve against",
                        file=name,
                        field="extends",
                        value=data["extends"],
                    )
                ]
            )
        base_path = (Path(base_dir) / str(data["extends"])).resolve()
        base, base_loc, base_chain = _load_tree(base_path, [name])
        data = merge(base, data)
        locations = {**base_loc, **locations}
        chain = [name, *base_chain]
    return _finish(data, locations, chain, None, dict(overrides or {}))


_SOURCES: dict[int, LoadedScenario] = {}


def scenario_source(scenario: Scenario) -> LoadedScenario | None:
    """Where a loaded scenario came from (file, extends chain, overrides), if known."""
    return _SOURCES.get(id(scenario))


def _finish(data, locations, chain, path, overrides) -> Scenario:
    data.pop("extends", None)
    data = apply_overrides(data, overrides)
    scenario = validate(data, locations, overrides)
    if len(_SOURCES) > 1000:
        _SOURCES.clear()
    _SOURCES[id(scenario)] = LoadedScenario(scenario, path, overrides, chain)
    return scenario


def _load_tree(path: Path, seen: list[str]) -> tuple[dict, dict, list[str]]:
    resolved = str(path.resolve())
    if resolved in seen:
        cycle = " -> ".join([*seen, resolved])
        raise ScenarioError(
            [Problem(f"'extends' forms a cycle: {cycle}", file=str(path), field="extends")]
        )
    if len(seen) > MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            [
                Problem(
                    f"'extends' is nested more than {MAX_EXTENDS_DEPTH} deep",
                    file=str(path),
                    field="extends",
                )
            ]
        )
    name = str(path)
    text = read_text(path)
    data, raw_locations = parse(text, name)
    locations = {k: (name, *v) for k, v in raw_locations.items()}
    parent = data.get("extends")
    if parent is None:
        return data, locations, [name]
    if not isinstance(parent, str):
        line, col = raw_locations.get(("extends",), (None, None))
        raise ScenarioError(
            [
                Problem(
                    "'extends' must be a relative file path",
                    file=name,
                    line=line,
                    column=col,
                    field="extends",
                    value=parent,
                )
            ]
        )
    base_path = path.parent / parent
    if not base_path.exists():
        line, col = raw_locations.get(("extends",), (None, None))
        raise ScenarioError(
            [
                Problem(
                    f"the file it extends does not exist: {base_path}",
                    file=name,
                    line=line,
                    column=col,
                    field="extends",
                    value=parent,
                )
            ]
        )
    base, base_locations, chain = _load_tree(base_path, [*seen, resolved])
    merged = merge(base, data)
    return merged, {**base_locations, **locations}, [name, *chain]


def merge(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge two mappings: mappings merge key by key, anything else in ``head`` wins."""
    out = copy.deepcopy(dict(base))
    for key, value in head.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def parse_override(text: str) -> tuple[str, Any]:
    """Parse ``a.b=c`` (the value is YAML: ``80``, ``true``, ``{low: 1, high: 2}``).

    Raises
    ------
    ScenarioError
        When there is no ``=`` or the path or value is malformed.
    """
    if "=" not in text:
        raise ScenarioError(
            [Problem(f"an override is written key.path=value, got {text!r}", file="--set")]
        )
    key, _, raw = text.partition("=")
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise ScenarioError([Problem(f"bad override path {key!r}", file="--set")])
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(f"bad override value {raw!r}: {exc}", file="--set", field=key)]
        ) from None
    return key, value


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """Parse several ``--set`` items; two that set the same key (or one inside the other) are
    an error naming both."""
    out: dict[str, Any] = {}
    for item in items:
        key, value = parse_override(item)
        for other in out:
            if other == key or other.startswith(key + ".") or key.startswith(other + "."):
                raise ScenarioError(
                    [
                        Problem(
                            f"two overrides set the same key: {other}={out[other]!r} and {item}",
                            file="--set",
                            field=key,
                        )
                    ]
                )
        out[key] = value
    return out


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Set each dotted path in a copy of ``data``; list items are addressed by index."""
    keys = list(overrides)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a == b or a.startswith(b + ".") or b.startswith(a + "."):
                raise ScenarioError(
                    [
                        Problem(
                            f"two overrides set the same key: {a} and {b}",
                            file="overrides",
                            field=a,
                        )
                    ]
                )
    out = copy.deepcopy(data)
    for key, value in overrides.items():
        parts = key.split(".")
        node: Any = out
        for depth, part in enumerate(parts[:-1]):
            nxt = _child(node, part)
            if nxt is None or not isinstance(nxt, (dict, list)):
                nxt = {}
                _set_child(node, part, nxt, key, depth)
            node = nxt
        _set_child(node, parts[-1], copy.deepcopy(value), key, len(parts) - 1)
    return out


def _child(node, part):
    if isinstance(node, list):
        return node[int(part)] if part.isdigit() and int(part) < len(node) else None
    return node.get(part)


def _set_child(node, part, value, key, depth):
    if isinstance(node, list):
        if not part.isdigit() or int(part) >= len(node):
            raise ScenarioError(
                [Problem(f"no list item {part} in override {key}", file="overrides", field=key)]
            )
        node[int(part)] = value
    else:
        node[part] = value


def validate(
    data: dict[str, Any],
    locations: dict,
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """Validate plain data as a :class:`Scenario`, mapping errors to file positions."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err, locations, overrides or {}) for err in _useful(exc.errors())]
        raise ScenarioError(problems) from None


def _useful(errors: list[dict]) -> list[dict]:
    """Drop the noise pydantic adds for unions (number-or-range): keep one error per field,
    the one that matches what the user wrote (a number, or a mapping for a range)."""
    seen: dict[tuple, dict] = {}
    for err in errors:
        loc = tuple(str(p) for p in err["loc"])
        clean = tuple(p for p in loc if not _is_union_tag(p))
        prev = seen.get(clean)
        if prev is None or _rank(err) < _rank(prev):
            seen[clean] = {**err, "loc": clean}
    return list(seen.values())


def _is_union_tag(part: str) -> bool:
    return part in {
        "float",
        "int",
        "Range",
        "RttGiven",
        "RttMeasured",
        "RttEstimated",
        "Site",
        "Location",
        "UplinkUpgrade",
        "Hybrid",
    } or part.startswith(("function-after", "union[", "constrained-", "tuple[", "list["))


def _rank(err: dict) -> int:
    """Lower is more relevant."""
    t = err["type"]
    wrote_mapping = isinstance(err.get("input"), dict)
    in_range_branch = "Range" in [str(p) for p in err["loc"]]
    if t in ("model_type", "dict_type", "model_attributes_type"):
        return 4  # "should be a mapping": the user wrote a scalar; the scalar error is better
    if t in ("int_type", "float_type", "int_parsing", "float_parsing") and wrote_mapping:
        return 3  # the user wrote a mapping (a range); the range error is better
    if in_range_branch:
        return 1
    return 0


def _problem(err: dict, locations: dict, overrides: Mapping[str, Any]) -> Problem:
    loc = tuple(err["loc"])
    field = ".".join(loc)
    for key in overrides:
        if field == key or field.startswith(key + "."):
            return Problem(_message(err), file="override", field=field, value=err.get("input"))
    probe = loc
    if err["type"] == "extra_forbidden" and (*loc, KEY) in locations:
        probe = (*loc, KEY)
    while probe and probe not in locations:
        probe = probe[:-1]
    file, line, col = locations.get(probe, (None, None, None))
    value = err.get("input")
    if err["type"] == "missing":
        value = None
    return Problem(
        _message(err),
        file=file,
        line=line,
        column=col,
        field=field or None,
        value=value if not isinstance(value, (dict, list)) else None,
    )


def _message(err: dict) -> str:
    t = err["type"]
    msg = err["msg"]
    if t == "extra_forbidden":
        return "unknown key (misspelt?); see `edgecalc schema` for the allowed keys"
    if t == "missing":
        return "required field is missing"
    if t == "literal_error":
        return msg.replace("Input should be", "allowed values are")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg
