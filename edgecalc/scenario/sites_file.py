"""Site groups from a CSV file: ``sites: {file: stores.csv, ...defaults}``.

The loader (:mod:`edgecalc.scenario.loader`) calls :func:`expand_sites_file` on the merged
scenario data before validation: each row of the file becomes one entry of ``sites.list``,
and each cell's position (file, line, column) is recorded, so that a bad cell is reported by
the same validation as a site written in YAML, with the CSV's line and column.

Columns (a header row names them; any order; only ``name`` is required; an empty cell leaves
the field unset, so the sites' default applies). Every row has one cell per column: an empty
cell is written as nothing between two commas (``a,,c``); a row with fewer cells than the
header names (cut short) is refused, as is one with more. An empty line, or a row whose cells
are all empty, is skipped:

=======================  ==================================================================
``name``                 the group's name in reports
``count``                sites the row stands for [count] (default 1)
``lat``, ``lon``         where the sites are [degrees]; with ``country`` (ISO 3166 alpha-2),
                         all three or none
``uplink_mbps``          upload capacity [Mbit/s]
``downlink_mbps``        download capacity [Mbit/s]
``wan_availability``     share of time the WAN is up [fraction]
``inferences_per_second`` per site [1/s]
``rtt_ms``               round trip to the cloud region at the latency percentile [ms]
``access``               access technology (a key of ``catalog/data/access_networks.yaml``):
                         the row's link is ``sites.access_links[access]`` when given, else
                         ``sites.link`` with this technology
``link_flat_usd_per_month``  the row's link flat fee per site [USD/month]
=======================  ==================================================================
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import Problem, ScenarioError
from ..io import FileReadError, read_bounded

NUMBER_COLUMNS = (
    "count",
    "lat",
    "lon",
    "uplink_mbps",
    "downlink_mbps",
    "wan_availability",
    "inferences_per_second",
    "rtt_ms",
    "link_flat_usd_per_month",
)
"""Columns that hold numbers."""
COLUMNS = ("name", "country", "access", *NUMBER_COLUMNS)
"""Every column a sites file may have."""
SITE_FIELDS = (
    "count",
    "uplink_mbps",
    "downlink_mbps",
    "wan_availability",
    "inferences_per_second",
    "rtt_ms",
)
"""Columns that are fields of :class:`~edgecalc.scenario.models.Site` under the same name."""

Locate = Callable[[str], "tuple[Path, bool]"]
"""Turns the ``file`` value into the path to read and whether its content may be quoted."""


def expand_sites_file(data: dict[str, Any], locations: dict, locate: Locate) -> list[Problem]:
    """Replace ``sites.file`` by the rows it names, in place (``data`` and ``locations``).

    Parameters
    ----------
    data : dict
        The merged scenario data; ``data["sites"]["file"]`` names the CSV.
    locations : dict
        Field path tuple -> (file, line, column); the rows' cells are added.
    locate : callable
        ``locate(value) -> (path, quotable)``: the path of the file (checked against the
        folders the scenario may read) and whether an error may quote its cells (False for a
        file the visitor of the app did not send). Raises :class:`ScenarioError` when the
        file may not be read.

    Returns
    -------
    list of Problem
        What is wrong with rows (a location without its country, a row without a name), for
        the loader to report with the validation's problems; empty when none.

    Raises
    ------
    ScenarioError
        When the file cannot be used at all (missing, too large, no header, unknown columns).
    """
    sites = data.get("sites")
    if not isinstance(sites, dict) or "file" not in sites:
        return []
    where = locations.get(("sites", "file"), (None, None, None))

    def refuse(message: str) -> ScenarioError:
        file, line, column = where
        return ScenarioError(
            [Problem(message, file=file, line=line, column=column, field="sites.file")]
        )

    if "list" in sites or "count" in sites:
        raise refuse("give either 'file', 'list' or 'count' of sites, not two of them")
    value = sites["file"]
    if not isinstance(value, str) or not value.strip():
        raise refuse("'file' must name a CSV file, as a path relative to this scenario")
    path, quotable = locate(value)
    rows, cells, problems = read_sites_csv(path, quotable)
    sites["list"] = [_site(row, sites) for row in rows]
    del sites["file"]  # read: the scenario carries its rows (and round-trips without the file)
    name = str(path)
    for i, row_cells in enumerate(cells):
        for key, (line, column) in row_cells.items():
            locations[("sites", "list", str(i), *key)] = (name, line, column)
    return problems


def read_sites_csv(
    path: Path, quotable: bool = True
) -> tuple[list[dict[str, Any]], list[dict[tuple[str, ...], tuple[int, int]]], list[Problem]]:
    """Read a sites CSV: one dict per row (cells parsed) and where each cell is.

    Parameters
    ----------
    path : Path
        The file; a regular file of at most :data:`edgecalc.limits.SITES_FILE_BYTES`.
    quotable : bool
        Whether a problem may quote a cell (False: the file is on the server and the
        visitor did not send it; the line and column are named, the content is not).

    Returns
    -------
    rows : list of dict
        Per row, column -> value: a float for a number column that parses, else the text
        (validation then names it); empty cells left out.
    cells : list of dict
        Per row, the field path under the site (``("count",)``, ``("location", "lat")``,
        ``("link", "technology")``) -> (line, column), 1-based.
    problems : list of Problem
        What is wrong with rows, each naming the file, line, column and what is allowed (at
        most :data:`edgecalc.limits.PROBLEMS`, then a count of the rest).

    Raises
    ------
    ScenarioError
        When the file cannot be read, is not UTF-8 CSV, or its header is wrong.
    """
    name = str(path)
    try:
        raw = read_bounded(path, limits.SITES_FILE_BYTES)
    except FileReadError as exc:
        reason = exc.reason
        if exc.kind == "too_large":
            reason = (
                f"larger than {limits.SITES_FILE_BYTES // (1024 * 1024)} MiB; "
                "sites files are limited to that"
            )
        raise ScenarioError([Problem(reason, file=name, field="sites.file")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(
            [Problem("not UTF-8 text; save the CSV as UTF-8", file=name, field="sites.file")]
        ) from None
    problems = _Problems(name, quotable)
    # strict: a quote that is never closed is an error, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _header(reader, problems)
    rows: list[dict[str, Any]] = []
    cells: list[dict[tuple[str, ...], tuple[int, int]]] = []
    for record in _records(reader, problems):
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= limits.SITE_ENTRIES:
            problems.add(
                f"more than {limits.SITE_ENTRIES:,} rows; a sites file may have at most "
                f"{limits.SITE_ENTRIES:,}",
                line,
            )
            break
        mismatch = _cell_count_problem(header, record)
        if mismatch:
            problems.add(mismatch, line)
            continue
        row, where = _row(header, record, line, problems)
        rows.append(row)
        cells.append(where)
    if not rows:  # nothing else of the scenario can be checked without its sites
        if not problems:
            problems.add("no rows: give one row per site group below the header", 1)
        problems.raise_any()
    return rows, cells, problems.all()


def _cell_count_problem(header: list[str], record: list[str]) -> str | None:
    """What is wrong with the number of cells of a row, or None when it has one per column.

    Parameters
    ----------
    header : list of str
        The columns the header names.
    record : list of str
        The row's cells as the csv module read them: a blank cell (``a,,c``) is an empty
        string, a cell cut off (``a`` under ``name,count,lat``) is not there at all.

    Returns
    -------
    str or None
        The message for a row with more cells than columns, or with fewer (naming the columns
        left without a cell, and how to write an empty one); None when the counts agree.

    Notes
    -----
    A row cut short is refused rather than read with its missing cells as empty ones: a file
    cut off, a row written with its trailing cells left out, or a comma lost (which shifts
    every cell after it one column left) would otherwise take the defaults without a word.
    The csv module gives a short row as a shorter list (``csv.DictReader`` would fill the
    missing columns with its ``restval``, None), so the two cases are told apart by length.
    """
    cells, columns = len(record), len(header)
    counts = f"{_plural(cells, 'cell')}, but the header names {_plural(columns, 'column')}"
    if cells > columns:
        return counts
    if cells < columns:
        missing = ", ".join(header[cells:])
        return (
            f"{counts}: no cell for {missing}; give every column a cell, an empty one (for "
            "the default) as nothing between two commas, as in a,,c"
        )
    return None


def _plural(n: int, noun: str) -> str:
    """``1 cell``, ``8 cells``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _records(reader, problems: _Problems):
    """The reader's records; a row it cannot read (a quote never closed, a cell longer than
    the csv module takes) is a problem on the line where the row starts, and ends the file."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.add(f"not readable as CSV from this line on ({_csv_reason(exc)})", start)
            return
        yield record


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "a quoted cell is never closed: a quote opens it and the file ends"
    if "field larger than field limit" in text:
        return f"a cell longer than {csv.field_size_limit():,} characters"
    return text


class _Problems:
    """Problems found in one file, at most :data:`edgecalc.limits.PROBLEMS`."""

    def __init__(self, name: str, quotable: bool):
        self.name, self.quotable, self.items, self.more = name, quotable, [], 0

    def add(self, message, line, column=None, column_name=None, value=None) -> None:
        if len(self.items) >= limits.PROBLEMS:
            self.more += 1
            return
        field = f"column {column_name}" if column_name else "sites.file"
        self.items.append(
            Problem(
                message,
                file=self.name,
                line=line,
                column=column,
                field=field,
                value=value if self.quotable else None,
            )
        )

    def __bool__(self) -> bool:
        return bool(self.items)

    def all(self) -> list[Problem]:
        """The problems, with a count of those left out."""
        more = [Problem(f"and {self.more:,} more problems", file=self.name)] if self.more else []
        return [*self.items, *more]

    def raise_any(self) -> None:
        if self.items:
            raise ScenarioError(self.all())


def _header(reader, problems: _Problems) -> list[str]:
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        problems.add("the file is empty: the first row must name the columns", 1)
        problems.raise_any()
    except csv.Error as exc:
        problems.add(f"not a CSV file ({_csv_reason(exc)})", 1)
        problems.raise_any()
    if len(header) == 1:
        separator = next((s for s in (";", "\t", "|") if s in header[0]), None)
        if separator is not None:
            shown = "a tab" if separator == "\t" else repr(separator)
            problems.add(
                f"the header is one column: the cells are separated by {shown}, and a sites "
                f"file separates them by commas (name,count,lat,...); save it as comma-separated "
                "CSV (with a decimal point, not a decimal comma)",
                1,
                value=header[0][:80],
            )
            problems.raise_any()
    if len(header) > limits.SITES_FILE_COLUMNS:
        problems.add(
            f"{len(header)} columns; a sites file may have at most {limits.SITES_FILE_COLUMNS}",
            1,
        )
        problems.raise_any()
    allowed = ", ".join(COLUMNS)
    for j, column in enumerate(header, start=1):
        if column not in COLUMNS:
            problems.add(
                f"unknown column (misspelt?); the columns are {allowed}", 1, j, value=column
            )
        elif header.index(column) != j - 1:
            problems.add("this column appears twice", 1, j, column_name=column)
    if "name" not in header:
        problems.add("no 'name' column: every row needs a name", 1)
    placed = [c for c in ("lat", "lon", "country") if c in header]
    if placed and len(placed) < 3:
        missing = ", ".join(c for c in ("lat", "lon", "country") if c not in header)
        problems.add(
            f"the columns lat, lon and country go together; the header has {', '.join(placed)} "
            f"but no {missing}",
            1,
        )
    problems.raise_any()
    return header


def _row(header, record, line, problems) -> tuple[dict[str, Any], dict]:
    row: dict[str, Any] = {}
    where: dict[tuple[str, ...], tuple[int, int]] = {}
    for j, (column, cell) in enumerate(zip(header, record, strict=False), start=1):
        cell = cell.strip()
        if not cell:
            continue
        if len(cell) > limits.NAME_CHARS:
            problems.add(
                f"a cell of {len(cell):,} characters; at most {limits.NAME_CHARS} are allowed",
                line,
                j,
                column,
            )
            continue
        value = _number(cell) if column in NUMBER_COLUMNS else cell
        if isinstance(value, float) and not math.isfinite(value):
            problems.add("not a finite number; give a number", line, j, column, value=cell)
            continue
        row[column] = value
        where[_FIELD_OF.get(column, (column,))] = (line, j)
    where[()] = (line, 1)
    placed = [c for c in ("lat", "lon", "country") if c in row]
    if placed and len(placed) < 3:
        missing = ", ".join(c for c in ("lat", "lon", "country") if c not in row)
        problems.add(
            f"a location needs lat, lon and country together; this row lacks {missing}", line
        )
    return row, where


_FIELD_OF = {
    "lat": ("location", "lat"),
    "lon": ("location", "lon"),
    "country": ("location", "country"),
    "access": ("link", "technology"),
    "link_flat_usd_per_month": ("link", "flat_usd_per_month"),
}
_COLUMN_OF = {v: k for k, v in _FIELD_OF.items()}


def column_field(problem: Problem, csv_files: set[str]) -> Problem:
    """A validation problem in a sites CSV named by its column (``column uplink_mbps``)
    rather than its path in the scenario (``sites.list.3.uplink_mbps``)."""
    if problem.file not in csv_files or not problem.field:
        return problem
    parts = problem.field.split(".")
    if parts[:2] != ["sites", "list"] or len(parts) < 4:
        return problem
    rest = tuple(parts[3:])
    column = _COLUMN_OF.get(rest, rest[0] if len(rest) == 1 else ".".join(rest))
    message = problem.message
    for yaml_only in _YAML_ONLY_HINTS:  # a cell holds a number, never a range or quotes
        message = message.replace(yaml_only, "")
    return dataclasses.replace(problem, field=f"column {column}", message=message)


_YAML_ONLY_HINTS = (
    " (or a range {low, high} within those limits)",
    " (or a range {low, high})",
    "; write a number without quotes",
)
"""Parts of validation messages that speak of the YAML file, left out for a CSV cell."""


def _number(cell: str) -> float | str:
    try:
        value = float(cell.replace("_", "") if "_" in cell else cell)
    except ValueError:
        return cell  # validation names it: "a number is needed here, not text"
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _site(row: dict[str, Any], sites: dict[str, Any]) -> dict[str, Any]:
    """One ``sites.list`` entry from a row; the link from the row's access technology."""
    site: dict[str, Any] = {"name": row.get("name", "")}
    for column in SITE_FIELDS:
        if column in row:
            site[column] = row[column]
    if all(c in row for c in ("lat", "lon", "country")):
        site["location"] = {"lat": row["lat"], "lon": row["lon"], "country": row["country"]}
    if "access" in row or "link_flat_usd_per_month" in row:
        site["link"] = _link(row, sites)
    return site


def _link(row: dict[str, Any], sites: dict[str, Any]) -> dict[str, Any]:
    access = row.get("access")
    by_access = sites.get("access_links")
    if isinstance(by_access, dict) and access in by_access:
        link = copy.deepcopy(by_access[access])
    else:
        default = sites.get("link")
        link = copy.deepcopy(default) if isinstance(default, dict) else {}
    if access is not None:
        link["technology"] = access
    if "link_flat_usd_per_month" in row:
        link["flat_usd_per_month"] = row["link_flat_usd_per_month"]
    return link
