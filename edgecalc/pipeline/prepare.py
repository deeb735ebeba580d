"""A scenario to resolved inputs: choose the device first (``edge.device: auto``), then resolve.

Choosing a device ranks every catalog device with the engine, so it cannot happen inside
:func:`~edgecalc.pipeline.resolve.resolve` (which the engine's inputs come from) without an
import circle; it happens here, before.
"""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog, load_catalog
from ..scenario.models import Scenario
from .devices import select_device
from .resolve import AUTO, Resolved, resolve


def prepare(
    scenario: Scenario,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    overrides: dict | None = None,
) -> Resolved:
    """Resolve a scenario, choosing its edge device first when it says ``auto``.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario.
    catalog : Catalog, optional
        Reference facts; default the packaged catalog.
    base_dir : str or Path, optional
        Folder that relative paths in the scenario (measurement files) resolve against.
    overrides : dict, optional
        Overrides already applied to the scenario (recorded as such in the assumptions).

    Returns
    -------
    Resolved
        Every input with its value (or range) and origin; ``device_selection`` says which
        device ``auto`` chose and why.

    Raises
    ------
    EdgecalcError
        As :func:`~edgecalc.pipeline.resolve.resolve`; with ``auto``, when no catalog device is
        feasible (the message says why each lost).
    """
    catalog = catalog or load_catalog()
    selection = None
    if scenario.edge.device == AUTO:
        selection = select_device(scenario, catalog, base_dir, overrides)
    return resolve(scenario, catalog, base_dir, overrides, device_selection=selection)
