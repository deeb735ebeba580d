"""``evaluate(scenario) -> Result``: the deterministic run and its tidy tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__
from ..catalog import Catalog, load_catalog
from ..costs.finance import break_even_month, break_even_months
from ..errors import EdgecalcError
from ..portfolio.build import build_portfolio
from ..results import Result
from ..results.lazy import Deferred
from ..scenario.loader import load_scenario, scenario_source
from ..scenario.models import Scenario
from ..scenario.ranges import Range, median
from .compute import compute
from .decision import constraint_rows, describe_violations, explain
from .engine import EngineOutput
from .fleet_ops import operations_section
from .prepare import prepare
from .resolve import Resolved, point_inputs


def evaluate(
    scenario: Scenario | str | Path,
    overrides: dict | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    *,
    flips: bool = False,
    samples: int = 0,
    seed: int = 0,
) -> Result:
    """Evaluate a scenario: costs, latency, constraints and the recommendation.

    Parameters
    ----------
    scenario
        A :class:`~edgecalc.scenario.Scenario`, or the path of a scenario file.
    overrides
        Dotted paths and values applied when ``scenario`` is a path.
    catalog
        Reference facts; default the packaged catalog.
    base_dir
        Folder that relative paths in the scenario (measurement files) resolve against;
        default the scenario file's folder.
    flips
        Also find the input values at which the recommendation changes
        (:func:`edgecalc.flips`), into ``decision.flips``; a few seconds.
    samples, seed
        When ``samples`` > 0, also run Monte Carlo (:func:`edgecalc.simulate`) and attach it
        as ``result.simulation``.

    Returns
    -------
    Result
        Tidy frames (``costs``, ``monthly``, ``summary``, ``latency``, ``break_even``,
        ``assumptions``), the ``decision`` and provenance. Ranges are evaluated at their
        median; :func:`edgecalc.simulate` samples them.

    Examples
    --------
    >>> import edgecalc
    >>> result = edgecalc.evaluate("scenarios/retail-footfall.yaml")
    >>> result.recommendation
    'cloud'
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario, overrides)
        overrides = overrides or {}
    elif not isinstance(scenario, Scenario):
        raise TypeError(
            "evaluate() takes a Scenario or the path of a scenario file, not "
            f"{type(scenario).__name__}"
        )
    source = scenario_source(scenario)
    if base_dir is None and source is not None and source.path is not None:
        base_dir = source.path.parent
    applied = dict(overrides or (source.overrides if source else {}))
    resolved = prepare(scenario, catalog or load_catalog(), base_dir, applied)
    x = point_inputs(resolved)
    out = compute(resolved, x)
    _check_totals(out)
    result = build_result(out, resolved, source, applied, x=x)
    result.portfolio = Deferred(build_portfolio, resolved, out)
    if flips:
        from ..uncertainty.sensitivity import flip_sentences
        from ..uncertainty.sensitivity import flips as find_flips

        table = find_flips(scenario, catalog=catalog, base_dir=base_dir)
        result.decision = dataclasses.replace(result.decision, flips=flip_sentences(table))
    if samples:
        from ..uncertainty.simulate import simulate

        result.simulation = simulate(
            scenario, samples=samples, seed=seed, catalog=catalog, base_dir=base_dir
        )
    return result


def _check_totals(out: EngineOutput) -> None:
    """Every option's total and NPV are finite and its total is not negative.

    The scenario's limits (:mod:`edgecalc.limits`) keep every product of inputs finite; this
    is the guard behind them, so that no output ever shows an infinite or negative bill. It
    reads the engine's first sample, the figures ``Result.summary`` shows.

    Raises
    ------
    EdgecalcError
        Naming the option and the figure.
    """
    for name, o in out.options.items():
        total, npv = float(o.total_usd[0]), float(o.npv_usd[0])
        if not (math.isfinite(total) and math.isfinite(npv)) or total < 0:
            raise EdgecalcError(
                f"{name}: the inputs give a total of {total:g} USD (NPV {npv:g} USD); "
                "check the sizes and prices in the scenario for a number far off its scale"
            )


def build_result(out: EngineOutput, r: Resolved, source=None, overrides=None, *, x=None) -> Result:
    """The Result of one engine run: the decision and the operations figures now (the rollout
    Monte Carlo runs here, once, at the point values), the tidy frames from the engine's first
    sample on first access (:class:`~edgecalc.results.lazy.Deferred`).

    ``x``: the point inputs ``out`` was computed from, when it was (reused by the operations
    section instead of being built again)."""
    operations = operations_section(out, r, x)
    decision = explain(out, r, operations)
    catalog = r.catalog
    provenance = {
        "edgecalc_version": __version__,
        "catalog_as_of": getattr(catalog, "as_of", None),
        "scenario_name": r.scenario.name,
        "scenario_file": str(source.path) if source and source.path else None,
        "extends_chain": list(source.chain) if source else [],
        "overrides": dict(overrides or {}),
        "evaluated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "horizon_months": len(out.months),
        "rtt_method": r.rtt_method,
        "oldest_fact_as_of": _oldest(r),
    }
    warnings = list(r.warnings)
    return Result(
        scenario=r.scenario,
        decision=decision,
        costs=Deferred(_costs_frame, out),
        monthly=Deferred(_monthly_frame, out),
        summary=Deferred(_summary_frame, out, r),
        latency=Deferred(_latency_frame, out),
        break_even=Deferred(_break_even_frame, out),
        assumptions=Deferred(_assumptions_frame, r),
        facts=Deferred(_facts_frame, r),
        warnings=warnings,
        provenance=provenance,
        operations=operations,
        sites=Deferred(_sites_frame, out, r),
        constraints=Deferred(_constraints_frame, out, r),
        engine=out,
    )


def _latency_frame(out: EngineOutput) -> pd.DataFrame:
    """One row per option and latency component, at the first sample [ms]."""
    return pd.DataFrame(
        [
            {"option": name, "component": k, "ms": float(v[0])}
            for name, o in out.options.items()
            for k, v in o.latency.items()
        ]
    )


def _constraints_frame(out: EngineOutput, r: Resolved) -> pd.DataFrame:
    """Every hard constraint of every option: option, constraint, ok, detail."""
    return pd.DataFrame(
        [row for o in out.options.values() for row in constraint_rows(o, r)],
        columns=["option", "constraint", "ok", "detail"],
    )


def _costs_frame(out: EngineOutput) -> pd.DataFrame:
    """One row per option, line and month, at the first sample.

    Built as one frame from concatenated columns (one ``np.repeat`` per text column), not as a
    frame per line then concatenated: the same rows and dtypes at a fraction of the cost.
    """
    months = np.asarray(out.months)
    lines = [(o.name, ln) for o in out.options.values() for ln in o.lines]
    if not lines:
        return pd.DataFrame(columns=list(_COSTS_COLUMNS))
    m = len(months)

    def text(pick) -> np.ndarray:
        return np.repeat(np.array([pick(name, ln) for name, ln in lines], dtype=object), m)

    def numbers(pick) -> np.ndarray:
        return np.concatenate([np.asarray(pick(ln)[0], dtype=float) for _, ln in lines])

    return pd.DataFrame(
        {
            "option": text(lambda name, ln: name),
            "month": np.tile(months, len(lines)),
            "category": text(lambda name, ln: ln.category),
            "item": text(lambda name, ln: ln.item),
            "kind": text(lambda name, ln: ln.kind),
            "quantity": numbers(lambda ln: ln.quantity),
            "unit": text(lambda name, ln: ln.unit),
            "unit_usd": numbers(lambda ln: ln.unit_usd),
            "usd": numbers(lambda ln: ln.usd),
        }
    )


_COSTS_COLUMNS = (
    "option",
    "month",
    "category",
    "item",
    "kind",
    "quantity",
    "unit",
    "unit_usd",
    "usd",
)


def _monthly_frame(out: EngineOutput) -> pd.DataFrame:
    """One row per option and month, at the first sample, with the running total."""
    months = np.asarray(out.months)
    options = list(out.options.values())
    usd = np.concatenate([np.asarray(o.monthly_usd[0], dtype=float) for o in options])
    cumulative = np.concatenate([np.cumsum(o.monthly_usd[0]) for o in options])
    names = np.repeat(np.array([o.name for o in options], dtype=object), len(months))
    return pd.DataFrame(
        {
            "option": names,
            "month": np.tile(months, len(options)),
            "usd": usd,
            "cumulative_usd": cumulative,
        }
    )


def _summary_frame(out: EngineOutput, r: Resolved) -> pd.DataFrame:
    rows = []
    for o in out.options.values():
        total = float(o.total_usd[0])
        monthly = o.monthly_usd[0]
        steady = float(np.median(monthly[1:])) if len(monthly) > 1 else float(monthly[0])
        rows.append(
            {
                "option": o.name,
                "feasible": bool(o.feasible[0]),
                "total_usd": total,
                "npv_usd": float(o.npv_usd[0]),
                "capex_usd": float(o.capex_usd[0]),
                "opex_usd": float(o.opex_usd[0]),
                "upfront_usd": float(monthly[0]),
                "steady_monthly_usd": steady,
                "usd_per_1k_inferences": float(o.usd_per_1k_inferences[0]),
                "usd_per_million_tokens": _per_million_tokens(o),
                "operations_share": float(o.operations_usd[0] / total) if total else 0.0,
                "latency_ms": float(o.latency["total"][0]),
                "violations": describe_violations(o, r),
            }
        )
    return pd.DataFrame(rows)


def _per_million_tokens(o) -> float:
    """A token-priced option's total per million input and output tokens; NaN otherwise."""
    tokens = o.pricing.get("million_tokens")
    if tokens is None or not float(tokens[0]) > 0:
        return float("nan")
    return float(o.total_usd[0] / tokens[0])


def _break_even_frame(out: EngineOutput) -> pd.DataFrame:
    rows = []
    for a, oa in out.options.items():
        for b, ob in out.options.items():
            if a == b:
                continue
            ca, cb = np.cumsum(oa.monthly_usd, -1), np.cumsum(ob.monthly_usd, -1)
            rows.append(
                {
                    "option": a,
                    "against": b,
                    "month": float(break_even_month(ca, cb)[0]),
                    "months": float(break_even_months(ca, cb)[0]),
                }
            )
    return pd.DataFrame(rows)


def input_unit(path: str) -> str:
    """The unit of the input at dotted ``path``, from its field's documentation (the ``[...]``
    that ends it: ``cloud.usd_per_hour`` -> ``USD/h``), or ``""`` for a unitless field.

    Examples
    --------
    >>> input_unit("sites.uplink_mbps"), input_unit("hybrid.idle_power_w"), input_unit("name")
    ('Mbit/s', 'W', '')
    """
    from ..docs_gen import split_unit
    from ..uncertainty.fields import field_info

    info = field_info(path)
    unit = split_unit(info.description)[1] if info is not None else ""
    if unit:
        return unit
    suffix = path.rsplit("_", 1)[-1] if "_" in path.rsplit(".", 1)[-1] else ""
    return _UNIT_OF_SUFFIX.get(suffix, "")


_UNIT_OF_SUFFIX = {"ms": "ms", "w": "W", "usd": "USD", "bytes": "bytes", "mbps": "Mbit/s"}
"""Units read off a field name's suffix where its documentation gives none."""


def _assumptions_frame(r: Resolved) -> pd.DataFrame:
    rows = []
    for path, a in sorted(r.assumptions.items()):
        value = a.value
        rows.append(
            {
                "path": path,
                "value": median(value) if isinstance(value, (int, float, Range)) else value,
                "range": (f"{value.low:g}..{value.high:g}" if isinstance(value, Range) else ""),
                "origin": a.origin,
                "unit": input_unit(path) or (a.fact.unit if a.fact else ""),
                "source": a.fact.source if a.fact else "",
                "as_of": a.fact.as_of if a.fact else "",
                "note": a.note,
            }
        )
    return pd.DataFrame(rows)


def _facts_frame(r: Resolved) -> pd.DataFrame:
    rows = []
    used_by: dict[str, list[str]] = {}
    for a in r.assumptions.values():
        if a.fact is not None:
            used_by.setdefault(a.fact.key, []).append(a.path)
    for f in r.facts_used():
        d = f.as_of_date()
        rows.append(
            {
                "key": f.key,
                "value": f.value,
                "unit": f.unit,
                "source": f.source,
                "as_of": f.as_of,
                "as_of_date": d.isoformat() if d else None,
                "confidence": f.confidence or "",
                "used_for": ", ".join(used_by[f.key]),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["key", "value", "unit", "source", "as_of", "as_of_date", "confidence", "used_for"],
    )


def _oldest(r: Resolved) -> str | None:
    """The oldest ``as_of`` date among the facts used (ISO date), None when none has one."""
    dates = [d.isoformat() for f in r.facts_used() if (d := f.as_of_date()) is not None]
    return min(dates) if dates else None


def _sites_frame(out: EngineOutput, r: Resolved) -> pd.DataFrame:
    rows = []
    cloud = out.options["cloud"]
    for i, (g, lat) in enumerate(zip(r.groups, cloud.latency_by_group, strict=True)):
        rows.append(
            {
                "site": g.name,
                "count": round(float(out.load.count[i][0, 0])),
                "country": g.country,
                "distance_km": g.distance_km,
                "cloud_latency_ms": float(lat["total"][0]),
                "rtt_ms": float(lat["rtt"][0]),
            }
        )
    return pd.DataFrame(rows)
