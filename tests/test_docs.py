"""The docs cannot drift: the generated nomenclature page matches the models, every doctest
in the ``edgecalc`` package runs, and the worked example executes."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import runpy
from pathlib import Path

import pytest

import edgecalc
from edgecalc.docs_gen import field_docs, nomenclature_markdown, split_unit

ROOT = Path(__file__).resolve().parents[1]
NOMENCLATURE = ROOT / "docs" / "nomenclature.md"
WORKED_EXAMPLE = ROOT / "docs" / "worked_example.py"

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(edgecalc.__path__, prefix="edgecalc.")
    if not m.name.endswith("__main__")
)


def test_nomenclature_page_is_up_to_date():
    assert NOMENCLATURE.exists(), "docs/nomenclature.md is missing: run python -m edgecalc.docs_gen"
    assert NOMENCLATURE.read_text(encoding="utf-8") == nomenclature_markdown(), (
        "docs/nomenclature.md has drifted from the field docstrings in "
        "edgecalc/scenario/models.py: run `python -m edgecalc.docs_gen` and commit the result"
    )


def test_nomenclature_names_every_field_with_its_unit():
    docs = {d.name: d for d in field_docs()}
    row = docs["workload.inferences_per_second"]
    assert (row.unit, row.default) == ("1/s", "required")
    assert "or range" in row.type
    assert docs["edge.device_usd"].unit == "USD"
    assert docs["sites.list[].uplink_mbps"].unit == "Mbit/s"
    assert docs["cloud.rtt.ms"].unit == "ms"
    assert docs["horizon_months"].default == "`60`"
    # every field that names a unit in its name states it in brackets too
    suffixes = ("_ms", "_usd", "_bytes", "_w", "_gb", "_mbps", "_days")
    missing = [d.name for d in docs.values() if d.name.endswith(suffixes) and not d.unit]
    assert not missing, f"fields whose docstring lacks a [unit]: {missing}"


def test_split_unit_handles_a_docstring_without_one():
    assert split_unit("Name shown in reports.") == ("Name shown in reports.", "")


FINDER = doctest.DocTestFinder(exclude_empty=True)


def _doctests() -> list:
    """One parameter per docstring with examples; a module that fails to import is one
    parameter too, so its failure is reported rather than silently dropped."""
    params = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except Exception:
            params.append(pytest.param(name, None, id=f"{name}:import"))
            continue
        for test in FINDER.find(module, name):
            if test.examples:
                params.append(pytest.param(name, test.name, id=test.name))
    return params


@pytest.mark.parametrize(("module_name", "test_name"), _doctests())
def test_doctest(module_name, test_name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples read scenarios/... relative to the repository
    module = importlib.import_module(module_name)
    (test,) = [t for t in FINDER.find(module, module_name) if t.name == test_name]
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    report: list[str] = []
    result = runner.run(test, out=report.append)
    assert result.attempted > 0
    assert result.failed == 0, "".join(report)


def test_there_are_doctests_to_run():
    assert len(_doctests()) >= 3, "no doctest examples found in edgecalc: is the walk broken?"


def test_worked_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    namespace = runpy.run_path(str(WORKED_EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert f"Recommendation: {namespace['result'].recommendation}" in out
    assert len(namespace["sweep"]) == len(namespace["sizes_bytes"])
    assert namespace["cumulative"].data, "the cumulative cost figure has no traces"
