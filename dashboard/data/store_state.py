"""Results cached per state of the store, so a page costs no store read until the store changes and a new
boundary version or import shows up without restarting the server. The one cache of the dashboard: every
provider keeps what it derives from the store in a `StateCache`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from geo.api import Store

T = TypeVar("T")


class StateCache(Generic[T]):
    """One value computed from the store, recomputed only when `store.state()` changes (which raises
    StoreError while the store is unreadable, so callers can show the last frame as stale). With
    `every_write`, recomputed after every write, bookkeeping ones included (`store.revision()`): for values
    read from the bookkeeping layers themselves, such as accounts."""

    def __init__(self, store: Store, compute: Callable[[], T], *, every_write: bool = False) -> None:
        self._store = store
        self._compute = compute
        self._token = store.revision if every_write else store.state
        self._lock = threading.Lock()
        self._state: str | None = None
        self._value: T | None = None

    def state(self) -> str:
        return self._token()

    def get(self) -> T:
        state = self._token()
        with self._lock:
            if self._state != state or self._value is None:
                self._value = self._compute()
                self._state = state
            return self._value
