"""One pull-request comment for every scenario a change touches: a line with the money, a
table of scenarios with the monthly cost of each recommendation before, after and the
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

from .diff import (
    COMMENT_MARKER,
    DIFF_FORMAT_VERSION,
    ResultDiff,
    _md,
    _signed_usd,
    _usd,
    money_phrase,
)

MAX_COMMENT_CHARS = 60_000
"""A GitHub comment holds 65,536 characters; past this the folded details of the last
scenarios are left out (``--format json`` has them all)."""


@dataclass(frozen=True)
class Entry:
    """One scenario of a roll-up.

    Exactly one of ``diff`` (the scenario exists on both sides), ``new_monthly_usd`` with
    ``new_recommendation`` (it does not exist at the base revision) or ``problem`` (it is
    invalid or cannot be evaluated) describes it.
    """

    path: str
    """The scenario file (head side) as given or found."""
    via: str | None = None
    """The changed base file that brought it in, if any."""
    diff: ResultDiff | None = None
    new_recommendation: str | None = None
    new_monthly_usd: float = math.nan
    new_total_usd: float = math.nan
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

    def total_delta_usd(self) -> float:
        """Change of the recommendation's total over the horizon [USD]."""
        if self.diff is not None:
            base, head = self.diff.recommended_total_usd()
            return head - base
        if self.status == "new":
            return self.new_total_usd
        return math.nan

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
        base = head = 0.0
        for e in self.entries:
            b, h = e.monthly_usd()
            base += 0.0 if math.isnan(b) else b
            head += 0.0 if math.isnan(h) else h
        return base, head

    def total_delta_usd(self) -> float:
        """The change of every recommendation's total over its horizon, summed [USD]."""
        return sum(d for d in (e.total_delta_usd() for e in self.entries) if not math.isnan(d))

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
        """One line: how many scenarios, the monthly total before -> after, decisions changed,
        site groups whose verdict changed."""
        n = len(self.entries)
        changed = sum(1 for e in self.entries if e.status in ("changed", "new"))
        scenarios = f"{n} scenario{'s' if n != 1 else ''}"
        parts = [
            f"edgecalc: {scenarios} changed"
            if changed == n
            else f"edgecalc: {scenarios}, {changed} changed"
        ]
        money = money_phrase(
            *self.total_monthly_usd(), arrow=arrow, what="monthly cost of the recommendations"
        )
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
            f"**{warn}{_md(self.headline('→'))}**",
            "",
            f"Compared with `{_md(self.base_ref)}`.",
            "",
            "| scenario | decision | monthly base | monthly head | monthly delta "
            "| total delta over the horizon |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for e, (decision, *money) in zip(self.entries, self.rows("→"), strict=False):
            cells = [f"{_md(e.name)}<br>`{_md(e.path)}`", _md(decision), *money]
            lines.append("| " + " | ".join(cells) + " |")
        total = self.rows("→")[-1][1:]
        lines.append("| **Total** | | " + " | ".join(f"**{c}**" for c in total) + " |")
        lines += ["", f"<sub>{_md(self._note())}</sub>", ""]
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

    def rows(self, arrow: str) -> list[tuple[str, str, str, str, str]]:
        """Per scenario, then the total: decision, monthly base, monthly head, monthly delta,
        total delta over the horizon, as formatted cells."""
        out = []
        for e in self.entries:
            b, h = e.monthly_usd()
            out.append(
                (e.decision(arrow), _usd(b), _usd(h), _signed_usd(h - b),
                 _signed_usd(e.total_delta_usd()))
            )  # fmt: skip
        b, h = self.total_monthly_usd()
        out.append(("", _usd(b), _usd(h), _signed_usd(h - b), _signed_usd(self.total_delta_usd())))
        return out

    def _note(self) -> str:
        note = (
            "Monthly: the recommended option's cost in a typical month (the median month "
            "after the first); a new scenario costs $0 before."
        )
        vias = sorted({e.via for e in self.entries if e.via})
        if vias:
            note += " Reached through the changed base file" + ("s " if len(vias) > 1 else " ")
            note += ", ".join(f"`{v}`" for v in vias) + "."
        return note

    def _details(self, e: Entry) -> str:
        if e.diff is not None:
            body = e.diff.to_markdown(marker=False)
            summary = e.diff.headline("→")
        elif e.status == "new":
            summary = f"new scenario, recommended {str(e.new_recommendation).upper()}"
            body = f"`{_md(e.path)}` does not exist at `{_md(self.base_ref)}`.\n"
        else:
            summary = "could not be compared"
            body = "```\n" + e.problem.replace("```", "'''") + "\n```\n"
        return f"<details><summary>{_md(e.name)}: {_md(summary)}</summary>\n\n{body}\n</details>\n"

    def to_text(self) -> str:
        """The same for a terminal."""
        lines = [self.headline(), f"compared with {self.base_ref}", ""]
        lines.append(
            f"  {'scenario':<40} {'decision':<18} {'monthly base':>13} {'monthly head':>13} "
            f"{'delta':>11} {'total delta':>13}"
        )
        names = [e.path for e in self.entries] + ["total"]
        for name, (decision, b, h, delta, total) in zip(names, self.rows("->"), strict=True):
            lines.append(
                f"  {name[:40]:<40} {decision[:18]:<18} {b:>13} {h:>13} {delta:>11} {total:>13}"
            )
        for e in self.entries:
            if e.problem:
                lines += ["", f"{e.path}: could not be compared", e.problem]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN as null); each scenario's diff as ``ResultDiff.to_dict``."""
        b, h = self.total_monthly_usd()
        return {
            "edgecalc_diff_rollup": DIFF_FORMAT_VERSION,
            "base_ref": self.base_ref,
            "total": {
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


def _entry_dict(e: Entry) -> dict[str, Any]:
    b, h = e.monthly_usd()
    out: dict[str, Any] = {
        "path": e.path,
        "via": e.via,
        "status": e.status,
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
