"""The packaged catalog YAML: every number is a sourced, dated fact (walked generically)."""

import datetime
import re

import pytest
import yaml

from edgecalc.catalog import DATA_DIR, load_catalog
from edgecalc.catalog.lookup import DATA_FILES

REQUIRED = ("value", "unit", "source", "as_of")
ALLOWED = {*REQUIRED, "confidence", "note", "derived", "formula", "spread_low", "spread_high"}


def _walk(node, path=""):
    """Yield (path, node) for every node of a YAML tree."""
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}.{i}")


@pytest.fixture(scope="module", params=DATA_FILES)
def data_file(request):
    with (DATA_DIR / request.param).open(encoding="utf-8") as handle:
        return request.param, yaml.safe_load(handle)


def test_every_fact_has_value_unit_source_as_of(data_file):
    name, tree = data_file
    facts = [(p, n) for p, n in _walk(tree) if isinstance(n, dict) and "value" in n]
    for path, node in facts:
        for field in REQUIRED:
            assert node.get(field) not in (None, ""), f"{name}:{path} lacks {field}"
        # as_of must stay a string as published (an unquoted 2023 would load as an int).
        assert isinstance(node["as_of"], str), f"{name}:{path} as_of is {node['as_of']!r}"
        assert set(node) <= ALLOWED, f"{name}:{path} has {set(node) - ALLOWED}"
        if node.get("derived"):
            assert node.get("formula"), f"{name}:{path} is derived without a formula"
        if "confidence" in node:
            assert node["confidence"] in ("high", "medium", "low"), f"{name}:{path}"
        if "spread_low" in node or "spread_high" in node:
            # a spread is both ends, around the value (Monte Carlo's default range)
            assert node["spread_low"] <= node["value"] <= node["spread_high"], f"{name}:{path}"


def test_no_bare_numbers_outside_facts(data_file):
    name, tree = data_file
    for path, node in _walk(tree):
        if isinstance(node, int | float) and not isinstance(node, bool):
            assert path.endswith((".value", ".spread_low", ".spread_high")), (
                f"{name}:{path} = {node} is not inside a fact"
            )
            parent = path.rsplit(".", 1)[0]
            assert parent, f"{name}:{path}"


def test_no_fact_is_dated_after_the_catalog():
    catalog = load_catalog()
    compiled = datetime.date.fromisoformat(catalog.as_of)
    future = [f.key for f in catalog.facts() if (f.as_of_date() or compiled) > compiled]
    assert future == []


def test_undated_facts_say_so():
    """A fact without a parseable date must say undated/unknown, not hide a typo."""
    catalog = load_catalog()
    silent = [
        f.key
        for f in catalog.facts()
        if f.as_of_date() is None and not re.match(r"(undated|unknown)", f.as_of)
    ]
    assert silent == []


def test_sources_are_repository_files_or_addresses():
    catalog = load_catalog()
    odd = [
        f.key
        for f in catalog.facts()
        if not re.match(r"(github:|pypi:|https?://|derived from )", f.source)
    ]
    assert odd == []
