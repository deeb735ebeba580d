"""The RTT estimate's held-out quality on the shipped calibration data (not a speed figure).

Prints the fitted backbone factors and the two-fold cross-validation figures per distance band,
the same report as ``python -m edgecalc.latency.calibration``.
"""

from __future__ import annotations

from edgecalc.latency.calibration import report


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()
