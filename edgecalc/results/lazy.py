"""Fields built on first access: a Result's tidy frames cost more than most callers read.

:class:`Deferred` holds a top-level function and its arguments until the value is first asked
for; :class:`LazyField` is the dataclass field that calls it then and keeps the value. A field
set to anything else (a DataFrame written by hand) is stored as it is. Both pickle: a
``Deferred`` pickles its function by name and its arguments by value, and
:meth:`edgecalc.results.Result.__getstate__` builds every field first, so a pickled Result is
the same data as before frames were lazy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Deferred", "LazyField", "build_all"]


class Deferred:
    """``fn(*args)``, called once on first use and then kept.

    Parameters
    ----------
    fn : callable
        A module-level function (so that a Deferred pickles), pure in its arguments.
    *args
        Its arguments.

    Notes
    -----
    Building is guarded by a lock: a Result shared between threads (the app caches one per
    scenario) builds each frame once.
    """

    __slots__ = ("_args", "_fn", "_lock", "_value")

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._fn: Callable[..., Any] | None = fn
        self._args = args
        self._value: Any = None
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        with self._lock:
            if self._fn is not None:
                self._value = self._fn(*self._args)
                self._fn, self._args = None, ()
            return self._value

    def __getstate__(self):
        return (self._fn, self._args, self._value)

    def __setstate__(self, state) -> None:
        self._fn, self._args, self._value = state
        self._lock = threading.Lock()


class LazyField:
    """A dataclass field whose value may be given as a :class:`Deferred`.

    Reading the attribute builds a deferred value once and stores it in its place. Without
    ``default`` the class attribute raises ``AttributeError``, so the dataclass sees no default
    and the field stays required; with one, that is the field's default.
    """

    _REQUIRED = object()

    def __init__(self, default: Any = _REQUIRED) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.slot = f"_lazy_{name}"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            if self.default is LazyField._REQUIRED:
                raise AttributeError(self.name)  # no default: the field is required
            return self.default
        value = instance.__dict__[self.slot]
        if isinstance(value, Deferred):
            value = value()
            instance.__dict__[self.slot] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.slot] = value

    def is_built(self, instance: Any) -> bool:
        """Whether the value has been built (or was given as a value)."""
        return not isinstance(instance.__dict__.get(self.slot), Deferred)

    def holds_none(self, instance: Any) -> bool:
        """Whether the value was given as None (not deferred, not a value), read without
        building it."""
        return instance.__dict__.get(self.slot) is None


def build_all(instance: Any) -> None:
    """Build every lazy field of ``instance`` (before pickling it)."""
    for cls in type(instance).__mro__:
        for attr in vars(cls).values():
            if isinstance(attr, LazyField):
                attr.__get__(instance, type(instance))
