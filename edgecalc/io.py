"""Files written atomically: a crash never leaves half a file."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class NotARegularFileError(OSError):
    """A path to write that exists but is not a regular file: a device, a FIFO or a socket.

    A rename over it would replace it (``--out /dev/full`` would turn the device into a file),
    so it is refused before anything is written; ``strerror`` says why."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EINVAL, "not a regular file (a device, pipe or socket)", str(path))


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A symbolic link is followed: the file it points to is replaced and the link kept. A path
    that exists but is not a regular file (``/dev/full``, a FIFO, a socket) is refused with
    :class:`NotARegularFileError` before anything is written, since the rename would replace
    it; missing parent folders are created.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        kind = os.stat(path).st_mode
    except FileNotFoundError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        raise NotARegularFileError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0666 less the umask (mkstemp
    would leave it 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class FileReadError(OSError):
    """A file that may not or cannot be read: not a regular file, too large, or unreadable.

    The message names the path and the limit; it never quotes the file's content.
    ``reason`` is the message without the path; ``kind`` one of ``missing``, ``directory``,
    ``not_regular``, ``too_large`` and ``unreadable``.
    """

    def __init__(self, message: str, reason: str | None = None, kind: str = "unreadable"):
        super().__init__(message)
        self.reason = reason or message
        self.kind = kind


def _refused(path: Path, reason: str, kind: str) -> FileReadError:
    return FileReadError(f"{path}: {reason}", reason, kind)


def read_bounded(path: Path | str, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes`` bytes.

    The size is checked while reading, not only from ``stat``, so a file that grows, a
    device (``/dev/zero``), a FIFO or a socket can never make the read run without end or
    block: anything but a regular file is refused before it is opened for reading
    (``O_NONBLOCK`` keeps even that open from blocking on a FIFO).

    Parameters
    ----------
    path
        The file to read.
    max_bytes
        The largest size accepted [bytes].

    Returns
    -------
    bytes
        The whole content.

    Raises
    ------
    FileReadError
        When the path is missing, a directory, a device, a FIFO, a socket, larger than
        ``max_bytes``, or cannot be read; the message names the path and the limit only.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(delete=False) as fh:
    ...     _ = fh.write(b"abc")
    >>> read_bounded(fh.name, 10)
    b'abc'
    >>> os.unlink(fh.name)
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _refused(path, "file not found", "missing") from None
    except IsADirectoryError:
        raise _refused(path, "is a directory, not a file", "directory") from None
    except OSError as exc:
        raise _refused(path, f"cannot be read ({exc.strerror})", "unreadable") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise _refused(path, "is a directory, not a file", "directory")
        if not stat.S_ISREG(mode):
            raise _refused(path, "is not a regular file (a device, pipe or socket)", "not_regular")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(65536, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise _refused(path, f"larger than the limit of {max_bytes:,} bytes", "too_large")
        return b"".join(chunks)
    except OSError as exc:
        if isinstance(exc, FileReadError):
            raise
        raise _refused(path, f"cannot be read ({exc.strerror})", "unreadable") from None
    finally:
        os.close(fd)
