"""The number inputs the pages draw for scenario fields, and the values each one takes.

One table (:data:`NUMBER_INPUTS`) is read by the pages, which build each ``st.number_input``
with its ``min_value`` and ``max_value`` (:meth:`Limits.widget`), and by the link reader
(``app_pages/share.py``), which refuses a value the input cannot take with a sentence that
names the input, the value and the range (:meth:`Limits.admits`, :meth:`Limits.text`).

Each input's limits are its scenario field's (:func:`field_limits`, from the pydantic field's
bounds), so an input shows every value a scenario file may hold: Streamlit does not say when
a value is outside an input's limits, it shows the input's minimum instead (a file's 99.995
for a percentile read 50 when the input took 50 to 99.99, and was saved as an edit). An
exclusive bound (``percentile: > 0 and < 100``) becomes the input's inclusive limit; the
loader, which the app runs on every edit, refuses the bound itself with its own sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from edgecalc import limits
from edgecalc.uncertainty.fields import field_spec


@dataclass(frozen=True)
class Limits:
    """What one number input takes; an empty input (None) is always accepted.

    Parameters
    ----------
    low, high
        The smallest and largest value, inclusive; None for no limit [the field's unit].
    whole
        Whether the input takes whole numbers only (then ``low`` and ``high`` are whole too).
    """

    low: float | None = None
    high: float | None = None
    whole: bool = False

    def widget(self) -> dict[str, float | int]:
        """``min_value`` and ``max_value`` for ``st.number_input`` (an ``int`` for a whole
        number input, a ``float`` otherwise, as Streamlit wants them to match the value)."""
        kind = int if self.whole else float
        bounds = {"min_value": self.low, "max_value": self.high}
        return {name: kind(v) for name, v in bounds.items() if v is not None}

    def admits(self, value: Any) -> bool:
        """Whether the input can show ``value`` (a number; NaN never)."""
        if value is None:
            return True
        try:
            x = float(value)
        except OverflowError:  # a whole number beyond any float
            return False
        if math.isnan(x):
            return False
        return (self.low is None or x >= self.low) and (self.high is None or x <= self.high)

    def text(self) -> str:
        """The values taken, in words: ``0 to 100``, ``at least 1``, ``any number``."""
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}"
        if self.low is not None:
            return f"at least {self.low:g}"
        if self.high is not None:
            return f"at most {self.high:g}"
        return "any number"


LINK_TERMS = ("data_plan", "upload")
"""How the Decide page's site link prices its traffic (``sites.link.<term>.*``)."""


def field_limits(path: str) -> Limits:
    """The limits of the scenario field at ``path``: its pydantic bounds, each inclusive
    (``> 0`` becomes at least 0), and whole numbers for a whole-number field. The limit every
    number has (:data:`edgecalc.limits.NUMBER_MAGNITUDE`) is left to the loader, so an input
    without a bound of its own has no limit there.

    Raises
    ------
    KeyError
        When ``path`` is not a number field of the scenario file.
    """
    spec = field_spec(path)
    if spec is None:
        raise KeyError(f"{path} is not a number field of the scenario file")

    def bound(x: float) -> float | None:
        return None if not math.isfinite(x) or abs(x) >= limits.NUMBER_MAGNITUDE else x

    return Limits(bound(spec.lower), bound(spec.upper), whole=spec.integer)


NUMBER_PATHS = (
    # Decide (app_pages/decide.py: inputs, site_link)
    "latency.budget_ms",
    "latency.percentile",
    "workload.inferences_per_second",
    "workload.request_bytes",
    "sites.count",
    "edge.device_usd",
    "sites.link.flat_usd_per_month",
    *(
        f"sites.link.{term}.{name}"
        for term in LINK_TERMS
        for name in ("usd_per_gb", "included_gb_per_month", "overage_usd_per_gb")
    ),
    # Operations (app_pages/operations.py: INPUTS, REQUIREMENT_INPUTS, FLEET_INPUTS)
    "operations.offline_probability_per_day",
    "operations.mean_offline_spell_days",
    "operations.waves",
    "operations.days_between_waves",
    "edge.redundancy",
    "edge.annual_failure_rate",
    "operations.availability_requirement.min_share_served",
    "operations.availability_requirement.max_minutes_without_inference_per_month",
    "operations.availability_requirement.usd_per_minute_without_inference",
    "edge.platform_fte",
    "edge.devices_per_engineer",
    "cloud.ops_engineer_fraction",
    "edge.depot_spare_fraction",
    "edge.idle_power_w",
)
"""The dotted paths the pages edit with a number input."""

NUMBER_INPUTS: dict[str, Limits] = {path: field_limits(path) for path in NUMBER_PATHS}
"""Per dotted path a page edits with a number input, the values the input takes: its
field's (``tests/app/test_app_share.py`` checks that every number input of the pages is here
and built with these limits, and ``tests/app/test_app_input_limits.py`` that each takes every
value its field admits)."""


def widget(path: str) -> dict[str, float | int]:
    """``min_value`` and ``max_value`` of the number input for ``path``."""
    return NUMBER_INPUTS[path].widget()


SHOWN_DIGITS = 10
"""Significant digits of a scenario's value that a number input shows at most."""
STREAMLIT_FORMAT = "%0.2f"
"""What Streamlit shows a number input's float with when given no format."""


def shown_format(value: Any, fmt: str | None = None) -> str | None:
    """A number input's format that shows the scenario's ``value`` as the file writes it:
    ``fmt`` (Streamlit's ``%0.2f`` when None), with more decimals when ``value`` has more
    (up to :data:`SHOWN_DIGITS` significant digits), so a file's 99.995 reads 99.995 and not
    99.99; ``fmt`` as it is for a whole number or a format that is not ``%.Nf``.

    Examples
    --------
    >>> shown_format(99.995), shown_format(99.5), shown_format(0.0125, "%.3f")
    ('%.3f', None, '%.4f')
    >>> shown_format(1500.5, "%.0f"), shown_format(None, "%.0f"), shown_format(3, "%d")
    ('%.1f', '%.0f', '%d')
    """
    if value is None or isinstance(value, (bool, int)):
        return fmt
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        return fmt
    shown = re.fullmatch(r"%0?\.(\d+)f", fmt or STREAMLIT_FORMAT)
    if shown is None or not math.isfinite(x):
        return fmt
    exponent = Decimal(f"{x:.{SHOWN_DIGITS}g}").normalize().as_tuple().exponent
    decimals = max(0, -int(exponent))
    return f"%.{decimals}f" if decimals > int(shown[1]) else fmt
