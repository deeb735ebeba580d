"""Shared state of the app: which scenario is loaded, the edits on top of it, the evaluation.

The app keeps, in ``st.session_state``:

- ``ec_source``: where the current scenario comes from (a shipped file, an upload or the blank
  template), as plain data; a bad upload never replaces it, so the last good scenario stays;
- ``ec_overrides``: the edits made in the Decide form, as dotted-path overrides
  (``{"latency.budget_ms": 30}``), applied by edgecalc when it loads the scenario;
- ``ec_error``: the last error to show (a bad upload or an edit that cannot be evaluated);
- ``ec_last_good``: the source and overrides that last evaluated, shown while an edit fails.

Widget values live under keys of their own (``in.<dotted path>``) that are re-seeded from
``ec_overrides`` whenever a page draws them, because Streamlit forgets the values of widgets
that a page did not draw.

Nothing here computes a number: it loads and evaluates with edgecalc and caches the result on
the scenario's JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

import streamlit as st

import edgecalc
from app_pages import measure_files
from edgecalc import EdgecalcError, ScenarioError, limits
from edgecalc.errors import Problem
from edgecalc.measure.measurement import MeasurementFileError, check_within, measurement_path
from edgecalc.results.diff import flatten, is_range, same_value
from edgecalc.scenario import (
    ScenarioTree,
    extends_roots,
    read_scenario_text_tree,
    read_scenario_tree,
    scenario_source,
)

ROOT = Path(__file__).resolve().parent.parent
"""The project folder (holds ``app.py`` and ``scenarios/``)."""
SCENARIO_DIR = ROOT / "scenarios"
"""Shipped scenarios; uploads resolve ``extends`` against this folder too."""
DEFAULT_SCENARIO = "factory-visual-qc.yaml"
"""The scenario the app opens on."""
TEMPLATE_PATH = Path(__file__).resolve().parent / "template.yaml"
"""A minimal valid scenario to start from."""
MAX_UPLOAD_BYTES = 1024 * 1024
"""Uploads larger than this are refused before they are read (edgecalc's own file limit)."""

SOURCE = "ec_source"
OVERRIDES = "ec_overrides"
ERROR = "ec_error"
LAST_GOOD = "ec_last_good"
WIDGET_PREFIX = "in."
"""Widget keys of scenario inputs are ``in.`` + the dotted path they override."""


# -- caches kept across sessions ----------------------------------------------------------------


class Kept:
    """A process-wide cache bounded by its number of entries and by an estimate of their size.

    The app may be served beyond localhost: what one session computes is kept for all, so a
    count of entries alone would let visitors' large uploads fill the memory. Each entry
    weighs what its ``weigh`` says (site groups, bytes of source, points: the unit of
    ``budget``); the least recently used entries are dropped until both bounds hold. An entry
    heavier than the whole budget is returned and not kept. A value is computed once at a
    time per key: a session asking for a key being computed waits for it.

    Parameters
    ----------
    max_entries : int
        Most entries kept [count].
    budget : int
        Most total weight kept [unit of ``weigh``].
    """

    def __init__(self, max_entries: int, budget: int) -> None:
        self.max_entries = max_entries
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], Any], weigh: Callable[[Any], int]) -> Any:
        """The value kept for ``key``, else ``compute()`` kept with weight ``weigh(value)``.

        Raises
        ------
        Exception
            Whatever ``compute`` raises; nothing is kept then.
        """
        with self._lock:
            hit = self._hit(key)
            if hit is not None:
                return hit[0]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit = self._hit(key)
            if hit is not None:
                return hit[0]
            try:
                value = compute()
                self.put(key, value, weigh(value))
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def _hit(self, key: Hashable) -> tuple[Any, int] | None:
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
        return hit

    def put(self, key: Hashable, value: Any, weight: int) -> None:
        """Keep ``value`` for ``key`` with ``weight`` (at least 1), dropping the least recently
        used entries until both bounds hold; a value heavier than the budget is not kept."""
        weight = max(1, int(weight))
        if weight > self.budget:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._entries[key] = (value, weight)
            self._weight += weight
            while len(self._entries) > self.max_entries or self._weight > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._weight -= dropped

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def weight(self) -> int:
        """Total weight of the entries kept [unit of ``budget``]."""
        return self._weight

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()
            self._weight = 0


def site_groups(scenario) -> int:
    """Site groups of a scenario: its ``sites.list`` entries, 1 for ``sites.count`` [count]."""
    return len(scenario.sites.list or ()) or 1


FIGURE_OWN_POINTS = 300
"""What a figure weighs beside its points: 50 to 100 kB, about 300 points' worth [points]."""


def figure_points(fig) -> int:
    """A figure's weight in :data:`edgecalc.limits.APP_KEPT_FIGURE_POINTS`: the points of every
    trace (its longest array) plus :data:`FIGURE_OWN_POINTS` [points]."""
    points = FIGURE_OWN_POINTS
    for trace in getattr(fig, "data", ()):
        arrays = (
            len(v)
            for v in trace.to_plotly_json().values()
            if hasattr(v, "__len__") and not isinstance(v, (str, bytes, dict))
        )
        points += max(arrays, default=0)
    return points


def simulation_bytes(sim) -> int:
    """What a Monte Carlo run weighs in ``limits.APP_KEPT_SIMULATION_BYTES``: its per-sample
    arrays, its fan and group verdicts (built: a kept run is never changed) [bytes]."""
    arrays = [
        *sim.total_usd.values(),
        *sim.npv_usd.values(),
        *sim.feasible.values(),
        sim.recommendation_codes,
        *sim.break_even_months.values(),
        *sim.inputs.values(),
    ]
    size = sum(a.nbytes for a in arrays)
    for frame in (sim.fan, sim.group_verdicts):
        if frame is not None:
            size += int(frame.memory_usage(deep=True).sum())
    return size


def source_bytes(source: Mapping[str, Any]) -> int:
    """What a source's parsed tree weighs in ``limits.APP_KEPT_SOURCE_BYTES``: an upload's (or
    the template's) size, a shipped file's size on disk [bytes]."""
    text = source.get("text")
    if isinstance(text, bytes):
        return len(text)
    stamp = _file_stamp(SCENARIO_DIR / source["name"])
    return stamp[2] if stamp is not None else 1


# -- Monte Carlo runs ---------------------------------------------------------------------------


class Busy(Exception):
    """Every Monte Carlo slot of the server stayed taken (:func:`monte_carlo_slot`)."""


MONTE_CARLO_WAIT_S = 20.0
"""How long a run waits for a slot before the visitor is asked to try again [s]."""

_MONTE_CARLO_RUNS = threading.BoundedSemaphore(limits.APP_MONTE_CARLO_RUNS)


@contextlib.contextmanager
def monte_carlo_slot(wait_s: float | None = None) -> Iterator[None]:
    """Hold one of the server's ``limits.APP_MONTE_CARLO_RUNS`` Monte Carlo slots for a block.

    Waits up to ``wait_s`` (default :data:`MONTE_CARLO_WAIT_S`) for one, with a spinner that
    says why, when they are all taken [s].

    Raises
    ------
    Busy
        When none came free in time; the message says what to do.
    """
    if not _MONTE_CARLO_RUNS.acquire(blocking=False):
        with st.spinner("Waiting for another visitor's Monte Carlo run to finish ..."):
            wait_s = MONTE_CARLO_WAIT_S if wait_s is None else wait_s
            if not _MONTE_CARLO_RUNS.acquire(timeout=wait_s):
                raise Busy(
                    f"The server is running {limits.APP_MONTE_CARLO_RUNS} Monte Carlo runs for "
                    "other visitors, the most it runs at once; try again in a minute."
                )
    try:
        yield
    finally:
        _MONTE_CARLO_RUNS.release()


# -- sources ------------------------------------------------------------------------------------


def shipped_scenarios() -> list[str]:
    """File names of the shipped scenarios (``scenarios/*.yaml``; ``base/`` holds fragments)."""
    return sorted(p.name for p in SCENARIO_DIR.glob("*.yaml"))


def default_source() -> dict[str, Any]:
    """The shipped default scenario, or the first shipped one, or the template."""
    names = shipped_scenarios()
    if DEFAULT_SCENARIO in names:
        return shipped_source(DEFAULT_SCENARIO)
    if names:
        return shipped_source(names[0])
    return template_source()


def shipped_source(name: str) -> dict[str, Any]:
    """A source for ``scenarios/<name>``."""
    return {"kind": "shipped", "name": name}


def template_source() -> dict[str, Any]:
    """A source for the blank template."""
    return {"kind": "template", "name": "template.yaml", "text": TEMPLATE_PATH.read_bytes()}


def upload_source(data: bytes, name: str) -> dict[str, Any]:
    """A source for an uploaded file that has been accepted."""
    return {"kind": "upload", "name": name, "text": bytes(data)}


def source_label(source: Mapping[str, Any]) -> str:
    """How a source is named on screen."""
    kind = source["kind"]
    if kind == "shipped":
        return f"scenarios/{source['name']}"
    if kind == "template":
        return "blank template"
    return f"upload: {source['name']}"


def load(source: Mapping[str, Any], overrides: Mapping[str, Any] | None = None):
    """Load a source with edgecalc, overrides applied last; kept per source content and
    overrides (a rerun that changes neither parses no YAML).

    The key is the source (an upload's or the template's bytes) and the size and time of every
    file under ``scenarios/`` (a shipped file, a base it extends or a sites CSV edited on disk
    is read again). Scenarios are frozen, so one object serves every session. A new edit reads
    no file either: the source's parsed tree (:func:`tree`) is kept, and only the overrides
    are applied and validated again.

    Raises
    ------
    ScenarioError
        The file or an override is invalid (the message names line and field).
    """
    overrides = dict(overrides or {})
    key = repr(sorted(overrides.items()))
    source_key = _source_key(source)
    scenario = _load_cached(source_key, key, source, overrides)
    if scenario_source(scenario) is None:  # the loader's record of it was recycled
        scenario = _load(source, overrides, source_key)
        _SCENARIOS.put((source_key, key), scenario, site_groups(scenario))
    _check_measurement(scenario, source)
    return scenario


def _source_key(source: Mapping[str, Any]) -> str:
    """What a loaded scenario depends on: the source, and every scenario file's size and time
    (``extends`` and ``sites.file`` resolve against ``scenarios/``)."""
    files = sorted([*SCENARIO_DIR.rglob("*.y*ml"), *SCENARIO_DIR.rglob("*.csv")])
    stamp = [s for f in files if (s := _file_stamp(f)) is not None]
    text = source.get("text")
    digest = hashlib.sha256(text).hexdigest() if isinstance(text, bytes) else ""
    return repr((source["kind"], source["name"], digest, stamp))


def _file_stamp(path: Path) -> tuple[str, int, int] | None:
    """A regular file's path, modification time [ns] and size [bytes], from one ``stat`` (this
    runs on every rerun); None for anything else or a file gone since it was listed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_mtime_ns, st.st_size) if S_ISREG(st.st_mode) else None


MAX_SCENARIOS = 256
"""Loaded scenarios kept (source and edits); at most ``limits.APP_KEPT_SITE_GROUPS`` site
groups in all."""

_SCENARIOS = Kept(MAX_SCENARIOS, limits.APP_KEPT_SITE_GROUPS)


def _load_cached(source_key: str, overrides_key: str, _source, _overrides):
    return _SCENARIOS.get(
        (source_key, overrides_key),
        lambda: _load(_source, _overrides, source_key),
        site_groups,
    )


def _load(source: Mapping[str, Any], overrides: dict[str, Any], source_key: str | None = None):
    return tree(source, source_key).with_overrides(overrides)


def tree(source: Mapping[str, Any], source_key: str | None = None) -> ScenarioTree:
    """The source read and parsed once (with the files it extends), for any edits on top.

    Kept on :func:`_source_key` (kind, name, an upload's bytes' SHA-256 and every scenario
    file's size and time), at most :data:`MAX_TREES` trees and
    ``limits.APP_KEPT_SOURCE_BYTES`` of their sources for the whole process: the app may be
    served beyond localhost, so no cache grows with what visitors send. Only the
    shipped files and the visitor's own upload (with the shipped bases it may extend) are
    read. A source that does not load is not kept (the next rerun reads it again).

    Parameters
    ----------
    source
        A shipped file, the template or an upload (:func:`shipped_source` and the like).
    source_key
        Its :func:`_source_key` when the caller has it (saves listing ``scenarios/`` again).

    Raises
    ------
    ScenarioError
        The source cannot be read or parsed (before any override is applied).
    """
    return _tree_cached(source_key or _source_key(source), source)


MAX_TREES = 32
"""Parsed trees kept (shipped scenarios, the template and recent uploads, 1 MiB at most each),
at most ``limits.APP_KEPT_SOURCE_BYTES`` of source in all (:func:`source_bytes`)."""

_TREES = Kept(MAX_TREES, limits.APP_KEPT_SOURCE_BYTES)


def _tree_cached(source_key: str, _source) -> ScenarioTree:
    weight = source_bytes(_source)
    return _TREES.get(source_key, lambda: _read_tree(_source), lambda _tree: weight)


def _read_tree(_source) -> ScenarioTree:
    if _source["kind"] == "shipped":
        return read_scenario_tree(SCENARIO_DIR / _source["name"])
    return read_scenario_text_tree(
        _source["text"],
        _source["name"],
        base_dir=SCENARIO_DIR,
        allowed_roots=extends_roots(SCENARIO_DIR),
    )


def _check_measurement(scenario, source: Mapping[str, Any]) -> None:
    """Refuse a ``cloud.rtt.measurement`` outside the shipped scenarios and this session's
    measurement folder, before anything reads it (the path is resolved as evaluate will)."""
    name = getattr(scenario.cloud.rtt, "measurement", None)
    if name is None:
        return
    base_dir = SCENARIO_DIR if source["kind"] == "shipped" else None
    roots = measure_files.allowed_roots(st.session_state, SCENARIO_DIR)
    try:
        check_within(measurement_path(name, base_dir), roots)
    except MeasurementFileError as exc:
        problem = Problem(str(exc), file=source["name"], field="cloud.rtt.measurement")
        raise ScenarioError([problem]) from None


# -- uploads ------------------------------------------------------------------------------------


def read_upload(data: bytes, name: str) -> tuple[Any | None, str]:
    """Check an uploaded scenario: load it and evaluate it once.

    Parameters
    ----------
    data
        The uploaded bytes.
    name
        The file name, shown in error messages.

    Returns
    -------
    scenario, error
        The scenario and ``""`` when it loads and evaluates; ``None`` and the error text (with
        file, line and field where edgecalc knows them) otherwise. Never raises.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        return None, (
            f"{name}: file is {len(data):,} bytes; scenario files are limited to "
            f"{MAX_UPLOAD_BYTES:,} bytes (1 MiB)"
        )
    source = upload_source(data, name)
    try:
        scenario = load(source)
        evaluate(scenario)
    except (ScenarioError, EdgecalcError) as exc:
        return None, error_text(exc)
    except Exception as exc:  # an upload must never show a traceback
        return None, f"{name}: {unexpected_text(exc)}"
    return scenario, ""


def error_text(exc: Exception) -> str:
    """The message a user reads for an error from edgecalc."""
    if isinstance(exc, ScenarioError):
        return f"The scenario is invalid:\n{exc}"
    if isinstance(exc, EdgecalcError):
        return f"The scenario is valid but cannot be evaluated:\n{exc}"
    return unexpected_text(exc)


def unexpected_text(exc: Exception) -> str:
    """What a user reads for an error edgecalc did not foresee.

    Only the kind of error is named, never its text: an unforeseen message may quote anything
    (a value read from a file on the server), and the app never echoes what it did not write.
    """
    return (
        f"edgecalc could not handle this scenario ({type(exc).__name__}); the scenario on "
        "screen is kept. This is a gap in edgecalc's checks: please report it with the file. "
        "The command line (edgecalc validate FILE) shows the details."
    )


# -- evaluation ---------------------------------------------------------------------------------


MAX_RESULTS = 128
"""Results kept; at most ``limits.APP_KEPT_SITE_GROUPS`` site groups in all."""

_RESULTS = Kept(MAX_RESULTS, limits.APP_KEPT_SITE_GROUPS)


def _evaluate_cached(key: str, _scenario, _over):
    """The evaluation, kept on :func:`result_key`. One Result object serves every rerun and
    session (no copy per rerun): pages only read it, and its frames build once, on first use."""
    groups = site_groups(_scenario)
    return _RESULTS.get(
        key, lambda: edgecalc.evaluate(_scenario, overrides=_over or None), lambda _r: groups
    )


def result_key(scenario, overrides: Mapping[str, Any] | None = None) -> str:
    """What an evaluation depends on: the scenario's JSON, the overrides (recorded in the
    result's provenance) and the file it came from (relative measurement paths)."""
    over = dict(overrides or {})
    origin = scenario_source(scenario)
    source_key = str(origin.path) if origin is not None and origin.path is not None else ""
    return repr((scenario.model_dump_json(), repr(sorted(over.items())), source_key))


def evaluate(scenario, overrides: Mapping[str, Any] | None = None):
    """Evaluate a scenario with edgecalc, kept on :func:`result_key`.

    Raises
    ------
    EdgecalcError
        The scenario is valid but cannot be evaluated.
    """
    over = dict(overrides or {})
    return _evaluate_cached(result_key(scenario, over), scenario, over)


MAX_FIGURES = 256
"""Figures kept; at most ``limits.APP_KEPT_FIGURE_POINTS`` points in all (:func:`figure_points`)."""

_FIGURES = Kept(MAX_FIGURES, limits.APP_KEPT_FIGURE_POINTS)


def _figure_cached(name: str, key: str, _build):
    return _FIGURES.get((name, key), _build, figure_points)


def figure(name: str, key: str, build):
    """A plotly figure built once per ``name`` and ``key`` (what it shows: the Decide page's
    charts use ``app_pages/chart_keys.py``): a rerun that changes nothing it draws does not
    rebuild it, and the browser, sent the same chart, keeps the one it has.
    ``st.plotly_chart`` only reads a figure, so one object serves every session."""
    return _figure_cached(name, key, build)


# -- session state ------------------------------------------------------------------------------


def init() -> None:
    """Set the session defaults once per session."""
    ss = st.session_state
    if SOURCE not in ss:
        ss[SOURCE] = default_source()
    ss.setdefault(OVERRIDES, {})
    ss.setdefault(ERROR, "")
    ss.setdefault(LAST_GOOD, None)
    from app_pages import share  # a link opens its scenario and edits (app_pages/share.py)

    share.restore()


def set_source(source: dict[str, Any]) -> None:
    """Make ``source`` the current scenario: edits and errors are cleared."""
    ss = st.session_state
    ss[SOURCE] = source
    ss[OVERRIDES] = {}
    ss[ERROR] = ""
    for key in [k for k in ss if isinstance(k, str) and k.startswith(WIDGET_PREFIX)]:
        del ss[key]


def accept_upload(data: bytes, name: str) -> bool:
    """Take an upload as the current scenario if it is good; else keep the current one.

    Returns
    -------
    bool
        Whether the upload replaced the current scenario; when not, ``ec_error`` says why,
        headed by the file's name: the uploader may by then show another file that the
        browser refused for its size, and the error must not read as that file's.
    """
    init()
    _, error = read_upload(data, name)
    if error:
        st.session_state[ERROR] = (
            f"{name} was not loaded; the scenario on screen is kept.\n\n{error}"
        )
        return False
    set_source(upload_source(data, name))
    return True


@dataclass
class Current:
    """The scenario on screen, its result and what went wrong, if anything."""

    scenario: Any
    """The scenario with the edits applied (the last good one when ``stale``)."""
    result: Any
    """Its evaluation."""
    source: dict[str, Any]
    overrides: dict[str, Any]
    base: Any
    """The scenario as loaded, without the edits."""
    error: str = ""
    """Why the edits (or an upload) could not be used; empty when all is well."""
    stale: bool = False
    """True when the edits failed and the last good scenario is shown instead."""
    key: str = ""
    """The result's :func:`result_key` (figures are kept on it)."""


def base_scenario():
    """The current source as loaded (no edits); a source that no longer loads (a shipped file
    broken on disk) is replaced by the default, and the error is kept to show."""
    init()
    ss = st.session_state
    try:
        return load(ss[SOURCE])
    except Exception as exc:  # shown as an error, never a traceback
        fallback = default_source()
        if fallback == ss[SOURCE]:
            fallback = template_source()
        set_source(fallback)
        ss[ERROR] = error_text(exc)
        return load(fallback)


def current() -> Current:
    """The current scenario and its result, falling back to the last good one on error."""
    init()
    ss = st.session_state
    source, overrides = ss[SOURCE], dict(ss[OVERRIDES])
    base = base_scenario()
    source, overrides = ss[SOURCE], dict(ss[OVERRIDES])
    error = ss[ERROR]
    try:
        scenario = load(source, overrides)
        result = evaluate(scenario, overrides)
    except Exception as exc:  # shown as an error, never a traceback
        good = ss[LAST_GOOD]
        if good is None or good["source"] != source:
            good = {"source": source, "overrides": {}}
        scenario = load(good["source"], good["overrides"])
        result = evaluate(scenario, good["overrides"])
        key = result_key(scenario, good["overrides"])
        return Current(
            scenario, result, source, overrides, base, error_text(exc), stale=True, key=key
        )
    ss[LAST_GOOD] = {"source": source, "overrides": overrides}
    from app_pages import share  # the address bar follows what is on screen

    share.publish(source, overrides)
    return Current(
        scenario, result, source, overrides, base, error=error, key=result_key(scenario, overrides)
    )


def clear_error() -> None:
    """Forget the last upload error (after the user has seen it and changed something)."""
    st.session_state[ERROR] = ""


# -- widgets ------------------------------------------------------------------------------------


def widget_key(path: str) -> str:
    """The widget key for an input path: ``in.latency.budget_ms``."""
    return WIDGET_PREFIX + path


def seed(path: str, base_value: Any) -> str:
    """Put the widget's value in session state before it is drawn, and return its key.

    The value is the edit in ``ec_overrides`` if there is one, else ``base_value`` (what the
    loaded scenario says).
    """
    key = widget_key(path)
    ss = st.session_state
    if key not in ss:
        ss[key] = ss[OVERRIDES].get(path, base_value)
    return key


def record(path: str, base_value: Any) -> None:
    """Turn the widget's value into an override when it differs from the loaded scenario."""
    ss = st.session_state
    value = ss.get(widget_key(path), base_value)
    if _same(value, base_value):
        ss[OVERRIDES].pop(path, None)
    else:
        ss[OVERRIDES][path] = value


def _same(a: Any, b: Any) -> bool:
    """A widget's value is the loaded one when within a widget's rounding (1e-9)."""
    return same_value(a, b, rel_tol=1e-9, abs_tol=1e-9)


# -- scenario data ------------------------------------------------------------------------------


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path of nested dicts and lists (None when absent)."""
    node = data
    for part in path.split("."):
        if isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def differing_inputs(a, b) -> list[dict[str, Any]]:
    """The inputs in which two scenarios differ: ``[{path, a, b}]``, sorted by path."""
    fa = flatten(a.model_dump(mode="json"))
    fb = flatten(b.model_dump(mode="json"))
    rows = []
    for path in sorted(set(fa) | set(fb)):
        va, vb = fa.get(path), fb.get(path)
        if not same_value(va, vb):
            rows.append({"input": path, "A": _show(va), "B": _show(vb)})
    return rows


def _show(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, Mapping) and is_range(v):
        shape = v.get("dist") if v.get("dist") in ("uniform", "triangular") else "90% range"
        return f"{v['low']:g} to {v['high']:g} ({shape})"
    return str(v)
