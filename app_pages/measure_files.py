"""Where the app keeps the measurement files a session uses, and when they go (no streamlit).

A measurement used in the current scenario (``cloud.rtt.measurement``) must be a file, so the
Measure page writes it into a folder of the visitor's session, under one parent folder of
the app's own (:data:`PARENT`). Those folders are removed

- when the session ends: the folder's owner is an object kept in the session's state, and
  when the server drops the session, the object is collected and the folder deleted
  (``weakref.finalize``, which also runs when the server stops);
- by age: each new folder first sweeps away the app's folders untouched for
  :data:`MAX_AGE_S`, in case a server was killed before it could clean up.

The same folders (with the shipped scenarios) are the only places an uploaded scenario's
``cloud.rtt.measurement`` may point to (:func:`allowed_roots`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from edgecalc.scenario.loader import extends_roots

PARENT = Path(tempfile.gettempdir()) / "edgecalc-app-measurements"
"""The app's folder for per-session measurement folders."""
MAX_AGE_S = 24 * 3600.0
"""A session folder untouched this long is removed by the next new session [s]."""
OWNER_KEY = "ec_measure_folder"
"""Session-state key of the :class:`SessionFolder` of a session."""


class SessionFolder:
    """A session's measurement folder; deleted when this object is collected."""

    def __init__(self, parent: Path = PARENT) -> None:
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="session-", dir=parent))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def touch(self) -> None:
        """Mark the folder as in use (the age sweep counts from here)."""
        os.utime(self.path)

    def remove(self) -> None:
        """Delete the folder now."""
        self._finalizer()


def sweep(parent: Path = PARENT, max_age_s: float = MAX_AGE_S, now: float | None = None) -> int:
    """Remove the session folders under ``parent`` untouched for more than ``max_age_s``.

    Returns
    -------
    int
        How many folders were removed.
    """
    now = time.time() if now is None else now
    removed = 0
    if not parent.is_dir():
        return 0
    for folder in parent.glob("session-*"):
        try:
            old = now - folder.stat().st_mtime > max_age_s
        except OSError:  # removed meanwhile
            continue
        if old and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def session_folder(session: MutableMapping[str, Any], parent: Path = PARENT) -> Path:
    """The session's folder, made (after an age sweep) on first use.

    Parameters
    ----------
    session
        The session's state (``st.session_state``).
    parent
        Where session folders are made.
    """
    owner = session.get(OWNER_KEY)
    if not isinstance(owner, SessionFolder) or not owner.path.is_dir():
        sweep(parent)
        owner = SessionFolder(parent)
        session[OWNER_KEY] = owner
    owner.touch()
    return owner.path


def allowed_roots(session: MutableMapping[str, Any], shipped: Path) -> tuple[Path, ...]:
    """The folders whose measurement files a scenario in this session may name: the folders a
    scenario may extend (the shipped scenarios and any in ``EDGECALC_SCENARIO_ROOTS``) and the
    session's own folder (if it has one)."""
    roots = extends_roots(shipped)
    owner = session.get(OWNER_KEY)
    if isinstance(owner, SessionFolder):
        return (*roots, owner.path)
    return roots
