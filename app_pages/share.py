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
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from app_pages import state
from edgecalc.io import read_bounded
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

    Returns
    -------
    source, overrides, problems
        ``source`` is None when the link names no shipped scenario (then the edits are not
        used either); each problem is one sentence for the visitor.
    """
    problems: list[str] = []
    if not scenario:
        return None, {}, ([] if not edits else ["the link has edits but names no scenario"])
    if scenario not in state.shipped_scenarios():
        return None, {}, [f"the link names {scenario[:80]!r}, which is not a shipped scenario"]
    overrides: dict[str, Any] = {}
    if len(edits) > MAX_EDITS_IN_LINK:
        problems.append(f"the link has {len(edits)} edits; the first {MAX_EDITS_IN_LINK} are used")
    for item in edits[:MAX_EDITS_IN_LINK]:
        path, sep, raw = item.partition("=")
        shown = item[:80] + ("…" if len(item) > 80 else "")
        if len(item) > MAX_EDIT_CHARS or not sep or not PATH.match(path):
            problems.append(f"edit {shown!r} is not `input.path=value`")
            continue
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            problems.append(f'edit {shown!r}: the value is not JSON (40, "on_site", null)')
            continue
        if names_a_file(path, value):
            problems.append(f"edit {shown!r} names a file; a link cannot set files")
            continue
        overrides[path] = value
    return state.shipped_source(scenario), overrides, problems


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
    """What the link the session opened with could not use (shown once on the Decide page)."""
    return list(st.session_state.get(URL_PROBLEMS) or [])
