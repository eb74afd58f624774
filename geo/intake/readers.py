"""Incident files as tables of text: CSV, XLSX, GeoJSON and Open311 GeoReport v2 requests (JSON or XML).

The format is recognised from the content, not the name: a ZIP container is an XLSX workbook, text that
starts with ``{`` or ``[`` is JSON (a FeatureCollection is GeoJSON, an array of objects is Open311), text
that starts with ``<`` is GeoReport XML (see geo.intake.georeport), and anything else is CSV. CSV text is
decoded as UTF-16 when it has a UTF-16 BOM or the NUL-byte pattern of UTF-16 text, else as UTF-8 (with or
without BOM), else as GB18030 (a superset of the GBK that Excel in China writes); an explicit encoding
overrides the guess. Text with many NUL bytes (or one in the header line) is a binary file and refused.

Every cell becomes text ("" when empty), so the checks downstream see one kind of value. Excel date cells
become ``YYYY-MM-DD HH:MM:SS`` and whole numbers lose their ``.0``. Row numbers are the ones a clerk sees:
the spreadsheet row (the header row included, so the first data row of a plain file is 2), or the 1-based
position of a feature or request in a JSON file. Blank rows carry nothing and are not rows. A row that
cannot be parsed (wrong number of fields, bytes not valid in the encoding, a feature that is not a point,
a field holding a NUL byte) is kept in `RawTable.unreadable`; only a file that cannot be read at all
raises `SourceFileError`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.errors import SourceFileError
from geo.intake.georeport import loads_georeport_json, looks_like_xml, read_georeport_xml, requests_of_json

#: Columns that carry a GeoJSON feature's point; the profile's own coordinate columns are then ignored.
GEOMETRY_LON: Final = "_geometry_lon"
GEOMETRY_LAT: Final = "_geometry_lat"

#: Formats `read_raw_table` recognises.
FORMATS: Final = ("csv", "xlsx", "geojson", "open311")

_REPLACEMENT: Final = "\ufffd"
_HEADER_SEARCH_ROWS: Final = 20
# A file whose rows are mostly undecodable is the wrong kind of file, not a file with bad rows.
_MAX_UNDECODABLE_SHARE: Final = 0.5
# UTF-16 without BOM: share of NUL bytes at the high-byte positions (ASCII characters), and at most at the
# low-byte positions (U+0100, U+0200 ... are rare in incident files).
_UTF16_SAMPLE_BYTES: Final = 4096
_UTF16_MIN_NUL_SHARE: Final = 0.3
_UTF16_MAX_OTHER_NUL_SHARE: Final = 0.05
# Text whose fields hold NUL or other control characters has damaged rows (quarantined one by one); a
# binary file (an image, an old Excel file) is control characters through and through.
_BINARY_MIN_CONTROLS: Final = 8
_BINARY_CONTROL_SHARE: Final = 0.1
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Deepest JSON nesting read (a MultiPolygon feature is 8 deep); deeper text is refused before parsing,
#: since the parser would otherwise exhaust Python's recursion limit.
MAX_JSON_DEPTH: Final = 64
_JSON_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]+")


@dataclass(frozen=True)
class UnreadableRow:
    """A row that could not be parsed into fields, with its raw text for the quarantine."""

    row_number: int
    raw: str
    detail: str


@dataclass(frozen=True)
class RawTable:
    """The rows of one file as text, with the row numbers a person sees."""

    file_name: str
    file_format: str
    frame: pd.DataFrame  # one column per header, every value a str
    row_numbers: NDArray[np.int64]
    encoding: str | None = None
    unreadable: tuple[UnreadableRow, ...] = field(default_factory=tuple)

    @property
    def read(self) -> int:
        """Rows read from the file, parsed or not."""
        return len(self.frame) + len(self.unreadable)


def read_raw_table(
    path: str | os.PathLike[str], *, encoding: str | None = None, expected_headers: Collection[str] = ()
) -> RawTable:
    """Read a CSV, XLSX, GeoJSON or Open311 file as text cells.

    Parameters
    ----------
    path
        The file; its format is recognised from the content.
    encoding
        Text encoding of a CSV or JSON file (for example ``gbk``); by default UTF-8 or GB18030 is detected.
    expected_headers
        Headers the caller looks for; the header row is the first of the top rows that holds one of them
        (exports often start with a title row), else the first non-blank row.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFileError(path, "no such file")
    data = path.read_bytes()
    if not data.strip():
        raise SourceFileError(path, "the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data, expected_headers)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceFileError(path, "old Excel .xls workbooks are not read: save it as .xlsx or CSV")
    text, used, damaged = decode_text(data, path=path, encoding=encoding)
    if text.lstrip()[:1] in ("{", "["):
        return _read_json(path, text, used)
    if looks_like_xml(text):
        return _read_objects(path, "open311", read_georeport_xml(path, text), used)
    return _read_csv(path, text, used, expected_headers, damaged=damaged)


def detect_encoding(data: bytes) -> str | None:
    """``utf-8-sig`` for a UTF-8 BOM, ``utf-16`` for a UTF-16 BOM, ``utf-16-le``/``utf-16-be`` for UTF-16
    without one (see `_utf16_without_bom`), ``utf-8`` if the bytes decode as UTF-8, else ``gb18030`` if
    they decode as that, else None."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    for candidate in ("utf-8", "gb18030"):
        try:
            data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows itself by its NUL bytes: the high byte of every ASCII character
    (digits, commas, Latin headers) is 0, at odd positions in little-endian, at even ones in big-endian,
    and almost never at the other. The guess stands only if the whole file then decodes."""
    sample = data[:_UTF16_SAMPLE_BYTES]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    for name, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high >= _UTF16_MIN_NUL_SHARE and low <= _UTF16_MAX_OTHER_NUL_SHARE:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


def decode_text(data: bytes, *, path: Path, encoding: str | None = None) -> tuple[str, str, bool]:
    """Text, the encoding used, and whether some bytes were not valid in it. Those become U+FFFD, so
    the rows holding them can be quarantined one by one instead of failing the file."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SourceFileError(path, f"unknown encoding {encoding!r}: "
                                        "try utf-8, utf-8-sig, gbk or gb18030") from None
        used = encoding
    else:
        used = detect_encoding(data) or _least_damaged(data)
    try:
        text, damaged = data.decode(used), False
    except UnicodeDecodeError:
        text, damaged = data.decode(used, errors="replace"), True
    first_line = text.lstrip().split("\n", 1)[0]
    controls = len(_CONTROLS.findall(text))
    if "\x00" in first_line or controls > max(_BINARY_MIN_CONTROLS, len(text) * _BINARY_CONTROL_SHARE):
        raise SourceFileError(path, f"binary content ({text.count(chr(0))} NUL bytes, {controls} control "
                                    f"characters) in {used} text: expected CSV, XLSX or JSON")
    return text.removeprefix("\ufeff"), used, damaged


def _least_damaged(data: bytes) -> str:
    return min(("utf-8", "gb18030"), key=lambda name: data.decode(name, errors="replace").count(_REPLACEMENT))


# ---------------------------------------------------------------- CSV


def _read_csv(path: Path, text: str, encoding: str, expected: Collection[str], *, damaged: bool) -> RawTable:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SourceFileError(path, f"not readable as CSV: {error}") from None
    table = _table_from_records(path, "csv", records, expected, encoding=encoding, damaged=damaged)
    bad_rows = sum(1 for row in table.unreadable if "not valid in" in row.detail)
    if table.read and bad_rows / table.read > _MAX_UNDECODABLE_SHARE:
        raise SourceFileError(path, f"most rows are not valid {encoding} text: pass the right --encoding "
                                    "(utf-8, gbk or gb18030)")
    return table


def _table_from_records(
    path: Path, file_format: str, records: Sequence[Sequence[object]], expected: Collection[str], *,
    encoding: str | None, damaged: bool = False,
) -> RawTable:
    """Pick the header row, then split the records below it into parsed rows and unreadable ones;
    when decoding `damaged` the text, rows holding U+FFFD are unreadable."""
    cells = [[cell_text(value) for value in record] for record in records]
    header_at = _header_row(cells, expected)
    if header_at is None:
        raise SourceFileError(path, "no header row: the file has no non-blank row")
    header = unique_headers(cells[header_at])
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    unreadable: list[UnreadableRow] = []
    for index in range(header_at + 1, len(cells)):
        record = cells[index]
        number = index + 1
        if not any(record):
            continue
        if damaged and any(_REPLACEMENT in value for value in record):
            unreadable.append(UnreadableRow(number, _json_row(record), f"bytes not valid in {encoding}"))
            continue
        nul_at = next((i for i, value in enumerate(record) if "\x00" in value), None)
        if nul_at is not None:
            name = header[nul_at] if nul_at < width else f"column_{nul_at + 1}"
            detail = f"field {name!r} holds a NUL byte (binary data in text): remove it and import the row"
            unreadable.append(UnreadableRow(number, _json_row(record), detail))
            continue
        if len(record) > width and any(record[width:]):
            unreadable.append(UnreadableRow(number, _json_row(record),
                                            f"{len(record)} fields but the header has {width}"))
            continue
        rows.append((record + [""] * width)[:width])
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else _empty(header)
    numbers_array = np.asarray(numbers, dtype=np.int64)
    return RawTable(path.name, file_format, frame, numbers_array, encoding, tuple(unreadable))


def _header_row(cells: Sequence[Sequence[str]], expected: Collection[str]) -> int | None:
    wanted = {normalise_header(name) for name in expected}
    first: int | None = None
    for index, record in enumerate(cells[:_HEADER_SEARCH_ROWS]):
        if not any(record):
            continue
        if first is None:
            first = index
        if wanted & {normalise_header(value) for value in record}:
            return index
    if first is None:
        first = next((i for i, record in enumerate(cells) if any(record)), None)
    return first


def normalise_header(name: str) -> str:
    """Headers compare without surrounding spaces, BOM or full-width forms."""
    return unicodedata.normalize("NFKC", name.removeprefix("\ufeff")).strip()


def unique_headers(names: Iterable[str]) -> list[str]:
    """Normalised headers; a blank one becomes ``column_N`` and a repeat gets ``.2``, ``.3`` ..."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(names, start=1):
        base = normalise_header(name) or f"column_{position}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}.{seen[base]}")
    return out


def _empty(header: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in header})


def _json_row(values: Sequence[str]) -> str:
    return json.dumps({"fields": list(values)}, ensure_ascii=False)


def cell_text(value: object) -> str:
    """One cell as text: Excel datetimes in ISO form, whole numbers without ``.0``, None as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ---------------------------------------------------------------- XLSX


def _read_xlsx(path: Path, data: bytes, expected: Collection[str]) -> RawTable:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SourceFileError(path, f"not a readable XLSX workbook: {error}") from None
    try:
        records: list[list[object]] = []
        for sheet in book.worksheets:  # the first sheet that holds anything (exports put data first)
            records = [list(row) for row in sheet.iter_rows(values_only=True)]
            if any(any(cell not in (None, "") for cell in row) for row in records):
                break
    finally:
        book.close()
    return _table_from_records(path, "xlsx", records, expected, encoding=None)


# ---------------------------------------------------------------- JSON: GeoJSON and Open311


def _read_json(path: Path, text: str, encoding: str) -> RawTable:
    too_deep = f"JSON nested deeper than {MAX_JSON_DEPTH} levels: expected a GeoJSON FeatureCollection " \
               "or an Open311 array of requests"
    if json_depth(text) > MAX_JSON_DEPTH:
        raise SourceFileError(path, too_deep)
    try:
        payload = loads_georeport_json(path, text)
    except RecursionError:  # nesting inside something the depth count did not see as brackets
        raise SourceFileError(path, too_deep) from None
    if isinstance(payload, dict) and payload.get("type") == "FeatureCollection":
        return _read_features(path, payload.get("features"), encoding)
    requests = requests_of_json(payload)
    if requests is not None:
        return _read_objects(path, "open311", requests, encoding)
    raise SourceFileError(path, "JSON must be a GeoJSON FeatureCollection or an Open311 array of requests")


def json_depth(text: str) -> int:
    """How deep the brackets of JSON text nest, strings ignored (counted without parsing, so without
    recursion: the text need not be valid JSON)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    steps = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    opening = (steps == ord("[")) | (steps == ord("{"))
    return int(np.cumsum(np.where(opening, 1, -1)).max(initial=0))


def table_of_requests(name: str, items: list[object]) -> RawTable:
    """Open311 requests that arrived in some other way than a file (a POST) as the table a file gives."""
    return _read_objects(Path(name), "open311", items, "utf-8")


def _read_objects(path: Path, file_format: str, items: list[object], encoding: str) -> RawTable:
    records: list[dict[str, str]] = []
    numbers: list[int] = []
    unreadable: list[UnreadableRow] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problem = f"item is a {type(item).__name__}, not an object"
            unreadable.append(UnreadableRow(number, cell_text(item), problem))
            continue
        records.append({normalise_header(str(k)): cell_text(v) for k, v in item.items()})
        numbers.append(number)
    return _frame_of_dicts(path, file_format, records, numbers, encoding, unreadable)


def _read_features(path: Path, features: object, encoding: str) -> RawTable:
    if not isinstance(features, list):
        raise SourceFileError(path, "the FeatureCollection has no list of features")
    records: list[dict[str, str]] = []
    numbers: list[int] = []
    unreadable: list[UnreadableRow] = []
    for number, feature in enumerate(features, start=1):
        problem = _feature_problem(feature)
        if problem:
            unreadable.append(UnreadableRow(number, cell_text(feature), problem))
            continue
        assert isinstance(feature, dict)
        properties = feature.get("properties") or {}
        record = {normalise_header(str(k)): cell_text(v) for k, v in properties.items()}
        geometry = feature.get("geometry")
        lon, lat = geometry["coordinates"][:2] if geometry else ("", "")
        record[GEOMETRY_LON], record[GEOMETRY_LAT] = cell_text(lon), cell_text(lat)
        records.append(record)
        numbers.append(number)
    return _frame_of_dicts(path, "geojson", records, numbers, encoding, unreadable)


def _feature_problem(feature: object) -> str:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "not a GeoJSON Feature"
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        return "properties is not an object"
    geometry = feature.get("geometry")
    if geometry is None:
        return ""
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        return f"geometry is {kind}: an incident must be a Point"
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return "Point without two coordinates"
    return ""


def _frame_of_dicts(
    path: Path, file_format: str, records: list[dict[str, str]], numbers: list[int], encoding: str,
    unreadable: list[UnreadableRow],
) -> RawTable:
    header = list(dict.fromkeys(key for record in records for key in record))
    frame = pd.DataFrame(records, columns=header, dtype=object).fillna("") if records else _empty(header)
    numbers_array = np.asarray(numbers, dtype=np.int64)
    return RawTable(path.name, file_format, frame, numbers_array, encoding, tuple(unreadable))


# ---------------------------------------------------------------- plain point and polygon files (pingan join)

#: Headers recognised as coordinates in a point table, in order of preference.
LON_HEADERS: Final = ("lon", "lng", "longitude", "long", "x", "经度")
LAT_HEADERS: Final = ("lat", "latitude", "y", "纬度")
_TABLE_FORMATS: Final = ("csv", "xlsx")
_GEOGRAPHIC_EPSG: Final = (4326, 4490)


@dataclass(frozen=True)
class PointFile:
    """Points of a file: ids, degrees (NaN where a row has no usable point) and whether they are
    still in the file's declared CRS (degrees) or already in EPSG:4490 (a projected vector file)."""

    ids: pd.Series
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    in_degrees_of_source: bool


def _pick(columns: Sequence[str], wanted: Sequence[str]) -> str | None:
    lowered = {str(c).casefold(): str(c) for c in columns}
    return next((lowered[w] for w in wanted if w in lowered), None)


def _ids(frame: pd.DataFrame, id_column: str | None, path: Path) -> pd.Series:
    if id_column is None:
        if "id" in frame.columns:
            return frame["id"].astype(str).reset_index(drop=True)
        return pd.Series(range(1, len(frame) + 1), dtype=object).astype(str)
    if id_column not in frame.columns:
        shown = ", ".join(map(str, frame.columns))
        raise SourceFileError(path, f"no id column {id_column!r}: the columns are {shown}")
    return frame[id_column].astype(str).reset_index(drop=True)


def read_points_file(path: str | os.PathLike[str], *, id_column: str | None = None,
                     encoding: str | None = None) -> PointFile:
    """Points from a CSV/XLSX with lon/lat columns (see LON_HEADERS) or from any vector file.

    Without `id_column`, the ``id`` column is used when present, else the 1-based row position.
    A vector file with a projected CRS is transformed to EPSG:4490.
    """
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx"):
        table = read_raw_table(path, encoding=encoding, expected_headers=(*LON_HEADERS, *LAT_HEADERS))
        if table.file_format in _TABLE_FORMATS:
            lon_name = _pick(table.frame.columns, LON_HEADERS)
            lat_name = _pick(table.frame.columns, LAT_HEADERS)
            if lon_name is None or lat_name is None:
                raise SourceFileError(path, "no coordinate columns: expected one of "
                                            f"{', '.join(LON_HEADERS)} and one of {', '.join(LAT_HEADERS)}")
            if table.unreadable:
                first = table.unreadable[0]
                raise SourceFileError(path, f"row {first.row_number}: {first.detail}")
            def number(name: str) -> NDArray[np.float64]:
                text = table.frame[name].astype(str).str.normalize("NFKC").str.strip()
                return pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
            return PointFile(_ids(table.frame, id_column, path), number(lon_name), number(lat_name), True)
    frame = _read_vector(path)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    points = np.array([g is not None and g.geom_type == "Point" and not g.is_empty for g in geoms],
                      dtype=bool)
    lon, lat = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    in_source = frame.crs is None or frame.crs.to_epsg() in _GEOGRAPHIC_EPSG
    if points.any():
        chosen = gpd.GeoSeries(geoms[points], crs=frame.crs)
        if not in_source:
            chosen = chosen.to_crs(4490)
        lon[points], lat[points] = chosen.x.to_numpy(), chosen.y.to_numpy()
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return PointFile(_ids(attributes, id_column, path), lon, lat, in_source)


def _read_vector(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path)
    except Exception as error:  # pyogrio raises several DataSourceError kinds; all mean "cannot read"
        raise SourceFileError(path, f"not a readable vector file: {str(error).splitlines()[0]}") from None


def read_polygons_file(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Polygons from any vector file, in EPSG:4490 (a file without a CRS is refused: none is guessed)."""
    path = Path(path)
    frame = _read_vector(path)
    if frame.crs is None:
        raise SourceFileError(path, "the file declares no CRS: save it with one (EPSG:4490 or EPSG:4326)")
    return frame if frame.crs.to_epsg() in _GEOGRAPHIC_EPSG else frame.to_crs(4490)
