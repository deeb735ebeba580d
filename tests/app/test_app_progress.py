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


def test_no_bar_for_a_short_run(monkeypatch):
    log = []
    monkeypatch.setattr(progress.st, "progress", lambda *a, **k: _Bar(log))
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 60.0)
    with progress.LateProgress("Sweeping") as report:
        report(5, 10)
        report(10, 10)
    assert log == []


def test_a_bar_once_the_run_is_long_and_it_goes_at_the_end(monkeypatch):
    log = []
    monkeypatch.setattr(progress.st, "progress", lambda *a, **k: _Bar(log))
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    with progress.LateProgress("Sweeping") as report:
        report(150, 300)
        report(300, 300)
    assert log == [
        (0.5, "Sweeping: 150 of 300 points"),
        (1.0, "Sweeping: 300 of 300 points"),
        "emptied",
    ]
