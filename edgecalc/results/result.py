"""One Result that every rendering (text, Markdown, JSON, HTML, figures, the app) reads."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import views
from ..format import usd
from ..pipeline.decision import Decision, basis_phrase
from ..pipeline.operations_figures import OptionOperations
from ..pipeline.operations_figures import plain as operations_plain
from ..scenario.models import Scenario
from .lazy import LazyField, build_all
from .portfolio import Portfolio

RESULT_FORMAT_VERSION = 1
"""Version of the JSON layout of a Result."""

_TABLES = (
    "summary",
    "costs",
    "monthly",
    "latency",
    "break_even",
    "assumptions",
    "facts",
    "sites",
    "constraints",
)
"""The tidy frames of a Result, as its console line names them."""


@dataclass
class Result:
    """The evaluation of one scenario.

    The tidy frames (``costs``, ``monthly``, ``summary``, ``latency``, ``break_even``,
    ``assumptions``, ``facts``, ``sites``, ``constraints``) are built from the engine's output
    on first access and then kept (:mod:`edgecalc.results.lazy`): a caller that reads only the
    recommendation never pays for them. Treat a Result as read-only: the app shares one
    between reruns. Pickling builds every frame first.

    Attributes
    ----------
    costs : DataFrame
        Tidy cost lines: option, month, category, item, kind (capex/opex), quantity, unit,
        unit_usd, usd.
    monthly : DataFrame
        option, month, usd, cumulative_usd.
    summary : DataFrame
        One row per option: total_usd, npv_usd, capex_usd, opex_usd, upfront_usd,
        steady_monthly_usd, usd_per_1k_inferences, usd_per_million_tokens (hosted APIs priced
        per token; NaN otherwise), operations_share, latency_ms, feasible, violations.
    latency : DataFrame
        option, component, ms at the latency percentile (worst site).
    break_even : DataFrame
        option, against, month: first month (0-based index) from which ``option`` has cost no
        more than ``against`` (NaN: not within the horizon); months: when the cumulative cost
        curves cross, interpolated [months since the start] (see
        :func:`edgecalc.costs.finance.break_even_months`).
    assumptions : DataFrame
        Every effective input: path, value, origin, source, as_of, note.
    operations : dict of str to CloudOperations or FleetOperations
        Per option, the operations figures at the point values, frozen records
        (:mod:`edgecalc.pipeline.operations_figures`, built by
        :func:`edgecalc.pipeline.fleet_ops.operations_section`), serialised once in
        :meth:`to_dict`. Edge and hybrid:
        ``rollout`` (``days_to_50``/``_95``/``_100`` as p10/p50/p90 over the simulation runs
        [days], None when not reached within ``horizon_days``; ``mean_staleness_days``,
        ``never_updated_devices``, ``curve``: share of the fleet updated per day, p50 over
        runs), ``site_visits`` [visits/year], ``availability``
        (``minutes_without_inference_per_site_month`` [min/month], ``share_served``,
        ``share_within_budget`` [fraction], ``fallback`` in words), ``monitoring``
        (``telemetry_gb_per_month``, ``unobserved_device_days_per_month``,
        ``mean_time_to_notice_hours``), ``fit`` (with ``reason``), ``labour_fte``,
        ``operating_cost_ratio_to_cloud`` and ``operating_cost_sentence``; with
        ``edge.device: auto`` also ``device_selection``. Cloud: ``availability``,
        ``wan_down_minutes_per_site_month``, ``labour_fte``.
    """

    scenario: Scenario
    decision: Decision
    costs: pd.DataFrame = LazyField()
    monthly: pd.DataFrame = LazyField()
    summary: pd.DataFrame = LazyField()
    latency: pd.DataFrame = LazyField()
    break_even: pd.DataFrame = LazyField()
    assumptions: pd.DataFrame = LazyField()
    facts: pd.DataFrame = LazyField()
    warnings: list[str]
    provenance: dict[str, Any]
    operations: dict[str, OptionOperations] = field(default_factory=dict)
    sites: pd.DataFrame | None = LazyField(default=None)
    constraints: pd.DataFrame | None = LazyField(default=None)
    """Every hard constraint of every option: option, constraint (latency, residency,
    uplink, fit, escalation_latency), ok, detail (what was checked, with its figures)."""
    engine: Any = None
    simulation: Any = None
    """A :class:`~edgecalc.uncertainty.simulate.Simulation` of the same scenario, when one was
    run (``report --samples N``, :func:`edgecalc.evaluate` ``samples=N``): reports then show
    P10-P90 bands and the probabilities."""
    portfolio: Portfolio | None = LazyField(default=None)
    """Per site group verdicts and the mixed plan against the single-option plans
    (:class:`~edgecalc.results.portfolio.Portfolio`), built on first access; None when the
    scenario has one site group."""

    def __getstate__(self) -> dict[str, Any]:
        build_all(self)
        return dict(self.__dict__)

    @property
    def recommendation(self) -> str:
        return self.decision.recommendation

    def value(self, path: str) -> float:
        """The value an input took in this evaluation (the median of a range), e.g.
        ``result.value("latency.budget_ms")`` [unit of the input]."""
        values = self._input_values
        if path not in values:
            raise KeyError(f"no input {path!r} in this evaluation")
        return float(values[path])

    @functools.cached_property
    def _input_values(self) -> dict[str, Any]:
        """Each input path's value, its first row in ``assumptions`` (looked up once)."""
        values: dict[str, Any] = {}
        frame = self.assumptions
        for p, v in zip(frame["path"], frame["value"], strict=True):
            values.setdefault(p, v)
        return values

    def option(self, name: str) -> dict[str, Any]:
        """The summary row of one option as a dict.

        Raises
        ------
        KeyError
            When the scenario compares no option of that name (the message lists them).
        """
        rows = self.summary.set_index("option")
        if name not in rows.index:
            raise KeyError(
                f"no option {name!r} in this evaluation; its options are "
                + ", ".join(map(str, rows.index))
            )
        return rows.loc[name].to_dict()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: scenario, decision, options, costs by category, provenance."""
        options = []
        for row in self.summary.to_dict("records"):
            options.append(
                {
                    "name": row["option"],
                    "feasible": bool(row["feasible"]),
                    "total_usd": _num(row["total_usd"]),
                    "npv_usd": _num(row["npv_usd"]),
                    "capex_usd": _num(row["capex_usd"]),
                    "opex_usd": _num(row["opex_usd"]),
                    "upfront_usd": _num(row["upfront_usd"]),
                    "steady_monthly_usd": _num(row["steady_monthly_usd"]),
                    "usd_per_1k_inferences": _num(row["usd_per_1k_inferences"]),
                    "usd_per_million_tokens": _num(row.get("usd_per_million_tokens")),
                    "operations_share": _num(row["operations_share"]),
                    "latency_ms": _num(row["latency_ms"]),
                    "violations": list(row["violations"]),
                    "latency_components_ms": {
                        r["component"]: _num(r["ms"])
                        for r in self.latency[self.latency.option == row["option"]].to_dict(
                            "records"
                        )
                    },
                    "costs_by_category_usd": {
                        k: _num(v)
                        for k, v in self.costs[self.costs.option == row["option"]]
                        .groupby("category")["usd"]
                        .sum()
                        .items()
                    },
                    "operations": _plain(operations_plain(self.operations.get(row["option"], {}))),
                }
            )
        return {
            "edgecalc_result": RESULT_FORMAT_VERSION,
            "scenario": self.scenario.model_dump(mode="json", exclude_defaults=True),
            "decision": {
                "recommendation": self.decision.recommendation,
                "reasons": list(self.decision.reasons),
                "edge_saving_ms": _num(self.decision.edge_saving_ms),
                "violations": self.decision.violations,
                "what_would_change": list(self.decision.what_would_change),
                "flips": list(self.decision.flips),
            },
            "options": options,
            "break_even": [
                {
                    "option": r["option"],
                    "against": r["against"],
                    "month": _num(r["month"]),
                    "months": _num(r["months"]),
                }
                for r in self.break_even.to_dict("records")
            ],
            "assumptions": [
                {k: _plain(v) for k, v in r.items()} for r in self.assumptions.to_dict("records")
            ],
            "facts": [{k: _plain(v) for k, v in r.items()} for r in self.facts.to_dict("records")],
            "warnings": list(self.warnings),
            "provenance": _plain(self.provenance),
            "simulation": self.simulation.to_dict() if self.simulation is not None else None,
            "portfolio": self.portfolio.to_dict() if self.portfolio is not None else None,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The Result as JSON text (see :meth:`to_dict`)."""
        from ..json_text import dumps

        return dumps(self.to_dict(), indent=indent)

    def __repr__(self) -> str:
        """One line for a console or a log: the scenario, the verdict and each option's cost
        on the decision's basis, the tables named but not printed (read them as attributes).

        Examples
        --------
        >>> import edgecalc
        >>> edgecalc.evaluate("tests/fixtures/hand-worked.yaml")  # doctest: +ELLIPSIS
        <Result 'Hand-worked fixture': cloud recommended; NPV at 0% a year over 24 months: \
cloud $41,646, edge $39,230, hybrid $80,762; tables: summary, costs, monthly, ...>
        """
        summary = self.summary
        column = "npv_usd" if self.scenario.decision.basis == "npv" else "total_usd"
        costs = ", ".join(
            f"{name} {usd(cost)}" + ("" if feasible else " (ruled out)")
            for name, cost, feasible in zip(
                summary["option"], summary[column], summary["feasible"], strict=True
            )
        )
        rec = self.recommendation
        verdict = "no option is feasible" if rec == "none" else f"{rec} recommended"
        tables = [name for name in _TABLES if not vars(Result)[name].holds_none(self)]
        return (
            f"<Result {self.scenario.name!r}: {verdict}; {basis_phrase(self.scenario)}: "
            f"{costs}; tables: {', '.join(tables)}>"
        )

    def _repr_html_(self) -> str | None:  # Jupyter: the view the package root registered
        return None if views.html_view is None else views.html_view(self)


def _num(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _plain(v):
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return _plain(v.tolist())
    if isinstance(v, (np.floating, float)):
        return _num(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if hasattr(v, "model_dump"):
        return v.model_dump(mode="json")
    return v
