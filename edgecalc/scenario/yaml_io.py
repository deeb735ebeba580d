"""Reading scenario files as YAML 1.2, safely, with the line of every field.

The reader is ruamel.yaml's pure-Python parser and composer with the YAML 1.2 core schema, so
``country: NO`` is the text "NO", ``yes`` is text, ``36.4e6`` is a number, and only
``true``/``false`` are booleans. The values are built here from the composed nodes, not by a
YAML constructor, which makes every rule below one check with a line number:

- only plain values, mappings and lists (no ``!!python/...`` or other tags, no merge keys);
- a key given twice in one mapping is refused, naming both lines;
- numbers are finite (no ``.nan``/``.inf``) and integers have at most
  :data:`~edgecalc.limits.NUMBER_DIGITS` digits;
- nesting is at most :data:`~edgecalc.limits.YAML_NESTING_DEPTH` deep;
- aliases may add at most :data:`~edgecalc.limits.YAML_ALIAS_NODES` nodes to what is written
  out (the "billion laughs" guard counts only what aliases add, so a large file without
  aliases is never refused by it);
- files are read with :func:`edgecalc.io.read_bounded`: regular files only, at most
  :data:`~edgecalc.limits.SCENARIO_FILE_BYTES`, the size checked while reading.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import limits
from ..errors import Problem, ScenarioError
from ..io import FileReadError, read_bounded

MAX_FILE_BYTES = limits.SCENARIO_FILE_BYTES
"""Scenario files larger than this (1 MiB) are refused."""

Locations = dict[tuple[str, ...], tuple[int, int]]
"""Field path -> (line, column) of its value, both 1-based; ``(*path, KEY)`` -> its key."""
KEY = "<key>"

_TAG = "tag:yaml.org,2002:"


def read_text(path: Path) -> str:
    """Read a scenario file as UTF-8 text: a regular file of at most 1 MiB.

    Raises
    ------
    ScenarioError
        When the file is missing, a directory, a device or pipe, larger than
        :data:`MAX_FILE_BYTES`, binary, or not UTF-8.
    """
    name = str(path)
    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except FileReadError as exc:
        reason = exc.reason
        if exc.kind == "too_large":
            reason = "larger than 1 MiB; scenario files are limited to 1 MiB"
        raise ScenarioError([Problem(reason, file=name)]) from None
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
    """Parse YAML 1.2 text into plain data and a map of field locations.

    Returns
    -------
    data, locations
        The mapping at the top of the document, and ``{path: (line, column)}``.

    Raises
    ------
    ScenarioError
        On a syntax error, a tag other than the plain ones, a duplicate key, a non-finite
        number, nesting deeper than the limit or an alias expansion beyond it; each with
        the file, line and column, and the field where there is one.
    """
    node = _compose(text, name)
    if node is None:
        raise ScenarioError([Problem("the file is empty", file=name)])
    _check_alias_expansion(node, name)
    if not isinstance(node, MappingNode):
        raise ScenarioError(
            [
                Problem(
                    "the top of a scenario must be a mapping of keys (edgecalc, name, ...)",
                    file=name,
                    **_at(node),
                )
            ]
        )
    locations: Locations = {}
    builder = _Builder(name, locations)
    data = builder.value(node, ())
    return data, locations


def parse_value(text: str, name: str) -> Any:
    """Parse one YAML 1.2 value (a ``--set`` value: ``80``, ``true``, ``{low: 1, high: 2}``)
    with the same rules as a file; empty text is None."""
    node = _compose(text, name)
    if node is None:
        return None
    _check_alias_expansion(node, name)
    return _Builder(name, {}).value(node, ())


class _DepthLimitedComposer(Composer):
    """ruamel's composer recurses once per level: refuse before Python's stack runs out."""

    _edgecalc_depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._edgecalc_depth += 1
        try:
            if self._edgecalc_depth > limits.YAML_NESTING_DEPTH:
                mark = self.parser.peek_event().start_mark
                raise _TooDeep(mark)
            return super().compose_node(parent, index)
        finally:
            self._edgecalc_depth -= 1


class _TooDeep(Exception):
    def __init__(self, mark) -> None:
        super().__init__()
        self.mark = mark


def _compose(text: str, name: str) -> Node | None:
    yaml = YAML(typ="safe", pure=True)  # a fresh reader each time: composers keep state
    yaml.Composer = _DepthLimitedComposer
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a reused anchor is valid YAML
            return yaml.compose(io.StringIO(text))
    except _TooDeep as exc:
        raise ScenarioError(
            [
                Problem(
                    f"nested more than {limits.YAML_NESTING_DEPTH} levels deep; refused",
                    file=name,
                    line=exc.mark.line + 1,
                    column=exc.mark.column + 1,
                )
            ]
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        raise ScenarioError(
            [
                Problem(
                    msg,
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    except YAMLError as exc:  # e.g. a control character the reader refuses
        raise ScenarioError([Problem(f"YAML error: {_first_line(exc)}", file=name)]) from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _check_alias_expansion(root: Node, name: str) -> None:
    """Refuse a document whose aliases add more than the limit of nodes (or refer to
    themselves).

    The expanded size of each node is computed once (a node reached again through an alias
    reuses its size), so the check costs one pass over the nodes written out, whatever the
    expansion.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    distinct = 0
    # iterative post-order walk: (node, children pushed?)
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[key] - distinct > limits.YAML_ALIAS_NODES:
                _refuse_expansion(name)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise ScenarioError(
                [Problem("an alias refers to the node that contains it; refused", file=name)]
            )
        open_nodes.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    if sizes[id(root)] - distinct > limits.YAML_ALIAS_NODES:
        _refuse_expansion(name)


def _refuse_expansion(name: str) -> None:
    raise ScenarioError(
        [
            Problem(
                f"aliases expand the document by more than {limits.YAML_ALIAS_NODES:,} "
                "nodes (too many aliases); refused",
                file=name,
            )
        ]
    )


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _at(node: Node) -> dict[str, int]:
    return {"line": node.start_mark.line + 1, "column": node.start_mark.column + 1}


class _Builder:
    """Plain data and locations from composed nodes, with the checks of the module docstring."""

    def __init__(self, name: str, locations: Locations) -> None:
        self.name = name
        self.locations = locations
        self.constructor = YAML(typ="safe", pure=True).constructor

    def fail(self, message: str, node: Node, path: tuple[str, ...]) -> ScenarioError:
        return ScenarioError(
            [Problem(message, file=self.name, field=".".join(path) or None, **_at(node))]
        )

    def value(self, node: Node, path: tuple[str, ...]) -> Any:
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                raise self.fail(_tag_refused(node.tag), node, path)
            items = []
            for i, item in enumerate(node.value):
                item_path = (*path, str(i))
                self.locations[item_path] = _position(item)
                items.append(self.value(item, item_path))
            return items
        return self.scalar(node, path)

    def mapping(self, node: MappingNode, path: tuple[str, ...]) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            raise self.fail(_tag_refused(node.tag), node, path)
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail("a key must be plain text, not a mapping or a list", key_node, path)
            if key_node.tag == _TAG + "merge":
                raise self.fail(
                    "merge keys (<<) are not supported; write the keys out, or use 'extends'",
                    key_node,
                    path,
                )
            key = str(key_node.value)
            key_path = (*path, key)
            key_line = key_node.start_mark.line + 1
            if key in first_line:
                raise self.fail(
                    f"the key {key!r} is given twice in one mapping, on line "
                    f"{first_line[key]} and on line {key_line}; keep one",
                    key_node,
                    key_path,
                )
            first_line[key] = key_line
            key_loc = _position(key_node)
            self.locations[key_path] = key_loc
            self.locations[(*key_path, KEY)] = key_loc
            out[key] = self.value(value_node, key_path)
            if isinstance(value_node, ScalarNode):
                self.locations[key_path] = _position(value_node)
            else:  # a mapping or list under a key is located at its key
                self.locations[key_path] = key_loc
        if not path:
            self.locations[()] = _position(node)
        return out

    def scalar(self, node: Node, path: tuple[str, ...]) -> Any:
        tag = node.tag
        text = node.value
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() == "true"
        if tag == _TAG + "timestamp":  # YAML 1.2's core schema has no dates: it is text
            return text
        if tag == _TAG + "int":
            digits = _digit_count(text)
            if digits > limits.NUMBER_DIGITS:
                raise self.fail(
                    f"a number with {digits:,} digits; numbers are limited to "
                    f"{limits.NUMBER_DIGITS} digits",
                    node,
                    path,
                )
            return self.constructor.construct_yaml_int(node)
        if tag == _TAG + "float":
            number = self.constructor.construct_yaml_float(node)
            if not math.isfinite(number):
                raise self.fail(
                    f"{text} is not a finite number; give a number (or a range {{low, high}})",
                    node,
                    path,
                )
            return number
        raise self.fail(_tag_refused(tag), node, path)


def _digit_count(text: str) -> int:
    """Digits of an integer literal (``0x`` and ``0o`` ones too: ``0xfff...`` is as large)."""
    body = text.lower().lstrip("+-").replace("_", "")
    if body.startswith(("0x", "0o", "0b")):
        body = body[2:]
    return sum(ch.isalnum() for ch in body)


def _tag_refused(tag: str) -> str:
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    return f"YAML error: the tag {shown} is not accepted; only plain values, mappings and lists"


def _position(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def dump(data: dict[str, Any]) -> str:
    """YAML 1.2 text for plain data, keys in the given order, readable block style."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
