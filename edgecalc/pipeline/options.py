"""The options a scenario compares, as data: each has a name, a kind and where its inputs live.

The engine iterates over a list of :class:`OptionSpec`; what is done for an option (its cost
lines, its latency, its constraints) is looked up from its kind, so a second option of a kind
(cloud on demand beside cloud with a commitment) or a new kind is a new entry, not a new branch
in every layer. The scenario's ``cloud:``, ``edge:`` and ``hybrid:`` sections are the three
standard options (:data:`STANDARD_OPTIONS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

OptionKind = Literal["cloud", "edge", "hybrid", "hub"]
"""What an option is: ``cloud`` (rented compute in a provider's region), ``edge`` (devices at
every site), ``hybrid`` (edge devices with escalations to the cloud) or ``hub`` (compute shared
by many sites: a server per plant, a managed edge zone; the scenario's ``hubs``)."""

OPTION_KINDS: tuple[OptionKind, ...] = get_args(OptionKind)
"""Every option kind, in the order reports list them."""

NONE = "none"
"""The recommendation when no option is feasible."""

OPTION_NAME = re.compile(r"[a-z][a-z0-9_]*")
"""An option's name: lower case letters, digits and underscores, starting with a letter."""


@dataclass(frozen=True)
class OptionSpec:
    """One option the scenario compares.

    Attributes
    ----------
    name : str
        How results, reports and the JSON name it (``cloud``, ``cloud_3yr``).
    kind : OptionKind
        Which pricer, latency model and constraints apply.
    prefix : str
        The input paths its figures are read from: ``f"{prefix}.usd_per_hour"``.
    """

    name: str
    kind: OptionKind
    prefix: str

    def __post_init__(self) -> None:
        if not OPTION_NAME.fullmatch(self.name) or self.name == NONE:
            raise ValueError(
                f"option name {self.name!r}: use lower case letters, digits and underscores, "
                f"starting with a letter (and not {NONE!r})"
            )
        if self.kind not in OPTION_KINDS:
            raise ValueError(
                f"option {self.name}: kind {self.kind!r} is not one of {', '.join(OPTION_KINDS)}"
            )


CLOUD = OptionSpec("cloud", "cloud", "cloud")
EDGE = OptionSpec("edge", "edge", "edge")
HYBRID = OptionSpec("hybrid", "hybrid", "hybrid")

STANDARD_OPTIONS: tuple[OptionSpec, ...] = (CLOUD, EDGE, HYBRID)
"""The options of the ``cloud:``, ``edge:`` and ``hybrid:`` sections, in report order."""


def standard_options(has_hybrid: bool) -> tuple[OptionSpec, ...]:
    """The standard options of a scenario: cloud and edge, and hybrid when it has the section.

    Examples
    --------
    >>> [o.name for o in standard_options(has_hybrid=False)]
    ['cloud', 'edge']
    """
    return STANDARD_OPTIONS if has_hybrid else (CLOUD, EDGE)


def recommendations(options: tuple[OptionSpec, ...]) -> tuple[str, ...]:
    """Every recommendation a run can give: each option's name, then ``none``."""
    return (*(o.name for o in options), NONE)
