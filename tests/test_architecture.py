"""The import rules the layout keeps (docs/architecture.md).

The graph is read from the source with :mod:`ast`: every ``import`` and ``from ... import``,
at module level or inside a function, except those under ``if TYPE_CHECKING:`` (type hints
only, never run).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "edgecalc"

PURE_LAYERS = ("costs", "latency", "operations", "pipeline")
"""Folders of the model itself: no presentation in them."""

PRESENTATION = ("edgecalc.render", "plotly", "streamlit")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names), type-checking imports left out."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_model_layers_import_no_presentation(layer):
    bad = {
        (name, target)
        for name, targets in GRAPH.items()
        if _under(name, f"edgecalc.{layer}")
        for target in targets
        if any(_under(target, p) for p in PRESENTATION)
    }
    assert not bad, f"{layer}/ imports presentation: {sorted(bad)}"


def test_results_never_import_render():
    """results/ imports no render module, even inside a function: its Jupyter table is the view
    the package root registers (edgecalc.views)."""
    bad = {
        (name, target)
        for name, targets in GRAPH.items()
        if _under(name, "edgecalc.results")
        for target in targets
        if _under(target, "edgecalc.render")
    }
    assert not bad, f"results/ imports render: {sorted(bad)}"


def test_a_result_draws_its_html_table_through_the_registered_view():
    import edgecalc
    from edgecalc.render.html import result_table_html

    result = edgecalc.evaluate(ROOT / "scenarios" / "factory-visual-qc.yaml")
    assert result._repr_html_() == result_table_html(result)


def test_library_never_imports_streamlit():
    bad = {(n, t) for n, ts in GRAPH.items() for t in ts if _under(t, "streamlit")}
    assert not bad


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_among_library_modules():
    assert _cycles(GRAPH) == []


def test_version_has_one_home():
    from edgecalc import __version__
    from edgecalc._version import __version__ as version

    assert __version__ == version
    assert GRAPH["edgecalc._version"] == set()


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import edgecalc.costs.finance",
        "import edgecalc.costs.options",
        "import edgecalc.latency.budget",
        "import edgecalc.operations.rollout",
    ],
)
def test_pure_layers_load_without_pandas_httpx_or_plotly(statement):
    heavy = {"pandas", "httpx", "plotly", "streamlit"} & _loaded_after(statement)
    assert not heavy, f"{statement} loads {sorted(heavy)}"


def test_public_names_load_on_first_use():
    import edgecalc

    assert {*edgecalc._EXPORTS, "__version__"} == set(edgecalc.__all__)
    for name in edgecalc.__all__:
        assert getattr(edgecalc, name) is not None, name
    assert callable(edgecalc.measure)
    assert edgecalc.measure.__module__ == "edgecalc.measure.api"


def test_measure_stays_the_function_after_its_subpackage_loads():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import edgecalc.measure.probe, edgecalc; print(callable(edgecalc.measure))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert loaded.stdout.strip() == "True"
