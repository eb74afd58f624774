"""Incident layers of the leaders' map: H3 hexagon heat and points for clustering, filtered by area, month
range, category and source; and the rows of the top incidents table. Personal fields are never held
(see indicators.py), so nothing here can show one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
import shapely

from dashboard.data.indicators import Indicators
from geo.api import Col, IncidentCategory, IncidentSource, Level, hexagon_counts

#: Most points sent for clustering; beyond it the latest are kept (a month of a city is about 1,000).
MAX_POINTS: Final = 5_000
#: H3 resolution of the heat hexagons by the level whose areas are on the map: about 36 km² cells over
#: the city, 5 km² over a county, 0.7 km² over a township, 0.1 km² below.
HEX_RESOLUTION: Final = {
    Level.CITY.value: 6,
    Level.COUNTY.value: 7,
    Level.TOWNSHIP.value: 8,
    Level.VILLAGE.value: 9,
    Level.GRID.value: 9,
    Level.MICRO_GRID.value: 9,
}
_DECIMALS: Final = 5


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents a layer shows: an inclusive month range and, when not empty, only these
    categories and sources."""

    first_month: str
    last_month: str
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _ordinal(month: str) -> int:
    return (int(month[:4]) - 1970) * 12 + int(month[5:7]) - 1


class IncidentLayers:
    """Incidents of one area for the map's heat and point layers."""

    def __init__(self, indicators: Indicators) -> None:
        self._indicators = indicators

    def _chosen(self, code: str, level: str, chosen: IncidentFilter) -> pd.DataFrame:
        incidents = self._indicators.incidents_within(code, level)
        months = self._indicators.reported_months()[incidents.index.to_numpy()]
        keep = (months >= _ordinal(chosen.first_month)) & (months <= _ordinal(chosen.last_month))
        if chosen.categories:
            keep &= incidents[Col.CATEGORY].isin(chosen.categories).to_numpy()
        if chosen.sources:
            keep &= incidents[Col.SOURCE].isin(chosen.sources).to_numpy()
        located = pd.to_numeric(incidents["lon"], errors="coerce").notna().to_numpy()
        return incidents[keep & located]

    def hexagons(self, code: str, level: str, chosen: IncidentFilter) -> dict[str, Any]:
        """Incidents per H3 cell as a FeatureCollection (property ``count``), for the map's heat layer."""
        incidents = self._chosen(code, level, chosen)
        if not len(incidents):
            return {"type": "FeatureCollection", "features": []}
        cells = hexagon_counts(incidents, resolution=HEX_RESOLUTION.get(level, 7))
        rounded = shapely.transform(np.asarray(cells.geometry.values), lambda xy: np.round(xy, _DECIMALS))
        features = [
            {
                "type": "Feature",
                "properties": {"count": int(count)},
                "geometry": {"type": "Polygon", "coordinates": [shapely.get_coordinates(ring).tolist()]},
            }
            for count, ring in zip(cells["count"], shapely.get_exterior_ring(rounded), strict=True)
        ]
        return {"type": "FeatureCollection", "features": features}

    def points(self, code: str, level: str, chosen: IncidentFilter) -> tuple[dict[str, Any], int]:
        """The incidents as points for clustering (properties: ``c`` category, ``s`` status) and how
        many passed the filter; at most MAX_POINTS, the latest first."""
        incidents = self._chosen(code, level, chosen)
        total = len(incidents)
        if total > MAX_POINTS:
            incidents = incidents.sort_values(Col.REPORTED_AT, ascending=False).head(MAX_POINTS)
        lon = np.round(pd.to_numeric(incidents["lon"]).to_numpy(dtype=float), _DECIMALS)
        lat = np.round(pd.to_numeric(incidents["lat"]).to_numpy(dtype=float), _DECIMALS)
        features = [
            {
                "type": "Feature",
                "properties": {"c": str(category), "s": str(status)},
                "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
            }
            for x, y, category, status in zip(
                lon, lat, incidents[Col.CATEGORY], incidents[Col.STATUS], strict=True
            )
        ]
        return {"type": "FeatureCollection", "features": features}, total

    def top_rows(self, incident_ids: Sequence[str]) -> pd.DataFrame:
        """incident_id, category, reported_at, status, source and grid_code of the given incidents."""
        rows = self._indicators.incident_rows(incident_ids)
        columns = ["incident_id", Col.CATEGORY, Col.REPORTED_AT, Col.STATUS, Col.SOURCE, Col.GRID_CODE]
        return rows[[c for c in columns if c in rows.columns]]


#: Categories and sources a filter may name, in the order the page lists them.
CATEGORIES: Final = tuple(c.value for c in IncidentCategory)
SOURCES: Final = tuple(s.value for s in IncidentSource)
