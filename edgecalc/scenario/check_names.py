"""The plausibility checks by name, and what each one's warnings are about.

Every plausibility warning (:mod:`edgecalc.pipeline.plausibility`, the cloud's billing checks
in :mod:`edgecalc.catalog.cloud_prices`, the fleet's in
:mod:`edgecalc.pipeline.fleet_plausibility`) reads ``check: key ...``: the check's name, then
what it is about (an input's dotted path, a catalog fact's key, an option's name). A
scenario's ``accept_warnings`` entry names a check alone (every warning of it) or as
``check:key`` (that one warning). This module is the one list both sides read: the loader
refuses an entry that names no check or a key the check never warns about
(:mod:`edgecalc.scenario.references`), and ``validate --strict`` matches warnings to entries
with :func:`warning_check_and_key` and :func:`entry_check_and_key`.
"""

from __future__ import annotations

STALE_FACT = "stale_fact"
"""The check whose key is a catalog fact's key (``stale_fact:operations.truck_roll_usd``)."""

MODEL_DOES_NOT_FIT = "model_does_not_fit"
"""The check whose key is an option's name (``model_does_not_fit:edge``)."""

CHECK_KEYS: dict[str, tuple[str, ...] | None] = {
    "utilisation_above_0_95": ("cloud.target_utilization", "edge.target_utilization"),
    "refresh_beyond_device_life": ("edge.refresh_months",),
    STALE_FACT: None,
    MODEL_DOES_NOT_FIT: None,
    "commitment_discount_above_published_maximum": ("cloud.commitment.discount_fraction",),
    "spot_share_above_0_9": ("cloud.spot.share",),
    "idle_above_active_power": ("edge.idle_power_w", "hybrid.idle_power_w"),
    "support_above_0_25": ("edge.support_fraction_per_year",),
}
"""Check name -> the inputs its warnings name, by dotted path; None where the key is a
catalog fact (:data:`STALE_FACT`) or an option of the scenario (:data:`MODEL_DOES_NOT_FIT`)."""

PLAUSIBILITY_CHECKS = tuple(CHECK_KEYS)
"""The names of every plausibility check, in the order the docs list them."""


def warning_check_and_key(warning: str) -> tuple[str, str]:
    """The check and the key of one plausibility warning.

    Examples
    --------
    >>> warning_check_and_key("spot_share_above_0_9: cloud.spot.share is 0.95; spot ...")
    ('spot_share_above_0_9', 'cloud.spot.share')
    >>> warning_check_and_key("model_does_not_fit: edge: the model needs 40.00 GB ...")
    ('model_does_not_fit', 'edge')
    """
    check, _, rest = warning.partition(": ")
    return check, rest.split(" ", 1)[0].rstrip(":")


def entry_check_and_key(entry: str) -> tuple[str, str]:
    """The check and the key (empty for a whole check) of one ``accept_warnings`` entry,
    without the spaces around either.

    Examples
    --------
    >>> entry_check_and_key("stale_fact: operations.truck_roll_usd")
    ('stale_fact', 'operations.truck_roll_usd')
    >>> entry_check_and_key("support_above_0_25")
    ('support_above_0_25', '')
    """
    check, _, key = entry.partition(":")
    return check.strip(), key.strip()
