"""Safe YAML reading with line numbers: size and alias limits, ``safe_load`` semantics only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, ScenarioError

MAX_FILE_BYTES = 1024 * 1024
"""Scenario files larger than this (1 MiB) are refused."""
MAX_NODES = 100_000
"""Documents that expand (through aliases) to more nodes than this are refused."""

Locations = dict[tuple[str, ...], tuple[int, int]]
"""Field path -> (line, column) of its value, both 1-based; ``(*path, KEY)`` -> its key."""
KEY = "<key>"


def read_text(path: Path) -> str:
    """Read a scenario file as UTF-8 text with a size limit.

    Raises
    ------
    ScenarioError
        When the file is missing, larger than :data:`MAX_FILE_BYTES`, binary, or not UTF-8.
    """
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ScenarioError([Problem("file not found", file=name)]) from None
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot read the file: {exc.strerror}", file=name)]) from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem(f"file is {size:,} bytes; scenario files are limited to 1 MiB", file=name)]
        )
    data = path.read_bytes()
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """Decode uploaded or read bytes, refusing binary and oversized content."""
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    f"file is {len(data):,} bytes; scenario files are limited to 1 MiB", file=name
                )
            ]
        )
    if b"\x00" in data:
        raise ScenarioError([Problem("this is a binary file, not a YAML scenario", file=name)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", file=name)]
        ) from None


def parse(text: str, name: str) -> tuple[dict[str, Any], Locations]:
    """Parse YAML text into plain data and a map of field locations.

    Only the standard YAML tags are accepted (as ``yaml.safe_load``); a document that
    expands to more than :data:`MAX_NODES` nodes through aliases ("billion laughs") is refused.

    Returns
    -------
    data, locations
        The mapping at the top of the document, and ``{path: (line, column)}``.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        raise ScenarioError([Problem(msg, file=name, line=line, column=col)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(f"YAML error: {exc}", file=name)]) from None
    if node is None:
        raise ScenarioError([Problem("the file is empty", file=name)])
    _check_size(node, name)
    if not isinstance(node, yaml.MappingNode):
        raise ScenarioError(
            [
                Problem(
                    "the top of a scenario must be a mapping of keys (edgecalc, name, ...)",
                    file=name,
                    line=node.start_mark.line + 1,
                    column=node.start_mark.column + 1,
                )
            ]
        )
    locations: Locations = {}
    _collect(node, (), locations)
    try:
        data = yaml.SafeLoader(text).get_single_data()
    except yaml.YAMLError as exc:  # e.g. a bad value for a standard tag
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(
            [
                Problem(
                    f"YAML error: {getattr(exc, 'problem', exc)}",
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    return data, locations


def _check_size(root: yaml.Node, name: str) -> None:
    """Count nodes with alias expansion, stopping as soon as the limit is passed."""
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ScenarioError(
                [
                    Problem(
                        f"the document expands to more than {MAX_NODES:,} nodes "
                        "(too many aliases?); refused",
                        file=name,
                    )
                ]
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _collect(node: yaml.Node, path: tuple[str, ...], out: Locations) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_text = str(key.value)
            key_loc = (key.start_mark.line + 1, key.start_mark.column + 1)
            out[(*path, key_text)] = key_loc
            out[(*path, key_text, KEY)] = key_loc
            _collect_value(value, (*path, key_text), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect(item, (*path, str(i)), out)


def _collect_value(node: yaml.Node, path: tuple[str, ...], out: Locations) -> None:
    # the location of a key's value is where the value starts; keep the key's line for scalars
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        key_loc = out[path]
        _collect(node, path, out)
        out[path] = key_loc
    else:
        out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)


def dump(data: dict[str, Any]) -> str:
    """YAML text for plain data, keys in the given order, readable block style."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
