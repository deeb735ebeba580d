"""The practitioners' rules of thumb edgecalc states beside its own figures.

Neither has a published source; both are catalog facts (``claims.*``, confidence low), so a
report that cites one cites a key that resolves (``Catalog.fact(key)``).
"""

from __future__ import annotations

__all__ = ["EDGE_OPS_COST_CLAIM_KEY", "MIN_SAVING_CLAIM_KEY", "RULE_OF_THUMB"]

EDGE_OPS_COST_CLAIM_KEY = "claims.edge_ops_cost_2_to_3x_cloud"
"""Catalog key of "edge often costs 2-3x more to operate than the cloud"."""

MIN_SAVING_CLAIM_KEY = "claims.edge_only_worth_it_above_50ms_saving"
"""Catalog key of "edge is worth its complexity only when it saves 50 ms or more"."""

RULE_OF_THUMB = "a practitioners' rule of thumb with no published source"
"""How every output names such a claim."""
