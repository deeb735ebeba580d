"""Compare two Results of the same scenario: the inputs that changed and the totals before ->
after, with the change of recommendation flagged first.

``diff_results(base, head)`` is what ``edgecalc diff`` renders; reviewers read it as a pull
request comment (:meth:`ResultDiff.to_markdown`), CI gates read :attr:`ResultDiff.options`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..markdown_text import code, esc
from .diff_cells import _missing, _pct, _plain_row, _signed_usd, _usd, _yes
from .portfolio_diff import PortfolioDiff, diff_portfolios
from .result import Result

DIFF_FORMAT_VERSION = 1
"""Version of the JSON layout of a diff (:meth:`ResultDiff.to_dict`)."""

MAX_MARKDOWN_INPUT_ROWS = 200
"""Changed inputs listed in the Markdown table; the rest are counted (a GitHub comment holds
65,536 characters)."""

COMMENT_MARKER = "<!-- edgecalc-diff -->"
"""Hidden in a pull-request comment (GitHub does not show HTML comments): CI finds the comment
that holds it and updates it in place instead of posting a new one on every run."""

INPUT_COLUMNS = ["path", "base", "head", "origin"]
OPTION_COLUMNS = [
    "option",
    "base_monthly_usd",
    "head_monthly_usd",
    "delta_monthly_usd",
    "base_total_usd",
    "head_total_usd",
    "delta_usd",
    "delta_pct",
    "base_npv_usd",
    "head_npv_usd",
    "base_feasible",
    "head_feasible",
]
_RANGE_KEYS = {"low", "high", "dist", "mode", "min", "max"}
_SET_BY_USER = ("scenario", "override")


@dataclass(frozen=True)
class ResultDiff:
    """What changed between two evaluations of a scenario.

    Attributes
    ----------
    inputs : DataFrame
        One row per input that changed: ``path`` (dotted, e.g. ``sites.list.0.uplink_mbps``),
        ``base`` and ``head`` values (``None`` where the input is absent; a range as its
        mapping ``{low, high, ...}``), ``origin``: where each side's value came from, as
        ``Result.assumptions`` gives it (``scenario`` for a value written in the file, the
        file it extends or an override; else ``catalog``, ``default``, ``estimate``,
        ``measurement``), ``catalog -> scenario`` when it moved. An input ``Result.assumptions``
        does not list (a name, a placement) is ``scenario`` when written, else ``default``.
        A list that grows from empty lists its items, not the empty list.
    options : DataFrame
        One row per option: ``base_monthly_usd``, ``head_monthly_usd`` (the median month after
        the first, upfront one: what the option costs in a typical month), ``delta_monthly_usd``
        [USD/month]; ``base_total_usd``, ``head_total_usd``, ``delta_usd`` (head -
        base) [USD], ``delta_pct`` (100 × delta / base; NaN when the base total is 0 or the
        option exists on one side only, inf when it grows from 0) [%], ``base_npv_usd``,
        ``head_npv_usd`` [USD], ``base_feasible``, ``head_feasible``.
    basis : str
        What the head's decision compares: ``npv`` or ``total`` (``decision.basis``); the
        headline gives the recommendation's cost on it.
    base_recommendation, head_recommendation : str
        ``cloud``, ``edge``, ``hybrid`` or ``none``.
    base_label, head_label : str
        Where each side came from (a file, or ``REV:path``).
    portfolio : PortfolioDiff or None
        The site groups whose verdict changed and each plan's cost before -> after
        (:mod:`edgecalc.results.portfolio_diff`); None when neither side has site groups.
    """

    inputs: pd.DataFrame
    options: pd.DataFrame
    base_recommendation: str
    head_recommendation: str
    base_label: str
    head_label: str
    scenario_name: str
    base_horizon_months: int
    head_horizon_months: int
    head_reasons: tuple[str, ...] = ()
    portfolio: PortfolioDiff | None = None
    basis: str = "npv"

    @property
    def decision_changed(self) -> bool:
        """Whether the recommendation differs between base and head."""
        return self.base_recommendation != self.head_recommendation

    def max_increase_pct(self) -> float:
        """The largest growth of any option's total [%] (NaN when no option is on both
        sides with a total; negative when every total fell)."""
        pct = self.options["delta_pct"].to_numpy(dtype=float)
        pct = pct[~np.isnan(pct)]
        return float(pct.max()) if len(pct) else math.nan

    def increases_over(self, pct: float) -> pd.DataFrame:
        """Options whose total grew by more than ``pct`` percent (the ``--fail-on-increase``
        gate)."""
        grew = self.options["delta_pct"].to_numpy(dtype=float) > pct
        return self.options[grew]

    @property
    def changed(self) -> bool:
        """Whether anything a reviewer reads changed: the decision, an input, or a figure."""
        if self.decision_changed or len(self.inputs):
            return True
        if self.portfolio is not None and self.portfolio.changed:
            return True
        delta = self.options[["delta_usd", "delta_monthly_usd"]].to_numpy(dtype=float)
        return bool(np.any(np.isnan(delta) | (delta != 0)))

    def recommended_monthly_usd(self) -> tuple[float, float]:
        """The monthly cost of the recommended option on each side [USD/month]: what the
        decision commits to in a typical month (NaN where no option is feasible)."""
        return self._recommended("monthly_usd")

    def recommended_total_usd(self) -> tuple[float, float]:
        """The total over the horizon of the recommended option on each side [USD]."""
        return self._recommended("total_usd")

    def recommended_cost_usd(self) -> tuple[float, float]:
        """The recommended option's cost on each side on the decision's basis [USD]: its NPV
        (``basis: npv``, the default) or its undiscounted total over the horizon
        (``basis: total``), the figure the decision compares options on."""
        return self._recommended("npv_usd" if self.basis == "npv" else "total_usd")

    def _recommended(self, column: str) -> tuple[float, float]:
        rows = self.options.set_index("option")
        out = []
        for side, rec in (("base", self.base_recommendation), ("head", self.head_recommendation)):
            value = rows[f"{side}_{column}"].get(rec, math.nan) if rec != "none" else math.nan
            out.append(float(value))
        return out[0], out[1]

    def money(self, arrow: str = "->") -> str:
        """The recommendation's cost on the decision's basis, before -> after, in words, then
        in brackets how its undiscounted total (on an NPV basis) and a typical month moved, e.g.
        ``NPV of the recommendation over 60 months +$15,155 (+5.9%): $255,463 -> $270,618
        (undiscounted total +$15,600; a typical month +$10)``. A figure that did not move is
        left out of the brackets."""
        horizon = self._horizon_text()
        if self.basis == "npv":
            what = f"NPV of the recommendation over {horizon}"
            also = [("undiscounted total", *self.recommended_total_usd())]
        else:
            what = f"total of the recommendation over {horizon}"
            also = []
        also.append(("a typical month", *self.recommended_monthly_usd()))
        main = money_phrase(*self.recommended_cost_usd(), arrow=arrow, what=what)
        if not main:
            return ""
        notes = [note for note in (_moved(label, b, h) for label, b, h in also) if note]
        return f"{main} ({'; '.join(notes)})" if notes else main

    def headline(self, arrow: str = "->") -> str:
        """One line: the decision change (or that it holds) and the recommendation's cost on
        the decision's basis before and after (:meth:`money`)."""
        b, h = self.base_recommendation.upper(), self.head_recommendation.upper()
        if self.decision_changed:
            top = f"Decision changed: {b} {arrow} {h}"
        else:
            top = f"Decision unchanged: {h}"
        money = self.money(arrow)
        return f"{top}; {money}" if money else top

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN as null)."""
        return {
            "edgecalc_diff": DIFF_FORMAT_VERSION,
            "scenario_name": self.scenario_name,
            "decision_changed": self.decision_changed,
            "decision_basis": self.basis,
            "base": {
                "label": self.base_label,
                "recommendation": self.base_recommendation,
                "horizon_months": self.base_horizon_months,
            },
            "head": {
                "label": self.head_label,
                "recommendation": self.head_recommendation,
                "horizon_months": self.head_horizon_months,
                "reasons": list(self.head_reasons),
            },
            "inputs": [_plain_row(r) for r in self.inputs.to_dict("records")],
            "options": [_plain_row(r) for r in self.options.to_dict("records")],
            "portfolio": self.portfolio.to_dict() if self.portfolio is not None else None,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        from ..json_text import dumps

        return dumps(self.to_dict(), indent=indent)

    def to_markdown(self, marker: bool = True) -> str:
        """A pull request comment: the decision change and the recommendation's cost on the
        decision's basis in bold first, then per option the monthly cost and the total before
        -> after, then (with site groups) the plans and the groups whose verdict changed, then
        the inputs that changed; ``marker`` ends it with
        :data:`COMMENT_MARKER` (a roll-up of several diffs carries one marker of its own)."""
        warn = "⚠️ " if self.decision_changed else ""
        lines = [
            f"**{warn}{esc(self.headline('→'))}**",
            "",
            f"edgecalc diff of *{esc(self.scenario_name)}*: "
            f"{code(self.base_label)} → {code(self.head_label)}",
            "",
            *self.options_markdown(),
            "",
        ]
        if self.portfolio is not None:
            lines += [*self.portfolio.markdown_lines(esc), ""]
        lines += [f"#### Inputs changed ({len(self.inputs)})", ""]
        if len(self.inputs):
            lines += ["| input | base | head | origin |", "|---|---|---|---|"]
            shown = self.inputs.head(MAX_MARKDOWN_INPUT_ROWS).to_dict("records")
            for r in shown:
                lines.append(
                    f"| {code(r['path'], cell=True)} | {esc(format_value(r['base']))} "
                    f"| {esc(format_value(r['head']))} | {r['origin']} |"
                )
            rest = len(self.inputs) - len(shown)
            if rest > 0:
                lines += ["", f"…and {rest} more (see `--format json`)."]
        else:
            lines.append("No input changed.")
        if self.head_reasons:
            lines += ["", "<details><summary>Reasons for the head recommendation</summary>", ""]
            lines += [f"{i}. {esc(reason)}" for i, reason in enumerate(self.head_reasons, 1)]
            lines += ["", "</details>"]
        if marker:
            lines += ["", COMMENT_MARKER]
        return "\n".join(lines) + "\n"

    def options_markdown(self) -> list[str]:
        """The table of options: monthly cost, total and NPV over the horizon, before → after."""
        horizon = self._horizon_text()
        lines = [
            f"#### Cost per option: a typical month, the total and the NPV over {horizon}",
            "",
            "| option | monthly base → head | monthly delta | total base | total head "
            "| total delta | delta % | NPV base → head | feasible base → head |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in self.options.to_dict("records"):
            lines.append(
                f"| {r['option']} | {_usd(r['base_monthly_usd'])} → {_usd(r['head_monthly_usd'])} "
                f"| {_signed_usd(r['delta_monthly_usd'])} "
                f"| {_usd(r['base_total_usd'])} | {_usd(r['head_total_usd'])} "
                f"| {_signed_usd(r['delta_usd'])} | {_pct(r['delta_pct'])} "
                f"| {_usd(r['base_npv_usd'])} → {_usd(r['head_npv_usd'])} "
                f"| {_yes(r['base_feasible'])} → {_yes(r['head_feasible'])} |"
            )
        return lines

    def to_text(self) -> str:
        """The same content for a terminal."""
        records = self.options.to_dict("records")
        w = max([len("option"), *(len(str(r["option"])) for r in records)])
        lines = [
            self.headline(),
            f"{self.scenario_name}: {self.base_label} -> {self.head_label}",
            "",
            f"Per option: a typical month, the total and the NPV over {self._horizon_text()}:",
            f"  {'option':<{w}} {'monthly base':>13} {'monthly head':>13} {'delta':>11}"
            f" {'total base':>14} {'total head':>14} {'delta':>14} {'delta %':>9}"
            f" {'NPV base':>14} {'NPV head':>14}  feasible",
        ]
        for r in records:
            lines.append(
                f"  {r['option']:<{w}} {_usd(r['base_monthly_usd']):>13} "
                f"{_usd(r['head_monthly_usd']):>13} {_signed_usd(r['delta_monthly_usd']):>11} "
                f"{_usd(r['base_total_usd']):>14} "
                f"{_usd(r['head_total_usd']):>14} {_signed_usd(r['delta_usd']):>14} "
                f"{_pct(r['delta_pct']):>9} "
                f"{_usd(r['base_npv_usd']):>14} {_usd(r['head_npv_usd']):>14}  "
                f"{_yes(r['base_feasible'])} -> {_yes(r['head_feasible'])}"
            )
        if self.portfolio is not None:
            lines += ["", *portfolio_text_lines(self.portfolio)]
        lines += ["", f"Inputs changed ({len(self.inputs)}):"]
        for r in self.inputs.to_dict("records"):
            lines.append(
                f"  {r['path']}: {format_value(r['base'])} -> {format_value(r['head'])}"
                f"  ({r['origin']})"
            )
        if not len(self.inputs):
            lines.append("  none")
        return "\n".join(lines) + "\n"

    def _horizon_text(self) -> str:
        if self.base_horizon_months == self.head_horizon_months:
            return f"{self.head_horizon_months} months"
        return f"{self.base_horizon_months} -> {self.head_horizon_months} months"


def diff_results(
    base: Result,
    head: Result,
    base_label: str | None = None,
    head_label: str | None = None,
) -> ResultDiff:
    """Compare two Results: changed inputs (old -> new) and totals per option.

    Parameters
    ----------
    base, head
        Evaluations before and after the change.
    base_label, head_label
        Names for the two sides in the rendering; default each Result's scenario file.

    Returns
    -------
    ResultDiff
        ``inputs``, ``options``, ``decision_changed`` and the renderings.

    Notes
    -----
    Inputs are compared on ``scenario.model_dump(mode="json")`` flattened to dotted paths
    (list items by index, a range kept whole), and on the effective values in
    ``result.assumptions`` for inputs the file leaves to the catalog or to a default, so a new
    instance type shows its new price. Where the file leaves a value unset, the effective
    value is shown instead of ``None``. Each side's origin is the one ``result.assumptions``
    gives; an input it does not list is ``scenario`` when the scenario sets it (pydantic's
    fields set, as the resolver reads them), else ``default``.

    The headline gives the recommendation's cost on ``head.scenario.decision.basis`` (NPV,
    or the undiscounted total), then how its total and a typical month moved.

    ``delta_usd = head_total_usd - base_total_usd`` and
    ``delta_pct = 100 * delta_usd / base_total_usd``.
    """
    options = _options_frame(base.summary, head.summary)
    inputs = _inputs_frame(base, head)
    return ResultDiff(
        inputs=inputs,
        options=options,
        base_recommendation=base.recommendation,
        head_recommendation=head.recommendation,
        base_label=base_label or _label(base, "base"),
        head_label=head_label or _label(head, "head"),
        scenario_name=head.scenario.name,
        base_horizon_months=int(base.provenance.get("horizon_months") or len(base.monthly)),
        head_horizon_months=int(head.provenance.get("horizon_months") or len(head.monthly)),
        head_reasons=tuple(head.decision.reasons),
        portfolio=_portfolio_diff(base, head),
        basis=head.scenario.decision.basis,
    )


GROUP_NAME_CHARS = 30
"""Longest site-group name shown in the text diff; a longer one is cut [characters]."""


def portfolio_text_lines(portfolio: PortfolioDiff) -> list[str]:
    """The per-site part of the text diff: a table of the plans and one of the site groups
    whose verdict changed, each under a header naming its columns (costs on the decision's
    basis), then the count of the groups left out."""
    cost = "NPV" if portfolio.basis == "npv" else "total"
    lines = [f"Per-site verdicts: {portfolio.headline()}"]
    lines += _text_table(
        ["plan", f"{cost} base", f"{cost} head", "delta", "feasible base -> head"],
        portfolio.plan_cells("->"),
        right=(False, True, True, True, False),
    )
    groups = [[g[:GROUP_NAME_CHARS], *rest] for g, *rest in portfolio.group_cells("->")]
    if groups:
        lines.append("")
        lines += _text_table(
            ["site group", "sites", "verdict base -> head", f"{cost} base", f"{cost} head",
             "delta"],
            groups,
            right=(False, True, False, True, True, True),
        )  # fmt: skip
    if rest := portfolio.rest_sentence("->"):
        lines.append(f"  {rest}")
    return lines


def _text_table(header: list[str], rows: list[list[str]], right: tuple[bool, ...]) -> list[str]:
    """Rows of cells under a header, each column as wide as its widest cell, numbers
    right-aligned, indented by two spaces."""
    widths = [max(len(c) for c in column) for column in zip(header, *rows, strict=True)]

    def cells(row: list[str]) -> str:
        text = "  ".join(
            f"{c:>{w}}" if r else f"{c:<{w}}" for c, w, r in zip(row, widths, right, strict=True)
        )
        return f"  {text}".rstrip()

    return [cells(header), *(cells(row) for row in rows)]


def _portfolio_diff(base: Result, head: Result) -> PortfolioDiff | None:
    """The per-site part when either side has site groups (``Result.portfolio``)."""
    b, h = getattr(base, "portfolio", None), getattr(head, "portfolio", None)
    return None if b is None and h is None else diff_portfolios(b, h)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to leaf values: mappings by key, lists by index; a range mapping
    (``{low, high, ...}``) and an empty list are leaves.

    Examples
    --------
    >>> flatten({"a": {"b": 1, "r": {"low": 1, "high": 2}}, "l": [{"x": 3}]})
    {'a.b': 1, 'a.r': {'low': 1, 'high': 2}, 'l.0.x': 3}
    """
    out: dict[str, Any] = {}
    if isinstance(data, dict) and data and not is_range(data):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, (list, tuple)) and data:
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix] = list(data) if isinstance(data, tuple) else data
    return out


def format_value(value: Any) -> str:
    """A value as a reviewer reads it: ``—`` for absent, ``20..60`` for a range.

    Examples
    --------
    >>> format_value({"low": 20.0, "high": 60.0}), format_value(None), format_value(0.5)
    ('20..60', '—', '0.5')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, dict) and is_range(value):
        text = f"{value['low']:g}..{value['high']:g}"
        extra = {k: v for k, v in value.items() if k not in ("low", "high") and v is not None}
        if extra:
            text += " (" + ", ".join(f"{k} {v}" for k, v in extra.items()) + ")"
        return text
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def is_range(d: dict) -> bool:
    """Whether a mapping is a range input (``low`` and ``high``, maybe ``dist``, ``mode``,
    ``min``, ``max``), which is one input, not several."""
    return "low" in d and "high" in d and set(d) <= _RANGE_KEYS


def money_phrase(
    base_usd: float, head_usd: float, arrow: str = "->", what: str = "monthly cost"
) -> str:
    """A cost before and after in words, ``what`` naming it (default a monthly cost);
    ``""`` when neither side has one.

    Examples
    --------
    >>> money_phrase(5800.0, 5920.0)
    'monthly cost +$120 (+2.1%): $5,800 -> $5,920'
    >>> money_phrase(5800.0, 5800.0), money_phrase(float("nan"), 900.0)
    ('monthly cost unchanged at $5,800', 'monthly cost — -> $900')
    """
    if _missing(base_usd) and _missing(head_usd):
        return ""
    if _missing(base_usd) or _missing(head_usd):
        return f"{what} {_usd(base_usd)} {arrow} {_usd(head_usd)}"
    delta = head_usd - base_usd
    if round(delta) == 0:
        return f"{what} unchanged at {_usd(head_usd)}"
    pct = f" ({_pct(100.0 * delta / base_usd)})" if base_usd else ""
    return f"{what} {_signed_usd(delta)}{pct}: {_usd(base_usd)} {arrow} {_usd(head_usd)}"


def _moved(what: str, base_usd: float, head_usd: float) -> str:
    """How a cost moved, ``"a typical month +$10"``; ``""`` when it did not move (to the
    dollar) or a side has none.

    Examples
    --------
    >>> _moved("a typical month", 4_279.0, 4_289.0), _moved("total", 5.0, 5.2)
    ('a typical month +$10', '')
    """
    if _missing(base_usd) or _missing(head_usd) or round(head_usd - base_usd) == 0:
        return ""
    return f"{what} {_signed_usd(head_usd - base_usd)}"


def _options_frame(base: pd.DataFrame, head: pd.DataFrame) -> pd.DataFrame:
    cols = ["option", "steady_monthly_usd", "total_usd", "npv_usd", "feasible"]
    b = base[cols].rename(columns={c: f"base_{c}" for c in cols[1:]})
    h = head[cols].rename(columns={c: f"head_{c}" for c in cols[1:]})
    order = list(dict.fromkeys([*base["option"], *head["option"]]))
    merged = b.merge(h, on="option", how="outer").set_index("option").loc[order].reset_index()
    base_total = merged["base_total_usd"].to_numpy(dtype=float)
    head_total = merged["head_total_usd"].to_numpy(dtype=float)
    delta_usd = head_total - base_total
    with np.errstate(divide="ignore", invalid="ignore"):
        delta_pct = np.where(base_total != 0, 100.0 * delta_usd / base_total, np.nan)
    grew_from_zero = (base_total == 0) & (head_total > 0)
    delta_pct = np.where(grew_from_zero, np.inf, delta_pct)
    merged["delta_usd"] = delta_usd
    merged["delta_pct"] = delta_pct
    merged = merged.rename(
        columns={
            "base_steady_monthly_usd": "base_monthly_usd",
            "head_steady_monthly_usd": "head_monthly_usd",
        }
    )
    merged["delta_monthly_usd"] = merged["head_monthly_usd"].to_numpy(dtype=float) - merged[
        "base_monthly_usd"
    ].to_numpy(dtype=float)
    for side in ("base", "head"):
        merged[f"{side}_feasible"] = merged[f"{side}_feasible"].astype(object)
    return merged[OPTION_COLUMNS]


def _inputs_frame(base: Result, head: Result) -> pd.DataFrame:
    b_file = flatten(base.scenario.model_dump(mode="json"))
    h_file = flatten(head.scenario.model_dump(mode="json"))
    b_written = _written(base)
    h_written = _written(head)
    b_eff = _effective(base.assumptions)
    h_eff = _effective(head.assumptions)
    rows = []
    for path in dict.fromkeys([*b_file, *h_file]):
        old, new = b_file.get(path), h_file.get(path)
        if same_value(old, new) or _emptied_container(path, b_file, h_file):
            continue
        old, old_origin = _side(path, b_file, b_written, b_eff)
        new, new_origin = _side(path, h_file, h_written, h_eff)
        rows.append((path, old, new, _origin(old_origin, new_origin)))
    listed = {r[0] for r in rows}
    for path in dict.fromkeys([*b_eff, *h_eff]):
        if path in listed:
            continue
        old, old_origin = b_eff.get(path, (None, ""))
        new, new_origin = h_eff.get(path, (None, ""))
        if not same_value(old, new):
            rows.append((path, old, new, _origin(old_origin, new_origin)))
    frame = pd.DataFrame(rows, columns=INPUT_COLUMNS)
    return frame.sort_values("path", kind="stable", ignore_index=True)


def _written(result: Result) -> set[str]:
    """Dotted paths of the inputs the scenario sets (its file, the files it extends, the
    overrides): pydantic's fields set, as the resolver reads them for ``origin``."""
    return set(flatten(result.scenario.model_dump(mode="json", exclude_unset=True)))


def _side(
    path: str, file: dict[str, Any], written: set[str], effective: dict[str, tuple[Any, str]]
) -> tuple[Any, str]:
    """One side's value of an input and where it came from: the origin
    ``Result.assumptions`` gives (its effective value where the file leaves it unset); for
    an input it does not list, ``scenario`` when the scenario sets it, else ``default``; an
    input absent on this side has no value and no origin."""
    value = file.get(path)
    if path in effective:
        eff_value, origin = effective[path]
        return (eff_value if value is None else value), origin
    if path not in file:
        return None, ""
    return value, ("scenario" if path in written else "default")


def _emptied_container(path: str, b_file: dict[str, Any], h_file: dict[str, Any]) -> bool:
    """Whether ``path`` is an empty list (or mapping) on one side and has items on the other
    (``hubs: []`` -> ``hubs.0.name`` ...): the items are the rows, not the empty list, which
    would read as removed."""
    prefix = f"{path}."
    for this, other in ((b_file, h_file), (h_file, b_file)):
        if this.get(path) in ([], {}) and path not in other:
            if any(key.startswith(prefix) for key in other):
                return True
    return False


def _effective(assumptions: pd.DataFrame) -> dict[str, tuple[Any, str]]:
    """Effective value and origin of every resolved input (a range as ``{low, high}``)."""
    out: dict[str, tuple[Any, str]] = {}
    if assumptions is None or not len(assumptions):
        return out
    for r in assumptions.to_dict("records"):
        value = r["value"]
        text = r.get("range") or ""
        if text and ".." in str(text):
            low, _, high = str(text).partition("..")
            value = {"low": float(low), "high": float(high)}
        elif isinstance(value, (np.floating, np.integer)):
            value = value.item()
        out[r["path"]] = (value, r["origin"])
    return out


def _origin(old: str, new: str) -> str:
    old = "scenario" if old in _SET_BY_USER else old
    new = "scenario" if new in _SET_BY_USER else new
    if not old or old == new:
        return new or old
    if not new:
        return old
    return f"{old} -> {new}"


def same_value(a: Any, b: Any, *, rel_tol: float = 1e-12, abs_tol: float = 0.0) -> bool:
    """Whether two input values are the same: numbers within ``rel_tol``/``abs_tol``
    (two NaN are the same), booleans only equal to booleans, anything else by ``==``.

    Examples
    --------
    >>> same_value(0.1 + 0.2, 0.3), same_value(True, 1), same_value(1.0, 1.001, rel_tol=1e-2)
    (True, False, True)
    """
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
    return a == b


def _label(result: Result, fallback: str) -> str:
    return str(result.provenance.get("scenario_file") or fallback)
