"""A scenario's own text is shown as text in the Markdown of ``diff`` and ``simulate``.

Regression: ``edgecalc diff A B --format markdown`` (the pull-request comment) with a scenario
or a site group named ``![x](http://127.0.0.1:9/x.png) **bold** [link](http://example.invalid)``
wrote a live image, bold and a link: its escaper ``_md`` escaped pipes only, and also made the
code spans of file names and revisions, which their own backticks closed. ``edgecalc simulate
--format markdown`` did not escape its verdict (which names the scenario) or its warnings. Text
is now escaped with :func:`edgecalc.markdown_text.esc`, file names and revisions are code
spans of :func:`edgecalc.markdown_text.code`, and the ``<summary>`` of a roll-up (raw HTML,
where markdown reads nothing) holds :func:`edgecalc.markdown_text.html_text`.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from hostile_text import (
    EVIL,
    HOSTILE,
    HOSTS,
    emphasised,
    hostile_file,
    shown_text,
    tokens,
)

from edgecalc.cli import main
from edgecalc.commands.diff import _new_file_note
from edgecalc.markdown_text import code, html_text
from edgecalc.pipeline.evaluate import evaluate
from edgecalc.results.diff import diff_results
from edgecalc.results.rollup import DiffRollup, Entry
from edgecalc.uncertainty.simulate import simulate

COMMENT_TAGS = {
    "<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>", "<br>",
    "<!-- edgecalc-diff -->",
}  # fmt: skip
"""The HTML a diff comment writes itself."""
TICKED_FILE = "b`![i](y.png)`.yaml"
"""A base file whose backticks closed the code span of its label."""
TICKED_PATH = "new`![p](http://127.0.0.1:9/p.png)`|x.yaml"
"""A scenario file new at the base revision: backticks, and a pipe in a table cell."""
TICKED_REF = "main`![r](http://127.0.0.1:9/r.png)`"
TICKED_VIA = "base`![v](http://127.0.0.1:9/v.png)`.yaml"
NAMED = f"{EVIL} <img src=http://127.0.0.1:9/i.png> &lt;b&gt;\n\n![y](http://127.0.0.1:9/y.png)"
"""A new scenario's name: raw HTML, a character reference, and a blank line, which would end
the raw HTML of a ``<summary>``."""


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    """Two versions of the hostile retail-footfall.yaml: a site group renamed (Southeast to
    Southwest stores), so that both names are in the comment's tables."""
    folder = tmp_path_factory.mktemp("evil-diff")
    base = hostile_file(folder, TICKED_FILE)
    head = hostile_file(folder, "head.yaml", {"Southeast stores": "Southwest stores"})
    return base, head


def run(argv: list[str], capsys) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.fixture
def comment(pair, capsys) -> str:
    base, head = pair
    return run(["diff", str(base), str(head), "--format", "markdown"], capsys)


def html_of(found) -> str:
    return "".join(t.content for t in found if t.type in ("html_inline", "html_block"))


def assert_no_live_markup(markdown: str, tags: set[str]) -> list:
    """No image, link, HTML but ``tags``, emphasis of the name's ``**bold**``, or bare address
    outside code spans; the tokens."""
    found = list(tokens(markdown))
    assert not [t for t in found if t.type in ("image", "link_open")], markdown
    assert set(re.findall(r"<[^>]*>", html_of(found))) <= tags, html_of(found)
    assert "bold" not in emphasised(markdown)
    outside_code = re.sub(r"(`+).*?\1", "", markdown)
    assert not [h for h in HOSTS if re.search(rf"(?<!\\)://{re.escape(h)}", outside_code)]
    return found


def test_the_diff_comment_renders_no_link_image_or_html_of_the_scenarios_text(comment):
    assert_no_live_markup(comment, COMMENT_TAGS)
    # the comment's own emphasis: the headline in bold, the scenario's name in italics
    assert emphasised(comment)[1:] == [EVIL]


def test_the_diff_comment_reads_as_written(comment, pair):
    """The name and both labels, each renamed site group in the verdicts' and the inputs'
    table, and every reason of the head, as edgecalc wrote them."""
    base, head = pair
    found = list(tokens(comment))
    shown = [shown_text(t) for t in found if t.type == "inline"]
    assert f"edgecalc diff of {EVIL}: {base} → {head}" in shown
    codes = [t.content for t in found if t.type == "code_inline"]
    assert str(base) in codes and str(head) in codes
    for group in (f"Southeast stores {EVIL}", f"Southwest stores {EVIL}"):
        assert shown.count(group) == 2, group  # site group table, inputs table
    reasons = evaluate(head).decision.reasons
    assert any(f"Midwest stores {EVIL}" in r for r in reasons)
    for reason in reasons:
        assert reason in shown, reason


def test_the_roll_up_shows_the_scenarios_text_as_text(pair):
    """A roll-up of the pair's diff (reached through a base file) and a new scenario deciding
    on its total (so that the note names it): names as text, in a table cell and in the raw
    HTML of a ``<summary>``; files and revision as code spans."""
    base, head = pair
    diff = diff_results(evaluate(base), evaluate(head))
    new = Entry(
        TICKED_PATH, new_recommendation="cloud", new_monthly_usd=100.0, new_total_usd=6_000.0,
        new_npv_usd=5_000.0, new_basis="total", new_horizon_months=60, new_name=NAMED,
    )  # fmt: skip
    markdown = DiffRollup((Entry(str(head), via=TICKED_VIA, diff=diff), new), TICKED_REF)
    markdown = markdown.to_markdown()
    found = assert_no_live_markup(markdown, COMMENT_TAGS)
    flat = " ".join(NAMED.splitlines())
    shown = [shown_text(t) for t in found if t.type == "inline"]
    assert f"{EVIL}{head}" in shown and f"{flat}{TICKED_PATH}" in shown  # name<br>`file`
    assert any(f"decides on it ({flat})" in s for s in shown)
    codes = [t.content for t in found if t.type == "code_inline"]
    assert codes.count(TICKED_REF) == 2 and codes.count(TICKED_PATH) == 2
    assert TICKED_VIA in codes
    summaries = [html.unescape(m) for m in re.findall(r"<summary>(.*?)</summary>", html_of(found))]
    assert summaries[0].startswith(f"{EVIL}: Decision unchanged: CLOUD")
    assert summaries[-1].startswith(f"{flat}: new scenario: CLOUD")


def test_a_new_scenarios_note_quotes_its_file_and_revision_as_code():
    new = Entry(TICKED_PATH, new_recommendation="cloud", new_horizon_months=60, new_name=EVIL)
    found = assert_no_live_markup(_new_file_note(new, TICKED_REF, "markdown"), COMMENT_TAGS)
    assert [t.content for t in found if t.type == "code_inline"] == [TICKED_PATH, TICKED_REF]


def test_the_monte_carlo_report_shows_the_scenarios_text_as_text(pair, capsys):
    base, _ = pair
    markdown = run(["simulate", str(base), "--samples", "200", "--format", "markdown"], capsys)
    found = assert_no_live_markup(markdown, set())
    (verdict,) = emphasised(markdown)
    assert verdict.startswith(f"{EVIL}: cloud is recommended at the point estimate")
    assert "sites.list.0.rtt_ms" in [t.content for t in found if t.type == "code_inline"]


def test_a_monte_carlo_warning_that_quotes_the_scenario_is_text(pair):
    """A warning quotes the scenario's text (the path of its RTT measurement file)."""
    base, _ = pair
    warning = f"the RTT measurement {EVIL}.json is 400 days old (more than 90); measure again"
    sim = simulate(base, samples=20)
    sim = dataclasses.replace(sim, scenario_name="Retail", warnings=[warning])
    found = assert_no_live_markup(sim.to_markdown(), set())
    shown = [shown_text(t) for t in found if t.type == "inline"]
    assert f"warning: {warning}" in shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a|b", "a|b"),
        ("|`|", "|`|"),
        (TICKED_PATH, TICKED_PATH),
        ("a\\\\|b", "a\\\\|b"),  # two backslashes before a |: as written
        ("x\\|![i](http://127.0.0.1:9/i.png)", "x\\\\|![i](http://127.0.0.1:9/i.png)"),
    ],
)
def test_a_code_span_in_a_table_cell_keeps_its_pipes_in_the_cell(text, shown):
    """A ``|`` ends a table cell even inside a code span, unless a backslash makes it the
    cell's (after an odd number of backslashes: GitHub's tables pair them); an odd number
    before a ``|`` shows one more."""
    found = list(tokens(f"| a | b |\n|---|---|\n| {code(text, cell=True)} | z |\n"))
    assert [t.type for t in found].count("td_open") == 2
    assert not [t for t in found if t.type == "image"]
    assert [t.content for t in found if t.type == "code_inline"] == [shown]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:20])
def test_text_in_a_summary_is_text(text):
    """In the raw HTML of ``<details><summary>``, markdown reads nothing: the text comes back
    (line breaks as spaces), no tag of its own, no blank line that ends the block."""
    found = list(tokens(f"<details><summary>{html_text(text)}</summary>\n\nbody\n</details>\n"))
    assert [t.type for t in found if t.type != "inline"][:2] == ["html_block", "paragraph_open"]
    raw = html_of(found)
    assert set(re.findall(r"<[^>]*>", raw)) <= COMMENT_TAGS
    assert not [h for h in HOSTS if f"://{h}" in raw]
    (summary,) = re.findall(r"<summary>(.*?)</summary>", raw)
    assert html.unescape(summary) == " ".join(text.splitlines())
