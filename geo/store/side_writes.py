"""A GeoPackage's state without its bookkeeping writes.

The file's own revision (modification time and size) moves with every write, a sign-in's audit row
included. Pages cache what they draw per `Store.state()`, so a write that touches only bookkeeping layers
(geo.schema.BOOKKEEPING_LAYERS) is remembered here as "this revision shows the same content as that one":
the revision after it maps back to the state before it. Shared by every store object of one file in this
process; a bookkeeping write by another process (`pingan users add`) still reads as a new state, once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Final

from geo.store.per_file import PerFile

#: Revisions remembered per file; older ones are forgotten (the newest is all a cache ever asks about).
_KEPT: Final = 64


class _SameContent:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, str] = {}  # revision after a bookkeeping write -> the state it shows

    def state_of(self, revision: str) -> str:
        with self._lock:
            return self._states.get(revision, revision)

    def remember(self, before: str, after: str) -> None:
        with self._lock:
            if after == before:
                return
            self._states[after] = self._states.get(before, before)
            while len(self._states) > _KEPT:
                del self._states[next(iter(self._states))]


_FILES: PerFile[_SameContent] = PerFile(_SameContent)


def same_content_of(path: Path) -> _SameContent:
    return _FILES.of(path)
