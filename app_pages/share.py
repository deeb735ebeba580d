"""The edited scenario as a file to commit and as a link to send.

- :func:`scenario_file`: the loaded file with the app's edits written into it by the
  round-trip writer (:mod:`edgecalc.scenario.roundtrip`): comments, the ``$schema`` line and
  ``extends`` stay, and the diff against the original is the edited keys only.
- :func:`restore` / :func:`publish`: the app's state in the address bar
  (``?scenario=factory-visual-qc.yaml&set=latency.budget_ms=40``), so an architect can send a
  link that opens the same scenario with the same edits. A link names a shipped scenario only:
  an uploaded file stays in the browser that uploaded it, and a link never names a file on the
  server (a measurement file, ``extends``). Values are JSON (as ``--set`` takes
  YAML, of which JSON is a part); a link is read with bounded sizes and a list of what it
  could not use, never a traceback.

A link is written by anyone, so each edit is checked before it is used (:func:`read_link`):
the scenario must accept it (validated by edgecalc's loader with the other edits), the input
the app draws for it must be able to show it (a number within the input's limits for a
number input, a name from the list for a select box: :data:`NUMBER_INPUTS`,
:data:`CHOICE_INPUTS`; Streamlit would show another number without a word), and its text must
be a name as the app's lists spell them (:data:`LINK_TEXT`), so that no page renders a link's
text as markdown. An edit that fails is left out, with one sentence saying why; anything of the
link those sentences quote is in a code span (:func:`code`), which markdown shows as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from app_pages import input_limits, state
from edgecalc import ScenarioError
from edgecalc.io import read_bounded
from edgecalc.scenario import ScenarioTree
from edgecalc.scenario.roundtrip import edit_text

SCENARIO_PARAM = "scenario"
SET_PARAM = "set"
MAX_EDITS_IN_LINK = 64
"""Edits a link may carry; more are ignored (and said so)."""
MAX_EDIT_CHARS = 2_000
"""Longest ``path=value`` a link may carry for one edit [characters]."""
PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,11}$")
"""A dotted input path: names and list indexes, at most 12 deep."""
FILE_KEYS = frozenset({"measurement", "extends"})
"""Keys that name a file on the server: a link never sets them (a visitor must not point the
app at a server file), and the address bar leaves such edits out."""
URL_READ = "ec_url_read"
URL_PROBLEMS = "ec_url_problems"
SHOWN_CHARS = 80
"""Longest piece of a link quoted back to the visitor [characters]."""
REASON_CHARS = 240
"""Longest check message quoted for a refused edit [characters]."""
LINK_TEXT = re.compile(r"[A-Za-z0-9_./-]*")
"""The text a link's value may hold (each string and key): names as the app's lists spell
them (``on_site``, ``aws/us-east-1``, ``jetson-orin-nx-16gb``). Markdown reads none of these
characters as a link, an image or an address (``[``, ``(``, ``!``, ``<``, ``:``, ``@``); text
holding ``www.``, which markdown turns into a link, is refused apart. A scenario's or a site's
name goes in the scenario file."""
NUMBER_INPUTS = frozenset(input_limits.NUMBER_INPUTS)
"""Paths a page edits with a number input: a link gives them a number within the input's
limits (or nothing where the field may be empty), never a range, which the input cannot show
(``tests/app/test_app_share.py`` checks that every number input of the pages is here)."""
WHOLE_NUMBER_INPUTS = frozenset(p for p, lim in input_limits.NUMBER_INPUTS.items() if lim.whole)
"""The number inputs that take whole numbers (the others take any number)."""
CHOICE_INPUTS = frozenset(
    {
        "residency.raw_data",
        "residency.derived_data",
        "edge.device",
        "cloud.region",
        "sites.link.technology",
        *(f"sites.link.{term}.beyond_allowance" for term in input_limits.LINK_TERMS),
    }
)
"""Paths a page edits with a select box: a link gives them one of its names (the loader
checks the name; :func:`input_problem` the regions the box offers)."""


# -- the file -----------------------------------------------------------------------------------


def source_text(source: Mapping[str, Any]) -> str:
    """The text of the loaded file (a shipped file, an accepted upload or the template)."""
    if source["kind"] == "shipped":
        data = read_bounded(state.SCENARIO_DIR / source["name"], state.MAX_UPLOAD_BYTES)
    else:
        data = source["text"]
    return data.decode("utf-8")


def scenario_file(source: Mapping[str, Any], overrides: Mapping[str, Any]) -> str:
    """The loaded file with ``overrides`` written into it and every other line as it was."""
    return edit_text(source_text(source), overrides, state.source_label(source))


def file_name(source: Mapping[str, Any]) -> str:
    """The name to download under: the loaded file's own."""
    return str(source["name"]).rsplit("/", 1)[-1] or "scenario.yaml"


# -- the link -----------------------------------------------------------------------------------


def link_params(source: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters for a source and its edits (``{}`` for an upload or the template)."""
    if source["kind"] != "shipped":
        return {}
    edits = [
        f"{path}={json.dumps(value)}"
        for path, value in sorted(overrides.items())
        if not names_a_file(path, value)
    ]
    return (
        {SCENARIO_PARAM: source["name"], SET_PARAM: edits}
        if edits
        else {SCENARIO_PARAM: source["name"]}
    )


def read_link(scenario: str | None, edits: list[str]) -> tuple[dict | None, dict, list[str]]:
    """A link's source and edits, and what in it could not be used.

    Parameters
    ----------
    scenario
        The ``scenario`` parameter: the name of a shipped scenario.
    edits
        The ``set`` parameters, each ``input.path=JSON value``.

    Returns
    -------
    source, overrides, problems
        ``source`` is None when the link names no shipped scenario (then the edits are not
        used either); ``overrides`` holds only edits the scenario accepts and the app's inputs
        can show, a number for an input as the input holds it (``2`` for a whole number,
        ``40.0`` otherwise); each problem is one sentence for the visitor (markdown that quotes the
        link only in code spans).
    """
    if not scenario:
        return None, {}, ([] if not edits else ["the link has edits but names no scenario"])
    if scenario not in state.shipped_scenarios():
        return None, {}, [f"the link names {code(scenario)}, which is not a shipped scenario"]
    problems: list[str] = []
    if len(edits) > MAX_EDITS_IN_LINK:
        problems.append(f"the link has {len(edits)} edits; the first {MAX_EDITS_IN_LINK} are used")
    parsed: dict[str, tuple[str, Any]] = {}
    for item in edits[:MAX_EDITS_IN_LINK]:
        path, value, problem = parse_edit(item)
        if problem:
            problems.append(problem)
        else:
            parsed[path] = (item, value)
    source = state.shipped_source(scenario)
    overrides, refused = checked_edits(source, parsed)
    return source, overrides, problems + refused


def parse_edit(item: str) -> tuple[str, Any, str]:
    """One ``path=value`` of a link read, before the scenario is asked.

    Returns
    -------
    path, value, problem
        The dotted path and the JSON value, and ``""``; or ``""``, None and why the edit
        cannot be used (it is not ``path=value``, not JSON, names a file or holds text).
    """
    path, sep, raw = item.partition("=")
    if len(item) > MAX_EDIT_CHARS or not sep or not PATH.match(path):
        return "", None, f"edit {code(item)} is not `input.path=value`"
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return "", None, f'edit {code(item)}: the value is not JSON (`40`, `"on_site"`, `null`)'
    if names_a_file(path, value):
        return "", None, f"edit {code(item)} names a file; a link cannot set files"
    text = free_text(value)
    if text is not None:
        return (
            "",
            None,
            (
                f"edit {code(item)} holds the text {code(text)}; a link gives names as the app's "
                "lists spell them (letters, digits and `_ . / -`): other text goes in the "
                "scenario file"
            ),
        )
    return path, value, ""


def free_text(value: Any) -> str | None:
    """The first string or key in ``value`` that is not a name (:data:`LINK_TEXT`), if any."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and (not LINK_TEXT.fullmatch(node) or "www." in node.casefold()):
            return node
    return None


def checked_edits(
    source: Mapping[str, Any], parsed: Mapping[str, tuple[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """The edits the scenario accepts and the app's inputs can show, and a sentence for each
    other one.

    Parameters
    ----------
    source
        The shipped scenario the link names.
    parsed
        Per dotted path, the edit as the link spells it and its value (:func:`parse_edit`).

    Returns
    -------
    overrides, problems
        A link the app wrote is validated once; otherwise each edit is validated on top of
        the ones kept before it, so that one bad edit costs only itself.
    """
    if not parsed:
        return {}, []
    try:
        tree = state.tree(source)
        base = tree.with_overrides({})
    except Exception as exc:  # the page says why the scenario does not load
        return {}, [f"the link's edits were not used: its scenario does not load ({kind(exc)})"]
    edits = {path: value for path, (_, value) in parsed.items()}
    if not validation_problem(tree, edits) and not any(
        input_problem(p, v, base) for p, v in edits.items()
    ):
        return {p: as_input_type(p, v) for p, v in edits.items()}, []
    overrides: dict[str, Any] = {}
    problems: list[str] = []
    for path, (item, value) in parsed.items():
        reason = validation_problem(tree, {**overrides, path: value})
        reason = reason or input_problem(path, value, base)
        if reason:
            problems.append(f"edit {code(item)} was not used: {reason}")
        else:
            overrides[path] = as_input_type(path, value)
    return overrides, problems


def validation_problem(tree: ScenarioTree, overrides: Mapping[str, Any]) -> str:
    """What the loader refuses in the scenario with ``overrides`` (in a code span: its
    messages may quote the link); ``""`` when it accepts it."""
    try:
        tree.with_overrides(overrides)
        return ""
    except ScenarioError as exc:
        reasons = "; ".join(
            f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems
        )
        return code(reasons, REASON_CHARS)
    except Exception as exc:  # a gap in edgecalc's checks: its kind only, never its message
        return f"edgecalc could not check it ({kind(exc)})"


def input_problem(path: str, value: Any, base: Any) -> str:
    """Why the input a page draws for ``path`` cannot show ``value`` (``""`` when it can).

    ``value`` is one the scenario accepts; ``base`` is the scenario without edits (the region
    box offers its provider's regions).
    """
    if path in NUMBER_INPUTS and not (value is None or is_number(value)):
        return (
            f"the app edits {path} in a number input, so a link gives it a number "
            "(a range goes in the scenario file)"
        )
    if path in WHOLE_NUMBER_INPUTS and is_number(value) and not float(value).is_integer():
        return f"the app edits {path} as a whole number, so a link gives it one"
    limits = input_limits.NUMBER_INPUTS.get(path)
    if limits is not None and is_number(value) and not limits.admits(value):
        return (
            f"the app's input for {path} takes {limits.text()}, and the link gives "
            f"{code(json.dumps(value))}: the input would show another number"
        )
    if path in CHOICE_INPUTS and not (value is None or isinstance(value, str)):
        return f"the app chooses {path} from a list, so a link gives it one of the list's names"
    if path == "cloud.region" and isinstance(value, str):
        provider = str(base.cloud.region).split("/")[0]
        if value.split("/")[0] != provider:
            return (
                f"the app offers the regions of {code(provider)}, the scenario's cloud "
                f"provider (`{provider}/...`); another provider's region goes in the scenario file"
            )
    return ""


def is_number(value: Any) -> bool:
    """Whether a JSON value is a number (``true`` and ``false`` are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def as_input_type(path: str, value: Any) -> Any:
    """A number as its input holds it (``2`` for a whole-number input given ``2.0``, ``40.0``
    for another number input given ``40``), so the input is seeded with the type it shows and
    the address bar reads as the app writes it; any other value as it is."""
    if path not in NUMBER_INPUTS or not is_number(value):
        return value
    return int(value) if path in WHOLE_NUMBER_INPUTS else float(value)


def code(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text from a link (or a message quoting it) as a markdown code span, which Streamlit
    shows as it is: no link, image, address or formatting.

    Shortened to ``limit`` characters; a backtick (which would close the span) becomes ``'``
    and a character that is not printable (a line break would end the span's paragraph)
    becomes U+FFFD.
    """
    short = text[:limit] + ("…" if len(text) > limit else "")
    safe = "".join("'" if ch == "`" else ch if ch.isprintable() else "\ufffd" for ch in short)
    return f"`{safe}`" if safe else "(empty)"


def kind(exc: BaseException) -> str:
    """An unforeseen error as the visitor reads it: its kind, never its message."""
    return type(exc).__name__


def names_a_file(path: str, value: Any) -> bool:
    """Whether an edit sets a file path (a measurement file, ``extends``), at any depth."""
    if FILE_KEYS & set(path.split(".")):
        return True
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            if FILE_KEYS & set(map(str, node)):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def restore() -> None:
    """Once per session, before anything else: open the scenario and edits a link names."""
    ss = st.session_state
    if ss.get(URL_READ):
        return
    ss[URL_READ] = True
    params = st.query_params
    if SCENARIO_PARAM not in params and SET_PARAM not in params:
        return
    source, overrides, problems = read_link(params.get(SCENARIO_PARAM), params.get_all(SET_PARAM))
    ss[URL_PROBLEMS] = problems
    if source is not None:
        state.set_source(source)
        ss[state.OVERRIDES] = overrides


def publish(source: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
    """Keep the address bar in step with what is on screen."""
    wanted = link_params(source, overrides)
    params = st.query_params
    current = {k: params.get_all(k) for k in (SCENARIO_PARAM, SET_PARAM) if k in params}
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != as_lists:
        params.from_dict(wanted)


def link_problems() -> list[str]:
    """What the link the session opened with could not use (shown above every page)."""
    return list(st.session_state.get(URL_PROBLEMS) or [])


def link_warning() -> str:
    """:func:`link_problems` as markdown for ``st.warning`` (``""`` when the link was used in
    full): one list item per problem, each quoting the link only in code spans."""
    problems = link_problems()
    if not problems:
        return ""
    return "The link could not be used in full:\n" + "\n".join(f"- {p}" for p in problems)
