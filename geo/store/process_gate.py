"""One gate per store file per process between GDAL's reads and this process's own SQLite writer.

GDAL carries its own copy of SQLite. Two copies in one process do not see each other's POSIX locks, and
one copy closing the file drops the locks the other holds (sqlite.org/howtocorrupt.html, 2.2.1). So in
one process a write connection is never open while a GDAL read of the same file is, and the other way
round; processes keep SQLite's ordinary locking.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from geo.store.per_file import PerFile


class _Gate:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0  # readers wait behind a waiting writer, so a busy page cannot starve it

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._changed:
            self._writers_waiting += 1
            self._changed.wait_for(lambda: not self._writing and self._readers == 0)
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


_GATES: PerFile[_Gate] = PerFile(_Gate)


def gate_of(path: Path) -> _Gate:
    """The gate of one store file, shared by every store object in this process that names it."""
    return _GATES.of(path)
