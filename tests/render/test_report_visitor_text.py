"""A scenario's own text is shown as text in the Markdown and HTML reports.

Regression: ``edgecalc report X --format markdown`` with a scenario named
``![x](http://127.0.0.1:9/x.png) **bold** [link](http://example.invalid)`` wrote a live
image, bold and a link into the pull-request comment: ``markdown.esc`` escaped pipes, ``<``,
``>`` and ``*`` only. It now escapes what markdown would read as syntax
(:func:`edgecalc.markdown_text.esc`), and an override quoted in the provenance line is a
code span that its own backticks cannot close (:func:`edgecalc.markdown_text.code`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile_text import EVIL, HOSTILE, HOSTS, hostile_file, shown_text, tokens

from edgecalc.cli import main
from edgecalc.pipeline.evaluate import evaluate
from edgecalc.render.markdown import code, esc

REPORT_TAGS = {"<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>"}
"""The HTML a Markdown report writes itself."""


@pytest.fixture(scope="module")
def evil_file(tmp_path_factory) -> Path:
    """retail-footfall.yaml with :data:`EVIL` in its own text (:func:`hostile_file`)."""
    return hostile_file(tmp_path_factory.mktemp("evil"))


TICKED = "a`![i](http://127.0.0.1:9/y.png)`b"
"""An override whose backticks closed the provenance's code span around it."""


@pytest.fixture(scope="module")
def report(evil_file) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code_ = main(
            ["report", str(evil_file), "--format", "markdown", "--set", f"model.name={TICKED}"]
        )
    assert code_ == 0
    return out.getvalue()


def test_the_report_renders_no_link_image_or_html_of_the_scenarios_text(report):
    found = list(tokens(report))
    assert not [t for t in found if t.type == "image"]
    hrefs = [t.attrs.get("href", "") for t in found if t.type == "link_open"]
    assert hrefs and all(h.startswith("https://") for h in hrefs)  # the catalog's sources
    assert not [h for h in hrefs if any(host in h for host in HOSTS)]
    html = "".join(t.content for t in found if t.type in ("html_inline", "html_block"))
    assert set(re.findall(r"<[^>]*>", html)) <= REPORT_TAGS, html
    assert not [t for t in found if t.type in ("em_open", "s_open")]
    # no address GitHub would link by itself, outside code spans
    outside_code = re.sub(r"(`+).*?\1", "", report)
    assert not [h for h in HOSTS if re.search(rf"(?<!\\)://{re.escape(h)}", outside_code)]


def test_the_scenarios_text_reads_as_written(report, evil_file):
    """The verdict names the scenario, and each reason reads as edgecalc wrote it (the RTT
    reason names the site groups); the bold is the report's own, not the name's."""
    result = evaluate(evil_file, overrides={"model.name": TICKED})
    inline = [t for t in tokens(report) if t.type == "inline"]
    first = inline[0]
    assert shown_text(first).startswith(f"CLOUD for {EVIL}: $")
    assert [t.type for t in first.children].count("strong_open") == 1
    shown = {shown_text(t) for t in inline}
    for reason in result.decision.reasons:
        assert reason in shown, reason
    assert any(f"Midwest stores {EVIL}" in r for r in result.decision.reasons)
    # the override is quoted in a code span, as it was given
    codes = [t.content for t in tokens(report) if t.type == "code_inline"]
    assert f"model.name={TICKED}" in codes


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:20])
@pytest.mark.parametrize("where", ["- {}", "1. {}", "**{}**", "| {} |\n| -- |\n| {} |", "{}"])
def test_escaped_text_is_text_wherever_the_report_puts_it(text, where):
    """A list item, a numbered reason, the bold verdict, a table cell, a paragraph: markdown
    gives back the text (line breaks as spaces) and nothing else."""
    body = where.format(esc(text), esc(text))
    found = list(tokens(body))
    kinds = {t.type for t in found}
    assert not kinds & {"link_open", "image", "html_inline", "html_block", "em_open", "s_open"}
    assert not kinds & {"heading_open", "hr", "blockquote_open", "code_block", "fence"}
    assert kinds & {"bullet_list_open", "ordered_list_open"} == (
        {"bullet_list_open"} if where.startswith("-") else
        {"ordered_list_open"} if where.startswith("1.") else set()
    )  # fmt: skip
    flat = " ".join(text.splitlines())
    assert any(shown_text(t) == flat for t in found if t.type == "inline"), (body, flat)


def test_esc_leaves_what_markdown_does_not_read():
    """A reviewer reads the raw comment: money, option names, ranges and brackets, dashes and
    a lone placeholder stay as written."""
    for text in (
        "cloud_3yr costs $1,234 (-$5.50, +$300) over [30, 300] in p99.9 - 5% <= 2",
        "-",
        "inference_results_v3.1@eaf622a25c:mlperf_log_summary.txt",
    ):
        assert esc(text) == text.replace("<", "&lt;")


def test_a_code_span_holds_any_backticks():
    for text in (TICKED, "``", "` x", "a=1", " spaced "):
        (span,) = [t for t in tokens(code(text)) if t.type == "code_inline"]
        assert span.content == text


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)


def test_the_html_report_shows_the_scenarios_text_as_text(evil_file):
    """Every text of the scenario (name, site groups, model, device, in the reasons and the
    tables) is escaped: no image, link or element of the visitor's, and the name reads as
    written."""
    nasty = f"{EVIL} </script><img src=http://127.0.0.1:9/s.png>"
    result = evaluate(evil_file, overrides={"name": nasty})
    from edgecalc.render import render

    page = _Page()
    page.feed(render(result, "html"))
    page.close()
    assert not [a for t, a in page.tags if t == "img"]
    hrefs = [a.get("href", "") for t, a in page.tags if t == "a"]
    assert not [h for h in hrefs if any(host in h for host in HOSTS)]
    assert not [t for t, _ in page.tags if t in ("b", "strong", "em")]
    text = "".join(page.text)
    assert nasty in text
    assert f"Midwest stores {EVIL}" in text
