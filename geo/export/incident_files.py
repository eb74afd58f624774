"""Incidents as files that open right in QGIS and Excel, without the fields about a person.

- Shapefile: UTF-8 with its ``.cpg`` (without it QGIS and ArcGIS read the names as ISO-8859-1, ``???``),
  field names shortened as `SHAPEFILE_NAMES` lists (dBASE allows 10 characters), times as text
  ``YYYY-MM-DD HH:MM:SS`` (a dBASE date has no time of day).
- GeoJSON: times with the city's offset, ``2024-06-01T12:00:00+08:00``.
- CSV: UTF-8 with BOM, formula-safe (geo.files.write_csv), lon and lat columns.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import GeoInputError
from geo.files import write_csv
from geo.schema import LOCAL_TIMEZONE, PERSONAL_FIELDS, Col, IncidentCol

FORMATS: Final = ("shp", "geojson", "csv")
#: Columns whose names dBASE's 10 characters cannot hold, and the names they get in a Shapefile.
SHAPEFILE_NAMES: Final = {
    IncidentCol.INCIDENT_ID.value: "incident",
    IncidentCol.CATEGORY_RAW.value: "cat_raw",
    IncidentCol.REPEAT_PETITION.value: "repeat",
    IncidentCol.PRE_LITIGATION.value: "pre_litig",
    Col.REPORTED_AT.value: "reported",
    IncidentCol.SATISFACTION.value: "satisfied",
    Col.VILLAGE_CODE.value: "village",
    Col.TOWNSHIP_CODE.value: "township",
    Col.COUNTY_CODE.value: "county",
    IncidentCol.MATCH_LEVEL.value: "match_lvl",
    IncidentCol.MATCH_SCORE.value: "match_scr",
    IncidentCol.ROW_NUMBER.value: "row_number",
    IncidentCol.SERVICE_NAME.value: "svc_name",
    IncidentCol.STATUS_NOTES.value: "notes",
    IncidentCol.AGENCY_RESPONSIBLE.value: "agency",
    IncidentCol.SERVICE_NOTICE.value: "notice",
    IncidentCol.EXPECTED_AT.value: "expected",
    IncidentCol.MEDIA_URL.value: "media_url",
}
_TIMES: Final = (Col.REPORTED_AT.value, Col.CLOSED_AT.value, IncidentCol.EXPECTED_AT.value)


def _without_personal(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    dropped = [c for c in incidents.columns if c in PERSONAL_FIELDS or c == IncidentCol.ADDRESS_ID]
    return incidents.drop(columns=dropped)


def _times_as_text(frame: pd.DataFrame, *, zoned: bool) -> pd.DataFrame:
    frame = frame.copy()
    for column in (c for c in _TIMES if c in frame.columns):
        stamps = pd.to_datetime(frame[column], errors="coerce")
        text = (stamps.dt.tz_localize(LOCAL_TIMEZONE).map(lambda t: t.isoformat(), na_action="ignore")
                if zoned else stamps.dt.strftime("%Y-%m-%d %H:%M:%S"))
        frame[column] = text.astype(object).where(stamps.notna(), None)
    return frame


def write_incident_file(incidents: gpd.GeoDataFrame, path: str | os.PathLike[str], *,
                        file_format: str) -> Path:
    """Write `incidents` (the store's layer, or a selection of it) as `file_format`; returns the path."""
    if file_format not in FORMATS:
        raise GeoInputError(f"format {file_format!r}: allowed are {', '.join(FORMATS)}")
    target = Path(path)
    frame = _without_personal(incidents)
    if file_format == "csv":
        table = pd.DataFrame(_times_as_text(frame, zoned=True).drop(columns=frame.geometry.name))
        write_csv(table, target)
        return target
    if file_format == "geojson":
        pyogrio.write_dataframe(_times_as_text(frame, zoned=True), target, driver="GeoJSON")
        return target
    shaped = _times_as_text(frame, zoned=False).rename(columns=SHAPEFILE_NAMES)
    pyogrio.write_dataframe(shaped, target, driver="ESRI Shapefile", encoding="UTF-8")
    return target
