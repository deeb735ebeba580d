"""Which scenarios depend on a file they ``extends``: a change to a base file is checked
through every scenario it reaches.

A file that other files ``extends`` (``scenarios/base/eu-operations.yaml``) is a *base*: on its
own it is a fragment, not a scenario, so ``validate``, ``diff --base-ref`` and the pre-commit
hook replace it by every scenario that extends it, directly or through other bases. A file no
other file extends is a scenario and is checked as it is.

Candidates are the YAML files below the *search root*: the nearest folder above the file
that holds ``.git`` (the repository), else the working directory when the file is below it,
else the folder above the file's own. Hidden folders and virtual environments are skipped,
at most :data:`MAX_CANDIDATES` files are looked at, and only a file's top-level ``extends:``
line is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..io import FileReadError, read_bounded
from .yaml_io import MAX_FILE_BYTES

MAX_CANDIDATES = 20_000
"""YAML files looked at below the search root, at most."""
SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__", "site-packages", "build", "dist"})
"""Folders never searched (besides hidden ones such as ``.git`` and ``.venv``)."""
EXTENDS_LINE = re.compile(
    r"^extends:[ \t]*(?P<q>[\"']?)(?P<path>[^\"'#\r\n]+?)(?P=q)[ \t]*(#.*)?$", re.M
)
"""A top-level ``extends: path`` line (quoted or not, a comment after it allowed)."""
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Target:
    """A scenario to check, and the changed base file that brought it in (if any)."""

    path: Path
    via: Path | None = None


def extends_of(path: Path) -> Path | None:
    """The file ``path`` extends (resolved), or None: no ``extends`` line, or unreadable."""
    try:
        text = read_bounded(path, MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except (FileReadError, OSError):
        return None
    m = EXTENDS_LINE.search(text)
    if m is None:
        return None
    return (path.parent / m["path"].strip()).resolve()


def search_root(path: Path, cwd: Path | None = None) -> Path:
    """Where to look for the files that may extend ``path`` (see the module notes)."""
    path = path.resolve()
    for folder in path.parents:
        if (folder / ".git").exists():
            return folder
    cwd = (cwd or Path.cwd()).resolve()
    if cwd in path.parents:
        return cwd
    return path.parent.parent


def yaml_files(root: Path) -> list[Path]:
    """The YAML files below ``root`` (sorted; at most :data:`MAX_CANDIDATES`)."""
    out: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES):
                out.append(Path(folder, name).resolve())
                if len(out) >= MAX_CANDIDATES:
                    return out
    return out


def dependents(base: Path, candidates: Iterable[Path]) -> list[Path]:
    """Every candidate that extends ``base``, directly or through other candidates, in
    candidate order."""
    base = base.resolve()
    parent = {c: extends_of(c) for c in candidates}
    reached: set[Path] = {base}
    changed = True
    while changed:  # a fixed point: each round adds the files that extend one already reached
        changed = False
        for child, up in parent.items():
            if up in reached and child not in reached:
                reached.add(child)
                changed = True
    return [c for c in parent if c in reached and c != base]


def expand(paths: Sequence[Path], cwd: Path | None = None) -> list[Target]:
    """The scenarios to check for ``paths``: each base file replaced by the scenarios that
    extend it (those that other files extend in turn are bases too, so they are replaced as
    well); every other file as it is. Each scenario once, in the order given."""
    out: dict[Path, Target] = {}
    searched: dict[Path, list[Path]] = {}
    for given in paths:
        resolved = Path(given).resolve()
        root = search_root(resolved, cwd)
        if root not in searched:
            searched[root] = yaml_files(root) if resolved.exists() else []
        reached = dependents(resolved, searched[root])
        if not reached:
            out.setdefault(resolved, Target(Path(given)))
            continue
        bases = {extends_of(c) for c in reached}
        for scenario in reached:
            if scenario not in bases:
                out.setdefault(scenario, Target(_relative(scenario, cwd), via=Path(given)))
    return list(out.values())


def _relative(path: Path, cwd: Path | None) -> Path:
    """``path`` relative to the working directory when it is below it (as a user types it)."""
    cwd = (cwd or Path.cwd()).resolve()
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path
