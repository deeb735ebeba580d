"""A scenario whose own text is hostile Markdown, and how to read Markdown as GitHub renders it:
shared by the tests that a report, a diff comment and a Monte Carlo report show a visitor's
text as text (``tests/render/test_*_visitor_text.py``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
EVIL = "![x](http://127.0.0.1:9/x.png) **bold** [link](http://example.invalid)"
HOSTS = ("127.0.0.1", "example.invalid")
HOSTILE = [
    EVIL,
    "<img src=http://127.0.0.1:9/a.png> <b>x</b> &lt;b&gt; &#42;",
    "[a]: http://127.0.0.1:9/ref",
    "[a] [b][a] [c][] [^1]",
    "`code` ~~strike~~ ~x~ _em_ *em* __b__ \\*",
    "- item",
    "1. item",
    "# heading | cell |",
    "---",
    "www.example.invalid http://example.invalid admin@example.invalid @octocat #12",
    "$x$ $$y$$ costs $1,234 and -$5",
    "line\nbreak\r\nand <http://127.0.0.1:9/>",
]
"""Text that markdown would read as syntax: links, images, HTML, references, code,
emphasis, lists, headings, tables, breaks, bare addresses, math, line breaks."""
GROUPS = ("Midwest stores", "Southeast stores")
"""The site groups of ``scenarios/retail-footfall.yaml``."""


def hostile_text(replace: dict[str, str] | None = None) -> str:
    """``scenarios/retail-footfall.yaml`` (site groups, reasons that name them) with
    :data:`EVIL` in its name, its site groups', its model's and its inline device's names;
    ``replace`` then swaps text in it (old: new)."""
    text = (ROOT / "scenarios" / "retail-footfall.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(EVIL)
    text = re.sub(r"^name: .*$", f"name: {quoted}", text, count=1, flags=re.M)
    for old in (*GROUPS, "YOLOv8s-class person detector"):
        assert f"name: {old}" in text
        text = text.replace(f"name: {old}", "name: " + json.dumps(f"{old} {EVIL}"))
    device = (
        f"{{name: {quoted}, device_usd: 249, inferences_per_second_per_device: 60, "
        "inference_ms: 25, memory_gb: 8, power_w: 13.8}"
    )
    assert "  device: jetson-orin-nano-super-8gb\n" in text
    text = text.replace("device: jetson-orin-nano-super-8gb", f"device: {device}")
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    return text


def hostile_file(
    folder: Path, name: str = "evil.yaml", replace: dict[str, str] | None = None
) -> Path:
    """:func:`hostile_text` written to ``folder/name``, next to a copy of the base files it
    extends."""
    if not (folder / "base").exists():
        shutil.copytree(ROOT / "scenarios" / "base", folder / "base")
    path = folder / name
    path.write_text(hostile_text(replace), encoding="utf-8")
    return path


_TEXT = ("text", "text_special", "code_inline")
"""The inline tokens that show text."""


def tokens(markdown: str):
    """Every token of ``markdown`` as GitHub parses its tables (block and inline)."""
    for block in MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown):
        yield block
        yield from block.children or []


def shown_text(inline) -> str:
    """What an inline token shows: its text, escapes read (as a browser shows it)."""
    return "".join(t.content for t in inline.children if t.type in _TEXT)


_OPENS = {"em_open": "em_close", "strong_open": "strong_close", "s_open": "s_close"}


def emphasised(markdown: str) -> list[str]:
    """What every emphasis, strong emphasis and strikethrough of ``markdown`` shows (nested
    ones too): a name's ``**bold**`` that became live markup shows up here as ``bold``."""
    out = []
    for inline in tokens(markdown):
        if inline.type != "inline":
            continue
        open_spans: list[list[str]] = []
        for t in inline.children:
            if t.type in _OPENS:
                open_spans.append([])
            elif t.type in _OPENS.values():
                out.append("".join(open_spans.pop()))
            elif t.type in _TEXT:
                for span in open_spans:
                    span.append(t.content)
    return out
