"""A bar shows for a run over about a second, never for a short one, and goes at the end."""

from __future__ import annotations

from app_pages import progress


class _Bar:
    def __init__(self, log):
        self.log = log

    def progress(self, share, text=None):
        self.log.append((share, text))

    def empty(self):
        self.log.append("emptied")


def _run(monkeypatch, after_s: float, calls) -> list:
    """What the bar drew for ``calls`` of ``progress(done, total)`` with a threshold."""
    log: list = []
    monkeypatch.setattr(progress.st, "progress", lambda *a, **k: _Bar(log))
    monkeypatch.setattr(progress, "SHOW_AFTER_S", after_s)
    with progress.LateProgress("Sweeping") as report:
        for done, total in calls:
            report(done, total)
    return log


def test_no_bar_for_a_short_run(monkeypatch):
    assert _run(monkeypatch, 60.0, [(5, 10), (10, 10)]) == []


def test_a_bar_once_the_run_is_long_and_it_goes_at_the_end(monkeypatch):
    assert _run(monkeypatch, 0.0, [(150, 300), (300, 300)]) == [
        (0.5, "Sweeping: 150 of 300 points"),
        (1.0, "Sweeping: 300 of 300 points"),
        "emptied",
    ]
