"""The one way from resolved inputs to engine output.

:func:`compute` is what evaluate, simulate, sensitivity, sweep and device ranking call: the
point estimate, every Monte Carlo sample and every sensitivity step go through the same
function, so they cannot drift apart. The choice of device (``edge.device: auto``) happens
before resolving, in :func:`edgecalc.pipeline.prepare.prepare`, which is how a scenario becomes
the :class:`~edgecalc.pipeline.resolve.Resolved` this module takes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .allocator import MANY_SAMPLES, keep_freed_memory
from .engine import EngineOutput, run
from .resolve import Resolved, point_inputs


def compute(resolved: Resolved, x: Mapping[str, np.ndarray] | None = None) -> EngineOutput:
    """Price, time and check every option of a resolved scenario.

    Parameters
    ----------
    resolved : Resolved
        The scenario with every input resolved (:func:`edgecalc.pipeline.prepare.prepare`).
    x : mapping of str to ndarray, optional
        Dotted input path -> array of shape (S,): S samples of the inputs (Monte Carlo, a
        sensitivity step, a sweep). Default: the point values, ranges at their median, S = 1
        (:func:`edgecalc.pipeline.resolve.point_inputs`).

    Returns
    -------
    EngineOutput
        Per option: cost lines, totals, latency and violations per sample; the recommendation
        per sample.
    """
    inputs = point_inputs(resolved) if x is None else dict(x)
    # given inputs may hold some at their point value, shape (1,), beside the sampled ones
    # (S,): the samples are the longest input's (read once here, for the engine too)
    samples = max(len(value) for value in inputs.values())
    if samples >= MANY_SAMPLES:
        keep_freed_memory()  # where arrays are large: no number changes
    return run(inputs, resolved, samples=samples)
