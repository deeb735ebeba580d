"""One pull-request comment for every scenario a change touches: a line with the money, a
table of scenarios with the cost of each recommendation on its decision's basis (NPV by
default, or the undiscounted total over the horizon: ``decision.basis``) before, after and the
difference, a total, and each scenario's diff folded away below.

``edgecalc diff FILE... --base-ref REV`` renders a :class:`DiffRollup` when the change reaches
more than one scenario (a changed base file reaches every scenario that extends it). The
comment ends with :data:`edgecalc.results.diff.COMMENT_MARKER`, once, so CI updates the one comment
it posted before instead of adding another.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ..markdown_text import code, esc, html_text
from .diff import (
    COMMENT_MARKER,
    DIFF_FORMAT_VERSION,
    ResultDiff,
    _moved,
    _signed_usd,
    _usd,
    money_phrase,
)

MAX_COMMENT_CHARS = 60_000
"""A GitHub comment holds 65,536 characters; past this the folded details of the last
scenarios are left out (``--format json`` has them all)."""

MIXED = "mixed"
"""The roll-up's basis when its scenarios decide on different ones (some NPV, some total)."""

COST_HEADS = {"npv": "NPV", "total": "total", MIXED: "cost"}
"""How each basis heads the roll-up's cost columns."""


def cost_words(basis: str, horizon: str | None, whose: str) -> str:
    """What a cost on ``basis`` is, in words, as the single-scenario headline names it.

    Examples
    --------
    >>> cost_words("npv", "60 months", "the recommendation")
    'NPV of the recommendation over 60 months'
    >>> cost_words("total", None, "the recommendations")
    'total of the recommendations'
    >>> cost_words("mixed", "60 months", "the recommendations")
    "cost of the recommendations on each scenario's decision basis (NPV or total) over 60 months"
    """
    over = f" over {horizon}" if horizon else ""
    if basis == "npv":
        return f"NPV of {whose}{over}"
    if basis == "total":
        return f"total of {whose}{over}"
    return f"cost of {whose} on each scenario's decision basis (NPV or total){over}"


@dataclass(frozen=True)
class Entry:
    """One scenario of a roll-up.

    Exactly one of ``diff`` (the scenario exists on both sides), ``new_recommendation`` with
    its ``new_*`` figures (it does not exist at the base revision) or ``problem`` (it is
    invalid or cannot be evaluated) describes it.
    """

    path: str
    """The scenario file (head side) as given or found."""
    via: str | None = None
    """The changed base file that brought it in, if any."""
    diff: ResultDiff | None = None
    new_recommendation: str | None = None
    new_monthly_usd: float = math.nan
    """A new scenario's recommendation in a typical month [USD/month]."""
    new_total_usd: float = math.nan
    """... its undiscounted total over the horizon [USD]."""
    new_npv_usd: float = math.nan
    """... its NPV over the horizon [USD]."""
    new_basis: str = "npv"
    """The decision basis of a new scenario (``npv`` or ``total``)."""
    new_horizon_months: int | None = None
    """The horizon of a new scenario [months]; None when not known."""
    new_name: str = ""
    problem: str = ""
    """Why the scenario could not be compared (the message names file, line and field)."""
    exit_code: int = 0
    """The exit code its problem gives (1 invalid, 3 cannot be evaluated)."""

    @property
    def status(self) -> str:
        """``changed``, ``unchanged``, ``new`` or ``failed``."""
        if self.problem:
            return "failed"
        if self.diff is None:
            return "new"
        return "changed" if self.diff.changed else "unchanged"

    @property
    def name(self) -> str:
        if self.diff is not None:
            return self.diff.scenario_name
        return self.new_name or self.path

    def monthly_usd(self) -> tuple[float, float]:
        """Monthly cost of the recommendation before and after [USD/month]; a new scenario
        costs nothing before (0), a failed one has no figure (NaN)."""
        if self.diff is not None:
            return self.diff.recommended_monthly_usd()
        if self.status == "new":
            return 0.0, self.new_monthly_usd
        return math.nan, math.nan

    def total_usd(self) -> tuple[float, float]:
        """The recommendation's undiscounted total over the horizon before and after [USD]; a
        new scenario has 0 before, a failed one NaN."""
        if self.diff is not None:
            return self.diff.recommended_total_usd()
        if self.status == "new":
            return 0.0, self.new_total_usd
        return math.nan, math.nan

    def total_delta_usd(self) -> float:
        """Change of the recommendation's total over the horizon [USD]."""
        base, head = self.total_usd()
        return head - base

    @property
    def basis(self) -> str | None:
        """The decision basis its costs are on (the head's): ``npv`` or ``total``; None for a
        scenario that could not be compared."""
        if self.diff is not None:
            return self.diff.basis
        if self.status == "new":
            return self.new_basis
        return None

    def cost_usd(self) -> tuple[float, float]:
        """The recommendation's cost on its decision basis before and after [USD]: the NPV
        (``basis: npv``) or the undiscounted total (``basis: total``), the figure the decision
        compares options on; a new scenario costs 0 before, a failed one has NaN."""
        if self.diff is not None:
            return self.diff.recommended_cost_usd()
        if self.status == "new":
            head = self.new_npv_usd if self.new_basis == "npv" else self.new_total_usd
            return 0.0, head
        return math.nan, math.nan

    def horizons(self) -> set[int]:
        """The horizons its figures cover, both sides [months] (empty when not known)."""
        if self.diff is not None:
            return {self.diff.base_horizon_months, self.diff.head_horizon_months}
        return {self.new_horizon_months} if self.new_horizon_months else set()

    def new_money(self) -> str:
        """A new scenario's cost in words on its decision basis, then in brackets its
        undiscounted total (on an NPV basis) and a typical month, e.g. ``NPV of the
        recommendation over 60 months $131,171 (undiscounted total $157,518; a typical month
        $2,625)``."""
        horizon = f"{self.new_horizon_months} months" if self.new_horizon_months else None
        what = cost_words(self.new_basis, horizon, "the recommendation")
        also = [f"undiscounted total {_usd(self.new_total_usd)}"] if self.new_basis == "npv" else []
        also.append(f"a typical month {_usd(self.new_monthly_usd)}")
        return f"{what} {_usd(self.cost_usd()[1])} ({'; '.join(also)})"

    def decision(self, arrow: str) -> str:
        if self.status == "failed":
            return "could not be compared"
        if self.diff is None:
            return f"new: {str(self.new_recommendation).upper()}"
        b, h = self.diff.base_recommendation.upper(), self.diff.head_recommendation.upper()
        return f"⚠️ {b} {arrow} {h}" if self.diff.decision_changed else h


@dataclass(frozen=True)
class DiffRollup:
    """The scenarios a change reaches, compared with ``base_ref``."""

    entries: tuple[Entry, ...]
    base_ref: str

    def total_monthly_usd(self) -> tuple[float, float]:
        """The monthly costs of every recommendation summed, before and after [USD/month]
        (scenarios without a figure on a side add nothing to it)."""
        return _sum_sides(e.monthly_usd() for e in self.entries)

    def total_delta_usd(self) -> float:
        """The change of every recommendation's total over its horizon, summed [USD]."""
        return sum(d for d in (e.total_delta_usd() for e in self.entries) if not math.isnan(d))

    def total_cost_usd(self) -> tuple[float, float]:
        """Every recommendation's cost on its scenario's decision basis (:meth:`Entry.cost_usd`)
        summed, before and after [USD] (scenarios without a figure on a side add nothing)."""
        return _sum_sides(e.cost_usd() for e in self.entries)

    def total_undiscounted_usd(self) -> tuple[float, float]:
        """Every recommendation's undiscounted total over its horizon summed, before and after
        [USD]."""
        return _sum_sides(e.total_usd() for e in self.entries)

    @property
    def basis(self) -> str:
        """The decision basis of the scenarios compared: ``npv`` or ``total`` when they share
        it, ``mixed`` otherwise (``npv`` when none could be compared)."""
        bases = {e.basis for e in self.entries if e.basis is not None}
        if len(bases) > 1:
            return MIXED
        return bases.pop() if bases else "npv"

    def _horizon_text(self) -> str | None:
        horizons = set().union(*(e.horizons() for e in self.entries))
        if len(horizons) == 1:
            return f"{horizons.pop()} months"
        return "their horizons" if horizons else None

    def money(self, arrow: str = "->") -> str:
        """The recommendations' cost on the decision basis, before -> after, in words, then in
        brackets how their undiscounted total (unless every scenario decides on it) and a
        typical month moved, as :meth:`ResultDiff.money` says it of one scenario."""
        what = cost_words(self.basis, self._horizon_text(), "the recommendations")
        main = money_phrase(*self.total_cost_usd(), arrow=arrow, what=what)
        if not main:
            return ""
        also = []
        if self.basis != "total":
            also.append(("undiscounted total", *self.total_undiscounted_usd()))
        also.append(("a typical month", *self.total_monthly_usd()))
        notes = [note for note in (_moved(label, b, h) for label, b, h in also) if note]
        return f"{main} ({'; '.join(notes)})" if notes else main

    @property
    def decisions_changed(self) -> int:
        return sum(1 for e in self.entries if e.diff is not None and e.diff.decision_changed)

    @property
    def site_groups_changed(self) -> int:
        """Site groups whose verdict changed, over every scenario with site groups [count]."""
        return sum(
            len(e.diff.portfolio.groups)
            for e in self.entries
            if e.diff is not None and e.diff.portfolio is not None
        )

    def headline(self, arrow: str = "->") -> str:
        """One line: how many scenarios, the recommendations' cost on the decision basis before
        -> after (:meth:`money`), decisions changed, site groups whose verdict changed."""
        n = len(self.entries)
        changed = sum(1 for e in self.entries if e.status in ("changed", "new"))
        scenarios = f"{n} scenario{'s' if n != 1 else ''}"
        parts = [
            f"edgecalc: {scenarios} changed"
            if changed == n
            else f"edgecalc: {scenarios}, {changed} changed"
        ]
        money = self.money(arrow)
        if money:
            parts.append(money)
        if self.decisions_changed:
            k = self.decisions_changed
            parts.append(f"{k} decision{'s' if k != 1 else ''} changed")
        if groups := self.site_groups_changed:
            parts.append(f"{groups:,} site group{'s' if groups != 1 else ''} changed verdict")
        failed = sum(1 for e in self.entries if e.status == "failed")
        if failed:
            parts.append(f"{failed} could not be compared")
        return "; ".join(parts)

    def to_markdown(self) -> str:
        """The comment: headline, the table with a total, notes, each diff folded away."""
        warn = "⚠️ " if self.decisions_changed else ""
        lines = [
            f"**{warn}{esc(self.headline('→'))}**",
            "",
            f"Compared with {code(self.base_ref)}.",
            "",
            "| scenario | decision | " + " | ".join(self.columns()) + " |",
            "|---|---|" + "---:|" * len(self.columns()),
        ]
        rows = self.rows("→")
        for e, (decision, *money) in zip(self.entries, rows, strict=False):
            cells = [_scenario_cell(e), esc(decision), *money]
            lines.append("| " + " | ".join(cells) + " |")
        total = rows[-1][1:]
        lines.append("| **Total** | | " + " | ".join(f"**{c}**" for c in total) + " |")
        lines += ["", f"<sub>{self._note()}</sub>", ""]
        details = [self._details(e) for e in self.entries]
        kept = []
        size = sum(len(x) + 1 for x in lines) + len(COMMENT_MARKER) + 200
        for block in details:
            if size + len(block) > MAX_COMMENT_CHARS:
                break
            kept.append(block)
            size += len(block)
        lines += kept
        if len(kept) < len(details):
            left = len(details) - len(kept)
            lines += [f"Details of {left} more scenarios left out (see `--format json`).", ""]
        lines.append(COMMENT_MARKER)
        return "\n".join(lines) + "\n"

    def columns(self) -> list[str]:
        """The money columns of the table: the cost on the decision basis (base, head,
        delta), the undiscounted total's delta (unless every scenario decides on it) and the
        monthly delta."""
        cost = COST_HEADS[self.basis]
        out = [f"{cost} base", f"{cost} head", f"{cost} delta"]
        if self.basis != "total":
            out.append("total delta")
        return [*out, "monthly delta"]

    def rows(self, arrow: str) -> list[list[str]]:
        """Per scenario, then the total: the decision, then the cells of :meth:`columns`."""

        def cells(cost: tuple[float, float], total_delta: float, monthly) -> list[str]:
            (b, h), (mb, mh) = cost, monthly
            out = [_usd(b), _usd(h), _signed_usd(h - b)]
            if self.basis != "total":
                out.append(_signed_usd(total_delta))
            return [*out, _signed_usd(mh - mb)]

        out = [
            [e.decision(arrow), *cells(e.cost_usd(), e.total_delta_usd(), e.monthly_usd())]
            for e in self.entries
        ]
        total = cells(self.total_cost_usd(), self.total_delta_usd(), self.total_monthly_usd())
        return [*out, ["", *total]]

    def _note(self) -> str:
        """What the table's figures are, as Markdown (the scenarios' names escaped, the base
        files they were reached through as code spans)."""
        horizon = self._horizon_text() or "the horizon"
        if self.basis == MIXED:
            totals = sorted(e.name for e in self.entries if e.basis == "total")
            cost = (
                f"Cost: each recommendation's NPV over {horizon}, or its undiscounted total "
                f"where the scenario decides on it ({esc(', '.join(totals))})"
            )
        elif self.basis == "npv":
            cost = f"NPV: the recommended option's NPV over {horizon}, the decision's basis"
        else:
            cost = f"Total: the recommended option's undiscounted total over {horizon}"
        parts = [cost]
        if self.basis != "total":
            parts.append("total delta: its undiscounted total")
        parts.append("monthly: its cost in a typical month (the median month after the first)")
        note = "; ".join(parts) + ". A new scenario costs $0 before."
        vias = sorted({e.via for e in self.entries if e.via})
        if vias:
            note += " Reached through the changed base file" + ("s " if len(vias) > 1 else " ")
            note += ", ".join(code(v) for v in vias) + "."
        return note

    def _details(self, e: Entry) -> str:
        if e.diff is not None:
            body = e.diff.to_markdown(marker=False)
            summary = e.diff.headline("→")
        elif e.status == "new":
            summary = f"new scenario: {str(e.new_recommendation).upper()}, {e.new_money()}"
            body = f"{code(e.path)} does not exist at {code(self.base_ref)}.\n"
        else:
            summary = "could not be compared"
            body = "```\n" + e.problem.replace("```", "'''") + "\n```\n"
        summary = html_text(f"{e.name}: {summary}")  # raw HTML: markdown reads none of it
        return f"<details><summary>{summary}</summary>\n\n{body}\n</details>\n"

    def to_text(self) -> str:
        """The same for a terminal."""
        lines = [self.headline(), f"compared with {self.base_ref}", ""]
        names = [e.path for e in self.entries] + ["total"]
        rows = self.rows("->")
        name_width = _width("scenario", names)
        decision_width = _width("decision", [row[0] for row in rows])
        header = "".join(f" {c:>14}" for c in self.columns())
        lines.append(f"  {'scenario':<{name_width}} {'decision':<{decision_width}}{header}")
        for name, (decision, *money) in zip(names, rows, strict=True):
            cells = "".join(f" {c:>14}" for c in money)
            lines.append(f"  {name:<{name_width}} {decision:<{decision_width}}{cells}")
        for e in self.entries:
            if e.problem:
                lines += ["", f"{e.path}: could not be compared", e.problem]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN as null); each scenario's diff as ``ResultDiff.to_dict``."""
        b, h = self.total_monthly_usd()
        cb, ch = self.total_cost_usd()
        return {
            "edgecalc_diff_rollup": DIFF_FORMAT_VERSION,
            "base_ref": self.base_ref,
            "total": {
                "decision_basis": self.basis,
                "base_cost_usd": cb,
                "head_cost_usd": ch,
                "delta_cost_usd": ch - cb,
                "base_monthly_usd": b,
                "head_monthly_usd": h,
                "delta_monthly_usd": h - b,
                "delta_total_usd": self.total_delta_usd(),
                "decisions_changed": self.decisions_changed,
                "site_groups_changed": self.site_groups_changed,
            },
            "scenarios": [_entry_dict(e) for e in self.entries],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _scenario_cell(e: Entry) -> str:
    """The Markdown table's scenario cell: the scenario's name over its file, or the file
    alone when the name is not known (a scenario that could not be compared is named by its
    file, which would show twice)."""
    path = code(e.path, cell=True)
    return path if e.name == e.path else f"{esc(e.name)}<br>{path}"


def _width(header: str, cells: list[str]) -> int:
    """The width of a text column: its widest cell or its header, so none is cut [chars]."""
    return max(len(header), *(len(c) for c in cells))


def _entry_dict(e: Entry) -> dict[str, Any]:
    b, h = e.monthly_usd()
    cb, ch = e.cost_usd()
    out: dict[str, Any] = {
        "path": e.path,
        "via": e.via,
        "status": e.status,
        "decision_basis": e.basis,
        "base_cost_usd": _finite(cb),
        "head_cost_usd": _finite(ch),
        "base_monthly_usd": _finite(b),
        "head_monthly_usd": _finite(h),
        "delta_total_usd": _finite(e.total_delta_usd()),
    }
    if e.diff is not None:
        out["diff"] = e.diff.to_dict()
    if e.status == "new":
        out["recommendation"] = e.new_recommendation
    if e.problem:
        out["problem"] = e.problem
    return out


def _finite(v: float) -> float | None:
    return None if math.isnan(v) else v


def _sum_sides(pairs) -> tuple[float, float]:
    """(base, head) pairs summed side by side, a NaN side adding nothing."""
    base = head = 0.0
    for b, h in pairs:
        base += 0.0 if math.isnan(b) else b
        head += 0.0 if math.isnan(h) else h
    return base, head
