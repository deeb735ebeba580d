"""The docs cannot drift: the generated nomenclature page matches the models, every doctest
in the ``edgecalc`` package runs, and the worked example executes."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
import re
import runpy
import traceback
from pathlib import Path

import pytest

import edgecalc
from edgecalc.docs_gen import field_docs, nomenclature_markdown, split_unit

ROOT = Path(__file__).resolve().parents[1]
NOMENCLATURE = ROOT / "docs" / "nomenclature.md"
WORKED_EXAMPLE = ROOT / "docs" / "worked_example.py"

MODULES = sorted(
    [
        "edgecalc",  # the package itself: walk_packages yields what is under it
        *(
            m.name
            for m in pkgutil.walk_packages(edgecalc.__path__, prefix="edgecalc.")
            if not m.name.endswith("__main__")
        ),
    ]
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


def test_the_doctest_walk_reaches_every_module():
    """Regression: ``edgecalc/costs/`` had no ``__init__.py``, so ``pkgutil.walk_packages``
    skipped its modules and their 33 examples never ran in ``make test``."""
    package = Path(edgecalc.__file__).parent
    on_disk = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] != "__main__":
            on_disk.add(".".join(parts))
    assert sorted(on_disk - set(MODULES)) == []
    assert "edgecalc.costs.finance" in MODULES


def test_worked_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    namespace = runpy.run_path(str(WORKED_EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert f"Recommendation: {namespace['result'].recommendation}" in out
    assert len(namespace["sweep"]) == len(namespace["sizes_bytes"])
    assert namespace["cumulative"].data, "the cumulative cost figure has no traces"


# ---- the Python blocks of the README and the guide run as written ------------------------

PAGES_WITH_CODE = [ROOT / "README.md", ROOT / "docs" / "guide.md", ROOT / "docs" / "quickstart.md"]
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
CLAIM = re.compile(r"#\s*('[^']*')\s*$")
"""A trailing comment that is a string as Python prints it (single quotes) states the value of
the expression before it: ``result.recommendation  # 'edge'``. A comment in double quotes is
prose (``# "edge becomes the recommendation above ..."``)."""


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """Each ```python block of a page with the line its code starts on."""
    text = page.read_text(encoding="utf-8")
    return [(text[: m.start(1)].count("\n") + 1, m.group(1)) for m in PYTHON_BLOCK.finditer(text)]


def run_block(code: str, filename: str, first_line: int, namespace: dict) -> int:
    """Run a block statement by statement in ``namespace`` (a page's blocks share one, as in a
    notebook); check each value a trailing comment states. Returns the claims checked."""
    tree = ast.parse(code, filename)
    ast.increment_lineno(tree, first_line - 1)
    lines = code.splitlines()
    checked = 0
    for node in tree.body:
        if isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), filename, "eval"), namespace)
            claim = CLAIM.search(lines[node.end_lineno - first_line])
            if claim:
                assert value == ast.literal_eval(claim.group(1)), (
                    f"{filename}:{node.end_lineno}: the comment says {claim.group(1)}, "
                    f"the code gives {value!r}"
                )
                checked += 1
        else:
            exec(compile(ast.Module([node], type_ignores=[]), filename, "exec"), namespace)
    return checked


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: p.name)
def test_the_python_blocks_of_a_page_run(page, monkeypatch):
    monkeypatch.chdir(ROOT)  # the pages name scenarios/... relative to the repository
    blocks = python_blocks(page)
    assert blocks, f"{page.name} has no python block: is the pattern broken?"
    namespace: dict = {"__name__": "__docs__"}
    checked = sum(
        run_block(code, str(page.relative_to(ROOT)), line, namespace) for line, code in blocks
    )
    if page.name == "README.md":  # result.recommendation  # 'edge'
        assert checked >= 1 and namespace["result"].recommendation == "edge"


def test_a_failing_block_names_its_page_and_line():
    with pytest.raises(ImportError) as info:
        run_block("import edgecalc\n\nfrom edgecalc import plots\n", "README.md", 73, {})
    where = traceback.extract_tb(info.value.__traceback__)[-1]
    assert (where.filename, where.lineno) == ("README.md", 75)
    with pytest.raises(AssertionError, match=r"README.md:2: the comment says 'cloud'"):
        run_block("x = 'edge'\nx  # 'cloud'\n", "README.md", 1, {})
