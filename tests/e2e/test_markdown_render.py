"""The Markdown of ``edgecalc diff`` and ``edgecalc report`` as a pull request shows it: rendered
to HTML by a Markdown library (markdown-it-py, CommonMark with tables and raw HTML, as GitHub
allows ``<details>`` and ``<sub>``), opened in Chromium, and checked on the screenshot: the
headline in bold on top, the tables drawn as tables, the marker and the folded details
hidden."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import edgecalc
from edgecalc.render import render
from edgecalc.results.diff import COMMENT_MARKER, diff_results

markdown_it = pytest.importorskip("markdown_it")
Image = pytest.importorskip("PIL.Image")

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
CSS = """
body { font-family: sans-serif; max-width: 1100px; margin: 24px; color: #1f2328; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; }
th { background: #f6f8fa; }
"""


def to_html(markdown: str) -> str:
    md = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    head = f"<!doctype html><html><head><style>{CSS}</style></head>"
    return f"{head}<body>{md.render(markdown)}</body></html>"


def drawn(png: bytes) -> int:
    """How many distinct colours a screenshot holds (text and borders give many; blank, one)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 24) or [])


def check(page, markdown: str, headline: str, artifacts: Path, name: str) -> None:
    page.set_content(to_html(markdown))
    first = page.locator("body > p").first
    assert first.locator("strong").inner_text() == headline
    table = page.locator("table").first
    assert table.is_visible()
    box, top = table.bounding_box(), first.bounding_box()
    assert box["width"] > 400 and box["height"] > 40 and top["y"] < box["y"]
    assert table.locator("th").count() >= 5 and table.locator("tbody tr").count() >= 2
    assert drawn(first.screenshot()) > 10, "the headline is not drawn"
    assert drawn(table.screenshot()) > 10, "the table is not drawn"
    body = page.locator("body").inner_text()
    assert "edgecalc-diff" not in body and "|---" not in body  # no marker, no raw table
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)


def test_diff_markdown_renders_with_the_money_headline_and_the_table(page, artifacts):
    base = edgecalc.evaluate(FIXTURES / "base.yaml")
    head = edgecalc.evaluate(FIXTURES / "head.yaml")
    diff = diff_results(base, head)
    markdown = diff.to_markdown()
    assert markdown.count(COMMENT_MARKER) == 1
    check(page, markdown, f"⚠️ {diff.headline('→')}", artifacts, "diff-markdown")
    header = page.locator("table").first.locator("th").all_inner_texts()
    assert header[:3] == ["option", "monthly base → head", "monthly delta"]
    reasons = page.locator("details").last
    assert not reasons.locator("ol").is_visible()  # folded until opened
    reasons.locator("summary").click()
    assert reasons.locator("ol").is_visible()


def test_report_markdown_renders_with_the_verdict_and_the_options_table(page, artifacts):
    result = edgecalc.evaluate(ROOT / "scenarios" / "factory-visual-qc.yaml")
    markdown = render(result, "markdown")
    verdict = markdown.splitlines()[0].strip("*").replace("\\", "")
    check(page, markdown, verdict, artifacts, "report-markdown")
    options = page.locator("table").first.locator("tbody tr").all_inner_texts()
    assert len(options) == len(result.summary)
