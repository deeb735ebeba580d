"""A page that fails in a way edgecalc did not foresee shows the error's kind, never its
message (docs/security.md: an unforeseen message could quote a file on the server)."""

from __future__ import annotations

import logging
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app_pages import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT_S = 120
SECRET = "root:x:0:0:root:/root:/bin/bash"
"""What an unforeseen error's message might quote (a line of a file on the server)."""


def test_a_failing_page_shows_the_errors_kind_and_the_log_keeps_its_message(monkeypatch, caplog):
    def fail():
        raise RuntimeError(f"could not parse {SECRET}")

    monkeypatch.setattr(state, "base_scenario", fail)
    with caplog.at_level(logging.ERROR, logger="edgecalc.app"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert error == (
        "Something went wrong on this page (RuntimeError); the server's log has the details."
    )
    assert SECRET not in error
    (record,) = [r for r in caplog.records if r.name == "edgecalc.app"]
    assert record.getMessage() == "page Decide failed"
    assert SECRET in str(record.exc_info[1])
