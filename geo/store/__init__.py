"""Where layers live, behind one protocol: GeoPackage is the embedded default (one file that a planner can
also open in QGIS); a PostGIS backend implements the same `Store`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pandas as pd

from geo.errors import StoreError
from geo.store.area_filters import Equals
from geo.store.geopackage import GeoPackageStore, WriteMode
from geo.store.postgis import PostGISStore

__all__ = [
    "GeoPackageStore", "PostGISStore", "Store", "StoreError", "WriteMode", "is_database_url", "open_store",
    "store_location", "upgrade_store",
]


class Store(Protocol):
    """What the rest of the library needs from a store."""

    def layers(self) -> list[str]: ...

    def read(self, layer: str, *, equals: Equals | None = None, unset: Sequence[str] = ()) -> pd.DataFrame:
        """Rows of `layer` whose columns equal the values in `equals` (a sequence: any of them) and whose
        `unset` columns are null. Filters are typed, so every backend writes its own query."""
        ...

    def held_values(
        self, layer: str, column: str, values: Sequence[str], *, equals: Mapping[str, str] | None = None
    ) -> set[str]:
        """Which of `values` the `column` of `layer` holds in rows whose columns equal `equals`: a look-up
        by a unique key (an import's duplicate check) that reads no row it was not asked about."""
        ...

    def read_areas(
        self, *, levels: Sequence[str] = (), parent: str | None = None, version_id: str | None = None,
        current: bool = True,
    ) -> pd.DataFrame:
        """Areas of `levels` (all when empty), children of `parent`, of one boundary version, or the
        current ones (valid_to unset) when `current`."""
        ...

    def writing(self) -> contextlib.AbstractContextManager[None]:
        """The store's write lock, held across a read and the write that depends on it."""
        ...

    def state(self) -> str:
        """A token that changes whenever the content pages draw from changes: the key of every cache
        above the store. Writes to bookkeeping layers only (geo.schema.BOOKKEEPING_LAYERS: users, keys,
        the audit log) leave it as it was."""
        ...

    def revision(self) -> str:
        """A token that changes with every write, bookkeeping included: the key of caches of accounts."""
        ...

    def count(self, layer: str) -> int: ...

    def write(self, frames: Mapping[str, pd.DataFrame], *, mode: WriteMode = "replace") -> dict[str, int]:
        """All layers in one transaction, or none; rows written per layer (unique-key repeats skipped)."""
        ...


def open_store(location: str | os.PathLike[str]) -> Store:
    """A store from a path (GeoPackage) or a `postgresql://` URL (PostGIS)."""
    text = os.fspath(location)
    if is_database_url(text):
        return PostGISStore(text)
    return GeoPackageStore(text)


def upgrade_store(location: str | os.PathLike[str]) -> dict[str, int]:
    """Bring a store of an older schema to geo.schema.STORE_SCHEMA in place, in one transaction; values
    rewritten per `table.column`. StoreError when there is no store there."""
    store = open_store(location)
    assert isinstance(store, GeoPackageStore | PostGISStore)
    return store.upgrade()


def is_database_url(location: str | os.PathLike[str]) -> bool:
    """Whether a store location names a PostgreSQL database rather than a GeoPackage file."""
    return os.fspath(location).startswith(("postgresql://", "postgres://"))


def store_location(text: str) -> Path | str:
    """A store location as given on a command line or in the environment: a URL stays text (a Path would
    fold its "//"), anything else is a GeoPackage path."""
    return text if is_database_url(text) else Path(text)
