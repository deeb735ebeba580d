"""Operations over time: model rollout and rollback, availability, monitoring, fit, labour.

Pure, vectorised functions of explicit numbers (floats or numpy arrays with a leading sample
axis); nothing here knows about scenarios, YAML or the app.
"""

from edgecalc.operations.availability import (
    HOURS_PER_MONTH,
    MINUTES_PER_MONTH,
    Availability,
    cloud_availability,
    device_unavailability,
    edge_availability,
    hybrid_availability,
    minutes_per_month,
    site_down_probability,
    wan_outages_per_month,
)
from edgecalc.operations.fit import (
    BYTES_PER_PARAMETER,
    DEFAULT_OVERHEAD_FRACTION,
    FitResult,
    fit,
    format_bytes,
    kv_cache_bytes,
    model_memory_bytes,
)
from edgecalc.operations.labour import (
    DEFAULT_LOADED_USD_PER_YEAR,
    SEED_CLAIM_RATIO_RANGE,
    OpsCostComparison,
    compare_operating_cost,
    engineer_fte,
    engineer_usd_per_month,
    site_visit_usd_per_month,
)
from edgecalc.operations.monitoring import (
    DAYS_PER_MONTH,
    mean_time_to_notice_hours,
    telemetry_bytes_per_month,
    unobserved_device_days_per_month,
)
from edgecalc.operations.rollback import (
    firmware_site_visits_per_year,
    rollout_site_visits_per_year,
    simulate_rollback,
)
from edgecalc.operations.rollout import (
    RolloutResult,
    offline_spell_survival,
    offline_transition_probabilities,
    simulate_rollout,
    stage_sizes,
    update_transfer_bytes,
)
from edgecalc.operations.rollout_counts import (
    RolloutCounts,
    simulate_rollout_counts,
    update_day_distribution,
)

__all__ = [
    "BYTES_PER_PARAMETER",
    "DAYS_PER_MONTH",
    "DEFAULT_LOADED_USD_PER_YEAR",
    "DEFAULT_OVERHEAD_FRACTION",
    "HOURS_PER_MONTH",
    "MINUTES_PER_MONTH",
    "SEED_CLAIM_RATIO_RANGE",
    "Availability",
    "FitResult",
    "OpsCostComparison",
    "RolloutCounts",
    "RolloutResult",
    "cloud_availability",
    "compare_operating_cost",
    "device_unavailability",
    "edge_availability",
    "engineer_fte",
    "engineer_usd_per_month",
    "firmware_site_visits_per_year",
    "fit",
    "format_bytes",
    "hybrid_availability",
    "kv_cache_bytes",
    "mean_time_to_notice_hours",
    "minutes_per_month",
    "model_memory_bytes",
    "offline_spell_survival",
    "offline_transition_probabilities",
    "rollout_site_visits_per_year",
    "simulate_rollback",
    "simulate_rollout",
    "simulate_rollout_counts",
    "site_down_probability",
    "site_visit_usd_per_month",
    "stage_sizes",
    "telemetry_bytes_per_month",
    "unobserved_device_days_per_month",
    "update_day_distribution",
    "update_transfer_bytes",
    "wan_outages_per_month",
]
