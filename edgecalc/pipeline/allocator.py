"""Keep freed memory in the process during Monte Carlo, instead of handing it back at once.

A batch of a Monte Carlo run allocates and frees a few hundred arrays of samples x months (a
10,000-sample batch of a 60-month scenario: 4.8 MB each). With glibc's default settings each
such array is taken from the operating system (``mmap``, or the top of the heap) and given back
when freed, so every new array page-faults its memory in again, page by page: measured on the
peer scenario (``benchmarks/bench_peers.py``), that doubled the engine's time.
:func:`keep_freed_memory` asks glibc (``mallopt``) to serve arrays up to 32 MB from the heap and
to keep up to :data:`TRIM_THRESHOLD_BYTES` of freed memory for the next batch.

It changes where memory comes from, never a number. It is done once per process, only on Linux
with glibc (elsewhere it does nothing), and not at all when ``EDGECALC_MALLOC_TUNING=0``. The
memory kept is bounded: at most :data:`TRIM_THRESHOLD_BYTES` beyond what the process is using.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

__all__ = ["MALLOC_TUNING_ENV", "MANY_SAMPLES", "TRIM_THRESHOLD_BYTES", "keep_freed_memory"]

MALLOC_TUNING_ENV = "EDGECALC_MALLOC_TUNING"
"""Environment variable that turns the tuning off when set to ``0``."""

MANY_SAMPLES = 1_000
"""From this many samples in one engine call (or runs x devices in a rollout simulation), the
process keeps freed memory for the next (:func:`keep_freed_memory`) [samples]."""

MMAP_THRESHOLD_BYTES = 32 * 2**20
"""Allocations smaller than this come from the heap, not their own ``mmap`` [bytes] (glibc's
largest allowed value on 64-bit systems)."""

TRIM_THRESHOLD_BYTES = 64 * 2**20
"""Free memory at the top of the heap kept for reuse before glibc returns it [bytes]."""

TOP_PAD_BYTES = 16 * 2**20
"""Extra memory glibc asks for each time the heap grows [bytes]."""

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc's malloc.h
_lock = threading.Lock()
_state: dict[str, bool] = {}


def keep_freed_memory(environ: dict[str, str] | None = None) -> bool:
    """Ask glibc to keep freed memory for reuse (once per process).

    Parameters
    ----------
    environ : mapping, optional
        Where to read ``EDGECALC_MALLOC_TUNING``; default ``os.environ``.

    Returns
    -------
    bool
        True when the settings are in force (now or from an earlier call); False on a system
        without glibc, when ``mallopt`` refused them, or when turned off.
    """
    environ = os.environ if environ is None else environ
    if environ.get(MALLOC_TUNING_ENV, "").strip() == "0":
        return False
    with _lock:
        if "done" not in _state:
            _state["done"] = _apply()
        return _state["done"]


def _apply() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 (glibc only: musl has no mallopt settings)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    settings = (
        (_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
        (_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES),
        (_M_TOP_PAD, TOP_PAD_BYTES),
    )
    return all(mallopt(option, value) == 1 for option, value in settings)
