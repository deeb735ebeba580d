"""Lossless edits of a scenario file: change some keys, keep every other byte.

An edit made in the app (or by a script) must be a reviewable diff: the edited keys change and
nothing else, so comments, the ``# yaml-language-server: $schema=...`` line, ``extends``, key
order, flow mappings (``{lat: 48.4, lon: 11.75}``), folded text and number spellings
(``36.4e6``) stay as written. This module reads the file with ruamel.yaml in round-trip mode,
sets the edited paths in place and writes it back with the indentation the file uses.

Edits are the dotted-path overrides the loader applies (``{"latency.budget_ms": 40}``,
``{"sites.list.0.uplink_mbps": 500}``), so ``load_scenario_text(edit_text(text, o))`` is the
scenario ``load_scenario_text(text, overrides=o)``. A path the file does not write (the value
comes from the file it ``extends``, the catalog or a default) is added to the mapping it
belongs to, creating the sections it needs; a value of ``None`` is written ``null`` (it
clears what the extended file sets).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import Problem, ScenarioError

INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 3, 0))
"""(mapping, sequence, offset) indentations tried, in order, to find the file's own: the
first that writes the unedited file back byte for byte is used."""
WIDTH = 4096
"""Line width for the writer: long enough that no line is re-wrapped."""
YAML11_NON_STRINGS = re.compile(
    r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|~|null|Null|NULL|[-+]?[0-9_.,:eE+-]+|\.inf|\.nan)$"
)
"""Strings a YAML 1.1 reader would take for a boolean, null or number (``NO``, Norway): an
edit writes them in quotes so that every reader reads a string."""


class _Null:
    """A ``None`` set by an edit, written ``null`` (ruamel writes a bare ``key:`` otherwise)."""


def _represent_null(representer, _data):
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


class _EmptyNull(RoundTripRepresenter):
    """Writes a null read from the file as an empty value; an edit's :class:`_Null` as
    ``null``. (ruamel.yaml registers representers on the class: subclasses keep them apart.)"""


class _SpelledNull(_EmptyNull):
    """Writes every null as ``null``."""


_EmptyNull.add_representer(_Null, _represent_null)
_SpelledNull.add_representer(type(None), _represent_null)


def edit_text(text: str, edits: Mapping[str, Any], name: str = "<scenario>") -> str:
    """The scenario text with ``edits`` applied and every other line kept as written.

    Parameters
    ----------
    text
        A scenario file's YAML text.
    edits
        Dotted paths to new values (numbers, strings, booleans, ``None``, ranges as
        ``{"low": .., "high": ..}``, lists); list items are addressed by index.
    name
        The file's name, for error messages.

    Returns
    -------
    str
        The edited text; ``text`` itself when ``edits`` is empty.

    Raises
    ------
    ScenarioError
        When the text is not a YAML mapping, or a path runs into a value that is neither a
        mapping nor a list, or names a list item that does not exist.
    """
    if not edits:
        return text
    yaml = _yaml_for(text)
    data = _load(yaml, text, name)
    for path, value in edits.items():
        _set(data, path.split("."), value, path, name)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _yaml_for(text: str) -> YAML:
    """A round-trip reader/writer with the indentation and the spelling of null this text
    uses (ruamel.yaml keeps neither: it is found by writing the unedited text back)."""
    best = None
    for spell_null in (False, True):
        for mapping, sequence, offset in INDENTS:
            yaml = _make(mapping, sequence, offset, spell_null)
            try:
                data = yaml.load(text)
            except YAMLError:
                return yaml  # _load reports it with its line
            out = io.StringIO()
            yaml.dump(data, out)
            if out.getvalue() == text:
                return yaml
            best = best or yaml
    return best or _make(*INDENTS[0], spell_null=False)


def _make(mapping: int, sequence: int, offset: int, spell_null: bool) -> YAML:
    """A round-trip YAML; ``spell_null`` writes a null read from the file as ``null`` (else
    as an empty value, ruamel.yaml's default)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.Representer = _SpelledNull if spell_null else _EmptyNull
    return yaml


def _load(yaml: YAML, text: str, name: str) -> CommentedMap:
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError(
            [
                Problem(
                    f"YAML syntax error: {getattr(exc, 'problem', None) or exc}",
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    if not isinstance(data, CommentedMap):
        raise ScenarioError([Problem("the top of a scenario must be a mapping", file=name)])
    return data


def _set(node: Any, parts: list[str], value: Any, path: str, name: str) -> None:
    """Set ``parts`` under ``node``, creating mappings for the sections the file lacks."""
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, CommentedSeq):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError(
                    [Problem(f"no list item {part} to edit", file=name, field=path)]
                )
            index = int(part)
            if last:
                node[index] = _new_value(value, node[index])
                return
            node = node[index]
            continue
        if not isinstance(node, CommentedMap):
            raise ScenarioError(
                [
                    Problem(
                        f"cannot edit {path}: {'.'.join(parts[:depth])} is not a mapping",
                        file=name,
                        field=path,
                    )
                ]
            )
        if last:
            node[part] = _new_value(value, node.get(part))
            return
        child = node.get(part)
        if not isinstance(child, (CommentedMap, CommentedSeq)):
            child = CommentedMap()
            node[part] = child
        node = child


def _new_value(value: Any, old: Any) -> Any:
    """The value as the file should spell it: a whole number unless the file wrote a decimal
    there (the app's number inputs give ``40.0``), a range as a one-line ``{low: .., high: ..}``.
    """
    if isinstance(value, float) and value.is_integer() and not isinstance(old, float):
        return int(value)
    if isinstance(value, Mapping):
        flow = (isinstance(old, CommentedMap) and old.fa.flow_style()) or _is_leaf_map(value)
        out = CommentedMap((k, _new_value(v, None)) for k, v in value.items())
        if flow:
            out.fa.set_flow_style()
        return out
    if isinstance(value, (list, tuple)):
        return CommentedSeq(_new_value(v, None) for v in value)
    if value is None:
        return _Null()
    if isinstance(value, str) and YAML11_NON_STRINGS.match(value):
        return DoubleQuotedScalarString(value)
    return value


def _is_leaf_map(value: Mapping) -> bool:
    return all(not isinstance(v, (Mapping, list, tuple)) for v in value.values())
