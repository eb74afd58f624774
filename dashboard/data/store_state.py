"""Results cached per state of the store file, so a page costs no store read until the store changes and
a new boundary version or import shows up without restarting the server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from geo.api import StoreError

T = TypeVar("T")


def store_state(path: Path) -> tuple[int, int]:
    """The store file's modification time and size; raises StoreError when it is missing."""
    if not path.is_file():
        raise StoreError(f"store {path} does not exist: build it with `pingan demo build --store PATH`")
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


class StateCache(Generic[T]):
    """One value computed from the store, recomputed only when the store file changes."""

    def __init__(self, path: Path, compute: Callable[[], T]) -> None:
        self._path = path
        self._compute = compute
        self._lock = threading.Lock()
        self._state: tuple[int, int] | None = None
        self._value: T | None = None

    def get(self) -> T:
        state = store_state(self._path)
        with self._lock:
            if self._state != state or self._value is None:
                self._value = self._compute()
                self._state = state
            return self._value
