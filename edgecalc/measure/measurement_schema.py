"""The measurement file's schema: as strict as the scenario's, checked before anything is used.

A measurement file may come from another machine (a site), an upload to the app, or a hand
edit, so every key and value is checked (pydantic, ``extra="forbid"``, strict types) before a
:class:`~edgecalc.measure.measurement.Measurement` is built from it:

- unknown keys are errors, at every level; a string is never read as a number;
- phase times are finite, non-negative and at most :data:`MAX_PHASE_MS` [ms]; counts are whole
  and non-negative; coordinates within their ranges;
- ``created_at`` is ISO 8601 with a time zone, and not later than now plus
  :data:`CLOCK_SKEW_S` (a site's clock may run a little fast; a file from the year 2999 is
  refused);
- every sample names a target of the file, and a failed sample a known failure kind;
- target URLs pass :func:`~edgecalc.measure.target_url.parse_target_url` (no user name or
  password in a file);
- text (names, URLs, notes; not the error messages of failed requests) holds no control
  characters, since it reaches reports and terminals;
- the JSON is at most :data:`MAX_DEPTH` levels deep and lists have bounded lengths.

The derived sections (``stats``, ``failures``, ``loss``, ``floor``) are recomputed on load;
they are checked only for being JSON of bounded depth.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from edgecalc.errors import control_character
from edgecalc.measure.probe import FAILURE_KINDS, MODES, PHASES
from edgecalc.measure.target_url import TargetUrlError, parse_target_url

CLOCK_SKEW_S = 15 * 60.0
"""How far in the future ``created_at`` may lie, for a site clock that runs fast [s]."""
MAX_DEPTH = 16
"""Deepest nesting of objects and lists accepted in a measurement file [levels]."""
MAX_TARGETS = 1_000
"""Targets in one file, at most [count]."""
MAX_SAMPLES = 1_000_000
"""Samples (requests) in one file, at most [count]."""
MAX_TEXT = 2_000
"""Longest text field (a URL, an error message, a note) [characters]."""
MAX_PHASE_MS = 2 * 86_400 * 1_000.0
"""Longest phase time of a sample [ms] (two days).

No phase can outlast its request: every request the probe makes has a total deadline, its
``timeout_s``, which :func:`edgecalc.measure.api.check_settings` holds to at most a day
(``edgecalc.measure.api.MAX_SECONDS``), and a watchdog ends the request when it passes. Twice
that leaves room for the watchdog's own delay, so every file edgecalc writes is read back;
a longer time was not measured (a hand edit, another tool), and a huge one such as ``1e308``
would turn means and standard deviations into ``inf`` and print as hundreds of digits."""


def _plain_text(text: str) -> str:
    """``text``, refused when it holds a control character (a terminal escape, a line break, a
    direction override): names, URLs and notes of the file reach reports and terminals."""
    bad = control_character(text)
    if bad:
        raise ValueError(
            f"holds the control character {bad}; text here is plain, on one line (got "
            f"{text[:40]!r})"
        )
    return text


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_plain_text)]
"""A name, URL or note: at most :data:`MAX_TEXT` characters, no control characters."""
ErrorText = Annotated[str, Field(max_length=MAX_TEXT)]
"""A failed request's error message, as the probe wrote it (it may quote what a server sent)."""


def _no_longer_than_a_request(ms: float) -> float:
    """The phase time ``ms`` [ms], refused past :data:`MAX_PHASE_MS` with the value shown."""
    if ms > MAX_PHASE_MS:
        raise ValueError(
            f"{ms!r} ms is longer than any request may take: a phase lasts at most "
            f"{MAX_PHASE_MS:,.0f} ms (two days; a request's deadline is at most a day)"
        )
    return ms


Milliseconds = Annotated[
    float, Field(ge=0.0, allow_inf_nan=False), AfterValidator(_no_longer_than_a_request)
]
Count = Annotated[int, Field(ge=0)]

FailureKind = Literal[FAILURE_KINDS]  # type: ignore[valid-type]
Mode = Literal[MODES]  # type: ignore[valid-type]
Phase = Literal[PHASES]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ToolModel(_Strict):
    name: Literal["edgecalc"]
    version: Text = ""


class SettingsModel(_Strict):
    samples: Count | None = None
    payload_bytes: Count | None = None
    concurrency: Count | None = None
    timeout_s: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    deadline_s: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    pause_s: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    max_consecutive_failures: Count | None = None
    max_response_bytes: Count | None = None
    modes: Annotated[list[Mode], Field(max_length=len(MODES))] | None = None
    percentile_method: Text | None = None
    wall_s: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None


class LatLonModel(_Strict):
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class TargetModel(_Strict):
    url: Text
    label: Text | None = None
    method: Literal["GET", "HEAD", "POST"] = "GET"
    payload: bool = True
    provider: Text | None = None
    region: Text | None = None
    source: Text | None = None
    as_of: Text | None = None
    note: Text | None = None
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = None

    @field_validator("url")
    @classmethod
    def _measurable(cls, url: str) -> str:
        try:
            parse_target_url(url)
        except TargetUrlError as exc:
            raise ValueError(str(exc)) from None
        return url


class SampleModel(_Strict):
    target: Text
    mode: Mode
    sample: Count
    warmup: bool = False
    ok: bool
    kind: FailureKind | None = None
    error: ErrorText | None = None
    status: Annotated[int, Field(ge=100, le=599)] | None = None
    new_connection: bool = False
    phases_ms: dict[Phase, Milliseconds]

    @model_validator(mode="after")
    def _failed_has_a_kind(self) -> SampleModel:
        if not self.ok and self.kind is None:
            raise ValueError(f"a failed sample needs a kind, one of {list(FAILURE_KINDS)}")
        return self


NOT_RUN_REASONS = ("deadline", "abandoned")
"""Why a planned request was not made: the run's deadline came first, or the target was given
up after failing too often in a row."""
NotRunReason = Literal[NOT_RUN_REASONS]  # type: ignore[valid-type]


class MeasurementFileModel(_Strict):
    """The whole file (see :mod:`edgecalc.measure.measurement` for what each key means)."""

    edgecalc_measurement: Literal[1]
    created_at: Text
    host: Text = ""
    site: Text | None = None
    tool: ToolModel | None = None
    settings: SettingsModel = SettingsModel()
    from_: LatLonModel | None = Field(default=None, alias="from")
    targets: Annotated[list[TargetModel], Field(min_length=1, max_length=MAX_TARGETS)]
    samples: Annotated[list[SampleModel], Field(max_length=MAX_SAMPLES)]
    not_run: dict[Text, dict[NotRunReason, Count]] = {}
    stats: list[dict[Text, Any]] | None = None
    failures: dict[Text, Any] | None = None
    loss: dict[Text, Any] | None = None
    floor: dict[Text, Any] | None = None

    @field_validator("created_at")
    @classmethod
    def _a_time_not_in_the_future(cls, text: str) -> str:
        try:
            created = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{text[:40]!r} is not an ISO 8601 time") from None
        if created.tzinfo is None:
            raise ValueError("has no time zone (expected UTC, such as 2026-11-26T09:30:00Z)")
        latest = datetime.now(UTC) + timedelta(seconds=CLOCK_SKEW_S)
        if created > latest:
            raise ValueError(
                f"{text[:40]} lies in the future (more than {CLOCK_SKEW_S / 60:g} minutes "
                "ahead of this machine's clock)"
            )
        return text

    @model_validator(mode="after")
    def _samples_name_targets(self) -> MeasurementFileModel:
        first: dict[str, int] = {}
        for i, target in enumerate(self.targets):
            j = first.setdefault(target.url, i)
            if j != i:
                raise ValueError(
                    f"targets[{i}].url is the URL of targets[{j}] as well; samples name their "
                    "target by URL, so each target needs its own"
                )
        urls = set(first)
        for i, sample in enumerate(self.samples):
            if sample.target not in urls:
                raise ValueError(f"samples[{i}].target names no target of the file")
        for url in self.not_run:
            if url not in urls:
                raise ValueError("not_run names a URL that is not a target of the file")
        return self


def depth(data: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0, ``[]`` is 1), computed without recursion.

    Examples
    --------
    >>> depth(1), depth([]), depth({"a": [1, {"b": 2}]})
    (0, 1, 3)
    """
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in node)
    return deepest


def validate_file(data: Any) -> MeasurementFileModel:
    """Check a parsed measurement file against the schema.

    Raises
    ------
    ValueError
        With the field path and what is wrong (the first three problems), e.g.
        ``samples[3].phases_ms.ttfb: input should be greater than or equal to 0 (got -34.4)``
        or ``samples[3].phases_ms.ttfb: 1.7e+308 ms is longer than any request may take: a
        phase lasts at most 172,800,000 ms (...)``.
    """
    if depth(data) > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        return MeasurementFileModel.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()[:3]]
        more = exc.error_count() - len(problems)
        text = "; ".join(problems) + (f"; and {more} more" if more > 0 else "")
        raise ValueError(text) from None


def _problem(error: Any) -> str:
    where = _path(error["loc"])
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    message = message[0].lower() + message[1:] if message else message
    value = error.get("input")
    shown = "" if error["type"] in ("missing", "value_error") else f" (got {_short(value)})"
    return f"{where}: {message}{shown}" if where else f"{message}{shown}"


def _path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            part = "from" if part == "from_" else str(part)
            text += f".{part}" if text else part
    return text


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
