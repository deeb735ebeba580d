"""Measurement results and the measurement file (``edgecalc measure --out FILE.json``).

The file is JSON, one object:

``edgecalc_measurement``
    Format version, 1.
``created_at``
    When the measurement ended, ISO 8601 in UTC (``2026-11-26T09:30:00Z``).
``host``, ``site``
    The measuring machine's host name, and the ``--site`` name (or null).
``tool``
    ``{"name": "edgecalc", "version": ...}``.
``settings``
    ``samples``, ``payload_bytes``, ``concurrency``, ``timeout_s``, ``deadline_s``, ``pause_s``,
    ``max_consecutive_failures``, ``modes`` and ``percentile_method``.
``from``
    ``{"lat": ..., "lon": ...}`` of the site when given, else null.
``targets``
    One object per target: ``url``, ``label``, ``method``, and where it came from a catalog
    ``provider``, ``region``, ``source``, ``as_of``, ``note``, ``lat``, ``lon``.
``samples``
    Every request made: ``target`` (the URL), ``mode`` (cold | warm | payload), ``sample``
    (0, 1, ...; warm and payload sample 0 is the connection-opening warm-up), ``warmup``,
    ``ok``, ``kind`` (failure kind or null), ``error``, ``status``, ``new_connection``,
    ``phases_ms`` (phase name to milliseconds; only the phases that happened).
``not_run``
    Per target, requests planned but not made, by reason: ``deadline`` (the run's overall
    deadline came first) or ``abandoned`` (the target failed too many times in a row).
``stats``
    Derived from ``samples`` (written for readers of the file; recomputed on load): one row
    per target, mode and phase with ``n``, ``min_ms``, ``p50_ms``, ``p90_ms``, ``p99_ms``,
    ``max_ms``, ``mean_ms``, ``std_ms``.
``failures``, ``loss``
    Derived as well: per target, failed requests by kind; and per target and mode the loss
    rate = failed requests / requests made (warm-ups included, ``not_run`` excluded).
``floor``
    Derived, per target with coordinates when ``from`` is given: great-circle distance,
    fibre floor RTT and the ratio of the measured minimum warm RTT to it.

Which samples make statistics: successful ones (``ok``), without warm-ups, and for ``warm``
and ``payload`` only those that reused the connection (``new_connection`` false).
"""

from __future__ import annotations

import json
import math
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from edgecalc.io import FileReadError, read_bounded, write_atomic
from edgecalc.latency.geo import fibre_floor_rtt_ms, great_circle_km
from edgecalc.measure.measurement_schema import MAX_DEPTH, validate_file
from edgecalc.measure.probe import MODES, PHASES
from edgecalc.measure.stats import PERCENTILE_METHOD_NOTE, STAT_NAMES, percentile_ms, summarize

FORMAT_VERSION = 1
"""Value of the ``edgecalc_measurement`` key this code writes and reads."""


MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest measurement file read [bytes] (32 MiB: some 100,000 requests)."""


class MeasurementFileError(ValueError):
    """A measurement file that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Target:
    """One thing to measure: a URL and, when it came from the catalog, where it is.

    Attributes
    ----------
    url : str
        ``http://`` or ``https://`` URL.
    label : str or None
        Short name for tables (``aws/eu-central-1``); the URL when None.
    method : str
        HTTP method of cold and warm requests (``GET``).
    payload : bool
        Whether the target takes a POST payload (an echo server does; a provider's ping
        endpoint does not).
    provider, region, source, as_of, note : str or None
        Catalog provenance of the endpoint.
    lat, lon : float or None
        Coordinates of the region [degrees], for the fibre-floor ratio.
    """

    url: str
    label: str | None = None
    method: str = "GET"
    payload: bool = True
    provider: str | None = None
    region: str | None = None
    source: str | None = None
    as_of: str | None = None
    note: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def name(self) -> str:
        """The label, or the URL."""
        return self.label or self.url


@dataclass
class Measurement:
    """The result of :func:`edgecalc.measure.api.measure`: every request and its provenance.

    Statistics, failures, loss and the frames are derived from ``samples`` on demand.
    """

    targets: list[Target]
    samples: list[dict[str, Any]]
    settings: dict[str, Any]
    created_at: str
    host: str
    site: str | None = None
    tool_version: str = ""
    from_latlon: tuple[float, float] | None = None
    not_run: dict[str, dict[str, int]] = field(default_factory=dict)
    source_path: Path | None = None

    # -- derived -------------------------------------------------------------------------------

    def _target_names(self) -> dict[str, str]:
        return {t.url: t.name for t in self.targets}

    def stat_samples(self) -> list[dict[str, Any]]:
        """The samples that make statistics: ok, not a warm-up, warm/payload on a reused link."""
        return [
            s
            for s in self.samples
            if s["ok"]
            and not s.get("warmup", False)
            and (s["mode"] == "cold" or not s.get("new_connection", False))
        ]

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame of the samples that make statistics.

        Returns
        -------
        pandas.DataFrame
            Columns ``target`` (label or URL), ``phase``, ``mode`` (cold | warm | payload),
            ``sample`` (int), ``ms`` (float) [ms]; one row per sample and phase.
        """
        names = self._target_names()
        rows = [
            (names.get(s["target"], s["target"]), phase, s["mode"], int(s["sample"]), float(ms))
            for s in self.stat_samples()
            for phase, ms in s["phases_ms"].items()
        ]
        frame = pd.DataFrame(rows, columns=["target", "phase", "mode", "sample", "ms"])
        return frame.astype({"sample": "int64", "ms": "float64"})

    def attempts(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(requests made, requests failed) per (target URL, mode)."""
        counts: dict[tuple[str, str], list[int]] = {}
        for s in self.samples:
            made_failed = counts.setdefault((s["target"], s["mode"]), [0, 0])
            made_failed[0] += 1
            made_failed[1] += 0 if s["ok"] else 1
        return {key: (made, failed) for key, (made, failed) in counts.items()}

    def summary_frame(self) -> pd.DataFrame:
        """One row per target, mode and phase: statistics, requests made and failed, loss.

        Returns
        -------
        pandas.DataFrame
            Columns ``target``, ``url``, ``mode``, ``phase``, ``n``, ``min_ms``, ``p50_ms``,
            ``p90_ms``, ``p99_ms``, ``max_ms``, ``mean_ms``, ``std_ms`` [ms], ``attempts``,
            ``failed``, ``loss`` (failed / attempts, NaN when nothing was attempted). A mode
            whose requests all failed has one row with phase ``total`` and ``n`` = 0.
        """
        by_key: dict[tuple[str, str, str], list[float]] = {}
        for s in self.stat_samples():
            for phase, ms in s["phases_ms"].items():
                by_key.setdefault((s["target"], s["mode"], phase), []).append(ms)
        attempts = self.attempts()
        rows = []
        for target in self.targets:
            for mode in MODES:
                made, failed = attempts.get((target.url, mode), (0, 0))
                phases = [p for p in PHASES if (target.url, mode, p) in by_key]
                if made == 0:
                    continue
                for phase in phases or ["total"]:
                    stats = summarize(np.asarray(by_key.get((target.url, mode, phase), [])))
                    rows.append(
                        {"target": target.name, "url": target.url, "mode": mode, "phase": phase}
                        | stats
                        | {"attempts": made, "failed": failed, "loss": failed / made}
                    )
        columns = ["target", "url", "mode", "phase", *STAT_NAMES, "attempts", "failed", "loss"]
        return pd.DataFrame(rows, columns=columns)

    def unusable_modes(self) -> dict[str, dict[str, str]]:
        """Why a measured mode gave no statistics, per target URL and mode (only such modes).

        Returns
        -------
        dict
            URL to ``{mode: reason}`` for each mode with requests made but no sample that
            makes statistics: every request failed (with the kinds), or every warm or payload
            request opened a new connection because the server closed the connection after
            each answer (HTTP/1.0, ``Connection: close``).
        """
        usable = {(s["target"], s["mode"]) for s in self.stat_samples()}
        result: dict[str, dict[str, str]] = {}
        for (url, mode), (made, failed) in self.attempts().items():
            if (url, mode) in usable or made == 0:
                continue
            if failed == made:
                kinds = sorted(
                    {s["kind"] for s in self.samples if s["target"] == url and s["mode"] == mode}
                )
                reason = f"all {made} requests failed ({', '.join(map(str, kinds))})"
            else:
                reason = (
                    "the server closed the connection after every answer (HTTP/1.0 or "
                    "Connection: close), so no request reused a connection and there is no "
                    f"{mode} round trip"
                )
            result.setdefault(url, {})[mode] = reason
        return result

    def failures(self) -> dict[str, dict[str, int]]:
        """Failed requests by kind, per target URL (only kinds that occurred)."""
        result: dict[str, dict[str, int]] = {t.url: {} for t in self.targets}
        for s in self.samples:
            if not s["ok"]:
                kinds = result.setdefault(s["target"], {})
                kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
        return {url: dict(sorted(kinds.items())) for url, kinds in result.items()}

    def loss(self) -> dict[str, dict[str, float]]:
        """Loss rate per target URL: by mode and ``all``, = failed / requests made."""
        result: dict[str, dict[str, float]] = {}
        attempts = self.attempts()
        for target in self.targets:
            per_mode = {m: attempts[(target.url, m)] for m in MODES if (target.url, m) in attempts}
            made = sum(v[0] for v in per_mode.values())
            failed = sum(v[1] for v in per_mode.values())
            result[target.url] = {m: v[1] / v[0] for m, v in per_mode.items()}
            result[target.url]["all"] = failed / made if made else float("nan")
        return result

    def floor_ratios(self) -> dict[str, dict[str, float]]:
        """Measured minimum warm RTT against the fibre floor, per target URL with coordinates.

        Returns
        -------
        dict
            URL to ``distance_km`` [km], ``floor_ms`` (= distance / 102.1 km/ms) [ms],
            ``min_rtt_ms`` (minimum warm ``ttfb``) [ms] and ``ratio`` (min RTT / floor; NaN
            for a zero distance). Empty without ``from_latlon``.

        Notes
        -----
        The floor is the round trip of light in fibre along the great circle
        (:func:`edgecalc.latency.geo.great_circle_km`, haversine with R = 6371.0088 km, and
        :func:`edgecalc.latency.geo.fibre_floor_rtt_ms`): ``floor_ms = d_km / 102.1``.
        Real routes are longer and the warm RTT includes the server's time, so the ratio is
        above 1; cloud backbones show a median near 1.8 (``../shared/reference/cloud-notes.md``,
        section 5). A ratio far above that flags an unusually long route.
        """
        if self.from_latlon is None:
            return {}
        warm_ttfb: dict[str, list[float]] = {}
        for s in self.stat_samples():
            if s["mode"] == "warm" and "ttfb" in s["phases_ms"]:
                warm_ttfb.setdefault(s["target"], []).append(s["phases_ms"]["ttfb"])
        result = {}
        for target in self.targets:
            if target.lat is None or target.lon is None:
                continue
            distance_km = float(great_circle_km(*self.from_latlon, target.lat, target.lon))
            floor_ms = float(fibre_floor_rtt_ms(distance_km))
            min_rtt_ms = min(warm_ttfb.get(target.url, [math.nan]))
            ratio = min_rtt_ms / floor_ms if floor_ms > 0 else math.nan
            result[target.url] = {
                "distance_km": distance_km,
                "floor_ms": floor_ms,
                "min_rtt_ms": min_rtt_ms,
                "ratio": ratio,
            }
        return result

    # -- the file ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The measurement as the JSON object of the file format (see the module docstring)."""
        stats = self.summary_frame().drop(columns=["target"]).rename(columns={"url": "target"})
        return _json_safe(
            {
                "edgecalc_measurement": FORMAT_VERSION,
                "created_at": self.created_at,
                "host": self.host,
                "site": self.site,
                "tool": {"name": "edgecalc", "version": self.tool_version},
                "settings": self.settings,
                "from": (
                    None
                    if self.from_latlon is None
                    else {"lat": self.from_latlon[0], "lon": self.from_latlon[1]}
                ),
                "targets": [asdict(t) for t in self.targets],
                "samples": self.samples,
                "not_run": self.not_run,
                "stats": stats.to_dict(orient="records"),
                "failures": self.failures(),
                "loss": self.loss(),
                "floor": self.floor_ratios(),
            }
        )

    def to_json(self) -> str:
        """The file's text: :meth:`to_dict` as indented JSON (NaN written as null)."""
        return json.dumps(self.to_dict(), indent=1, allow_nan=False) + "\n"


def _json_safe(value: Any) -> Any:
    """NaN and infinities to None, numpy scalars to Python numbers, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def now_utc_iso() -> str:
    """The current time as ISO 8601 UTC with a ``Z``, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def this_host() -> str:
    """The host name of this machine."""
    return socket.gethostname()


def save_measurement(measurement: Measurement, path: str | os.PathLike[str]) -> Path:
    """Write a measurement file atomically (a temporary file in the same folder, then a rename).

    Parameters
    ----------
    measurement : Measurement
        What to write.
    path : str or path-like
        Where; parent folders are created. An existing file is replaced only once the new one
        is complete, so a reader never sees half a file, and keeps its permissions (a new
        file gets 0666 less the umask).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    target = Path(path)
    write_atomic(target, measurement.to_json())
    return target


def measurement_from_dict(
    data: Any, path: Path | None = None, *, where: str = "<measurement>"
) -> Measurement:
    """Build a :class:`Measurement` from the file's JSON object, checked against the schema
    (:mod:`edgecalc.measure.measurement_schema`).

    Raises
    ------
    MeasurementFileError
        Naming the file (or ``where``), the field and what is wrong.
    """
    label = str(path) if path is not None else where
    if not isinstance(data, dict):
        raise MeasurementFileError(f"{label}: not a JSON object")
    version = data.get("edgecalc_measurement")
    if version is None:
        raise MeasurementFileError(
            f"{label}: no 'edgecalc_measurement' key: not an edgecalc measurement file"
        )
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise MeasurementFileError(
            f"{label}: format version {_short(version)} is not supported (this edgecalc "
            f"reads {FORMAT_VERSION})"
        )
    try:
        checked = validate_file(data)
    except ValueError as exc:
        raise MeasurementFileError(f"{label}: {exc}") from None
    origin = checked.from_
    return Measurement(
        targets=[Target(**t.model_dump()) for t in checked.targets],
        samples=[s.model_dump() for s in checked.samples],
        settings=checked.settings.model_dump(exclude_none=True),
        created_at=checked.created_at,
        host=checked.host,
        site=checked.site,
        tool_version=checked.tool.version if checked.tool is not None else "",
        from_latlon=None if origin is None else (origin.lat, origin.lon),
        not_run={url: dict(reasons) for url, reasons in checked.not_run.items()},
        source_path=path,
    )


def _short(value: Any, limit: int = 20) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` of the reader: a key given twice in one object is refused (the
    JSON reader would keep the last one without a word)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _parse_json(text: str, label: str) -> Any:
    text = text.removeprefix("\ufeff")  # a byte order mark, as some editors save UTF-8
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise MeasurementFileError(
            f"{label}: the key {_short(exc.key, 60)} is given twice in one object; keep one"
        ) from None
    except json.JSONDecodeError as exc:
        raise MeasurementFileError(
            f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise MeasurementFileError(
            f"{label}: nested too deeply (at most {MAX_DEPTH} levels are allowed)"
        ) from None


def measurement_path(name: str | os.PathLike[str], base_dir: str | Path | None) -> Path:
    """The file a scenario's ``cloud.rtt.measurement`` names: relative to the scenario's
    folder ``base_dir`` (the working folder when None), or absolute."""
    path = Path(name)
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


def check_within(path: str | os.PathLike[str], roots: Sequence[str | Path]) -> None:
    """Refuse a measurement file outside the folders ``roots`` (symbolic links followed).

    The app holds uploaded scenarios to the shipped scenarios and the visitor's own
    measurement folder: a scenario names a file on the server, and nothing of a file the
    visitor may not read must reach the screen. The file is not opened.

    Raises
    ------
    MeasurementFileError
        The path leaves every root; the message names neither the file's content nor the
        roots' locations on the server.
    """
    resolved = Path(path).resolve()
    if not any(resolved.is_relative_to(Path(root).resolve()) for root in roots):
        raise MeasurementFileError(
            f"{Path(path).name}: a measurement file here must be one imported or measured on "
            "the Measure page (or shipped with the scenarios); other files on the server "
            "cannot be read"
        )


def load_measurement(path: str | os.PathLike[str]) -> Measurement:
    """Read a measurement file.

    Parameters
    ----------
    path : str or path-like
        The JSON file written by :func:`save_measurement` (``edgecalc measure --out``): a
        regular file of at most :data:`MAX_FILE_BYTES`.

    Returns
    -------
    Measurement
        With ``source_path`` set.

    Raises
    ------
    MeasurementFileError
        The file is missing, not a regular file, too large, not JSON (with line and column),
        or not a valid measurement of a supported version; the message names the file, the
        field and what is wrong.
    """
    file = Path(path)
    try:
        raw = read_bounded(file, MAX_FILE_BYTES)
    except FileReadError as exc:
        message = str(exc)
        if message.endswith("file not found"):
            message = f"{file}: no such measurement file"
        raise MeasurementFileError(message) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MeasurementFileError(f"{file}: not a text file (not UTF-8)") from None
    return measurement_from_dict(_parse_json(text, str(file)), file)


def loads_measurement(data: str | bytes, where: str = "<measurement>") -> Measurement:
    """Read a measurement from the text of a file (an upload, a string in a notebook).

    Parameters
    ----------
    data : str or bytes
        The JSON text of a measurement file (bytes are decoded as UTF-8), at most
        :data:`MAX_FILE_BYTES`.
    where : str, default "<measurement>"
        What to call the text in error messages (an uploaded file's name).

    Returns
    -------
    Measurement
        With ``source_path`` None.

    Raises
    ------
    MeasurementFileError
        The text is too long, not UTF-8, not JSON (with line and column), or not a valid
        measurement of a supported version; the message names ``where``, the field and what
        is wrong.

    Examples
    --------
    >>> loads_measurement("[]", "up.json")
    Traceback (most recent call last):
    ...
    edgecalc.measure.measurement.MeasurementFileError: up.json: not a JSON object
    """
    if len(data) > MAX_FILE_BYTES:
        raise MeasurementFileError(
            f"{where}: larger than the limit of {MAX_FILE_BYTES:,} bytes for measurement files"
        )
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise MeasurementFileError(f"{where}: not a text file (not UTF-8)") from None
    return measurement_from_dict(_parse_json(data, where), None, where=where)


@dataclass(frozen=True)
class MeasuredRtt:
    """The measured round trip of one target at one percentile, for the latency check.

    Attributes
    ----------
    rtt_ms : float
        Warm RTT at the percentile: request to response headers on a reused connection, so
        one network round trip plus the server's time, without handshakes [ms].
    payload_ms : float or None
        Payload round trip at the percentile: POST of ``payload_bytes`` to the end of the
        answer on a reused connection (upload, RTT, server, download) [ms]; None when the
        measurement has no payload samples.
    payload_bytes : int or None
        Size of the POSTed payload [bytes].
    target : str
        The target's label or URL.
    created_at : str
        When the measurement was made (ISO 8601 UTC).
    age_days : float
        Age of the measurement at ``now`` [days].
    source_path : pathlib.Path or None
        The measurement file, when it came from one.
    method_note : str
        How the figures were obtained, for the reasons of a result.
    """

    rtt_ms: float
    payload_ms: float | None
    payload_bytes: int | None
    target: str
    created_at: str
    age_days: float
    source_path: Path | None
    method_note: str


def _pick_target(measurement: Measurement, target: str | None) -> Target:
    where = measurement.source_path or "the measurement"
    names = ", ".join(t.name for t in measurement.targets[:10])
    if len(measurement.targets) > 10:
        names += f" and {len(measurement.targets) - 10:,} more"
    if not measurement.targets:
        raise ValueError(f"{where}: the measurement holds no targets, so there is no RTT to use")
    if target is None:
        if len(measurement.targets) == 1:
            return measurement.targets[0]
        raise ValueError(
            f"{where}: the measurement holds {len(measurement.targets)} targets ({names}); "
            "name one as the target (cloud.rtt.target in a scenario, target= in Python) by "
            "its URL, label or provider/region"
        )
    for t in measurement.targets:
        if target in (t.url, t.label, f"{t.provider}/{t.region}"):
            return t
    raise ValueError(f"{where}: target {target!r} is not in the measurement (it holds {names})")


def measured_rtt(
    measurement: Measurement | str | os.PathLike[str],
    percentile: float,
    target: str | None = None,
    *,
    now: datetime | None = None,
) -> MeasuredRtt:
    """The warm RTT and payload round trip of a target at a percentile.

    Parameters
    ----------
    measurement : Measurement or path
        A measurement, or the path of a measurement file.
    percentile : float
        The scenario's latency percentile, in [0, 100] [%].
    target : str, optional
        URL, label or ``provider/region`` of the target; may be left out when the measurement
        holds one target.
    now : datetime, optional
        The time to compute the age against (aware); the current UTC time by default.

    Returns
    -------
    MeasuredRtt
        Figures, age and provenance.

    Raises
    ------
    ValueError
        Unknown or ambiguous target.
    MeasurementFileError
        From reading the file, or the target has no successful warm sample on a reused
        connection (an all-failed run; a server that closes every connection).

    Notes
    -----
    Percentiles as in :func:`edgecalc.measure.stats.percentile_ms` (Hyndman-Fan type 7). With
    ``n`` samples, percentiles above ``100 * (n - 1) / n`` interpolate towards the largest
    sample: 20 samples bound a p99 by their maximum.
    """
    if not isinstance(measurement, Measurement):
        measurement = load_measurement(measurement)
    chosen = _pick_target(measurement, target)
    frame = measurement.to_frame()
    mine = frame[frame["target"] == chosen.name]
    warm = mine[(mine["mode"] == "warm") & (mine["phase"] == "ttfb")]["ms"].to_numpy()
    if warm.size == 0:
        why = measurement.unusable_modes().get(chosen.url, {}).get("warm", "")
        raise MeasurementFileError(
            f"{measurement.source_path or 'the measurement'}: target {chosen.name} has no "
            "successful warm sample on a reused connection, so there is no RTT to use"
            + (f" ({why})" if why else "")
        )
    payload = mine[(mine["mode"] == "payload") & (mine["phase"] == "total")]["ms"].to_numpy()
    rtt_ms = float(percentile_ms(warm, percentile))
    payload_ms = float(percentile_ms(payload, percentile)) if payload.size else None
    created = datetime.fromisoformat(measurement.created_at.replace("Z", "+00:00"))
    age_days = ((now or datetime.now(UTC)) - created).total_seconds() / 86400.0
    payload_bytes = measurement.settings.get("payload_bytes") if payload.size else None
    note = (
        f"measured from {measurement.host}"
        + (f" (site {measurement.site})" if measurement.site else "")
        + f" on {measurement.created_at}: warm RTT = request to response headers on a reused "
        f"connection (first request discarded), p{percentile:g} of {warm.size} samples"
    )
    if payload_ms is not None:
        note += (
            f"; payload = POST of {payload_bytes} bytes to the end of the answer, "
            f"{payload.size} samples"
        )
    note += f"; {PERCENTILE_METHOD_NOTE}"
    if chosen.source or chosen.provider:
        note += f"; endpoint {chosen.url} ({chosen.source or 'catalog'}, as of {chosen.as_of})"
    return MeasuredRtt(
        rtt_ms=rtt_ms,
        payload_ms=payload_ms,
        payload_bytes=None if payload_bytes is None else int(payload_bytes),
        target=chosen.name,
        created_at=measurement.created_at,
        age_days=age_days,
        source_path=measurement.source_path,
        method_note=note,
    )


ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: requests made (or given up) so far, of the planned total."""

__all__ = [
    "FORMAT_VERSION",
    "MeasuredRtt",
    "Measurement",
    "MeasurementFileError",
    "ProgressCallback",
    "Target",
    "check_within",
    "load_measurement",
    "loads_measurement",
    "measured_rtt",
    "measurement_from_dict",
    "measurement_path",
    "save_measurement",
]
