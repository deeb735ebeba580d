"""No page writes something by accident: Streamlit's "magic" writes every bare expression
statement of a page script onto the page (a string, a name, ``sim.fan``), so a page keeps
only calls, and docstrings where Streamlit skips them (a function's or class's).

Found in the browser: the Uncertainty page showed the whole fan table (``sim.fan``, kept
only to build it) and the Operations page a stray sentence (an attribute docstring).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]


def page_files() -> list[Path]:
    """The scripts app.py runs as pages (``st.Page("app_pages/...")``), and app.py itself."""
    text = (ROOT / "app.py").read_text()
    named = [p for p in PAGES if p.name == "app.py" or f'"app_pages/{p.name}"' in text]
    assert len(named) >= 6  # decide, measure, operations, uncertainty, compare, assumptions
    return named


def bare_expressions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first))  # a docstring: magic leaves it out
    return [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and id(node) not in skipped
        and not isinstance(node.value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom)
    ]


@pytest.mark.parametrize("path", page_files(), ids=lambda p: p.name)
def test_a_page_has_no_bare_expression_for_streamlit_to_write(path):
    assert bare_expressions(path) == []
