"""The RTT estimate's held-out quality on the shipped calibration data (not a speed figure).

Prints the fitted backbone factors and the two-fold cross-validation figures per distance band
of each of the estimate's models,
the same report as ``python -m edgecalc.calibrate``.
"""

from __future__ import annotations

from edgecalc.calibrate import report


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()
