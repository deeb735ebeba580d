"""A progress bar for library runs that take over about a second (``progress(done, total)``)."""

from __future__ import annotations

import time

import streamlit as st

SHOW_AFTER_S = 1.0
"""A run shows its bar once it has taken this long [s]; a shorter one shows none."""


class LateProgress:
    """``progress(done, total)`` for edgecalc's long calls, drawn as ``st.progress`` only once
    the call has run for :data:`SHOW_AFTER_S`; a context manager that removes the bar at the
    end.

    Parameters
    ----------
    text : str
        What the run does, e.g. ``"Sweeping"``; the bar reads ``"Sweeping: 120 of 300
        points"``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = time.monotonic()
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < SHOW_AFTER_S:
                return
            self.bar = st.progress(0.0)
        share = min(done / total, 1.0) if total else 1.0
        self.bar.progress(share, text=f"{self.text}: {done:,} of {total:,} points")

    def __enter__(self) -> LateProgress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.empty()
