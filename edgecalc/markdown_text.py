"""Text in the Markdown edgecalc writes, shown as it is written: free text (:func:`esc`), a
code span (:func:`code`), text inside raw HTML (:func:`html_text`), and text for a renderer
that reads more than GitHub (:func:`escape_all`).

The one home of the escapers of every Markdown writer: the reports (``render/markdown.py``
re-exports them), the diff comment and its roll-up (``results/``, which never imports
``render/``), the Monte Carlo report and the sweep and tornado tables, and the app's pages. A
scenario's text (its name, site groups, model and device, and sentences that quote them) never
turns into a link, an image, emphasis or HTML there: reviewers paste it into pull-request
comments.
"""

from __future__ import annotations

import html
import re
import string
from typing import Any

_ALWAYS_ACTIVE = frozenset("\\`*|~#")
"""Characters that markdown (GitHub's) may read as syntax wherever they stand: escape,
code span, emphasis, table cell, strikethrough, heading and issue reference."""
_MAYBE_ACTIVE = re.compile(r"[\\`*|~#<>\]_$&@:.]")
"""The characters :func:`esc` looks at (the others are never escaped)."""
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
"""An ``@`` before a domain (``@example.com``): GitHub links ``name@example.com``."""
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
"""An ``&`` that starts a character reference (``&lt;``, ``&#42;``)."""
_BLOCK_START = re.compile(
    r"^\s*(?:[-+](?=\s+\S)|\d{1,9}[.)](?=\s+\S)|(?:-[ \t]*){2}-(?=[-\s]*$)|\[)"
)
"""What would start a list item, a thematic break (``---``), a task box or a link reference
definition at the start of a line; its last character is escaped. (A lone ``-``, the tables'
placeholder for nothing, stays.)"""


def esc(text: Any, addresses: bool = True) -> str:
    r"""Free text (a scenario's or site group's name, a sentence quoting it) for one line of
    Markdown, a table cell or a list item, shown as it is written: no link, image, HTML,
    emphasis, code, heading, list, table cell or address comes of it.

    Each character markdown would read as syntax at its position gets a backslash (``<``
    and ``>`` become ``&lt;`` and ``&gt;``); the others stay as they are, so a reviewer reads
    the raw Markdown too (``$1,234``, ``cloud_3yr``, ``[30, 300]``, ``(p99)``, ``+$300``).
    Line breaks become spaces.

    Notes
    -----
    Escaped wherever they stand: ``\ ` * | ~ #``. Escaped where they are active: a ``]``
    before ``(``, ``[`` or ``:`` (a link, an image, a reference: a ``!`` or ``[`` alone makes
    none), ``_`` unless inside a word (``cloud_3yr`` stays), ``$`` unless money (``$1,234``
    stays; ``$x$`` would be math on GitHub), an ``@`` of a mention or an e-mail address
    (``repo@rev`` stays), ``&`` before a character reference, the ``:`` of ``://`` and the
    ``.`` of ``www.`` (GitHub links a bare address); and at the start, what would begin a list
    item (``- x``, ``+ x``, ``1. x``), a thematic break (``---``), a task box or a reference
    definition (``[``). For the app's markdown, which reads more (``:red[...]``,
    ``:material/...:``), :func:`escape_all` escapes every punctuation character.

    ``addresses=False`` leaves ``://``, ``www.`` and ``@`` as they are: for the text of a
    link (``[text](url)``), where markdown links no bare address, and for a catalog fact's
    source, whose addresses a reviewer follows.

    Examples
    --------
    >>> esc("![x](http://e.invalid/x.png) **b**")
    '![x\\](http\\://e.invalid/x.png) \\*\\*b\\*\\*'
    >>> esc("cloud_3yr costs $1,234 (p99) at <b>")
    'cloud_3yr costs $1,234 (p99) at &lt;b&gt;'
    """
    s = _one_line(text)

    def escaped(m: re.Match) -> str:
        i, ch = m.start(), m[0]
        before, after = s[i - 1 : i], s[i + 1 : i + 2]
        if ch in _ALWAYS_ACTIVE:
            return "\\" + ch
        if ch in "<>":
            return "&lt;" if ch == "<" else "&gt;"
        if (
            (ch == "]" and after in ("(", "[", ":"))
            or (ch == "_" and not (before.isalnum() and after.isalnum()))
            or (ch == "$" and not after.isdigit())
            or (ch == "&" and _ENTITY.match(s, i))
            or (addresses and _bare_address(s, i, before))
        ):
            return "\\" + ch
        return ch

    out = _MAYBE_ACTIVE.sub(escaped, s)
    return _BLOCK_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], out, count=1)


def _bare_address(s: str, i: int, before: str) -> bool:
    """Whether ``s[i]`` is what GitHub needs to link a bare address: the ``@`` of a mention or
    an e-mail address, the ``:`` of ``://``, the ``.`` of ``www.``."""
    ch = s[i]
    if ch == "@":
        return not before.isalnum() or _EMAIL_DOMAIN.match(s, i) is not None
    if ch == ":":
        return s.startswith("//", i + 1)
    return ch == "." and s[max(0, i - 3) : i].lower() == "www" and not s[i - 4 : i - 3].isalnum()


_PUNCTUATION = frozenset(string.punctuation)


def escape_all(text: Any) -> str:
    r"""Text for markdown that shows as it is written, whatever the markdown reads: every
    ASCII punctuation character gets a backslash, which markdown reads as that character
    and nothing else; line breaks are kept.

    For a renderer with more syntax than GitHub's (Streamlit's ``:red[...]``,
    ``:material/home:``, ``$`` math), where nobody reads the raw text: the app's pages show
    every text a visitor wrote through it (``app_pages/tables.py: text``). A report, whose raw
    Markdown a reviewer reads, uses :func:`esc`.

    Examples
    --------
    >>> escape_all("[a](b) $1")
    '\\[a\\]\\(b\\) \\$1'
    """
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in str(text))


_CELL_PIPE = re.compile(r"(\\*)\|")
r"""A ``|`` and the backslashes before it. A table cell ends at a ``|`` after an even number
of backslashes (GitHub's tables pair them), and reads the last backslash before any other
``|`` as making it a ``|`` of the cell."""


def code(text: Any, cell: bool = False) -> str:
    r"""Text as a Markdown code span, shown as it is: fenced by more backticks than any run of
    backticks in it (padded with a space where it starts or ends with one), on one line.

    ``cell=True`` for a code span in a table cell, where a ``|`` ends the cell even inside the
    span: each ``|`` gets a backslash (two after an odd number of them), which the table reads
    as a ``|`` of the span. A backslash just before a ``|`` then shows doubled; elsewhere a
    backslash in a code span shows as itself.

    Examples
    --------
    >>> code("a=1"), code("x`![i](u)`"), code("a|b", cell=True)
    ('`a=1`', '`` x`![i](u)` ``', '`a\\|b`')
    """
    s = _one_line(text)
    runs = [len(r) for r in re.findall(r"`+", s)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if s[:1] == "`" or s[-1:] == "`" or (s[:1] == " " and s[-1:] == " ") else ""
    if cell:
        s = _CELL_PIPE.sub(lambda m: m[1] + "\\" * (1 + len(m[1]) % 2) + "|", s)
    return f"{fence}{pad}{s}{pad}{fence}"


def _one_line(text: Any) -> str:
    r"""``text`` with each line break (``\r\n``, ``\r``, ``\n``) a space."""
    return str(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def html_text(text: Any) -> str:
    r"""Free text inside raw HTML, such as ``<details><summary>NAME</summary>``, shown as it is
    written: markdown reads nothing on such a line (an HTML block), so ``&``, ``<`` and ``>``
    become character references, as do the ``:``, ``.`` and ``@`` that :func:`esc` escapes in
    a bare address (``&#58;``, ``&#46;``, ``&#64;``); line breaks become spaces (a blank line
    would end the block and let markdown read the rest). A backslash would show as itself, so
    nothing else is escaped.

    Examples
    --------
    >>> html_text("<img src=x> **b** &lt;\n\n![i](http://e.invalid/i.png)")
    '&lt;img src=x&gt; **b** &amp;lt;  ![i](http&#58;//e.invalid/i.png)'
    """
    s = _one_line(text)
    out = []
    for i, ch in enumerate(s):
        if ch in "&<>":
            out.append(html.escape(ch, quote=False))
        elif _bare_address(s, i, s[i - 1 : i]):
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


__all__ = ["code", "esc", "escape_all", "html_text"]
