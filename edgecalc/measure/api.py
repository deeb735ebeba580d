"""``measure(...)``: time cold, warm and payload requests to many targets at once.

Each target is measured by one worker, its modes one after the other (cold, warm, payload), so
that a target's own requests never compete with each other; up to ``concurrency`` targets are
measured at the same time (a thread pool). Nothing can hang the run:

- every request has a total deadline of ``timeout_s`` (name lookup, connect, TLS, sending and
  the whole answer together), never later than the run's deadline; a watchdog shuts the
  connection down when it passes, so a server that drips a byte a second cannot stretch it;
- the run has an overall deadline ``deadline_s``: when it passes, requests not yet made are
  recorded as ``not_run`` (``deadline``) and ``measure`` returns; its workers are daemon
  threads that end with their last request, so they never keep a program alive;
- answers are streamed and discarded, at most ``max_response_bytes`` each;
- a target that fails ``max_consecutive_failures`` times in a row is given up (its remaining
  requests are ``not_run``, ``abandoned``), so a dead target costs seconds, not minutes.
"""

from __future__ import annotations

import dataclasses
import math
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from edgecalc._version import __version__
from edgecalc.errors import control_character
from edgecalc.measure.measurement import (
    Measurement,
    ProgressCallback,
    Target,
    now_utc_iso,
    this_host,
)
from edgecalc.measure.measurement_schema import MAX_TEXT
from edgecalc.measure.probe import (
    DEFAULT_MAX_RESPONSE_BYTES,
    MODES,
    DnsLookupError,
    ProbeResult,
    cold_request,
    new_client,
    resolve,
    timed_request,
)
from edgecalc.measure.stats import PERCENTILE_METHOD_NOTE
from edgecalc.measure.target_url import TargetUrlError, parse_target_url

_GRACE_S = 0.25
"""How long past the deadline to wait for requests in flight before returning [s]."""

MAX_SAMPLES = 10_000
"""Requests per mode and target, at most [count] (every request is kept in the file)."""
MAX_TARGETS = 1_000
"""Targets in one run, at most [count]."""
MAX_CONCURRENCY = 64
"""Targets measured at the same time, at most [count] (a thread each)."""
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
"""Largest POSTed payload [bytes] (64 MiB: the largest body ``edgecalc echo-server`` takes)."""
MAX_SECONDS = 86_400.0
"""Longest ``timeout_s`` and ``deadline_s`` [s] (a day)."""
MAX_PAUSE_S = 60.0
"""Longest pause between two requests to one target [s]."""


def check_settings(
    *,
    samples: int,
    payload_bytes: int,
    concurrency: int,
    timeout_s: float,
    deadline_s: float,
    pause_s: float,
    max_consecutive_failures: int,
    max_response_bytes: int,
) -> None:
    """Refuse settings outside their limits, before anything is allocated or sent.

    Raises
    ------
    ValueError
        Naming the setting, its value and the allowed range.
    """
    integers = {
        "samples": (samples, 1, MAX_SAMPLES),
        "payload_bytes": (payload_bytes, 0, MAX_PAYLOAD_BYTES),
        "concurrency": (concurrency, 1, MAX_CONCURRENCY),
        "max_consecutive_failures": (max_consecutive_failures, 1, MAX_SAMPLES),
        "max_response_bytes": (max_response_bytes, 1, 2**40),
    }
    for name, (value, low, high) in integers.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name} must be from {low:,} to {high:,}, got {value:,}")
    seconds = {
        "timeout_s": (timeout_s, MAX_SECONDS),
        "deadline_s": (deadline_s, MAX_SECONDS),
        "pause_s": (pause_s, MAX_PAUSE_S),
    }
    for name, (value, high) in seconds.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
        if not (0 <= value <= high and (value > 0 or name == "pause_s")):
            low = "0" if name == "pause_s" else "above 0"
            raise ValueError(f"{name} must be from {low} to {high:,.0f} s, got {value:g}")


@dataclass(frozen=True)
class _Plan:
    samples: int
    payload_bytes: int
    modes: tuple[str, ...]
    timeout_s: float
    pause_s: float
    max_consecutive_failures: int
    deadline_at: float  # time.monotonic()
    max_response_bytes: int
    payload: bytes = field(default=b"", repr=False)  # one buffer for every worker

    def requests_for(self, target: Target) -> dict[str, int]:
        counts = {}
        if "cold" in self.modes:
            counts["cold"] = self.samples
        if "warm" in self.modes:
            counts["warm"] = self.samples + 1
        if "payload" in self.modes and self.payload_bytes > 0 and target.payload:
            counts["payload"] = self.samples + 1
        return counts


@dataclass
class _TargetRun:
    """What one worker found for one target; shared with the main thread under ``lock``."""

    target: Target
    planned: int
    records: list[dict[str, Any]] = field(default_factory=list)
    not_run: dict[str, int] = field(default_factory=dict)
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: dict[str, Any]) -> bool:
        with self.lock:
            if self.closed:
                return False
            self.records.append(record)
            return True

    def give_up(self, reason: str, count: int) -> None:
        with self.lock:
            if not self.closed and count > 0:
                self.not_run[reason] = self.not_run.get(reason, 0) + count

    def close(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Stop taking records; what was recorded, and everything missing as ``deadline``."""
        with self.lock:
            self.closed = True
            missing = self.planned - len(self.records) - sum(self.not_run.values())
            not_run = dict(self.not_run)
            if missing > 0:
                not_run["deadline"] = not_run.get("deadline", 0) + missing
            return list(self.records), not_run


class _Progress:
    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self.callback = callback
        self.lock = threading.Lock()

    def advance(self, count: int = 1) -> None:
        if self.callback is None or count <= 0:
            return
        with self.lock:
            self.done = min(self.total, self.done + count)
            self.callback(self.done, self.total)


def _record(target: Target, mode: str, sample: int, result: ProbeResult) -> dict[str, Any]:
    return {
        "target": target.url,
        "mode": mode,
        "sample": sample,
        "warmup": mode != "cold" and sample == 0,
        "ok": result.ok,
        "kind": result.kind,
        "error": result.error,
        "status": result.status,
        "new_connection": result.new_connection,
        "phases_ms": {name: round(ms, 4) for name, ms in result.phases_ms.items()},
    }


def _measure_target(  # noqa: C901 - see [tool.ruff.lint.mccabe] in pyproject.toml
    run: _TargetRun, plan: _Plan, stop: threading.Event, progress: _Progress
) -> None:
    target = run.target
    counts = plan.requests_for(target)
    left = sum(counts.values())
    failures_in_a_row = 0
    payload = plan.payload

    def remaining_s() -> float:
        return plan.deadline_at - time.monotonic()

    def take(mode: str, sample: int, result: ProbeResult) -> bool:
        """Record a result; False when the target must be given up."""
        nonlocal left, failures_in_a_row
        left -= 1
        run.add(_record(target, mode, sample, result))
        progress.advance()
        failures_in_a_row = 0 if result.ok else failures_in_a_row + 1
        if failures_in_a_row >= plan.max_consecutive_failures:
            run.give_up("abandoned", left)
            progress.advance(left)
            return False
        return True

    def may_continue(first: bool) -> float | None:
        """The timeout for the next request, or None when the deadline has come."""
        if not first and plan.pause_s > 0:
            stop.wait(min(plan.pause_s, max(remaining_s(), 0.0)))
        remaining = remaining_s()
        if stop.is_set() or remaining <= 0:
            run.give_up("deadline", left)
            progress.advance(left)
            return None
        return min(plan.timeout_s, remaining)

    first = True
    for mode, count in counts.items():
        if mode == "cold":
            for i in range(count):
                timeout = may_continue(first)
                first = False
                if timeout is None:
                    return
                result = cold_request(
                    target.url,
                    method=target.method,
                    timeout_s=timeout,
                    deadline_at=plan.deadline_at,
                    max_response_bytes=plan.max_response_bytes,
                )
                if not take(mode, i, result):
                    return
            continue
        # warm and payload: one client, one kept-alive connection, sample 0 opens it.
        method, content = (target.method, None) if mode == "warm" else ("POST", payload)
        timeout = may_continue(first)
        first = False
        if timeout is None:
            return
        with new_client(timeout) as client:
            started_at = time.perf_counter()
            try:
                resolved = resolve(target.url, timeout)
            except DnsLookupError as exc:
                failed = ProbeResult(ok=False, kind="dns", error=str(exc))
                if not take(mode, 0, failed):
                    return
                run.give_up("abandoned", count - 1)
                progress.advance(count - 1)
                left -= count - 1
                continue
            for i in range(count):
                if i > 0:
                    timeout = may_continue(first=False)
                    if timeout is None:
                        return
                result = timed_request(
                    client,
                    resolved,
                    method=method,
                    content=content,
                    timeout_s=timeout,
                    started_at=started_at if i == 0 else None,
                    deadline_at=plan.deadline_at,
                    max_response_bytes=plan.max_response_bytes,
                )
                if not take(mode, i, result):
                    return


def _run_workers(
    runs: list[_TargetRun], plan: _Plan, stop: threading.Event, progress: _Progress, workers: int
) -> list[BaseException]:
    """Measure ``runs`` on ``workers`` daemon threads until done or the deadline (plus grace).

    Daemon threads, not a thread pool: a pool's threads are joined when the interpreter exits,
    so one request still in flight would keep ``edgecalc measure`` from exiting. With every
    request bounded by the run's deadline, the threads end shortly after it anyway.
    """
    pending: queue.SimpleQueue[_TargetRun] = queue.SimpleQueue()
    for run in runs:
        pending.put(run)
    errors: list[BaseException] = []

    def work() -> None:
        while not stop.is_set():
            try:
                run = pending.get_nowait()
            except queue.Empty:
                return
            try:
                _measure_target(run, plan, stop, progress)
            except Exception as exc:  # handed to the caller
                errors.append(exc)

    threads = [
        threading.Thread(target=work, name=f"edgecalc-measure-{i}", daemon=True)
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    end_at = plan.deadline_at + _GRACE_S
    for thread in threads:
        thread.join(max(end_at - time.monotonic(), 0.0))
    stop.set()
    return errors


def _as_target(item: str | Target) -> Target:
    """A target whose URL is checked (:func:`parse_target_url`) and written as httpx reads it."""
    target = item if isinstance(item, Target) else Target(url=str(item))
    try:
        url = parse_target_url(target.url)
    except TargetUrlError as exc:
        raise ValueError(f"target {exc}") from None
    return dataclasses.replace(target, url=str(url))


def _http_verb(how: str) -> str:
    """The HTTP verb named in a catalog endpoint's method description (GET when none is)."""
    words = how.replace(",", " ").split()
    return next((w for w in words if w in ("GET", "HEAD", "POST")), "GET")


def catalog_targets(
    provider: str,
    regions: Sequence[str] | None = None,
    *,
    all_regions: bool = False,
    catalog: Any = None,
) -> list[Target]:
    """Targets for a provider's regions from the catalog's probe endpoints.

    Parameters
    ----------
    provider : str
        ``aws``, ``gcp`` or ``azure``.
    regions : sequence of str, optional
        Region names (``eu-central-1``); required unless ``all_regions``.
    all_regions : bool, default False
        Every region the catalog has a probe endpoint for.
    catalog : optional
        A loaded catalog; ``edgecalc.catalog.load_catalog()`` when None.

    Returns
    -------
    list of Target
        With the HTTP verb named in the endpoint's method description (GET by default), the
        description and note as ``note``, source and ``as_of``, and the region's coordinates
        when the catalog has them. Payload POSTs are off: provider ping endpoints take GET.
    """
    if catalog is None:
        from edgecalc.catalog import load_catalog

        catalog = load_catalog()
    if all_regions:
        endpoints = list(catalog.probes(provider))
    elif regions:
        endpoints = [catalog.probe(provider, region) for region in regions]
    else:
        raise ValueError("name a region, or ask for all regions")
    targets = []
    for endpoint in endpoints:
        lat = lon = None
        try:
            place = catalog.region(f"{endpoint.provider}/{endpoint.region}")
            lat, lon = float(place.lat.value), float(place.lon.value)
        except (KeyError, LookupError, AttributeError, TypeError, ValueError):
            pass
        how = str(endpoint.method or "")
        note = "; ".join(str(x) for x in (how, endpoint.note) if x)
        targets.append(
            Target(
                url=str(endpoint.url),
                label=f"{endpoint.provider}/{endpoint.region}",
                method=_http_verb(how),
                payload=False,
                provider=endpoint.provider,
                region=endpoint.region,
                source=None if endpoint.source is None else str(endpoint.source),
                as_of=None if endpoint.as_of is None else str(endpoint.as_of),
                note=note or None,
                lat=lat,
                lon=lon,
            )
        )
    return targets


def _check_site(site: str) -> None:
    """Refuse a site name the measurement file could not be read back with (too long, or
    holding a control character such as a terminal escape)."""
    if not isinstance(site, str) or len(site) > MAX_TEXT:
        raise ValueError(f"site: a name of at most {MAX_TEXT:,} characters is needed")
    bad = control_character(site)
    if bad:
        raise ValueError(
            f"site {site!r}: holds the control character {bad}; a site name is plain text on "
            "one line"
        )


def measure(
    targets: str | Target | Sequence[str | Target] | None = None,
    *,
    provider: str | None = None,
    region: str | Sequence[str] | None = None,
    all_regions: bool = False,
    samples: int = 20,
    payload_bytes: int = 0,
    concurrency: int = 8,
    timeout_s: float = 5.0,
    deadline_s: float = 120.0,
    pause_s: float = 0.05,
    from_latlon: tuple[float, float] | None = None,
    progress: ProgressCallback | None = None,
    site: str | None = None,
    modes: Sequence[str] = MODES,
    max_consecutive_failures: int = 3,
    catalog: Any = None,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> Measurement:
    """Measure cold, warm and payload round trips to targets, concurrently and with a deadline.

    Parameters
    ----------
    targets : str, Target or sequence of them, optional
        URLs (``http://`` or ``https://``) or :class:`~edgecalc.measure.measurement.Target`\\ s.
    provider : str, optional
        ``aws``, ``gcp`` or ``azure``: add the catalog's probe endpoint of ``region`` (or of
        every region with ``all_regions``).
    region : str or sequence of str, optional
        Region name(s) of ``provider``.
    all_regions : bool, default False
        Every region of ``provider`` that the catalog has an endpoint for.
    samples : int, default 20
        Requests per mode and target (warm and payload make one more, the discarded warm-up);
        at most :data:`MAX_SAMPLES`.
    payload_bytes : int, default 0
        Size of the POSTed payload [bytes]; 0 skips the payload mode. Only targets that take a
        POST get it (explicit URLs, such as an ``edgecalc echo-server``; not provider pings).
        At most :data:`MAX_PAYLOAD_BYTES`.
    concurrency : int, default 8
        Targets measured at the same time; at most :data:`MAX_CONCURRENCY`.
    timeout_s : float, default 5.0
        Total deadline of each request: lookup, connect, TLS, sending and the whole answer
        together [s].
    deadline_s : float, default 120.0
        Overall deadline of the run [s]; ``measure`` returns within about
        ``deadline_s + 0.25 s`` whatever the targets do, and no request outlives it.
    pause_s : float, default 0.05
        Pause between two requests to the same target [s].
    from_latlon : (float, float), optional
        Latitude and longitude of the measuring site [degrees], for the fibre-floor ratio of
        targets with coordinates.
    progress : callable, optional
        ``progress(done, total)`` after each request (called from worker threads, serialised).
    site : str, optional
        Name of the site, recorded in the measurement.
    modes : sequence of str, default ("cold", "warm", "payload")
        Which modes to run.
    max_consecutive_failures : int, default 3
        Give a target up after this many failures in a row.
    catalog : optional
        A loaded catalog for ``provider`` (``edgecalc.catalog.load_catalog()`` by default).
    max_response_bytes : int, default 64 MiB
        Longest answer read; a longer one fails as ``too_large`` [bytes].

    Returns
    -------
    Measurement
        Every request (raw samples), provenance, and derived statistics, failures, loss
        (``.summary_frame()``, ``.to_frame()``); never raises for network failures.

    Raises
    ------
    ValueError
        No targets, a target URL that may not be measured (see
        :func:`~edgecalc.measure.target_url.parse_target_url`), or a setting outside its limits.
    """
    if isinstance(targets, str | Target):
        targets = [targets]
    chosen = [_as_target(t) for t in (targets or [])]
    if provider is not None:
        regions = [region] if isinstance(region, str) else list(region or [])
        chosen += catalog_targets(provider, regions, all_regions=all_regions, catalog=catalog)
    elif region is not None or all_regions:
        raise ValueError("a region (or all regions) needs a provider")
    if not chosen:
        raise ValueError("nothing to measure: give target URLs or a provider and region")
    if site is not None:
        _check_site(site)
    seen: set[str] = set()
    chosen = [t for t in chosen if not (t.url in seen or seen.add(t.url))]
    unknown_modes = set(modes) - set(MODES)
    if unknown_modes:
        raise ValueError(f"unknown modes {sorted(unknown_modes)}; choose from {list(MODES)}")
    if len(chosen) > MAX_TARGETS:
        raise ValueError(f"{len(chosen):,} targets: at most {MAX_TARGETS:,} in one run")
    check_settings(
        samples=samples,
        payload_bytes=payload_bytes,
        concurrency=concurrency,
        timeout_s=timeout_s,
        deadline_s=deadline_s,
        pause_s=pause_s,
        max_consecutive_failures=max_consecutive_failures,
        max_response_bytes=max_response_bytes,
    )

    started = time.monotonic()
    plan = _Plan(
        samples=int(samples),
        payload_bytes=int(payload_bytes),
        modes=tuple(m for m in MODES if m in modes),
        timeout_s=float(timeout_s),
        pause_s=float(pause_s),
        max_consecutive_failures=int(max_consecutive_failures),
        deadline_at=started + float(deadline_s),
        max_response_bytes=int(max_response_bytes),
        payload=bytes(int(payload_bytes)) if "payload" in modes else b"",
    )
    runs = [_TargetRun(t, sum(plan.requests_for(t).values())) for t in chosen]
    tracker = _Progress(sum(r.planned for r in runs), progress)
    stop = threading.Event()
    errors = _run_workers(runs, plan, stop, tracker, min(int(concurrency), len(runs)))
    if errors:
        raise errors[0]  # a bug in this module, not a network failure

    records: list[dict[str, Any]] = []
    not_run: dict[str, dict[str, int]] = {}
    for run in runs:
        run_records, run_not_run = run.close()
        records += run_records
        if run_not_run:
            not_run[run.target.url] = run_not_run
    return Measurement(
        targets=chosen,
        samples=records,
        settings={
            "samples": plan.samples,
            "payload_bytes": plan.payload_bytes,
            "concurrency": int(concurrency),
            "timeout_s": plan.timeout_s,
            "deadline_s": float(deadline_s),
            "pause_s": plan.pause_s,
            "max_consecutive_failures": plan.max_consecutive_failures,
            "modes": list(plan.modes),
            "percentile_method": PERCENTILE_METHOD_NOTE,
            "wall_s": round(time.monotonic() - started, 4),
        },
        created_at=now_utc_iso(),
        host=this_host(),
        site=site,
        tool_version=__version__,
        from_latlon=None if from_latlon is None else (float(from_latlon[0]), float(from_latlon[1])),
        not_run=not_run,
    )
