"""Which ``--set`` override (or app edit) a problem in a scenario comes from, if any.

A problem is reported on the line of the file that caused it, or as ``override: FIELD: ...``
when an override did. An override causes a problem at its own field and below it, at a
field it is part of (``sites`` for ``--set sites.count=4`` beside a ``sites.list``), and at a
field the file does not write beside it: ``--set workload.inferences_per_second.low=5`` on a
file that gives the rate as one number makes it a range whose ``high`` is missing, a problem
of the override, not of the file's line 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def override_behind(field: str, overrides: Mapping[str, Any], locations: Mapping) -> str | None:
    """The override key a problem at ``field`` comes from, or None when it is the file's.

    Parameters
    ----------
    field : str
        The dotted path of the problem (``workload.inferences_per_second.high``).
    overrides : mapping
        Dotted path -> value, as applied to the file.
    locations : mapping
        Field path (a tuple of str) -> position in a file, as the loader collects them.

    Examples
    --------
    >>> where = {("workload", "inferences_per_second"): ("s.yaml", 3, 1)}
    >>> override_behind("workload.inferences_per_second.high",
    ...                 {"workload.inferences_per_second.low": 5}, where)
    'workload.inferences_per_second.low'
    >>> override_behind("workload.inferences_per_second", {"cloud.tls": 1.3}, where) is None
    True
    """
    for key in overrides:
        if field == key or field.startswith(key + ".") or key.startswith(field + "."):
            return key
    if tuple(field.split(".")) in locations:
        return None  # the file writes that very field
    for key in overrides:
        parent = key.rpartition(".")[0]
        if parent and field.startswith(parent + "."):
            return key
    return None
