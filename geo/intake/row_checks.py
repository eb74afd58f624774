"""Row checks for incident intake, column by column over the whole file (no per-row Python loops).

Each row ends with at most one reject reason (the first problem found, in the order below) and any number
of flags. Rejected rows go to the quarantine with the reason and a detail that names the field, the value
and what is allowed; flagged rows are kept. Text is normalised first: full-width digits and letters become
ASCII (NFKC), spaces are removed from ids, numbers and coordinates, and addresses keep the spaces their
script needs (see geo.intake.text_forms).

Dates are local time (Asia/Shanghai, UTC+8) unless they carry an offset, which is then converted to local
time. Accepted forms: ``2023-07-05 14:03[:00]``, ``2023/7/5 14:03[:00]``, ``2023年7月5日 14:03``, ISO 8601
with ``T`` and an optional offset, dates without a time, and Excel serial day numbers.

A missing status is inferred: ``closed`` when there is a close time, else ``open``. A close time on an
incident whose status is not closed is dropped (Open311's ``updated_datetime`` is a close time only then).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.intake.profiles import Field, SourceProfile, label_key
from geo.intake.readers import GEOMETRY_LAT, GEOMETRY_LON, RawTable
from geo.intake.text_forms import compact_text, script_text, tidy_text
from geo.schema import LOCAL_TIMEZONE, IncidentCategory, IncidentStatus

BoolArray = NDArray[np.bool_]
#: A reject's detail: one text, one per row, or what makes them, called only when a row is rejected (most
#: checks reject nothing, and building a text per row would cost more than the check).
Detail: TypeAlias = pd.Series | str | Callable[[], pd.Series | str]
#: The checked fields by name while the checks run (a Series or an array each), one DataFrame at the end:
#: a column set into a DataFrame costs more than most checks.
Columns = dict[str, Any]


class Reason(StrEnum):
    """Why a row was quarantined; the checks run in this order and the first failing one is reported."""

    UNREADABLE_ROW = "unreadable_row"  # not parsed: field count, encoding, a NUL byte, not a point feature
    MISSING_FIELD = "missing_field"  # no source id, no time, or neither coordinates nor an address
    DUPLICATE_SOURCE_ID = "duplicate_source_id"  # the id appeared in an earlier row of the same file
    BAD_DATE = "bad_date"  # unparseable, before 2000, or in the future
    BAD_VALUE = "bad_value"  # severity not 1-3, a yes/no field that is neither
    BAD_COORDINATE = "bad_coordinate"  # not a number, not finite, only one of the pair, out of range
    OUTSIDE_CITY = "outside_city"  # farther than OUTSIDE_CITY_TOLERANCE_M from every grid
    UNGEOCODABLE_ADDRESS = "ungeocodable_address"  # no coordinates and the address matches nothing


class Flag(StrEnum):
    """Notes on accepted rows, kept comma-separated in the incident's ``flags``."""

    SWAPPED_COORDINATES = "swapped_coordinates"  # latitude and longitude were exchanged; fixed
    UNKNOWN_CATEGORY = "unknown_category"  # stored as `other`, the label kept in category_raw
    UNKNOWN_STATUS = "unknown_status"
    UNKNOWN_OUTCOME = "unknown_outcome"
    UNKNOWN_SATISFACTION = "unknown_satisfaction"
    CLOSED_BEFORE_REPORTED = "closed_before_reported"
    GEOCODED = "geocoded"  # the position comes from the address
    COARSE_LOCATION = "coarse_location"  # geocoded to a village, township or county, not a doorplate
    NEAR_EDGE = "near_edge"  # within the conversion uncertainty of a grid edge: review the grid
    OUTSIDE = "outside"  # outside every grid but near the city: kept without a grid


EARLIEST_DATE: Final = pd.Timestamp("2000-01-01")
#: Margin around the grids' extent inside which a point is not obviously elsewhere (swap test, fast reject).
EXTENT_MARGIN_DEG: Final = 0.1

_NAIVE_FORMATS: Final = (
    "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d", "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y年%m月%d日",
    "%Y.%m.%d %H:%M", "%Y.%m.%d",
)
_OFFSET_PATTERN: Final = r"^\d{4}-\d{1,2}-\d{1,2}T.*(?:Z|[+-]\d{2}:?\d{2})$"
_EXCEL_SERIAL_PATTERN: Final = r"^\d{5}(?:\.\d+)?$"
_EXCEL_EPOCH: Final = pd.Timestamp("1899-12-30")
_EXCEL_SERIAL_RANGE: Final = (36526.0, 73051.0)  # 2000-01-01 .. 2100-01-01
_DATE_HINT: Final = "expected a date like 2023-07-05 14:03:00 or 2023/7/5 14:03"


@dataclass
class Verdicts:
    """Reject reasons, details and flags for every row of a file, filled column by column."""

    size: int
    reason: NDArray[np.object_] = field(init=False)
    detail: NDArray[np.object_] = field(init=False)
    flags: dict[Flag, BoolArray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.reason = np.full(self.size, None, dtype=object)
        self.detail = np.full(self.size, "", dtype=object)

    @property
    def open(self) -> BoolArray:
        """Rows not rejected so far."""
        return np.asarray(pd.isna(self.reason), dtype=bool)

    def reject(self, mask: BoolArray | pd.Series, reason: Reason, detail: Detail) -> None:
        """Reject rows in `mask` that have no reason yet; the detail may be one text or one per row."""
        hit = np.asarray(mask, dtype=bool) & self.open
        if not hit.any():
            return
        if callable(detail):
            detail = detail()
        self.reason[hit] = reason.value
        self.detail[hit] = detail if isinstance(detail, str) else np.asarray(detail, dtype=object)[hit]

    def flag(self, mask: BoolArray | pd.Series, flag: Flag) -> None:
        current = self.flags.get(flag, np.zeros(self.size, dtype=bool))
        self.flags[flag] = current | np.asarray(mask, dtype=bool)

    def flags_text(self) -> NDArray[np.object_]:
        """Comma-separated flags per row, in Flag order ("" when none)."""
        out = np.full(self.size, "", dtype=object)
        for flag in Flag:
            mask = self.flags.get(flag)
            if mask is not None and mask.any():
                out[mask] = np.where(out[mask] == "", flag.value, out[mask] + "," + flag.value)
        return out


@dataclass
class CheckedRows:
    """Typed incident fields of a file's parsed rows, and what the checks decided about each."""

    fields: pd.DataFrame  # Field names; lon/lat as floats in the source CRS (NaN when absent)
    verdicts: Verdicts
    needs_geocode: BoolArray  # no coordinates, but an address to look up


# ---------------------------------------------------------------- text


def _blank(value: object) -> bool:
    return bool(pd.isna(value)) if not isinstance(value, str) else not value.strip()


def _coalesce(frame: pd.DataFrame, headers: tuple[str, ...]) -> tuple[pd.Series, str]:
    """The first non-empty value among the headers present, and the header name used in messages."""
    present = [h for h in headers if h in frame.columns]
    out = np.full(len(frame), "", dtype=object)
    todo = np.ones(len(frame), dtype=bool)
    for header in present:
        values = frame[header].to_numpy(dtype=object)
        filled = todo & ~np.fromiter(map(_blank, values), dtype=bool, count=len(values))
        out[filled] = values[filled]
        todo &= ~filled
        if not todo.any():
            break
    return pd.Series(out, index=frame.index, dtype=object), "/".join(present or headers)


def _about(header: str, values: pd.Series, problem: str) -> Callable[[], pd.Series]:
    """The detail ``HEADER 'value'PROBLEM`` of each row, made when a row is rejected."""
    return lambda: header + " " + _quoted(values) + problem


# ---------------------------------------------------------------- dates


def parse_datetimes(text: pd.Series) -> pd.Series:
    """Local naive datetimes from tidied text; NaT where nothing fits (see the module notes)."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    todo = text != ""
    if not todo.any():  # an empty column (a POST's close time) costs no parse attempts
        return out
    # Zoned times first (no naive format parses them), so an Open311 file or POST skips the naive tries.
    offset = todo & text.str.match(_OFFSET_PATTERN)
    if offset.any():
        parsed = pd.to_datetime(text[offset], format="ISO8601", utc=True, errors="coerce")
        out[offset] = parsed.dt.tz_convert(LOCAL_TIMEZONE).dt.tz_localize(None)
        todo &= out.isna()
    for fmt in _NAIVE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        out[parsed.index] = parsed.where(parsed.notna(), out[parsed.index])
        todo &= out.isna()
    serial = todo & text.str.match(_EXCEL_SERIAL_PATTERN)
    if serial.any():
        days = pd.to_numeric(text[serial], errors="coerce")
        days = days.where(days.between(*_EXCEL_SERIAL_RANGE))
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s")
    return out


def _check_dates(fields: Columns, raw: dict[Field, tuple[pd.Series, str]], verdicts: Verdicts,
                 now: pd.Timestamp) -> None:
    for wanted in (Field.REPORTED_AT, Field.CLOSED_AT):
        text, header = raw[wanted]
        text = tidy_text(text)
        parsed = parse_datetimes(text)
        given = text != ""
        verdicts.reject(given & parsed.isna(), Reason.BAD_DATE, _about(header, text, ": " + _DATE_HINT))
        verdicts.reject(parsed < EARLIEST_DATE, Reason.BAD_DATE,
                        _about(header, text, f": before {EARLIEST_DATE:%Y-%m-%d}"))
        verdicts.reject(parsed > now + pd.Timedelta(days=1), Reason.BAD_DATE,
                        _about(header, text, f": in the future (now is {now:%Y-%m-%d %H:%M})"))
        fields[wanted.value] = parsed.astype("datetime64[ms]")


def _quoted(values: pd.Series) -> pd.Series:
    return "'" + values.astype(str).str.slice(0, 60) + "'"


# ---------------------------------------------------------------- labels, numbers and yes/no values


def _map_labels(text: pd.Series, table: Mapping[str, object]) -> pd.Series:
    """The table's value of each text's label key; None where the table has none."""
    return pd.Series([table.get(label_key(value)) for value in text.tolist()], index=text.index,
                     dtype=object)


def _check_labels(fields: Columns, raw: dict[Field, tuple[pd.Series, str]], frame: pd.DataFrame,
                  profile: SourceProfile, verdicts: Verdicts) -> None:
    # Category: the first header whose value names a known category wins; the label is kept as given.
    category = pd.Series(None, index=frame.index, dtype=object)
    for header in reversed([h for h in profile.headers(Field.CATEGORY) if h in frame.columns]):
        mapped = _map_labels(tidy_text(frame[header]), dict(profile.categories))
        category = mapped.where(mapped.notna(), category)
    fields["category_raw"] = tidy_text(raw[Field.CATEGORY][0])
    verdicts.flag(category.isna(), Flag.UNKNOWN_CATEGORY)
    fields[Field.CATEGORY.value] = category.fillna(IncidentCategory.OTHER.value).astype(str)

    for wanted, table, flag in ((Field.STATUS, profile.statuses, Flag.UNKNOWN_STATUS),
                                (Field.OUTCOME, profile.outcomes, Flag.UNKNOWN_OUTCOME),
                                (Field.SATISFACTION, profile.satisfaction, Flag.UNKNOWN_SATISFACTION)):
        text = tidy_text(raw[wanted][0])
        mapped = _map_labels(text, dict(table))
        verdicts.flag((text != "") & mapped.isna(), flag)
        fields[wanted.value] = mapped.map(lambda v: None if v is None else str(v))


def _check_values(fields: Columns, raw: dict[Field, tuple[pd.Series, str]], profile: SourceProfile,
                  verdicts: Verdicts) -> None:
    text, header = raw[Field.SEVERITY]
    text = compact_text(text)
    number = pd.to_numeric(text, errors="coerce")
    ok = number.isin([1, 2, 3])
    verdicts.reject((text != "") & ~ok, Reason.BAD_VALUE, _about(header, text, ": allowed are 1, 2, 3"))
    fields[Field.SEVERITY.value] = number.where(ok, profile.defaults[Field.SEVERITY]).astype(np.int64)
    for wanted in (Field.SERIOUS, Field.REPEAT_PETITION, Field.PRE_LITIGATION):
        text, header = raw[wanted]
        text = compact_text(text)
        mapped = _map_labels(text, profile.booleans)
        verdicts.reject((text != "") & mapped.isna(), Reason.BAD_VALUE,
                        _about(header, text, ": allowed are 1/0, 是/否, true/false"))
        fields[wanted.value] = mapped.where(mapped.notna(), profile.defaults[wanted]).astype(bool)


def _settle_status(fields: Columns, verdicts: Verdicts) -> None:
    status = fields[Field.STATUS.value]
    closed_at = fields[Field.CLOSED_AT.value]
    inferred = np.where(closed_at.notna(), IncidentStatus.CLOSED.value, IncidentStatus.OPEN.value)
    status = status.where(status.notna(), pd.Series(inferred, index=status.index))
    fields[Field.STATUS.value] = status
    fields[Field.CLOSED_AT.value] = closed_at.where(status == IncidentStatus.CLOSED.value)
    early = fields[Field.CLOSED_AT.value] < fields[Field.REPORTED_AT.value]
    verdicts.flag(early.fillna(False).to_numpy(dtype=bool), Flag.CLOSED_BEFORE_REPORTED)


# ---------------------------------------------------------------- coordinates


Box = tuple[float, float, float, float]


def _in_box(lon: NDArray[np.float64], lat: NDArray[np.float64], box: Box) -> BoolArray:
    west, south, east, north = box
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _check_coordinates(
    fields: Columns, raw: dict[Field, tuple[pd.Series, str]], verdicts: Verdicts,
    city_bounds: tuple[float, float, float, float],
) -> BoolArray:
    """Parse, unswap and range-check the pair; returns the rows that must be geocoded instead."""
    (lon_text, lon_header), (lat_text, lat_header) = raw[Field.LON], raw[Field.LAT]
    lon_text, lat_text = compact_text(lon_text), compact_text(lat_text)
    address = fields[Field.ADDRESS.value]
    has_lon, has_lat = lon_text != "", lat_text != ""
    neither = ~has_lon & ~has_lat
    verdicts.reject(has_lon != has_lat, Reason.BAD_COORDINATE,
                    f"only one of {lon_header} and {lat_header} is given: "
                    "give both, or neither and an address")
    lon = pd.to_numeric(lon_text, errors="coerce").to_numpy(dtype=np.float64)
    lat = pd.to_numeric(lat_text, errors="coerce").to_numpy(dtype=np.float64)
    for values, text, header in ((lon, lon_text, lon_header), (lat, lat_text, lat_header)):
        given = (text != "").to_numpy()
        verdicts.reject(given & ~np.isfinite(values), Reason.BAD_COORDINATE,
                        _about(header, text, ": expected a finite decimal number of degrees"))
    west, south, east, north = city_bounds
    margin = EXTENT_MARGIN_DEG
    box = (west - margin, south - margin, east + margin, north + margin)
    pair = verdicts.open & ~neither.to_numpy()
    swapped = pair & ~_in_box(lon, lat, box) & _in_box(lat, lon, box)
    lon, lat = np.where(swapped, lat, lon), np.where(swapped, lon, lat)
    verdicts.flag(swapped, Flag.SWAPPED_COORDINATES)
    def shown(problem: str) -> Callable[[], pd.Series]:
        return lambda: pd.Series(np.char.add(np.char.add(lon.astype(str), ", "), lat.astype(str)),
                                 index=address.index) + problem

    out_of_range = pair & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    verdicts.reject(out_of_range, Reason.BAD_COORDINATE,
                    shown(": longitude must be within ±180 and latitude ±90"))
    verdicts.reject(pair & ~_in_box(lon, lat, box), Reason.OUTSIDE_CITY,
                    shown(f": outside the city's extent ({west:.2f}-{east:.2f}E, {south:.2f}-{north:.2f}N)"))
    fields[Field.LON.value], fields[Field.LAT.value] = lon, lat
    return neither.to_numpy() & (address != "").to_numpy()


# ---------------------------------------------------------------- Open311 fields kept as given


def _keep_georeport_fields(fields: Columns, raw: dict[Field, tuple[pd.Series, str]],
                           verdicts: Verdicts) -> None:
    for name in (Field.SERVICE_NAME, Field.AGENCY_RESPONSIBLE):
        fields[name.value] = script_text(raw[name][0])
    for name in (Field.STATUS_NOTES, Field.SERVICE_NOTICE):
        fields[name.value] = tidy_text(raw[name][0], nfkc=False)
    for name in (Field.ADDRESS_ID, Field.ZIPCODE):
        fields[name.value] = compact_text(raw[name][0])
    fields[Field.MEDIA_URL.value] = raw[Field.MEDIA_URL][0].astype(object).fillna("").str.strip()
    text, header = raw[Field.EXPECTED_AT]
    text = tidy_text(text)
    parsed = parse_datetimes(text)  # an expected time may lie in the future
    verdicts.reject((text != "") & parsed.isna(), Reason.BAD_DATE, _about(header, text, ": " + _DATE_HINT))
    fields[Field.EXPECTED_AT.value] = parsed.astype("datetime64[ms]")


# ---------------------------------------------------------------- the whole file


def _check_required(fields: Columns, raw: dict[Field, tuple[pd.Series, str]],
                    verdicts: Verdicts) -> None:
    """An id, a time, and a place: coordinates or an address."""
    verdicts.reject(fields[Field.SOURCE_ID.value] == "", Reason.MISSING_FIELD,
                    f"{raw[Field.SOURCE_ID][1]} is empty")
    time_text, time_header = raw[Field.REPORTED_AT]
    verdicts.reject(compact_text(time_text) == "", Reason.MISSING_FIELD, f"{time_header} is empty")
    (lon_text, lon_header), (lat_text, lat_header) = raw[Field.LON], raw[Field.LAT]
    no_place = ((compact_text(lon_text) == "") & (compact_text(lat_text) == "")
                & (fields[Field.ADDRESS.value] == ""))
    verdicts.reject(no_place, Reason.MISSING_FIELD,
                    f"no coordinates ({lon_header}, {lat_header}) and no address ({raw[Field.ADDRESS][1]})")


def check_rows(table: RawTable, profile: SourceProfile, *, city_bounds: tuple[float, float, float, float],
               now: pd.Timestamp) -> CheckedRows:
    """Parse and check every parsed row of `table` against `profile` (locations are resolved later)."""
    frame = table.frame
    raw = {wanted: _coalesce(frame, profile.headers(wanted)) for wanted in Field}
    if GEOMETRY_LON in frame.columns:  # a GeoJSON feature's point wins over coordinate properties
        raw[Field.LON] = _coalesce(frame, (GEOMETRY_LON, *profile.headers(Field.LON)))
        raw[Field.LAT] = _coalesce(frame, (GEOMETRY_LAT, *profile.headers(Field.LAT)))
        raw[Field.LON] = (raw[Field.LON][0], "geometry")
        raw[Field.LAT] = (raw[Field.LAT][0], "geometry")
    verdicts = Verdicts(len(frame))
    fields: Columns = {}
    ids, id_header = raw[Field.SOURCE_ID]
    ids = compact_text(ids)
    fields[Field.SOURCE_ID.value] = ids
    fields[Field.ADDRESS.value] = script_text(raw[Field.ADDRESS][0])
    _check_required(fields, raw, verdicts)
    repeated = (ids != "") & ids.duplicated(keep="first")

    def first_rows() -> pd.Series:
        first = pd.Series(table.row_numbers, index=frame.index).groupby(ids).transform("min")
        return id_header + " " + _quoted(ids) + " repeats row " + first.astype(str)

    verdicts.reject(repeated, Reason.DUPLICATE_SOURCE_ID, first_rows)
    _check_dates(fields, raw, verdicts, now)
    _check_values(fields, raw, profile, verdicts)
    needs_geocode = _check_coordinates(fields, raw, verdicts, city_bounds)
    _check_labels(fields, raw, frame, profile, verdicts)
    _settle_status(fields, verdicts)
    fields[Field.DESCRIPTION.value] = tidy_text(raw[Field.DESCRIPTION][0], nfkc=False)
    fields[Field.REPORTER_NAME.value] = tidy_text(raw[Field.REPORTER_NAME][0])
    fields[Field.REPORTER_PHONE.value] = compact_text(raw[Field.REPORTER_PHONE][0])
    _keep_georeport_fields(fields, raw, verdicts)
    return CheckedRows(pd.DataFrame(fields, index=frame.index), verdicts, needs_geocode & verdicts.open)
