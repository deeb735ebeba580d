"""``python -m edgecalc.calibrate``: how well the RTT estimate predicts published round trips.

Prints the fitted backbone factors and, for each of the estimate's three models (distance
alone; with the continent-pair factor; with the destination region's factor too), the two-fold
cross-validated error and p10-p90 coverage per distance band on the shipped calibration data.
``make bench`` prints the same report; docs/model.md quotes it and ``tests/test_calibrate.py``
checks that it does, verbatim.
"""

from __future__ import annotations

import numpy as np

from edgecalc.format import ms
from edgecalc.latency.calibration import HeldOutQuality, fitted_backbone, held_out_quality
from edgecalc.latency.route_effects import fitted_route_model, route_held_out_quality


def quality_table(quality: HeldOutQuality) -> list[str]:
    """The held-out figures as the Markdown table docs/model.md carries."""
    lines = [
        "| band | cases | median error | median absolute error | p10-p90 covers |",
        "|---|---|---|---|---|",
    ]
    for band in quality.bands:
        lines.append(
            f"| {band.label} | {band.n} | {band.median_error_pct:+.1f} % | "
            f"{band.mdape_pct:.1f} % | {band.n_in_band} ({100 * band.coverage:.0f} %) |"
        )
    lines.append(
        f"| all | {quality.n} | | {quality.mdape_pct:.1f} % | "
        f"{quality.n_in_band} ({100 * quality.coverage:.0f} %) |"
    )
    return lines


def report() -> str:
    """The fitted factors and the held-out figures of every model, as a user reads them."""
    fit = fitted_backbone()
    lines = [
        f"RTT backbone model fitted on {fit.n_pairs} published inter-region pairs",
        f"  fixed overhead {ms(fit.fixed_ms, 1 if fit.fixed_ms % 1 else 0)}",
    ]
    factors = zip(fit.knot_km, fit.inflation, fit.log_q10, fit.log_q90, strict=True)
    for knot, k, low, high in factors:
        lines.append(
            f"  at {knot:>7,.0f} km: route inflation {k:.2f}, p10 x{np.exp(low):.2f}, "
            f"p90 x{np.exp(high):.2f}"
        )
    with_regions = fitted_route_model(True).effects
    lines.append(
        f"Route factors: {len(with_regions.region_log)} destination regions, "
        f"{len(with_regions.pair_log)} macro-region pairs"
    )
    models = (
        ("distance alone", held_out_quality(), "pairs"),
        ("with the continent-pair factor", route_held_out_quality(False), "cases"),
        (
            "with the destination region's and the continent-pair factor",
            route_held_out_quality(True),
            "cases",
        ),
    )
    for title, quality, unit in models:
        lines += [
            "",
            f"Held out, {title} (two-fold cross-validation, {quality.n} {unit}): median "
            f"absolute error {quality.mdape_pct:.1f} %, p10-p90 covers {quality.n_in_band} of "
            f"{quality.n} ({100 * quality.coverage:.0f} %), {quality.n_below_floor} below the "
            "fibre floor",
            "",
            *quality_table(quality),
        ]
    return "\n".join(lines)


def main() -> None:
    """Print :func:`report`."""
    print(report())


if __name__ == "__main__":
    main()
