"""One object per store file in this process, shared by every store object that names the file (by its
real path, so two spellings of one file share it too)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class PerFile(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._items: dict[str, T] = {}

    def of(self, path: Path) -> T:
        key = os.path.realpath(path)
        with self._lock:
            if key not in self._items:
                self._items[key] = self._make()
            return self._items[key]
