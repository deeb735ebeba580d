"""What a visitor writes is shown as text on every page, never as markdown.

Regression: an uploaded scenario's name, description, site group and device names (and the
upload's file name) reached ``st.title``, ``st.caption``, ``st.subheader`` and the reasons'
``st.markdown`` as they were, so a name could put a link, formatting or an image on the page
(an image makes the visitor's browser fetch an address of the uploader's choosing).
``app_pages/tables.py: text`` escapes them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from page_files import PAGES
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AlertBase, HeadingBase, Markdown, Radio, Toast

from app_pages import state, tables

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT_S = 120
EVIL = "![x](http://127.0.0.1:9/x.png) **bold** [link](http://example.invalid)"
UPLOAD_NAME = f"{EVIL}.yaml"
MARKDOWN_ELEMENTS = (Markdown, HeadingBase, AlertBase, Toast)
"""AppTest's kinds of element whose value is a markdown body: markdown and captions, titles
and headers, errors, warnings, infos and successes, toasts."""


def evil_upload() -> bytes:
    """A shipped scenario with site groups, its free text replaced by :data:`EVIL`."""
    text = (ROOT / "scenarios" / "retail-footfall.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(EVIL)
    text = re.sub(r"^name: .*$", f"name: {quoted}", text, count=1, flags=re.M)
    text = re.sub(r"^description: >-\n(  .*\n)+", f"description: {quoted}\n", text, flags=re.M)
    for old in ("Midwest stores", "Southeast stores", "YOLOv8s-class person detector"):
        assert old in text
        text = text.replace(f"name: {old}", "name: " + json.dumps(f"{old} {EVIL}"))
    device = (
        f"{{name: {quoted}, device_usd: 249, inferences_per_second_per_device: 60, "
        "inference_ms: 25, memory_gb: 8, power_w: 13.8}"
    )
    assert "  device: jetson-orin-nano-super-8gb\n" in text
    return text.replace("device: jetson-orin-nano-super-8gb", f"device: {device}").encode()


def markdown_texts(node) -> list[str]:
    """Every string of the page that Streamlit renders as markdown: element bodies, labels,
    help texts and radio options."""
    out = []
    if isinstance(node, MARKDOWN_ELEMENTS) and isinstance(getattr(node, "value", None), str):
        out.append(node.value)
    for attr in ("label", "help"):
        value = getattr(node, attr, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(node, Radio):
        out += [str(o) for o in node.options]
    for child in getattr(node, "children", {}).values():
        out += markdown_texts(child)
    return out


def assert_shown_as_text(body: str) -> None:
    """No link, image, emphasis or HTML comes of the visitor's text in ``body``."""
    assert "](" not in re.sub(r"\\.", "", body), body  # an unescaped "](": a link or an image
    assert "**bold**" not in body, body
    for block in MarkdownIt("commonmark").parse(body):
        for token in block.children or []:
            assert token.type not in {"link_open", "image", "html_inline"}, (token, body)


@pytest.fixture(scope="module")
def upload() -> bytes:
    data = evil_upload()
    scenario, error = state.read_upload(data, UPLOAD_NAME)
    assert not error, error
    assert scenario.name == EVIL
    return data


def test_the_visitors_text_is_text_on_every_page(upload):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = state.upload_source(upload, UPLOAD_NAME)  # as accepted
    at.session_state["ec.mc.samples"] = 1_000  # the Monte Carlo size does not matter here
    for i, page in enumerate(PAGES):
        if i:
            at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        texts = markdown_texts(at.main) + markdown_texts(at.sidebar)
        for body in texts:
            assert_shown_as_text(body)
        # and the text is there, shown as written: each page names the scenario
        assert any(tables.text(EVIL) in body for body in texts), page
    at.switch_page(PAGES[0]).run()
    assert at.title[0].value == tables.text(EVIL)
    reasons = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert tables.text(f"Midwest stores {EVIL}") in reasons  # the RTT reason names the groups


def test_an_upload_error_quoting_the_file_is_text():
    data = evil_upload().replace(b"budget_ms: 2000", b'budget_ms: "' + EVIL.encode() + b'"')
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    _, error = state.read_upload(data, UPLOAD_NAME)
    assert error
    at.session_state[state.ERROR] = f"{UPLOAD_NAME} was not loaded.\n\n{error}"
    at.run()
    assert not at.exception
    (shown,) = [e.value for e in at.error]
    assert_shown_as_text(shown)
    assert tables.text(UPLOAD_NAME) in shown


@pytest.mark.parametrize(
    "text",
    [EVIL, "$1 vs $2", ":red[x] :material/home:", "<img src=x>", "# h\n\n- a\n1. b", "a\\b", ""],
)
def test_text_renders_to_exactly_the_text(text):
    """Every ASCII punctuation character escaped: markdown gives back the text, nothing more."""
    tokens = MarkdownIt("commonmark").parse(tables.text(text))
    inline = [t for block in tokens for t in block.children or []]
    assert {t.type for t in inline} <= {"text", "softbreak"}, inline
    shown = "\n".join(t.content for t in inline if t.type == "text")
    assert shown.replace("\n", "") == text.replace("\n", "")
