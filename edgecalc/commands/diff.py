"""``edgecalc diff BASE HEAD`` or ``edgecalc diff FILE... --base-ref REV``: what a change to
scenarios does to each recommendation, its monthly cost and each option's total.

With ``--base-ref`` the base of each FILE is the file as committed at REV (read with ``git
show``, and the files it ``extends`` and the measurement file it names taken at the same
revision); the head is FILE in the working tree. A FILE that other files ``extends`` (a base
file) stands for every scenario that extends it. When the FILEs reach more than one scenario
the output is one roll-up: the monthly cost of each recommendation before, after and the
difference, a total, and each scenario's diff folded away. ``--skip-if-unchanged`` leaves out
scenarios in which nothing changed, and writes nothing at all when none changed.

Exit codes: 0 no gate tripped; 1 a scenario is invalid; 2 bad usage (also: ``--base-ref``
cannot be read: not a git repository, unknown revision); 3 a scenario is valid but cannot be
evaluated; 4 a gate tripped (``--fail-on decision-change``, ``--fail-on-increase PCT``).
A FILE that does not exist at REV (a new scenario) is reported as new, with exit code 0.
In a roll-up the worst code wins (1, then 3, then 4), after every scenario is in the output.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from .. import limits
from ..errors import EdgecalcError, Problem, ScenarioError
from ..format import usd
from .common import EXIT_INVALID, EXIT_USAGE, write_output

EXIT_GATE = 4
"""A ``--fail-on`` or ``--fail-on-increase`` gate tripped."""

GIT_TIMEOUT_S = 30.0
"""Longest a single ``git`` call may take [s]."""


class GitError(Exception):
    """``--base-ref`` could not be read: no repository, no such revision, git missing."""


class NotAtRevision(GitError):
    """The scenario file does not exist at the base revision."""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two versions of a scenario (CI gates: exit 4 when a gate trips)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="BASE HEAD, or FILE... with --base-ref")
    p.add_argument(
        "--base-ref",
        metavar="REV",
        help="compare FILE at this git revision (e.g. main, origin/main) with the working tree",
    )
    p.add_argument("--format", choices=("markdown", "text", "json"), default="text")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    p.add_argument(
        "--fail-on",
        choices=("decision-change",),
        action="append",
        default=[],
        help="exit 4 when the recommendation changes",
    )
    p.add_argument(
        "--fail-on-increase",
        type=float,
        metavar="PCT",
        help="exit 4 when any option's total grows by more than PCT percent",
    )
    p.add_argument(
        "--skip-if-unchanged",
        action="store_true",
        help="write nothing for a scenario whose decision, inputs and costs did not change "
        "(no change, no comment)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    if args.base_ref is None and len(args.files) != 2:
        return _usage("give BASE and HEAD files, or FILE... with --base-ref REV")
    if args.fail_on_increase is not None and not (
        math.isfinite(args.fail_on_increase) and args.fail_on_increase >= 0
    ):
        return _usage(
            f"--fail-on-increase needs a percentage of 0 or more, got {args.fail_on_increase:g}"
        )
    if args.base_ref is None:
        entry = _compare(Path(args.files[0]), Path(args.files[1]), None, str(args.files[1]))
        return _single(args, entry)
    from ..scenario.dependents import expand

    targets = expand([Path(f) for f in args.files])
    entries = []
    with tempfile.TemporaryDirectory(prefix="edgecalc-diff-") as tmp:
        for i, target in enumerate(targets):
            head = target.path
            via = str(target.via) if target.via is not None else None
            into = Path(tmp) / str(i)
            try:
                base, label = materialise_at_revision(head, args.base_ref, into)
            except NotAtRevision as exc:
                print(exc, file=sys.stderr)
                entries.append(_new_entry(head, via))
                continue
            except GitError as exc:
                return _usage(f"--base-ref {args.base_ref}: {exc}")
            except ScenarioError as exc:  # a file at the revision that is refused unread
                entries.append(_failed_entry(head, via, str(exc)))
                continue
            entry = _compare(base, head, label, str(head), via)
            entries.append(_at_revision(entry, into, args.base_ref))
    if len(entries) == 1 and entries[0].via is None:
        return _single(args, entries[0])
    return _rollup(args, entries)


def _compare(base_path: Path, head_path: Path, base_label, head_label: str, via=None):
    """Evaluate both sides; an :class:`Entry` with the diff, or with the problem."""
    from ..pipeline.evaluate import evaluate
    from ..results.diff import diff_results
    from ..results.rollup import Entry

    results = []
    for path in (base_path, head_path):
        try:
            results.append(evaluate(path))
        except ScenarioError as exc:
            return Entry(head_label, via, problem=str(exc), exit_code=EXIT_INVALID)
        except EdgecalcError as exc:
            return Entry(head_label, via, problem=f"{path}: cannot evaluate: {exc}", exit_code=3)
    diff = diff_results(
        *results, base_label=base_label or str(base_path), head_label=str(head_path)
    )
    return Entry(head_label, via, diff=diff)


def _failed_entry(head: Path, via: str | None, problem: str):
    """A scenario whose files at the base revision are invalid (exit code 1)."""
    from ..results.rollup import Entry

    return Entry(str(head), via, problem=problem, exit_code=EXIT_INVALID)


def _at_revision(entry, into: Path, rev: str):
    """``entry`` with its problem naming the files read at ``rev`` as the repository names
    them, not by their copies under ``into`` (a folder that is gone when the user reads it)."""
    import dataclasses

    if not entry.problem:
        return entry
    return dataclasses.replace(entry, problem=_in_repository_terms(entry.problem, into, rev))


def _new_entry(head: Path, via: str | None):
    """A scenario that does not exist at the base revision: its head evaluated on its own."""
    from ..pipeline.evaluate import evaluate
    from ..results.rollup import Entry

    try:
        result = evaluate(head)
    except ScenarioError as exc:
        return Entry(str(head), via, problem=str(exc), exit_code=EXIT_INVALID)
    except EdgecalcError as exc:
        return Entry(str(head), via, problem=f"{head}: cannot evaluate: {exc}", exit_code=3)
    rec = result.recommendation
    row = result.option(rec) if rec != "none" else {}
    return Entry(
        str(head),
        via,
        new_recommendation=rec,
        new_monthly_usd=float(row.get("steady_monthly_usd", math.nan)),
        new_total_usd=float(row.get("total_usd", math.nan)),
        new_npv_usd=float(row.get("npv_usd", math.nan)),
        new_basis=result.scenario.decision.basis,
        new_horizon_months=result.scenario.horizon_months,
        new_name=result.scenario.name,
    )


def _single(args, entry) -> int:
    """One scenario: its diff (or the note that it is new), as before a roll-up existed."""
    if entry.problem:
        print(entry.problem, file=sys.stderr)
        return entry.exit_code
    if entry.diff is None:  # new at REV: a change, so never skipped
        write_output(_new_file_note(entry, args.base_ref, args.format), args.out)
        return 0
    diff = entry.diff
    if args.skip_if_unchanged and not diff.changed:
        print(f"{entry.path}: unchanged, nothing written (--skip-if-unchanged)", file=sys.stderr)
        return 0
    render = {"markdown": diff.to_markdown, "text": diff.to_text, "json": diff.to_json}
    write_output(render[args.format](), args.out)
    return EXIT_GATE if _gates(diff, args) else 0


def _rollup(args, entries) -> int:
    """Several scenarios: one roll-up with a total; the worst exit code of them all."""
    from ..results.rollup import DiffRollup

    for e in entries:
        if e.problem:
            print(e.problem, file=sys.stderr)
    shown = [e for e in entries if not (args.skip_if_unchanged and e.status == "unchanged")]
    if len(shown) < len(entries):
        print(
            f"{len(entries) - len(shown)} unchanged scenarios left out (--skip-if-unchanged)",
            file=sys.stderr,
        )
    tripped = any([_gates(e.diff, args, prefix=f"{e.path}: ") for e in entries if e.diff])
    if shown:
        rollup = DiffRollup(tuple(shown), args.base_ref)
        render = {"markdown": rollup.to_markdown, "text": rollup.to_text, "json": rollup.to_json}
        write_output(render[args.format](), args.out)
    codes = {e.exit_code for e in entries if e.problem}
    for code in (EXIT_INVALID, 3):
        if code in codes:
            return code
    return EXIT_GATE if tripped else 0


def _gates(diff, args, prefix: str = "") -> bool:
    """Print each gate that tripped; whether any did."""
    tripped = []
    if "decision-change" in args.fail_on and diff.decision_changed:
        tripped.append(f"the recommendation changed: {diff.headline()}")
    if args.fail_on_increase is not None:
        for r in diff.increases_over(args.fail_on_increase).to_dict("records"):
            tripped.append(
                f"{r['option']} total grew by {r['delta_pct']:.1f}% "
                f"({usd(r['base_total_usd'])} -> {usd(r['head_total_usd'])}), "
                f"over the {args.fail_on_increase:g}% allowed"
            )
    for t in tripped:
        print(f"gate tripped: {prefix}{t}", file=sys.stderr)
    return bool(tripped)


def materialise_at_revision(path: Path, rev: str, into: Path) -> tuple[Path, str]:
    """Write ``path`` as committed at ``rev``, with the files it needs, under ``into``.

    The files it ``extends`` (followed recursively), the CSV its ``sites.file`` names (also
    when a base file names it) and a measurement file its ``cloud.rtt.measurement`` names are
    taken at the same revision, at the same relative places, so the copy loads exactly as the
    committed version did. A path that leaves the repository is not taken from it.

    Returns
    -------
    tuple
        The copy of ``path`` under ``into`` and a label ``REV:relative/path``.

    Raises
    ------
    NotAtRevision
        When ``path`` did not exist at ``rev``.
    GitError
        When there is no repository, no such revision, or git fails or times out.
    ScenarioError
        When the sites CSV at ``rev`` is larger than a sites file may be (named
        ``REV:relative/path``).
    """
    path = Path(path).absolute()
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd=path.parent).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=root)
    rel = PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    try:
        data = _show(root, rev, rel)
    except GitError:
        raise NotAtRevision(f"{rel} does not exist at {rev}: a new scenario") from None
    _write(into, rel, data)
    chain = _copy_extends_chain(root, rev, rel, _text(data), into)
    _copy_sites_file(root, rev, chain, into)
    measurement = _measurement_file(into / rel)
    target = _normalise(rel.parent / measurement) if measurement else None
    if target is not None:
        try:
            _write(into, target, _show(root, rev, target))
        except GitError:
            pass  # evaluation reports the missing measurement file
    return into / rel, f"{rev}:{rel}"


def _copy_extends_chain(
    root: Path, rev: str, rel: PurePosixPath, text: str, into: Path
) -> list[tuple[PurePosixPath, str]]:
    """Copy the files ``rel`` ``extends`` (followed recursively) at ``rev`` under ``into``.

    Returns
    -------
    list of tuple
        Each file of the chain that exists at ``rev`` (``rel`` first, then the file it
        extends, ...) with its text. A base file missing at ``rev``, or one whose path leaves
        the repository, ends the chain: the loader reports it with its line.
    """
    chain = [(rel, text)]
    seen = {rel}
    current, current_text = rel, text
    for _ in range(20):  # the loader refuses deeper chains and reports cycles itself
        parent = _yaml_key(current_text, ("extends",), str(current))
        if not isinstance(parent, str):
            break
        nxt = _normalise(current.parent / parent)
        if nxt is None or nxt in seen:
            break
        try:
            data = _show(root, rev, nxt)
        except GitError:
            break  # the loader reports the missing base file with its line
        _write(into, nxt, data)
        current_text = _text(data)
        chain.append((nxt, current_text))
        seen.add(nxt)
        current = nxt
    return chain


def _copy_sites_file(
    root: Path, rev: str, chain: list[tuple[PurePosixPath, str]], into: Path
) -> None:
    """Copy the CSV that ``sites.file`` names at ``rev`` under ``into``, byte for byte.

    The nearest file of the ``extends`` chain that sets ``sites.file`` names it (a scenario's
    own value wins over its base file's, as the loader merges them), relative to that file's
    folder. A CSV missing at ``rev``, or whose path leaves the repository, is not copied: the
    loader then reports that the file it names does not exist.

    Raises
    ------
    ScenarioError
        When the CSV at ``rev`` is larger than :data:`edgecalc.limits.SITES_FILE_BYTES`, the
        limit the loader holds a sites file to (it is not read at all).
    """
    named = _sites_file_named(chain)
    if named is None:
        return
    target = _normalise(named[0].parent / named[1])
    if target is None:
        return
    try:
        size = _blob_size(root, rev, target)
    except GitError:
        return  # not at rev: the loader reports the missing file with its line
    if size > limits.SITES_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    f"{size:,} bytes; sites files are limited to "
                    f"{limits.SITES_FILE_BYTES // (1024 * 1024)} MiB",
                    file=f"{rev}:{target}",
                    field="sites.file",
                )
            ]
        )
    _write(into, target, _show(root, rev, target))


def _sites_file_named(chain: list[tuple[PurePosixPath, str]]) -> tuple[PurePosixPath, str] | None:
    """The file of ``chain`` (nearest first) that sets ``sites.file``, and the path it gives;
    None when none does or the nearest gives no text (the loader then reports it)."""
    for rel, text in chain:
        sites = _yaml_key(text, ("sites",), str(rel))
        if isinstance(sites, dict) and "file" in sites:
            value = sites["file"]
            return (rel, value) if isinstance(value, str) and value.strip() else None
    return None


def _measurement_file(path: Path) -> str | None:
    """``cloud.rtt.measurement`` of the merged scenario (it may come from a base file); it
    resolves against the folder of the file evaluated."""
    from ..scenario import load_scenario
    from ..scenario.models import RttMeasured

    try:
        rtt = load_scenario(path).cloud.rtt
    except ScenarioError:
        return None  # evaluation reports it
    return rtt.measurement if isinstance(rtt, RttMeasured) else None


def _git(args: list[str], cwd: Path) -> str:
    """What ``git ARGS`` prints, as text."""
    return _git_bytes(args, cwd).decode("utf-8", errors="replace")


def _git_bytes(args: list[str], cwd: Path) -> bytes:
    """What ``git ARGS`` prints, as bytes (a file's content exactly as committed).

    Raises
    ------
    GitError
        When git is missing, fails (its message) or takes longer than :data:`GIT_TIMEOUT_S`.
    """
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT_S:g} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", errors="replace").strip() or f"git {args[0]} failed"
        if args[:1] == ["rev-parse"] and "--verify" in args:
            message = f"unknown revision {args[-1].removesuffix('^{commit}')!r}"
        raise GitError(message)
    return proc.stdout


def _show(root: Path, rev: str, rel: PurePosixPath) -> bytes:
    """``rel`` as committed at ``rev``, byte for byte (so the loader reads an encoding or a
    line ending the way it reads the file in the working tree)."""
    return _git_bytes(["show", f"{rev}:{rel}"], cwd=root)


def _text(data: bytes) -> str:
    """A committed file's bytes as text, only to look up the files it names (the loader
    reports a file that is not UTF-8 when it reads the copy)."""
    return data.decode("utf-8", errors="replace")


def _blob_size(root: Path, rev: str, rel: PurePosixPath) -> int:
    """The size of ``rel`` as committed at ``rev`` [bytes]; GitError when it is not there."""
    return int(_git(["cat-file", "-s", f"{rev}:{rel}"], cwd=root).strip())


def _write(into: Path, rel: PurePosixPath, data: bytes) -> None:
    target = into / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _in_repository_terms(text: str, into: Path, rev: str) -> str:
    """``text`` (an error message) with each path of a copy under ``into`` written as the
    file at ``rev`` is named in the repository: ``/tmp/.../scenarios/a.yaml`` ->
    ``REV:scenarios/a.yaml`` (the form of the base's label and of ``git show``)."""
    for folder in dict.fromkeys([str(into), str(into.resolve())]):
        text = text.replace(folder + os.sep, f"{rev}:")
    return text


def _normalise(rel: PurePosixPath) -> PurePosixPath | None:
    """``a/b/../c`` -> ``a/c``; None when the path leaves the repository."""
    parts: list[str] = []
    for part in rel.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return PurePosixPath(*parts) if parts else None


def _yaml_key(text: str, keys: tuple[str, ...], name: str):
    """The value at ``keys`` of a scenario file's text, read as the loader reads it (YAML 1.2,
    with its limits); None when the text does not parse (the loader then reports it)."""
    from ..scenario.yaml_io import parse

    try:
        node, _ = parse(text, name)
    except ScenarioError:
        return None
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _new_file_note(entry, rev: str, fmt: str) -> str:
    """A scenario new at ``rev``: its recommendation and its cost on the decision's basis (NPV
    or undiscounted total over the horizon, then a typical month): nothing to compare."""
    import json

    from ..results.diff import COMMENT_MARKER

    head, rec = entry.path, str(entry.new_recommendation).upper()
    if fmt == "json":

        def finite(v: float) -> float | None:
            return None if math.isnan(v) else v

        data = {
            "edgecalc_diff": 1, "new_file": head, "base_ref": rev, "recommendation": rec.lower(),
            "decision_basis": entry.new_basis, "head_cost_usd": finite(entry.cost_usd()[1]),
            "head_npv_usd": finite(entry.new_npv_usd),
            "head_total_usd": finite(entry.new_total_usd),
            "head_monthly_usd": finite(entry.new_monthly_usd),
        }  # fmt: skip
        return json.dumps(data, indent=2)
    money = f"{rec}, {entry.new_money()}"
    if fmt == "markdown":
        from ..markdown_text import code

        return (
            f"**New scenario {code(head)}: {money}**\n\nIt does not exist at {code(rev)}: "
            f"nothing to compare.\n\n{COMMENT_MARKER}\n"
        )
    return f"New scenario {head}: {money}\nIt does not exist at {rev}: nothing to compare.\n"


def _usage(message: str) -> int:
    print(f"edgecalc diff: {message}", file=sys.stderr)
    return EXIT_USAGE
