"""Load a scenario: read YAML, follow ``extends``, apply overrides, validate.

Precedence, strongest first: overrides (command line ``--set``, the app) > the file > the
files it ``extends`` (recursively) > catalog defaults (resolved at evaluation) > schema
defaults. Mappings merge key by key; lists and scalars replace.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import limits
from ..errors import Problem, ScenarioError
from ..format import as_written
from .models import Scenario
from .override_blame import override_behind
from .references import reference_problems
from .sites_file import column_field, expand_sites_file
from .yaml_io import KEY, decode, parse, parse_value, read_text

MAX_EXTENDS_DEPTH = limits.EXTENDS_DEPTH
ROOTS_ENV = "EDGECALC_SCENARIO_ROOTS"
"""Environment variable: more folders (separated by ``os.pathsep``) that an uploaded scenario
may extend, besides the shipped scenarios."""

Roots = tuple[Path, ...] | None
"""Folders that ``extends`` may reach (resolved), or None for no restriction."""


class LoadedScenario:
    """A validated scenario together with where it came from."""

    def __init__(
        self,
        scenario: Scenario,
        path: Path | None,
        overrides: dict[str, Any],
        chain: list[str],
        allowed_roots: Roots = None,
    ) -> None:
        self.scenario = scenario
        self.path = path
        self.overrides = overrides
        self.chain = chain
        self.allowed_roots = allowed_roots
        """Folders the files it names may be in (None: anywhere); files a scenario names
        beside ``extends`` (measurements) are held to the same folders."""


def extends_roots(shipped: str | Path) -> tuple[Path, ...]:
    """The folders an uploaded scenario may extend: the shipped scenarios (with their bases)
    and any folders named in the ``EDGECALC_SCENARIO_ROOTS`` environment variable."""
    extra = [p for p in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if p.strip()]
    return tuple(Path(p) for p in [shipped, *extra])


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    allowed_roots: Sequence[str | Path] | None = None,
) -> Scenario:
    """Load, merge and validate a scenario file.

    Parameters
    ----------
    path
        The YAML scenario file.
    overrides
        Dotted paths and values applied last, e.g.
        ``{"workload.inferences_per_second": 80}``.
    allowed_roots
        Folders that ``extends`` may reach; None (the default for the command line and the
        library) allows any file. With roots, an absolute path, a ``..`` or a symlink that
        leaves them is refused. Files are always read bounded (regular files, 1 MiB).

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
    return read_scenario_tree(path, allowed_roots).with_overrides(overrides)


def load_scenario_text(
    text: str | bytes,
    name: str = "<upload>",
    overrides: Mapping[str, Any] | None = None,
    base_dir: str | Path | None = None,
    allowed_roots: Sequence[str | Path] | None = None,
) -> Scenario:
    """Load a scenario from text (an upload); ``extends`` resolves against ``base_dir``.

    With ``allowed_roots`` (the app passes the shipped scenarios), ``extends`` may reach only
    files inside those folders, and an error in an extended file names its field and line but
    never quotes its values: they come from a file the visitor did not send.
    """
    tree = read_scenario_text_tree(text, name, base_dir=base_dir, allowed_roots=allowed_roots)
    return tree.with_overrides(overrides)


@dataclass(frozen=True, eq=False)
class ScenarioTree:
    """A scenario read and merged once (its ``extends`` chain and ``sites.file`` included),
    not yet validated: :meth:`with_overrides` applies edits and validates, as many times as
    needed, without reading or parsing any file again.

    Made by :func:`read_scenario_tree` or :func:`read_scenario_text_tree`;
    ``tree.with_overrides(o)`` gives the same scenario, or raises the same error, as
    ``load_scenario(..., overrides=o)``. The tree is never changed by applying overrides
    (each call works on a deep copy), so one tree may serve many callers.
    """

    path: Path | None
    """The file read (None for text)."""
    chain: tuple[str, ...]
    """The file (or the text's name) and the files it extends, nearest first."""
    allowed_roots: Roots
    """Folders the files it names may be in (resolved; None: anywhere)."""
    _data: dict[str, Any] = field(repr=False)
    _locations: dict = field(repr=False)
    _row_problems: tuple[Problem, ...] = field(repr=False)
    _visitor: str | None = field(repr=False)

    def with_overrides(self, overrides: Mapping[str, Any] | None = None) -> Scenario:
        """Apply dotted-path overrides to a copy of the tree and validate it.

        Parameters
        ----------
        overrides
            Dotted paths and values applied last, e.g. ``{"latency.budget_ms": 30}``; None or
            empty for the scenario as read.

        Returns
        -------
        Scenario
            Frozen and validated, recorded for ``scenario_source`` like one from
            :func:`load_scenario`.

        Raises
        ------
        ScenarioError
            As :func:`load_scenario` with these overrides: bad overrides, validation problems
            (with file, line and field; values from files the visitor did not send are not
            quoted), and problems with the rows of ``sites.file``.
        """
        try:
            return _validated(self, _as_overrides(overrides))
        except ScenarioError as exc:
            if not self.allowed_roots:
                raise
            raise ScenarioError(_within_roots(exc.problems, self.allowed_roots)) from None


def _as_overrides(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """The overrides as a dict; anything but a mapping (a list of ``key=value`` strings) is
    refused with what to pass instead."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        hint = (
            "; for 'key=value' strings use edgecalc.scenario.parse_overrides(items)"
            if isinstance(overrides, (str, list, tuple))
            else ""
        )
        raise TypeError(
            "overrides must be a mapping of dotted paths to values, such as "
            f"{{'workload.inferences_per_second': 80}}, not {type(overrides).__name__}{hint}"
        )
    return dict(overrides)


def read_scenario_tree(
    path: str | Path,
    allowed_roots: Sequence[str | Path] | None = None,
) -> ScenarioTree:
    """Read a scenario file and the files it extends once, for many sets of overrides.

    Parameters
    ----------
    path
        The YAML scenario file.
    allowed_roots
        As for :func:`load_scenario`: folders that ``extends`` (and ``sites.file``) may
        reach; None allows any file. Files are always read bounded (regular files, 1 MiB).

    Returns
    -------
    ScenarioTree
        ``.with_overrides(overrides)`` is ``load_scenario(path, overrides, allowed_roots)``.

    Raises
    ------
    ScenarioError
        When a file cannot be read or parsed, ``extends`` is refused, or ``sites.file`` cannot
        be used: the errors :func:`load_scenario` raises before it applies overrides.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"a scenario is read from the path of a YAML file (str or Path), not "
            f"{type(path).__name__}; load YAML text with edgecalc.load_scenario_text(text)"
        )
    if isinstance(path, str) and "\n" in path:
        raise ScenarioError(
            [
                Problem(
                    f"the path is text of several lines (starting "
                    f"{_short(path.splitlines()[0], 40)}), not the name of a file; load YAML "
                    "text with edgecalc.load_scenario_text(text)"
                )
            ]
        )
    path = Path(path)
    roots = _resolved_roots(allowed_roots)
    data, locations, chain = _load_tree(path, [], roots)
    return _tree(data, locations, chain, path, roots, None)


def read_scenario_text_tree(
    text: str | bytes,
    name: str = "<upload>",
    base_dir: str | Path | None = None,
    allowed_roots: Sequence[str | Path] | None = None,
) -> ScenarioTree:
    """Parse a scenario given as text (an upload) and the files it extends once.

    Parameters
    ----------
    text
        The YAML text, or its bytes (decoded as :func:`load_scenario_text` does).
    name
        The name errors give the text.
    base_dir
        The folder ``extends`` resolves against; None when the text may not extend.
    allowed_roots
        As for :func:`load_scenario_text`; with roots, errors located in an extended file do
        not quote its values.

    Returns
    -------
    ScenarioTree
        ``.with_overrides(overrides)`` is
        ``load_scenario_text(text, name, overrides, base_dir, allowed_roots)``.

    Raises
    ------
    ScenarioError
        The errors :func:`load_scenario_text` raises before it applies overrides.
    """
    if isinstance(text, bytes | bytearray | memoryview):
        text = decode(bytes(text), name)
    elif not isinstance(text, str):
        raise TypeError(
            "a scenario's text is a str or bytes (the YAML itself; load_scenario reads a "
            f"file by its path), not {type(text).__name__}"
        )
    roots = _resolved_roots(allowed_roots)
    try:
        return _text_tree(text, name, base_dir, roots)
    except ScenarioError as exc:
        raise ScenarioError(_within_roots(exc.problems, roots)) from None


def _text_tree(text: str, name: str, base_dir: str | Path | None, roots: Roots) -> ScenarioTree:
    """:func:`read_scenario_text_tree` on decoded text and resolved roots."""
    data, raw_locations = parse(text, name)
    locations = {k: (name, *v) for k, v in raw_locations.items()}
    chain = [name]
    if "extends" in data:
        if base_dir is None:
            line, col = raw_locations.get(("extends",), (None, None))
            raise ScenarioError(
                [
                    Problem(
                        "'extends' needs a file on disk to resolve against",
                        file=name,
                        line=line,
                        column=col,
                        field="extends",
                        value=data["extends"],
                    )
                ]
            )
        base_path = _extends_target(Path(base_dir), data["extends"], name, raw_locations, roots)
        base, base_loc, base_chain = _load_tree(base_path, [name], roots)
        data = merge(base, data)
        locations = {**base_loc, **locations}
        chain = [name, *base_chain]
    visitor = name if roots is not None else None
    return _tree(data, locations, chain, None, roots, visitor, (name, base_dir))


def _tree(data, locations, chain, path, roots, visitor, text_base=None) -> ScenarioTree:
    """The tree ready for overrides: ``extends`` dropped, ``sites.file`` expanded (read once;
    its row problems are kept to report with each validation)."""
    data.pop("extends", None)
    locate = _sites_file_locator(locations, roots, visitor, text_base)
    row_problems = expand_sites_file(data, locations, locate)
    return ScenarioTree(path, tuple(chain), roots, data, locations, tuple(row_problems), visitor)


def _resolved_roots(allowed_roots: Sequence[str | Path] | None) -> Roots:
    if allowed_roots is None:
        return None
    if isinstance(allowed_roots, (str, Path)):
        allowed_roots = [allowed_roots]
    return tuple(Path(r).resolve() for r in allowed_roots)


def _extends_target(
    folder: Path,
    parent: Any,
    name: str,
    raw_locations: Mapping,
    roots: Roots,
    key: tuple[str, ...] = ("extends",),
) -> Path:
    """The file ``extends: parent`` (or another field ``key`` that names a file) names,
    relative to ``folder``; refused when it is not a file name, or (with roots) when it
    leaves them."""
    line, col = raw_locations.get(key, (None, None))
    label = key[-1]
    field_name = ".".join(key)

    def refuse(message: str, show_value: bool = True) -> ScenarioError:
        return ScenarioError(
            [
                Problem(
                    message,
                    file=name,
                    line=line,
                    column=col,
                    field=field_name,
                    value=parent if show_value else None,
                )
            ]
        )

    if (
        not isinstance(parent, str)
        or not parent.strip()
        or parent.strip() in {".", ".."}
        or any(ord(ch) < 32 for ch in parent)
    ):
        what = "a scenario file" if label == "extends" else "a file"
        raise refuse(f"'{label}' must name {what}, as a path relative to this file")
    if len(parent) > 4096:
        raise refuse(f"'{label}' is longer than 4,096 characters", show_value=False)
    target = folder / parent
    if roots is None:
        return _existing_file(target, refuse, label)
    if Path(parent).is_absolute() or "\\" in parent:
        raise refuse(
            f"'{label}' must be a path relative to this file inside the shipped scenarios; "
            "absolute paths are not allowed here"
        )
    resolved = target.resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise refuse(
            f"'{label}' may name only the shipped scenarios and their bases "
            f"(or a folder named in {ROOTS_ENV}); this path leaves them"
        )
    # the server's folders are not the visitor's business: the path as written
    return _existing_file(resolved, refuse, label, shown=parent)


def _existing_file(target: Path, refuse, label: str = "extends", shown: str | None = None) -> Path:
    try:
        if target.is_file():
            return target
        what = "is not a file" if target.exists() else "does not exist"
    except OSError as exc:  # a name too long, a loop of symlinks
        what = f"cannot be opened ({exc.strerror})"
    verb = "extends" if label == "extends" else "names"
    raise refuse(f"the file it {verb} {what}: {target if shown is None else shown}")


def _within_roots(problems: Sequence[Problem], roots: Roots) -> list[Problem]:
    """The problems with every server path under ``roots`` written relative to its root:
    a problem in a shipped base or CSV is named as the visitor would write it in
    ``extends`` (``base/eu-operations.yaml:12``), never by where the server keeps it."""
    if not roots:
        return list(problems)
    prefixes = sorted((f"{root}{os.sep}" for root in roots), key=len, reverse=True)

    def shown(text: str | None) -> str | None:
        if text is None:
            return None
        for prefix in prefixes:
            text = text.replace(prefix, "")
        return text

    return [
        replace(problem, file=shown(problem.file), message=shown(problem.message))
        for problem in problems
    ]


_SOURCES: OrderedDict[int, tuple[LoadedScenario, int]] = OrderedDict()
"""The origin of each loaded scenario, on ``id(scenario)``, with the scenario's site entries,
least recently used first. Each record holds its scenario (so that its id stays its own):
at most ``limits.SCENARIO_RECORDS`` records and ``limits.SCENARIO_RECORDS_SITE_ENTRIES``
site entries are kept, the least recently used dropped first, the newest always kept."""
_SOURCES_LOCK = threading.Lock()
_sources_site_entries = 0
"""Site entries of the scenarios in :data:`_SOURCES` [count]."""


def scenario_source(scenario: Scenario) -> LoadedScenario | None:
    """Where a loaded scenario came from (file, extends chain, overrides), if known.

    Only the most recently loaded or looked-up scenarios are known
    (``limits.SCENARIO_RECORDS``, ``limits.SCENARIO_RECORDS_SITE_ENTRIES``).
    """
    with _SOURCES_LOCK:
        kept = _SOURCES.get(id(scenario))
        if kept is None:
            return None
        _SOURCES.move_to_end(id(scenario))
        return kept[0]


def _record(loaded: LoadedScenario) -> None:
    """Remember where ``loaded.scenario`` came from, within the bounds of :data:`_SOURCES`."""
    global _sources_site_entries
    entries = len(loaded.scenario.sites.list or ()) or 1
    with _SOURCES_LOCK:
        old = _SOURCES.pop(id(loaded.scenario), None)
        if old is not None:
            _sources_site_entries -= old[1]
        _SOURCES[id(loaded.scenario)] = (loaded, entries)
        _sources_site_entries += entries
        while len(_SOURCES) > 1 and (
            len(_SOURCES) > limits.SCENARIO_RECORDS
            or _sources_site_entries > limits.SCENARIO_RECORDS_SITE_ENTRIES
        ):
            _, (_, dropped) = _SOURCES.popitem(last=False)
            _sources_site_entries -= dropped


def _validated(tree: ScenarioTree, overrides: dict[str, Any]) -> Scenario:
    """Overrides applied to a copy of the tree's data, validated and recorded."""
    locations = tree._locations
    row_problems = list(tree._row_problems)
    data = apply_overrides(tree._data, overrides)  # a deep copy: the tree is never changed
    # the sites CSV a sites.list came from, whose problems are named by column: a list
    # written in a scenario file (or one it extends) keeps its field paths
    listed = {str(locations[k][0]) for k in locations if k[:2] == ("sites", "list")}
    csv_files = listed - set(tree.chain)
    try:
        scenario = validate(data, locations, overrides, visitor_file=tree._visitor)
    except ScenarioError as exc:
        named = [column_field(p, csv_files) for p in exc.problems]
        raise ScenarioError((row_problems + named)[: limits.PROBLEMS + 1]) from None
    if row_problems:
        raise ScenarioError(row_problems)
    problems = reference_problems(scenario, locations, overrides)
    if problems:
        raise ScenarioError([column_field(p, csv_files) for p in problems])
    _record(LoadedScenario(scenario, tree.path, overrides, list(tree.chain), tree.allowed_roots))
    return scenario


def _sites_file_locator(locations, roots: Roots, visitor: str | None, text_base):
    """``locate(value)`` for :func:`expand_sites_file`: the CSV relative to the file that
    names it, held to ``roots`` like ``extends``; its cells may be quoted in an error only
    outside the app (no visitor)."""
    key = ("sites", "file")

    def locate(value: str) -> tuple[Path, bool]:
        file, line, col = locations.get(key, (None, None, None))
        if text_base is not None and file == text_base[0]:
            folder = text_base[1]
            if folder is None:
                raise ScenarioError(
                    [
                        Problem(
                            "'file' needs the scenario on disk to resolve against",
                            file=file,
                            line=line,
                            column=col,
                            field="sites.file",
                        )
                    ]
                )
        else:
            folder = Path(file).parent if file else Path()
        target = _extends_target(Path(folder), value, file, {key: (line, col)}, roots, key)
        return target, visitor is None

    return locate


def _load_tree(path: Path, seen: list[str], roots: Roots = None) -> tuple[dict, dict, list[str]]:
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
    if "extends" not in data:
        return data, locations, [name]
    parent = data["extends"]
    base_path = _extends_target(path.parent, parent, name, raw_locations, roots)
    base, base_locations, chain = _load_tree(base_path, [*seen, resolved], roots)
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
    """Parse ``a.b=c`` (the value is YAML 1.2: ``80``, ``true``, ``{low: 1, high: 2}``).

    Raises
    ------
    ScenarioError
        When there is no ``=``, the path is malformed or names ``extends``, or the value is
        not valid YAML; the problem names the override.
    """
    if "=" not in text:
        raise ScenarioError(
            [Problem(f"an override is written key.path=value, got {_short(text)}", file="--set")]
        )
    key, _, raw = text.partition("=")
    key = key.strip()
    if not key or any(not part.strip() for part in key.split(".")):
        raise ScenarioError([Problem(f"bad override path {_short(key)}", file="--set")])
    _check_override_key(key, "--set")
    if not raw.strip():
        return key, ""
    try:
        value = parse_value(raw, f"--set {key}")
    except ScenarioError as exc:
        problems = [
            Problem(f"bad override value: {p.message}", file="--set", field=key, value=raw)
            for p in exc.problems
        ]
        raise ScenarioError(problems) from None
    return key, value


def _short(text: str, limit: int = 80) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


def _check_override_key(key: str, label: str) -> None:
    if key.split(".")[0] == "extends":
        raise ScenarioError(
            [
                Problem(
                    "'extends' cannot be overridden: it names the file a scenario builds on; "
                    "edit the file, or load the other scenario",
                    file=label,
                    field=key,
                )
            ]
        )


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
    for key in keys:
        if not isinstance(key, str) or any(not part.strip() for part in key.split(".")):
            raise ScenarioError(
                [
                    Problem(
                        f"bad override path {key!r}: a dotted path such as "
                        "workload.inferences_per_second or sites.list.0.count",
                        file="override",
                    )
                ]
            )
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
    for key in keys:
        _check_override_key(key, "override")
    out = copy.deepcopy(data)
    for key, value in overrides.items():
        parts = key.split(".")
        node: Any = out
        for depth, part in enumerate(parts[:-1]):
            nxt = _child(node, part)
            if nxt is None or not isinstance(nxt, (dict, list)):
                if parts[depth + 1].isdigit():
                    where = ".".join(parts[: depth + 1])
                    raise ScenarioError(
                        [
                            Problem(
                                f"there is no list {where} in the scenario to set item "
                                f"{parts[depth + 1]} of",
                                file="override",
                                field=key,
                            )
                        ]
                    )
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
    visitor_file: str | None = None,
) -> Scenario:
    """Validate plain data as a :class:`Scenario`, mapping errors to file positions.

    With ``visitor_file`` (an upload), a problem located in any other file (one it extends)
    names the file, line and field but not the value found there.
    """
    if "edgecalc_measurement" in data and "edgecalc" not in data:
        file, line, col = locations.get(("edgecalc_measurement", KEY), (None, None, None))
        raise ScenarioError(
            [
                Problem(
                    "this is a measurement file (written by `edgecalc measure --out`), not a "
                    "scenario; a scenario uses it as cloud.rtt: {measurement: FILE}",
                    file=file,
                    line=line,
                    column=col,
                )
            ]
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = _useful(exc.errors())
        problems = [_problem(err, locations, overrides or {}) for err in errors[: limits.PROBLEMS]]
        if len(errors) > limits.PROBLEMS:
            problems.append(Problem(f"and {len(errors) - limits.PROBLEMS:,} more problems"))
        if visitor_file is not None:
            problems = [_redacted(p, visitor_file) for p in problems]
        raise ScenarioError(problems) from None


def _redacted(problem: Problem, visitor_file: str) -> Problem:
    """The problem without the value, when it lies in a file the visitor did not send."""
    if problem.file in (visitor_file, "override", None):
        return problem
    message = problem.message
    value = problem.value
    if value is not None:
        shown = {repr(value), str(value)}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown.add(f"{value:g}")
        for text in sorted(shown, key=len, reverse=True):
            message = message.replace(text, "the value")
    return replace(problem, message=message, value=None)


def _useful(errors: list[dict]) -> list[dict]:
    """Drop the noise pydantic adds for unions (number-or-range, the three forms of
    ``cloud.rtt``, a catalog key or a custom device): keep the errors of the form the user
    came closest to writing (:func:`_closest_branches`), then one error per field, the one
    that matches what the user wrote (a number, or a mapping for a range)."""
    seen: dict[tuple, dict] = {}
    for err in _closest_branches(errors):
        loc = tuple(str(p) for p in err["loc"])
        clean = tuple(p for p in loc if not _is_union_tag(p))
        prev = seen.get(clean)
        if prev is None or _rank(err) < _rank(prev):
            # the number branch of a number-or-range field (edgecalc.scenario.ranges.Num)
            ranged = bool(loc) and loc[-1] in ("float", "int")
            seen[clean] = {**err, "loc": clean, "ranged": ranged}
    return list(seen.values())


def _closest_branches(errors: list[dict]) -> list[dict]:
    """In each union a value failed, only the errors of the form it came closest to.

    pydantic reports every form of a union: ``cloud.rtt: {max_age_days: 0, measurement: m.json}``
    fails as ``RttGiven`` (``ms`` missing, two unknown keys), as ``RttEstimated`` (two unknown
    keys) and as ``RttMeasured`` (``max_age_days`` out of bounds); only the last one says what
    is wrong. A form is closer the fewer errors say the value is of the wrong kind (a mapping
    where a number belongs), then the fewer unknown keys, missing keys and errors in all. When
    two forms are equally close, both are kept.
    """
    branches: dict[tuple[str, ...], dict[str, list[int]]] = {}
    for n, err in enumerate(errors):
        loc = tuple(str(p) for p in err["loc"])
        for i, part in enumerate(loc):
            if _is_union_tag(part):
                branches.setdefault(loc[:i], {}).setdefault(part, []).append(n)
    dropped: set[int] = set()
    for prefix, by_branch in branches.items():
        if len(by_branch) < 2:
            continue
        cost = {
            b: _branch_cost([errors[n] for n in ns], len(prefix)) for b, ns in by_branch.items()
        }
        best = min(cost.values())
        closest = [b for b, c in cost.items() if c == best]
        if len(closest) == 1:
            dropped.update(n for b, ns in by_branch.items() if b != closest[0] for n in ns)
    return [err for n, err in enumerate(errors) if n not in dropped]


def _branch_cost(errors: list[dict], depth: int) -> tuple[int, int, int, int]:
    """How far a value is from one form of a union (lower is closer): errors at the form
    itself that are not about content (``model_type``: a scalar where a mapping belongs;
    ``float_type``: a mapping where a number belongs), unknown keys, missing keys, errors."""
    wrong_kind = sum(
        len(e["loc"]) == depth + 1 and e["type"] not in ("value_error", "assertion_error")
        for e in errors
    )
    unknown = sum(e["type"] == "extra_forbidden" for e in errors)
    missing = sum(e["type"] == "missing" for e in errors)
    return (wrong_kind, unknown, missing, len(errors))


def _is_union_tag(part: str) -> bool:
    return part in {
        "float",
        "int",
        "str",
        "Range",
        "RttGiven",
        "RttMeasured",
        "RttEstimated",
        "Site",
        "Location",
        "UplinkUpgrade",
        "Hybrid",
        "CustomDevice",
        "CustomInstance",
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
    if override_behind(field, overrides, locations) is not None:
        value = err.get("input")
        if err["type"] == "missing":
            value = None
        return Problem(
            _message(err),
            file="override",
            field=field,
            value=value if not isinstance(value, (dict, list)) else None,
        )
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


_MAPPING_NEEDED = "a mapping of keys is needed here (`key: value` lines, or {key: value})"
_KIND_NEEDED = {
    "model_type": _MAPPING_NEEDED,
    "dict_type": _MAPPING_NEEDED,
    "model_attributes_type": _MAPPING_NEEDED,
    "tuple_type": "a list is needed here (`- item` lines, or [a, b])",
    "list_type": "a list is needed here (`- item` lines, or [a, b])",
    "float_type": "a number is needed here",
    "float_parsing": "a number is needed here",
    "int_type": "a whole number is needed here",
    "int_parsing": "a whole number is needed here",
    "string_type": "text is needed here",
}
"""What a field takes, for an error that says the value is of the wrong kind; pydantic's own
("Input should be a valid dictionary or instance of Latency") names Python types."""


_BOUND_WORDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}
"""A bound pydantic checks itself (a latitude's ``le=90``) -> its key in the error's context
and the comparison in words; pydantic's own ("Input should be less than or equal to 90")
reads as a program's."""

_PLAIN_NEEDED = {
    "int_from_float": "a whole number is needed here",
    "bool_parsing": "true or false is needed here",
    "bool_type": "true or false is needed here",
}
"""What a field takes, for pydantic's errors that name Python's types ("Input should be a valid
integer, got a number with a fractional part")."""

_PATTERN_WORDS = {
    r"^[A-Z]{2}$": "two capital letters are needed here: an ISO 3166-1 alpha-2 country code "
    "such as DE, US or GB",
}
"""A field's text pattern -> what it asks for in words."""


def _wrote(value: Any) -> str:
    """What the user wrote, for a wrong-kind error (a scalar is shown as the value)."""
    if value is None:
        return ", but the value is empty"
    if isinstance(value, dict):
        return ", not a mapping"
    if isinstance(value, list):
        return ", not a list"
    return ""


def _message(err: dict) -> str:
    t = err["type"]
    msg = err["msg"]
    value = err.get("input")
    if t == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        digits = int(value.bit_length() * 0.30103) + 1  # a whole number no float can hold
        return (
            f"a number of about {digits:,} digits is out of bounds: numbers are at most "
            f"{limits.NUMBER_MAGNITUDE:g} in size"
        )
    if t in _KIND_NEEDED:
        needed = _KIND_NEEDED[t] + (" (or a range {low, high})" if err.get("ranged") else "")
        return needed + _wrote(err.get("input"))
    if t == "extra_forbidden":
        return "unknown key (misspelt?); see `edgecalc schema` for the allowed keys"
    if t == "missing":
        return "required field is missing"
    if t == "literal_error":
        return msg.replace("Input should be", "allowed values are")
    if t in _BOUND_WORDS:
        bound = (err.get("ctx") or {}).get(_BOUND_WORDS[t][0])
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            return f"allowed is a number {_BOUND_WORDS[t][1]} {as_written(bound)}"
    if t in _PLAIN_NEEDED:
        return _PLAIN_NEEDED[t]
    if t == "string_pattern_mismatch":
        pattern = (err.get("ctx") or {}).get("pattern")
        return _PATTERN_WORDS.get(pattern, f"text of the form {pattern} is needed here")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg
