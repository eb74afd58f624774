"""Where layers live, behind one protocol: GeoPackage is the embedded default (one file that a planner can
also open in QGIS); a PostGIS backend implements the same `Store`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

import pandas as pd

from geo.errors import StoreError
from geo.store.geopackage import GeoPackageStore, WriteMode, sql_text

__all__ = ["GeoPackageStore", "Store", "StoreError", "WriteMode", "open_store", "sql_text"]


class Store(Protocol):
    """What the rest of the library needs from a store."""

    def layers(self) -> list[str]: ...

    def read(self, layer: str, *, where: str | None = None) -> pd.DataFrame: ...

    def count(self, layer: str) -> int: ...

    def write(self, frames: Mapping[str, pd.DataFrame], *, mode: WriteMode = "replace") -> None: ...


def open_store(location: str | os.PathLike[str]) -> Store:
    """A store from a path (GeoPackage); `postgresql://` URLs are for the PostGIS backend."""
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError(f"{text}: the PostGIS backend is not available in this version; use a .gpkg path")
    return GeoPackageStore(text)
