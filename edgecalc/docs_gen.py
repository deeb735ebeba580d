"""Generate ``docs/nomenclature.md`` from the scenario models: every dotted field name, its
type, its unit, its default and its meaning, defined once, in the code.

The meaning is the docstring under each field (``use_attribute_docstrings``); the unit is the
``[...]`` at the end of that docstring. Run ``python -m edgecalc.docs_gen`` from the repository
root to rewrite the page (``--check`` only reports drift); ``tests/test_docs.py`` fails when the
checked-in page differs from :func:`nomenclature_markdown`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import limits
from .scenario.models import Scenario
from .scenario.ranges import Range

DEFAULT_PATH = Path("docs") / "nomenclature.md"
"""Where ``python -m edgecalc.docs_gen`` writes, relative to the working directory."""

_UNIT = re.compile(r"\s*\[([^\[\],]+)\]\.?\s*$")
_UNIT_INSIDE = re.compile(r"\s*\[([^\[\]\s,]+)\]")
_BOUND_WORDS = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
_ANNOTATED_BOUNDS = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<"}


@dataclass(frozen=True)
class FieldDoc:
    """One documented field."""

    name: str
    """Dotted name, e.g. ``workload.inferences_per_second``; list items as ``list[]``."""
    type: str
    """What the YAML may hold, with bounds, e.g. ``number > 0, or range``."""
    unit: str
    """The unit from the ``[...]`` at the end of the docstring, or empty."""
    default: str
    """The schema default as YAML would write it, or ``required``."""
    meaning: str
    """The docstring without its unit."""


def split_unit(doc: str | None) -> tuple[str, str]:
    """The meaning and the unit of a field docstring.

    Examples
    --------
    >>> split_unit("Price of one device; default the catalog's [USD].")
    ("Price of one device; default the catalog's.", 'USD')
    >>> split_unit("Name shown in reports.")
    ('Name shown in reports.', '')
    >>> split_unit("Upload capacity [Mbit/s]; default the sites' value.")
    ("Upload capacity; default the sites' value.", 'Mbit/s')
    """
    text = " ".join((doc or "").split())
    match = _UNIT.search(text)
    if not match:
        # a unit written before a trailing remark: "... [Mbit/s]; default the sites' value."
        inside = list(_UNIT_INSIDE.finditer(text))
        if not inside:
            return text, ""
        last = inside[-1]
        return text[: last.start()] + text[last.end() :], last.group(1)
    meaning = text[: match.start()].rstrip()
    if meaning and not meaning.endswith((".", "?", "!", ")")):
        meaning += "."
    return meaning, match.group(1).strip()


def field_docs(model: type[BaseModel] = Scenario, prefix: str = "") -> list[FieldDoc]:
    """Every field of ``model`` and of the sections below it, depth first, in file order."""
    out: list[FieldDoc] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        meaning, unit = split_unit(info.description)
        out.append(FieldDoc(path, describe_type(info), unit, describe_default(info), meaning))
        for sub, suffix, variant in _submodels(info.annotation):
            sub_prefix = path + suffix
            docs = field_docs(sub, sub_prefix)
            if variant:
                label = " ".join((sub.__doc__ or sub.__name__).split())
                docs = [
                    FieldDoc(d.name, d.type, d.unit, d.default, f"*({label})* {d.meaning}")
                    for d in docs
                ]
            out.extend(docs)
    return out


def describe_type(info: FieldInfo) -> str:
    """What a field accepts, in words, with its bounds."""
    text = _type_words(info.annotation)
    bounds = _annotated_bounds(info.metadata)
    return f"{text} {bounds}" if bounds else text


def describe_default(info: FieldInfo) -> str:
    """The default as a YAML author would write it, or ``required``."""
    if info.is_required() or info.default is PydanticUndefined:
        return "required"
    value = info.default
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        if sum(1 for _ in _submodels(info.annotation)) > 1:
            return " ".join((type(value).__doc__ or type(value).__name__).split())
        dumped = value.model_dump(mode="json", exclude_defaults=True)
        return "`" + json.dumps(dumped) + "`" if dumped else "all defaults"
    if isinstance(value, tuple):
        return "`" + json.dumps(list(value)) + "`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    if isinstance(value, int):
        return f"`{value}`"
    return f"`{value}`" if value != "" else '`""`'


def nomenclature_markdown() -> str:
    """The whole ``docs/nomenclature.md`` page."""
    lines = [
        "# Nomenclature: every scenario field, its unit and meaning",
        "",
        "<!-- Generated by `python -m edgecalc.docs_gen` from the docstrings in",
        "     edgecalc/scenario/models.py; do not edit by hand (tests/test_docs.py checks it). -->",
        "",
        "Field names carry their unit (`_ms`, `_usd`, `_bytes`, `_per_month`, `_w`, `_gb`,",
        "`_mbps`); the **unit** column repeats it as the `[...]` at the end of each field's",
        "docstring. **number or range** means a plain number or a range `{low: 20, high: 60}`:",
        "a 90% interval (lognormal when both ends are positive, normal otherwise; see",
        "[Ranges](#ranges)); a deterministic run uses its median. Names below are dotted paths",
        "as used by `--set`, `overrides={...}` and the `path` column of `result.assumptions`;",
        "`sites.list[]` stands for each item, `sites.list.0`, `sites.list.1`, ... Bounds",
        "apply to both ends of a range. Every number is at most a million billion (10^15) in",
        "size and, unless it is a whole number, zero or at least 10^-12 in size.",
        "",
    ]
    docs = field_docs()
    top = {d.name: d for d in docs if d.name in Scenario.model_fields}
    sections: dict[str, list[FieldDoc]] = {"": []}
    for d in docs:
        head = re.split(r"[.\[]", d.name, maxsplit=1)[0]
        nested = d.name != head or _is_section(Scenario.model_fields[head])
        sections.setdefault(head if nested else "", []).append(d)
    lines += ["## Top level", "", *_table(sections.pop(""))]
    for head, rows in sections.items():
        lines += ["", f"## `{head}`", "", top[head].meaning, "", *_table(rows)]
    lines += [
        "",
        "## Ranges",
        "",
        "Any field whose type says *or range* accepts a mapping with these keys instead of a",
        "number.",
        "",
        *_table(field_docs(Range, "<field>")),
    ]
    return "\n".join(lines) + "\n"


def write_nomenclature(path: str | Path = DEFAULT_PATH) -> bool:
    """Write the page if it changed; returns whether it changed."""
    from .io import write_atomic

    path = Path(path)
    text = nomenclature_markdown()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m edgecalc.docs_gen [PATH] [--check]``; exit 1 when ``--check`` finds drift."""
    parser = argparse.ArgumentParser(prog="python -m edgecalc.docs_gen", description=__doc__)
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != nomenclature_markdown():
            print(f"{path} is out of date: run python -m edgecalc.docs_gen", file=sys.stderr)
            return 1
        print(f"{path}: up to date")
        return 0
    changed = write_nomenclature(path)
    print(f"{path}: {'written' if changed else 'unchanged'}")
    return 0


def _table(rows: list[FieldDoc]) -> list[str]:
    out = ["| name | type | unit | default | meaning |", "|---|---|---|---|---|"]
    for d in rows:
        out.append(
            f"| `{d.name}` | {_cell(d.type)} | {_cell(d.unit)} | {_cell(d.default)} "
            f"| {_cell(d.meaning)} |"
        )
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


def _is_section(info: FieldInfo) -> bool:
    return any(True for _ in _submodels(info.annotation))


def _submodels(annotation: Any):
    """(model, path suffix, is one variant of several) for each model a field may hold."""
    args = _union_args(annotation)
    models = [a for a in args if _is_model(a) and a is not Range]
    for a in args:
        origin = typing.get_origin(a)
        if origin is tuple:
            items = typing.get_args(a)
            if len(items) == 2 and items[1] is Ellipsis and _is_model(items[0]):
                yield items[0], "[]", False
    for m in models:
        yield m, "", len(models) > 1


def _union_args(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _union_args(arg)]
    if origin is typing.Annotated:
        base = typing.get_args(annotation)[0]
        if typing.get_origin(base) in (typing.Union, types.UnionType):
            return _union_args(base)  # a number-or-range inside an optional field
    return [annotation]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _type_words(annotation: Any) -> str:
    args = _union_args(annotation)
    optional = type(None) in args
    args = [a for a in args if a is not type(None)]
    has_range = Range in args
    args = [a for a in args if a is not Range]
    words = []
    for a in args:
        words.append(_one_type(a))
    text = " or ".join(dict.fromkeys(words))
    if has_range:
        text += ", or range"
    if optional:
        text += " (optional)"
    return text


def _one_type(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        words = _one_type(base)
        bounds = _annotated_bounds(meta)
        return f"{words} {bounds}" if bounds else words
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in typing.get_args(tp))
    if origin is tuple:
        items = typing.get_args(tp)
        if len(items) == 2 and items[1] is Ellipsis:
            inner = items[0]
            return "list of sections" if _is_model(inner) else f"list of {_one_type(inner)}s"
        kinds = " and ".join(dict.fromkeys(_one_type(i) + "s" for i in items))
        return f"list of {len(items)} {kinds}"
    if _is_model(tp):
        return "section"
    return {bool: "true/false", int: "integer", float: "number", str: "string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _annotated_bounds(metadata: list[Any]) -> str:
    parts = []
    for m in metadata:
        extra = getattr(m, "json_schema_extra", None)
        if isinstance(extra, dict):
            parts += [
                f"{_BOUND_WORDS[k]} {v:g}"
                for k, v in extra.items()
                if k in _BOUND_WORDS and abs(v) != limits.NUMBER_MAGNITUDE  # said once, above
            ]
        for attr, word in _ANNOTATED_BOUNDS.items():
            value = getattr(m, attr, None)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                parts.append(f"{word} {value:g}")
        pattern = getattr(m, "pattern", None)
        if isinstance(pattern, str):
            parts.append(f"matching `{pattern}`")
    return " and ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
