"""A one-line progress bar on a terminal, for the long CLI commands (measure, simulate,
sensitivity, sweep).

Shown only when the stream is a terminal and ``--no-progress`` was not given: a pipe or a file
gets the result alone.
"""

from __future__ import annotations

from typing import TextIO


class ProgressBar:
    """Writes ``\\r<label> [#####-----] done/total`` to ``stream``; a newline when done.

    Parameters
    ----------
    stream : text stream
        Where to draw, normally ``sys.stderr``.
    label : str
        The word before the bar, e.g. ``"sampling"``.
    width : int
        Characters of the bar.
    """

    def __init__(self, stream: TextIO, label: str, width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def terminal_progress(stream: TextIO, label: str, no_progress: bool) -> ProgressBar | None:
    """A :class:`ProgressBar` on ``stream`` if it is a terminal and not switched off, else None."""
    if no_progress or not stream.isatty():
        return None
    return ProgressBar(stream, label)


def add_no_progress_argument(parser) -> None:
    """``--no-progress`` on a command's parser (the bar shows on a terminal only anyway)."""
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar (shown on a terminal only)"
    )
