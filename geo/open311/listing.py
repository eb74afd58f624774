"""The list of requests (GET requests): the spec's filters over the incidents, no personal field and
positions generalised to `GENERALISE_DEGREES`, unless the client asking has the detail right.

Filters: ``service_request_id``, ``service_code`` and ``status`` (comma-separated lists), ``start_date``
and ``end_date`` (W3C datetimes with a zone, on requested_datetime), and the extension ``area``: an area
code of any level (county, township, village, grid) whose cases are listed. As the spec says, without
dates the last `DEFAULT_SPAN_DAYS` days are listed, and at most `MAX_REQUESTS` requests, newest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.errors import GeoInputError
from geo.intake.service_codes import ServiceTable
from geo.schema import CITY_CODE, LOCAL_TIMEZONE, Col, IncidentCol, IncidentStatus, Level, level_of_code

#: Positions are rounded to this many degrees (about 1 km): enough for a map, not a doorstep.
GENERALISE_DEGREES: Final = 0.01
DEFAULT_SPAN_DAYS: Final = 90
MAX_REQUESTS: Final = 1000
#: Spec fields never listed: they describe or locate a person (geo.schema.PERSONAL_FIELDS).
WITHHELD: Final = frozenset({"description", "address", "address_id"})
STATUSES: Final = ("open", "closed")
_AREA_COLUMNS: Final = {Level.COUNTY: Col.COUNTY_CODE, Level.TOWNSHIP: Col.TOWNSHIP_CODE,
                        Level.VILLAGE: Col.VILLAGE_CODE, Level.GRID: Col.GRID_CODE}
_FILTERS: Final = frozenset({"service_request_id", "service_code", "status", "start_date", "end_date", "area",
                             "jurisdiction_id", "api_key"})


@dataclass(frozen=True)
class RequestFilter:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: pd.Timestamp | None = None  # local wall-clock time, as the store keeps it
    end: pd.Timestamp | None = None
    area: str | None = None


def _listed(params: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(params.get(name, "")).split(",") if part.strip())


def _local_time(params: Mapping[str, str], name: str) -> pd.Timestamp | None:
    text = str(params.get(name, "")).strip()
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        stamp = None
    if stamp is None or stamp is pd.NaT or stamp.tzinfo is None:
        raise GeoInputError(f"{name} {text[:40]!r}: expected a W3C datetime with a zone, "
                            "like 2024-05-01T00:00:00+08:00 or 2024-05-01T00:00:00Z")
    return stamp.tz_convert(LOCAL_TIMEZONE).tz_localize(None)


def parse_filter(params: Mapping[str, str], services: ServiceTable) -> RequestFilter:
    """The filter of a query string; GeoInputError naming the parameter, the value and what is allowed."""
    unknown = sorted(set(params) - _FILTERS)
    if unknown:
        raise GeoInputError(f"unknown parameter(s) {', '.join(unknown)}: allowed are "
                            f"{', '.join(sorted(_FILTERS))}")
    codes = _listed(params, "service_code")
    ours = {s.code for s in services.services}
    bad = [code for code in codes if code not in ours]
    if bad:
        raise GeoInputError(f"service_code {','.join(bad)}: allowed are {', '.join(sorted(ours))}")
    statuses = _listed(params, "status")
    if set(statuses) - set(STATUSES):
        raise GeoInputError(f"status {','.join(statuses)}: allowed are open, closed")
    area = str(params.get("area", "")).strip() or None
    if area is not None:
        try:
            level = level_of_code(area)
        except ValueError as error:
            raise GeoInputError(f"area: {error}") from None
        if level is Level.MICRO_GRID:
            raise GeoInputError(f"area {area!r}: cases are placed in grids, not micro-grids; give its grid")
    start, end = _local_time(params, "start_date"), _local_time(params, "end_date")
    if start is not None and end is not None and start > end:
        raise GeoInputError("start_date is after end_date")
    return RequestFilter(_listed(params, "service_request_id"), codes, statuses, start, end, area)


def _zoned(values: pd.Series) -> list[str | None]:
    stamps = pd.to_datetime(values, errors="coerce")
    return [None if pd.isna(v) else pd.Timestamp(v).tz_localize(LOCAL_TIMEZONE).isoformat() for v in stamps]


def _column(incidents: pd.DataFrame, name: str) -> pd.Series:
    """A column, or nulls for a store written before the column existed."""
    if name in incidents.columns:
        return incidents[name]
    return pd.Series(None, index=incidents.index, dtype=object)


def _text(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) or v == "" else str(v) for v in values.astype(object)]


def select_requests(incidents: pd.DataFrame, wanted: RequestFilter, *, now: pd.Timestamp) -> pd.DataFrame:
    """The incidents `wanted` asks for, newest first, at most `MAX_REQUESTS` (`now` is local time)."""
    frame = incidents
    if wanted.ids:
        frame = frame[frame[IncidentCol.INCIDENT_ID].isin(wanted.ids)]
    if wanted.service_codes:
        frame = frame[frame[Col.CATEGORY].isin(wanted.service_codes)]
    if wanted.statuses:
        spec_status = np.where(frame[Col.STATUS] == IncidentStatus.CLOSED.value, "closed", "open")
        frame = frame[np.isin(spec_status, wanted.statuses)]
    if wanted.area and wanted.area != CITY_CODE:
        frame = frame[frame[_AREA_COLUMNS[level_of_code(wanted.area)]].astype(str) == wanted.area]
    start, end = wanted.start, wanted.end
    if start is None and end is None and not wanted.ids:
        start, end = now - pd.Timedelta(days=DEFAULT_SPAN_DAYS), now
    reported = pd.to_datetime(frame[Col.REPORTED_AT])
    if start is not None:
        frame, reported = frame[reported >= start], reported[reported >= start]
    if end is not None:
        frame = frame[reported <= end]
    return frame.sort_values(Col.REPORTED_AT, ascending=False, kind="stable").head(MAX_REQUESTS)


def _position(values: pd.Series, *, detail: bool) -> list[object]:
    """Degrees as stored (to about 10 cm) for a client with the detail right, else to the nearest
    GENERALISE_DEGREES."""
    if detail:
        return [None if pd.isna(v) else round(float(v), 6) for v in values]
    return [None if pd.isna(v) else round(round(float(v) / GENERALISE_DEGREES) * GENERALISE_DEGREES, 6)
            for v in values]


def service_requests(incidents: pd.DataFrame, services: ServiceTable, *,
                     detail: bool = False) -> list[dict[str, object]]:
    """The spec's request fields of selected incidents: without `WITHHELD` ones and with positions
    generalised, or, for a client with the detail right (`detail`), all of them as stored."""
    if incidents.empty:
        return []
    names = {s.code: s.name_zh for s in services.services}
    closed = incidents[Col.STATUS] == IncidentStatus.CLOSED.value
    updated = incidents[Col.CLOSED_AT].where(closed, incidents[Col.REPORTED_AT])
    columns: dict[str, list[object]] = {
        "service_request_id": list(incidents[IncidentCol.INCIDENT_ID].astype(str)),
        "status": list(np.where(closed, "closed", "open")),
        "status_notes": list(_text(_column(incidents, IncidentCol.STATUS_NOTES))),
        "service_name": [names.get(c, c) for c in incidents[Col.CATEGORY].astype(str)],
        "service_code": list(incidents[Col.CATEGORY].astype(str)),
        "agency_responsible": list(_text(_column(incidents, IncidentCol.AGENCY_RESPONSIBLE))),
        "service_notice": list(_text(_column(incidents, IncidentCol.SERVICE_NOTICE))),
        "requested_datetime": list(_zoned(incidents[Col.REPORTED_AT])),
        "updated_datetime": list(_zoned(updated)),
        "expected_datetime": list(_zoned(_column(incidents, IncidentCol.EXPECTED_AT))),
        "zipcode": list(_text(_column(incidents, IncidentCol.ZIPCODE))),
        "lat": _position(incidents[IncidentCol.LAT], detail=detail),
        "long": _position(incidents[IncidentCol.LON], detail=detail),
        "media_url": list(_text(_column(incidents, IncidentCol.MEDIA_URL))),
    }
    if detail:
        columns |= {"description": list(_text(_column(incidents, IncidentCol.DESCRIPTION))),
                    "address": list(_text(_column(incidents, IncidentCol.ADDRESS))),
                    "address_id": list(_text(_column(incidents, IncidentCol.ADDRESS_ID)))}
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]
