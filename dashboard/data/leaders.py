"""Incident layers of the leaders' map: H3 hexagon heat and points for clustering, filtered by area, month
range, category and source; and the rows of the top incidents table with their details. The incidents
held in memory have no personal fields (see indicators.py); a table's details are read from the store
for its few rows and masked for a viewer without the personal-fields right before they leave here."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from dashboard.data.indicators import Indicators
from dashboard.settings import Settings
from geo.api import (
    PERSONAL_FIELDS,
    Col,
    IncidentCategory,
    IncidentCol,
    IncidentSource,
    Layer,
    Level,
    generalise_positions,
    hexagon_counts,
    masked_frame,
    open_store,
    point_collection,
    polygon_collection,
)

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


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents a layer shows: an inclusive month range and, when not empty, only these
    categories and sources."""

    first_month: str
    last_month: str
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


#: Columns of an incident's details: who reported it, where, and what they said.
DETAIL_COLUMNS: Final = (IncidentCol.REPORTER_NAME.value, IncidentCol.REPORTER_PHONE.value,
                         IncidentCol.ADDRESS.value, IncidentCol.DESCRIPTION.value)
#: Detail tables kept per store state (one per panel shown).
_DETAILS_KEPT: Final = 256


def _text(value: object) -> str:
    """A detail cell as text: empty for a missing value."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


class IncidentLayers:
    """Incidents of one area for the map's heat and point layers."""

    def __init__(self, settings: Settings, indicators: Indicators) -> None:
        self._indicators = indicators
        self._store = open_store(settings.store)
        self._lock = threading.Lock()
        self._details: OrderedDict[tuple[str, tuple[str, ...]], pd.DataFrame] = OrderedDict()

    def _chosen(self, code: str, level: str, chosen: IncidentFilter) -> pd.DataFrame:
        incidents = self._indicators.incidents_within(code, level,
                                                      months=(chosen.first_month, chosen.last_month))
        keep = np.ones(len(incidents), dtype=bool)
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
        return polygon_collection(cells, ["count"])

    def points(self, code: str, level: str, chosen: IncidentFilter) -> tuple[dict[str, Any], int]:
        """The incidents as points for clustering (properties: ``c`` category, ``s`` status) and how
        many passed the filter; at most MAX_POINTS, the latest first. Positions are generalised to
        GENERALISE_CELL_M cells on the server: the map never receives a doorplate."""
        incidents = self._chosen(code, level, chosen)
        total = len(incidents)
        if total > MAX_POINTS:
            incidents = incidents.sort_values(Col.REPORTED_AT, ascending=False).head(MAX_POINTS)
        lon, lat = generalise_positions(
            pd.to_numeric(incidents["lon"]).to_numpy(dtype=float),
            pd.to_numeric(incidents["lat"]).to_numpy(dtype=float),
        )
        properties = {"c": incidents[Col.CATEGORY].astype(str), "s": incidents[Col.STATUS].astype(str)}
        return point_collection(lon, lat, properties), total

    def details(self, incident_ids: Sequence[str], *, personal_fields: bool) -> pd.DataFrame:
        """DETAIL_COLUMNS of the given incidents by incident_id, masked (geo.api.masked_frame) unless the
        viewer has the personal-fields right."""
        ids = tuple(str(i) for i in incident_ids)
        key = (self._store.state(), ids)
        with self._lock:
            found = self._details.get(key)
        if found is None:
            rows = pd.DataFrame(self._store.read(Layer.INCIDENTS.value, equals={"incident_id": list(ids)}))
            # Made anew of Python strings: a filtered read's Arrow-backed columns and index hold the whole
            # read batch's buffers (about 10 MB), which a kept frame would hold on to.
            found = pd.DataFrame({c: [_text(v) for v in rows[c]] if c in rows.columns else [""] * len(rows)
                                  for c in DETAIL_COLUMNS},
                                 index=[str(i) for i in rows["incident_id"]], dtype=object)
            with self._lock:
                self._details[key] = found
                while len(self._details) > _DETAILS_KEPT:
                    self._details.popitem(last=False)
        assert set(found.columns) <= PERSONAL_FIELDS
        return masked_frame(found, personal_fields=personal_fields)

    def top_rows(self, incident_ids: Sequence[str]) -> pd.DataFrame:
        """incident_id, category, reported_at, status, source and grid_code of the given incidents."""
        rows = self._indicators.incident_rows(incident_ids)
        columns = ["incident_id", Col.CATEGORY, Col.REPORTED_AT, Col.STATUS, Col.SOURCE, Col.GRID_CODE]
        return rows[[c for c in columns if c in rows.columns]]


#: Categories and sources a filter may name, in the order the page lists them.
CATEGORIES: Final = tuple(c.value for c in IncidentCategory)
SOURCES: Final = tuple(s.value for s in IncidentSource)
