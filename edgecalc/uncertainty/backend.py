"""Where the batches of a Monte Carlo run (or a sweep) are evaluated: here, or on a Dask cluster.

Two backends with one method, :meth:`map_batches`, that evaluates ``fn(shared, batch)`` for every
batch and yields the results **in the order of the batches**:

- :class:`InProcess` (the default): in this process, on as many threads as it has CPUs (at
  most 4); numpy's array operations run in parallel.
- :class:`DaskBackend`: on a ``distributed`` cluster. ``shared`` (the resolved scenario and the
  sampling plan) is shipped to every worker once (``Client.scatter``); each task gets one batch
  and returns its per-sample arrays and its share of the cost fan; at most two tasks per worker
  thread are in flight, so neither the workers nor this process ever hold the whole run.

Which one, from :func:`open_backend`:

- ``scheduler=None`` (the default): in this process. Nothing starts a process or opens a port
  unless asked: an architect running ``edgecalc simulate`` on a laptop is not surprised.
- ``scheduler="local"`` or ``workers=N``: a ``LocalCluster`` of ``N`` worker processes (default
  the number of CPUs, at most 8) listening on 127.0.0.1 only, closed when the run ends.
- ``scheduler="tcp://host:8786"`` (or ``tls://``): an existing scheduler. The address is checked
  before anything connects (only ``tcp://`` and ``tls://``, a host name or IP, a port), the
  connection waits at most ``connect_timeout_s`` (default 10 s), and the workers must run the
  same edgecalc and numpy versions as this process (checked; the numbers would differ
  otherwise). The scheduler and its workers run code this process sends them: point edgecalc
  only at a cluster you trust (docs/dask.md).

The command line reads ``--scheduler``, ``--workers`` and the ``EDGECALC_SCHEDULER`` variable;
the library reads no environment variable for this (the app always runs in its own process).

The results are the same, sample for sample, on every backend: every sample is computed from
its own seed block (:mod:`edgecalc.uncertainty.chunks`), and the fan's counts add up in any order
(:class:`edgecalc.uncertainty.summary.BracketCounts`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ..errors import EdgecalcError

__all__ = [
    "CONNECT_TIMEOUT_S",
    "MAX_LOCAL_WORKERS",
    "SCHEDULER_ENV",
    "Backend",
    "DaskBackend",
    "InProcess",
    "SchedulerChoice",
    "SchedulerError",
    "default_threads",
    "local_cluster",
    "open_backend",
    "parse_scheduler",
]

SCHEDULER_ENV = "EDGECALC_SCHEDULER"
"""Environment variable the command line reads for ``--scheduler``."""

CONNECT_TIMEOUT_S = 10.0
"""How long to wait for a scheduler to answer [s]."""

MAX_LOCAL_WORKERS = 64
"""Most worker processes a local cluster may start [-]."""

DEFAULT_PORT = 8786
"""The port ``dask scheduler`` listens on by default."""

MAX_THREADS = 4
"""Most threads :class:`InProcess` uses by default: the array operations are bound by memory
bandwidth, which a few cores fill [-]."""

IN_FLIGHT_PER_THREAD = 2
"""Batches submitted per thread before the first result is read [-]."""

WORKER_MEMORY_FRACTION = 0.25
"""Share of a worker's memory limit (per thread) that one batch may use [-]."""

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")  # fmt: skip

T = TypeVar("T")
R = TypeVar("R")


class SchedulerError(EdgecalcError):
    """The Dask scheduler cannot be used: malformed address, no answer, other versions, lost
    workers, or Dask not installed. The message says which and what to do."""


class Backend(Protocol):
    """Evaluates batches somewhere and gives the results back in order."""

    description: str
    """Where the batches run, in words (for reports and errors)."""
    shares_memory: bool
    """Whether batches run in this process (on its threads): a batch may then be handed
    objects that are filled in later, such as a future of the fan's brackets."""

    def map_batches(
        self, fn: Callable[[Any, T], R], batches: Iterable[T], shared: Any = None
    ) -> Iterator[R]:
        """``fn(shared, batch)`` for every batch, results in the order of ``batches``."""
        ...

    def batch_memory_bytes(self, budget_bytes: int) -> int:
        """The memory one batch may use where it runs [bytes], at most ``budget_bytes``."""
        ...


class InProcess:
    """Every batch in this process: on a few threads, or one after another (the default backend).

    Parameters
    ----------
    threads : int, optional
        Threads that evaluate batches at once [-], >= 1; default :func:`default_threads`. numpy
        releases the GIL inside its array operations, so two batches on two cores take about
        0.7 of the time of one after the other. Results come back in batch order and are the
        same, sample for sample, for any number of threads.
    """

    description = "in this process"
    shares_memory = True

    def __init__(self, threads: int | None = None) -> None:
        threads = default_threads() if threads is None else threads
        if isinstance(threads, bool) or int(threads) != threads or threads < 1:
            raise ValueError(f"threads must be a whole number >= 1, got {threads!r}")
        self.threads = int(threads)

    def map_batches(
        self, fn: Callable[[Any, T], R], batches: Iterable[T], shared: Any = None
    ) -> Iterator[R]:
        """``fn(shared, batch)`` for each batch, results in the order of ``batches``.

        At most two batches per thread are in flight, so memory stays bounded by
        :meth:`batch_memory_bytes`. An error raised by ``fn`` comes back as it was raised.

        Examples
        --------
        >>> list(InProcess(threads=2).map_batches(lambda k, b: k * b, [1, 2, 3], shared=10))
        [10, 20, 30]
        """
        if self.threads == 1 or threading.current_thread().name.startswith(_THREAD_PREFIX):
            # one thread, or called from a batch itself: one batch after another, here
            for batch in batches:
                yield fn(shared, batch)
            return
        pool = _pool(self.threads)
        pending: deque = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(fn, shared, batch))
                if len(pending) >= IN_FLIGHT_PER_THREAD * self.threads:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def batch_memory_bytes(self, budget_bytes: int) -> int:
        """The budget shared by the batches that run at once, one per thread [bytes], at
        least 1 (a batch waiting for a thread has not drawn its samples yet)."""
        return max(1, budget_bytes // self.threads)


_THREAD_PREFIX = "edgecalc-batch"
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(threads: int) -> ThreadPoolExecutor:
    """The process's pool of ``threads`` batch threads, started on first use and kept: a
    thread's memory (glibc gives each its own arena) stays warm from one run to the next."""
    with _pools_lock:
        if threads not in _pools:
            _pools[threads] = ThreadPoolExecutor(
                threads, thread_name_prefix=f"{_THREAD_PREFIX}-{threads}"
            )
        return _pools[threads]


def default_threads() -> int:
    """Threads for batches in this process: the CPUs this process may use, at most
    :data:`MAX_THREADS` [-].

    Examples
    --------
    >>> 1 <= default_threads() <= MAX_THREADS
    True
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, cpus))


class DaskBackend:
    """Batches as tasks on a ``distributed`` cluster, gathered in order.

    Parameters
    ----------
    client : distributed.Client
        A connected client. The backend does not close it (:func:`open_backend` does, for
        the clients it opens).
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.description = f"on the Dask scheduler at {client.scheduler.address}"
        self.shares_memory = False

    def _workers(self) -> dict[str, dict]:
        try:  # newer distributed lists only a few workers unless asked for all
            info = self.client.scheduler_info(n_workers=-1)
        except TypeError:
            info = self.client.scheduler_info()
        return info.get("workers", {})

    @property
    def threads(self) -> int:
        """Worker threads in the cluster now [-], at least 1."""
        return max(1, sum(int(w.get("nthreads", 1)) for w in self._workers().values()))

    def batch_memory_bytes(self, budget_bytes: int) -> int:
        """The smaller of ``budget_bytes`` and a quarter of the smallest worker's memory limit
        per thread [bytes] (workers without a limit do not count)."""
        limits = [
            int(w["memory_limit"]) / max(1, int(w.get("nthreads", 1)))
            for w in self._workers().values()
            if w.get("memory_limit")
        ]
        if not limits:
            return budget_bytes
        return max(1, min(budget_bytes, int(WORKER_MEMORY_FRACTION * min(limits))))

    def map_batches(
        self, fn: Callable[[Any, T], R], batches: Iterable[T], shared: Any = None
    ) -> Iterator[R]:
        """``fn(shared, batch)`` for every batch on the cluster, results in batch order.

        ``shared`` is scattered to every worker once. At most two tasks per worker thread are
        submitted ahead of the result being read, so results do not pile up on the workers.

        Raises
        ------
        SchedulerError
            When the cluster loses a worker or the connection, or has no worker. An error
            raised by ``fn`` itself (an :class:`~edgecalc.errors.EdgecalcError` about the
            scenario) comes back as it was raised.
        """
        from distributed import CancelledError

        if not self._workers():
            raise SchedulerError(f"the Dask cluster {self.description} has no worker")
        # in a list: scatter sends a tuple or dict item by item, not as one object
        (shared_future,) = self.client.scatter([shared], broadcast=True, hash=False)
        window = 2 * self.threads
        pending: deque = deque()
        items = iter(batches)
        try:
            for batch in items:
                pending.append(self.client.submit(fn, shared_future, batch, pure=False))
                if len(pending) >= window:
                    yield self._result(pending.popleft(), CancelledError)
            while pending:
                yield self._result(pending.popleft(), CancelledError)
        finally:
            for future in pending:
                future.cancel()
            shared_future.release()

    def _result(self, future: Any, cancelled: type[BaseException]) -> Any:
        try:
            return future.result()
        except EdgecalcError:
            raise
        except (cancelled, OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"the Dask cluster {self.description} stopped answering ({type(exc).__name__}); "
                "check that the scheduler and its workers are running"
            ) from None
        except Exception as exc:
            if type(exc).__name__ == "KilledWorker":
                raise SchedulerError(
                    f"a Dask worker {self.description} died while evaluating samples (out of "
                    "memory?); lower EDGECALC_BATCH_MEMORY_MB or give the workers more memory"
                ) from None
            raise


@dataclass(frozen=True)
class SchedulerChoice:
    """Where to run, as parsed from ``--scheduler`` / ``EDGECALC_SCHEDULER``."""

    kind: str
    """``"inprocess"``, ``"local"`` (a LocalCluster started here) or ``"address"``."""
    address: str | None = None
    """``tcp://host:port`` or ``tls://host:port`` when ``kind == "address"``."""


def parse_scheduler(text: str | None) -> SchedulerChoice:
    """Check a scheduler setting before anything connects.

    Parameters
    ----------
    text : str or None
        ``None`` or ``""`` or ``"inprocess"``: in this process; ``"local"``: a LocalCluster on
        127.0.0.1; ``tcp://HOST[:PORT]`` or ``tls://HOST[:PORT]``: an existing scheduler
        (``PORT`` defaults to 8786; ``HOST`` is a host name, an IPv4 address or a bracketed
        IPv6 address).

    Returns
    -------
    SchedulerChoice

    Raises
    ------
    SchedulerError
        When the text is none of these; the message says what is allowed.

    Examples
    --------
    >>> parse_scheduler("tcp://10.0.0.5").address
    'tcp://10.0.0.5:8786'
    >>> parse_scheduler("local").kind
    'local'
    """
    value = (text or "").strip()
    if value.lower() in ("", "inprocess", "in-process", "none"):
        return SchedulerChoice("inprocess")
    if value.lower() == "local":
        return SchedulerChoice("local")
    allowed = (
        "give local (a cluster on this machine), or the address of a Dask scheduler as "
        "tcp://HOST:PORT or tls://HOST:PORT, e.g. tcp://10.0.0.5:8786"
    )
    shown = value[:80]
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in ("tcp", "tls"):
        raise SchedulerError(f"scheduler {shown!r}: only tcp:// and tls:// addresses; {allowed}")
    host, port = _host_port(rest)
    if host is None:
        raise SchedulerError(f"scheduler {shown!r}: not a host and port; {allowed}")
    if port is None or not 1 <= port <= 65535:
        raise SchedulerError(f"scheduler {shown!r}: the port must be 1 to 65535; {allowed}")
    return SchedulerChoice("address", f"{scheme.lower()}://{host}:{port}")


def _host_port(rest: str) -> tuple[str | None, int | None]:
    """``(host, port)`` of ``HOST[:PORT]`` (``[IPV6][:PORT]``), ``(None, None)`` if malformed."""
    if rest.startswith("["):
        inside, closed, after = rest[1:].partition("]")
        if not closed or (after and not after.startswith(":")):
            return None, None
        try:
            ipaddress.IPv6Address(inside)
        except ValueError:
            return None, None
        host, port_text = f"[{inside}]", after.removeprefix(":")
    else:
        host, _, port_text = rest.partition(":")
        if not _HOSTNAME.match(host):
            return None, None
    if not port_text:
        return host, DEFAULT_PORT
    if not port_text.isdigit() or len(port_text) > 5:
        return host, None
    return host, int(port_text)


def _versions() -> dict[str, str]:
    """What must match between this process and the workers for identical numbers."""
    import sys

    import numpy

    from .. import __version__

    return {
        "edgecalc": __version__,
        "numpy": numpy.__version__,
        "python": ".".join(map(str, sys.version_info[:2])),
    }


def check_worker_versions(client: Any) -> None:
    """Raise when a worker runs another edgecalc, numpy or Python than this process.

    Raises
    ------
    SchedulerError
        Naming the first worker that differs and both versions.
    """
    here = _versions()
    for worker, theirs in client.run(_versions).items():
        for package, version in here.items():
            if theirs.get(package) != version:
                raise SchedulerError(
                    f"Dask worker {worker} runs {package} {theirs.get(package)}, this process "
                    f"{version}: install the same versions on the workers (the numbers would "
                    "differ otherwise)"
                )


def _dask():
    try:
        import distributed
    except ImportError:
        raise SchedulerError(
            "running on Dask needs the dask extra: pip install 'edgecalc[dask]'"
        ) from None
    return distributed


def _local_workers(workers: int | None) -> int:
    if workers is None:
        return max(1, min(8, os.cpu_count() or 1))
    if isinstance(workers, bool) or not 1 <= int(workers) <= MAX_LOCAL_WORKERS:
        raise SchedulerError(f"workers: {workers!r}; give 1 to {MAX_LOCAL_WORKERS}")
    return int(workers)


@contextlib.contextmanager
def open_backend(
    scheduler: str | Backend | None = None,
    workers: int | None = None,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
) -> Iterator[Backend]:
    """The backend a run asked for, closed (cluster and client) when the block ends.

    Parameters
    ----------
    scheduler : str, Backend or None
        ``None``: in this process, unless ``workers`` is given. A string as
        :func:`parse_scheduler` reads it. A :class:`Backend` is used as is and not closed.
    workers : int, optional
        Worker processes of a local cluster [-], 1 to 64; implies ``scheduler="local"``.
    connect_timeout_s : float
        How long to wait for an existing scheduler [s].

    Yields
    ------
    Backend

    Raises
    ------
    SchedulerError
        When the address is malformed, the scheduler does not answer in time, the workers run
        other versions, ``workers`` is given with an address, or Dask is not installed.
    """
    if scheduler is not None and not isinstance(scheduler, str):
        yield scheduler
        return
    choice = parse_scheduler(scheduler)
    if choice.kind == "inprocess" and workers is None:
        yield InProcess()
        return
    if choice.kind == "address" and workers is not None:
        raise SchedulerError(
            "workers: a number of workers is for a local cluster; an existing scheduler "
            "(--scheduler tcp://...) has the workers it has"
        )
    distributed = _dask()
    if choice.kind == "address":
        try:
            client = distributed.Client(
                choice.address, timeout=connect_timeout_s, set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"could not reach the Dask scheduler at {choice.address} within "
                f"{connect_timeout_s:g} s ({type(exc).__name__}); check the address and that "
                "`dask scheduler` is running there"
            ) from None
        with client:
            check_worker_versions(client)
            yield DaskBackend(client)
        return
    with local_cluster(_local_workers(workers)) as client:
        yield DaskBackend(client)


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A LocalCluster of ``workers`` processes (one thread each) on 127.0.0.1, and its client.

    Yields
    ------
    distributed.Client
        Connected to the cluster; both are closed when the block ends.
    """
    import logging

    distributed = _dask()
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        # the scheduler always serves HTTP (metrics, and the dashboard when bokeh is
        # installed): on a free port of 127.0.0.1, never the default :8787 of every interface
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )
    with cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client
