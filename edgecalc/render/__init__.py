"""Renderings of a Result: text, Markdown, JSON, HTML and plotly figures (no streamlit)."""

from __future__ import annotations

from .text import render_text


def render(result, fmt: str = "text") -> str:
    """Render a Result as ``text``, ``json``, ``markdown`` or ``html``."""
    if fmt == "text":
        return render_text(result)
    if fmt == "json":
        return result.to_json()
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(result)
    if fmt == "html":
        from .html import render_html

        return render_html(result)
    raise ValueError(f"unknown format {fmt!r}: allowed are text, json, markdown, html")


__all__ = ["render", "render_text"]
