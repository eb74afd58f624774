"""Area geometry for maps: one cached GeoJSON file per boundary version and level."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.data.store_state import store_state
from dashboard.settings import Settings
from geo.api import Col, Layer, Level, StoreError, area_geojson_file, open_store


@dataclass(frozen=True)
class AreaLayer:
    """One level's geometry file, ready to be fetched by the browser."""

    level: str
    file_name: str  # a file in settings.cache_dir; its name changes with the boundary version
    count: int


@dataclass(frozen=True)
class AreaOverview:
    city_name: str
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    layers: tuple[AreaLayer, ...]  # in the order asked for; levels the store lacks are left out
    names: dict[str, str]  # code -> name of every area above the finest layer, for tooltips


class AreaMaps:
    """Area geometry and names for maps, from the store named in the settings."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._store = open_store(settings.store)
        self._lock = threading.Lock()
        self._overviews: dict[tuple[object, tuple[str, ...]], AreaOverview] = {}

    def overview(self, levels: Sequence[Level | str]) -> AreaOverview:
        """The city's outline and the current areas of `levels`, each as a cached GeoJSON file."""
        wanted = tuple(Level(level).value for level in levels)
        key = (self._store_state(), wanted)
        with self._lock:
            if key not in self._overviews:
                self._overviews = {key: self._read_overview(wanted)}
            return self._overviews[key]

    def _store_state(self) -> object:
        return store_state(Path(self._settings.store))

    def _read_overview(self, levels: tuple[str, ...]) -> AreaOverview:
        areas = self._store.read(Layer.AREAS, where=f"{Col.VALID_TO} IS NULL")
        present = [level for level in levels if (areas[Col.LEVEL] == level).any()]
        if not present:
            raise StoreError(f"{self._store!r} has no current areas of the levels {', '.join(levels)}")
        layers = tuple(
            AreaLayer(
                level=level,
                file_name=area_geojson_file(self._store, level, self._settings.cache_dir).name,
                count=int((areas[Col.LEVEL] == level).sum()),
            )
            for level in present
        )
        return AreaOverview(
            city_name=_city_name(areas),
            bounds=_bounds(areas),
            layers=layers,
            names=_names_above(areas, present),
        )


def _city_name(areas: pd.DataFrame) -> str:
    city = areas[areas[Col.LEVEL] == Level.CITY]
    return str(city[Col.NAME].iloc[0]) if len(city) else ""


def _bounds(areas: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    west, south, east, north = (float(v) for v in areas.geometry.total_bounds)
    return (south, west), (north, east)


def _names_above(areas: pd.DataFrame, levels: list[str]) -> dict[str, str]:
    order = [level.value for level in Level]
    finest = max(order.index(level) for level in levels)
    above = areas[areas[Col.LEVEL].isin(order[1:finest])]
    return dict(zip(above[Col.CODE].astype(str), above[Col.NAME].astype(str), strict=True))
