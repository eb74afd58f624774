"""Incident intake: read → check → convert CRS → geocode → join grids → dedupe → write, as one transaction.

Every row of a file ends in exactly one place: the incidents layer (accepted, perhaps with flags), the
quarantine (with a reason code and a detail a clerk can act on), or nowhere because it is already in the
store (``skipped_existing``). So ``read = accepted + quarantined + skipped_existing`` for every import.

Re-imports add nothing: a row whose (source, source id) is already among the incidents, or that is
identical to a row already quarantined from the same source, is skipped. Duplicates inside one file are
quarantined as ``duplicate_source_id`` (the first occurrence is kept).

Outside points: a point outside every grid is kept, flagged ``outside`` and without a grid code, when it
lies within `OUTSIDE_CITY_TOLERANCE_M` of the nearest grid; farther away it is quarantined as
``outside_city``. Points within `EDGE_TOLERANCE_M` (the conversion uncertainty) of a grid edge are
flagged ``near_edge``; a point on a shared edge or vertex goes to the grid with the lowest code (see join.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORAGE_EPSG, normalise_crs_name, to_metric, to_metric_geometry, to_wgs84
from geo.errors import GeoInputError, SourceFileError
from geo.intake.geocode import AddressGeocoder, MatchLevel
from geo.intake.join import GridIndex, JoinResult, assign_grids, assign_grids_sjoin, build_grid_index
from geo.intake.profiles import Field, SourceProfile, detect_profile, load_profile, profile_paths
from geo.intake.quarantine import quarantine_frame, read_imports
from geo.intake.readers import RawTable, read_points_file, read_polygons_file, read_raw_table
from geo.intake.row_checks import CheckedRows, Flag, Reason, Verdicts, check_rows
from geo.schema import (
    IMPORT_COLUMNS,
    INCIDENT_COLUMNS,
    Col,
    ImportCol,
    IncidentCol,
    Layer,
    Level,
    QuarantineCol,
)
from geo.store import Store

OUTSIDE_CITY_TOLERANCE_M: Final = 1000.0
EDGE_TOLERANCE_M: Final = 10.0
_TEXT_FIELDS: Final = (Field.STATUS, Field.OUTCOME, Field.SATISFACTION, Field.DESCRIPTION, Field.ADDRESS,
                       Field.REPORTER_NAME, Field.REPORTER_PHONE, Field.SERVICE_NAME, Field.STATUS_NOTES,
                       Field.AGENCY_RESPONSIBLE, Field.SERVICE_NOTICE, Field.ADDRESS_ID, Field.ZIPCODE,
                       Field.MEDIA_URL)
BALANCE: Final = "read = accepted + quarantined + skipped_existing"


class IntakeContext:
    """What every import into one store needs, built once: the grids, the city outline, the area
    parents and the geocoder. Build it with `load_intake_context` or `IntakeContext.from_frames`.

    Grids are assigned with geo.intake.join: by `assign_grids` when a grid index is given (worth it when the
    index is cached on disk or for millions of points), else by `assign_grids_sjoin`, which needs no
    build step. Both give the same answer, the lowest code on shared edges.
    """

    def __init__(self, grids: gpd.GeoDataFrame, parents: Mapping[str, str], geocoder: AddressGeocoder, *,
                 grid_index: GridIndex | None = None) -> None:
        self.grids = grids
        self.grid_index = grid_index
        self.parents = dict(parents)
        self.geocoder = geocoder
        west, south, east, north = (float(v) for v in grids.total_bounds)
        self.city_bounds = (west, south, east, north)

    @classmethod
    def from_frames(cls, areas: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame | None = None, *,
                    index_cache_dir: str | os.PathLike[str] | None = None) -> IntakeContext:
        """From the areas layer (all levels; grids are level == "grid") and the address library;
        with `index_cache_dir`, a grid index is built (or loaded) there and used for the join."""
        if Col.LEVEL not in areas.columns:
            raise GeoInputError("areas lack the 'level' column: expected the store's areas layer")
        grids = areas[areas[Col.LEVEL].astype(str) == Level.GRID.value].reset_index(drop=True)
        if grids.empty:
            raise GeoInputError("areas hold no grids (level == 'grid'): build the boundaries first")
        index = None
        if index_cache_dir is not None:
            index = build_grid_index(grids, code_column=Col.CODE, cache_dir=Path(index_cache_dir))
        parents = dict(zip(areas[Col.CODE].astype(str), areas[Col.PARENT_CODE].astype(str), strict=True))
        return cls(grids, parents, AddressGeocoder(areas, addresses), grid_index=index)

    def with_grid_index(self, cache_dir: str | os.PathLike[str]) -> IntakeContext:
        """This context joining through a grid index built (or loaded) in `cache_dir`; the grids, parents
        and geocoder are shared, not read or built again."""
        index = build_grid_index(self.grids, code_column=Col.CODE, cache_dir=Path(cache_dir))
        return IntakeContext(self.grids, self.parents, self.geocoder, grid_index=index)

    def assign(self, lon: np.ndarray, lat: np.ndarray) -> JoinResult:
        """Grids of WGS84 points, with the near-edge test at `EDGE_TOLERANCE_M`."""
        if self.grid_index is not None:
            return assign_grids(lon, lat, self.grid_index, edge_tolerance_m=EDGE_TOLERANCE_M)
        return assign_grids_sjoin(lon, lat, self.grids, code_column=Col.CODE,
                                  edge_tolerance_m=EDGE_TOLERANCE_M)

    @cached_property
    def outline_m(self) -> shapely.Geometry:
        """All grids as one shape in the metric CRS, for the distance of outside points (built on demand)."""
        outline = shapely.union_all(to_metric_geometry(np.asarray(self.grids.geometry.values, dtype=object)))
        shapely.prepare(outline)
        return outline

    def parent_codes(self, grid_codes: pd.Series) -> dict[str, pd.Series]:
        """Village, township and county codes of grid codes (NaN where there is none), from the areas'
        parent links. Looked up with dict.get: `Series.map(dict)` first makes a Series of the whole
        dict, a millisecond each time for a city's areas."""
        def up(codes: list[object]) -> list[object]:
            return [self.parents.get(code, np.nan) if isinstance(code, str) else np.nan for code in codes]

        village = up(grid_codes.tolist())
        township = up(village)
        county = up(township)
        return {name: pd.Series(codes, index=grid_codes.index, dtype=object) for name, codes in
                ((Col.VILLAGE_CODE, village), (Col.TOWNSHIP_CODE, township), (Col.COUNTY_CODE, county))}


def load_intake_context(store: Store, *,
                        index_cache_dir: str | os.PathLike[str] | None = None) -> IntakeContext:
    """The intake context of a store: its areas and, when present, its address library."""
    areas = store.read(Layer.AREAS.value)
    addresses = store.read(Layer.ADDRESSES.value) if Layer.ADDRESSES.value in store.layers() else None
    return IntakeContext.from_frames(areas, addresses, index_cache_dir=index_cache_dir)


@dataclass(frozen=True)
class IngestSummary:
    """What one import did; `as_dict` is the JSON the CLI prints."""

    import_id: str
    file_name: str
    source: str
    input_crs: str
    encoding: str | None
    read: int
    accepted: int
    quarantined: int
    skipped_existing: int
    reasons: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    started_at: str = ""
    #: Source labels (an Open311 service_code ...) that no table maps, with the accepted rows holding each;
    #: those rows are stored as `other` and flagged unknown_category.
    unmapped_categories: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id, "file": self.file_name, "source": self.source,
            "input_crs": self.input_crs, "encoding": self.encoding, "read": self.read,
            "accepted": self.accepted, "quarantined": self.quarantined,
            "skipped_existing": self.skipped_existing, "balance": BALANCE, "reasons": self.reasons,
            "flags": self.flags, "unmapped_categories": self.unmapped_categories,
            "started_at": self.started_at,
        }


@dataclass(frozen=True)
class ImportBatch:
    """The layers one import writes, and its summary."""

    incidents: gpd.GeoDataFrame
    quarantine: pd.DataFrame
    summary: IngestSummary


# ---------------------------------------------------------------- locating rows


@dataclass
class _Located:
    lon: np.ndarray
    lat: np.ndarray
    grid_code: np.ndarray
    match_level: np.ndarray
    match_score: np.ndarray


def _locate(checked: CheckedRows, active: np.ndarray, context: IntakeContext, input_crs: str,
            address_header: str) -> _Located:
    """Positions in WGS84 (converted or geocoded), then grids; rejects what cannot be placed."""
    fields, verdicts = checked.fields, checked.verdicts
    size = len(fields)
    out = _Located(np.full(size, np.nan), np.full(size, np.nan), np.full(size, None, dtype=object),
                   np.full(size, None, dtype=object), np.full(size, np.nan))
    given = active & verdicts.open & ~checked.needs_geocode
    out.lon[given], out.lat[given] = to_wgs84(fields[Field.LON.value].to_numpy()[given],
                                              fields[Field.LAT.value].to_numpy()[given], input_crs)
    lookup = active & checked.needs_geocode & verdicts.open
    if lookup.any():
        addresses = fields[Field.ADDRESS.value].to_numpy()[lookup]
        found = context.geocoder.geocode(addresses)
        matched = found["match_level"].notna().to_numpy()
        rows = np.flatnonzero(lookup)
        out.lon[rows], out.lat[rows] = found["lon"].to_numpy(), found["lat"].to_numpy()
        out.match_level[rows] = found["match_level"].to_numpy(dtype=object)
        out.match_score[rows] = found["match_score"].to_numpy()
        missed = np.zeros(size, dtype=bool)
        missed[rows[~matched]] = True
        detail = pd.Series(fields[Field.ADDRESS.value]).map(
            lambda text: f"{address_header} '{text[:60]}' matches no county, township, village or doorplate")
        verdicts.reject(missed, Reason.UNGEOCODABLE_ADDRESS, detail)
        coded = np.zeros(size, dtype=bool)
        coded[rows[matched]] = True
        verdicts.flag(coded, Flag.GEOCODED)
        verdicts.flag(coded & (out.match_level != MatchLevel.DOORPLATE.value), Flag.COARSE_LOCATION)
    placed = np.flatnonzero(active & verdicts.open)
    if placed.size:
        result = context.assign(out.lon[placed], out.lat[placed])
        codes = result.codes.copy()
        codes[result.outside] = None
        out.grid_code[placed] = codes
        _settle_outside(placed, result.outside, out, context, verdicts)
        near = np.zeros(size, dtype=bool)
        near[placed[result.near_edge]] = True
        verdicts.flag(near, Flag.NEAR_EDGE)
    return out


def _settle_outside(placed: np.ndarray, outside: np.ndarray, out: _Located, context: IntakeContext,
                    verdicts: Verdicts) -> None:
    rows = placed[outside]
    if not rows.size:
        return
    x, y = to_metric(out.lon[rows], out.lat[rows])
    distance = shapely.distance(context.outline_m, shapely.points(x, y))
    far = np.zeros(len(out.lon), dtype=bool)
    far[rows[distance > OUTSIDE_CITY_TOLERANCE_M]] = True
    detail = np.full(len(out.lon), "", dtype=object)
    detail[rows] = [f"{lon:.6f}, {lat:.6f} is {d / 1000:.1f} km from the nearest grid (allowed: "
                    f"{OUTSIDE_CITY_TOLERANCE_M / 1000:g} km)" for lon, lat, d in
                    zip(out.lon[rows], out.lat[rows], distance, strict=True)]
    verdicts.reject(far, Reason.OUTSIDE_CITY, pd.Series(detail))
    near = np.zeros(len(out.lon), dtype=bool)
    near[rows[distance <= OUTSIDE_CITY_TOLERANCE_M]] = True
    verdicts.flag(near, Flag.OUTSIDE)


# ---------------------------------------------------------------- one import, without the store


def raw_rows(frame: pd.DataFrame, rows: np.ndarray | None = None) -> list[str]:
    """The quarantine's raw text of rows of a file's table (all rows by default)."""
    rows = np.arange(len(frame)) if rows is None else rows
    records = frame.iloc[rows].to_dict(orient="records")
    return [json.dumps(record, ensure_ascii=False) for record in records]


#: Which of the given values the store already holds.
Lookup = Callable[[Sequence[str]], set[str]]


def _nothing(values: Sequence[str]) -> set[str]:
    return set()


def prepare_import(
    table: RawTable, profile: SourceProfile, context: IntakeContext, *, import_id: str, now: pd.Timestamp,
    crs: str | None = None, stored_ids: Lookup = _nothing, quarantined_raw: Lookup = _nothing,
) -> ImportBatch:
    """Check, place and split one file's rows into incidents and quarantine rows (nothing is written).

    `stored_ids` answers which of the file's source ids this source already has in the store;
    `quarantined_raw` which of its rejected rows' raw texts are already in the quarantine. Rows matching
    either are skipped. Both are asked about this file's values only, so the cost follows the file.
    """
    input_crs = normalise_crs_name(crs or profile.crs)
    checked = check_rows(table, profile, city_bounds=context.city_bounds, now=now)
    fields, verdicts = checked.fields, checked.verdicts
    ids = fields[Field.SOURCE_ID.value]
    skipped = np.array(ids.isin(stored_ids(sorted(set(ids.dropna().astype(str))))), dtype=bool)
    address_header = "/".join(profile.headers(Field.ADDRESS)) or "address"
    located = _locate(checked, ~skipped, context, input_crs, address_header)

    rejected = np.flatnonzero(~verdicts.open & ~skipped)
    raws = raw_rows(table.frame, rejected)
    seen_raws = quarantined_raw(sorted({*raws, *(row.raw for row in table.unreadable)}))
    known = np.array([raw in seen_raws for raw in raws], dtype=bool)
    skipped[rejected[known]] = True
    rejected, raws = rejected[~known], [raw for raw, seen in zip(raws, known, strict=True) if not seen]
    unread = [row for row in table.unreadable if row.raw not in seen_raws]

    accepted = np.flatnonzero(verdicts.open & ~skipped)
    flags_text = verdicts.flags_text()
    incidents = _incident_frame(fields, located, flags_text, accepted, table, profile.name, input_crs,
                                import_id, context)
    quarantine = quarantine_frame(
        import_id=import_id, source=profile.name, file_name=table.file_name,
        row_numbers=[*table.row_numbers[rejected].tolist(), *(row.row_number for row in unread)],
        reasons=[*verdicts.reason[rejected].tolist(), *[Reason.UNREADABLE_ROW.value] * len(unread)],
        details=[*verdicts.detail[rejected].tolist(), *(row.detail for row in unread)],
        raws=[*raws, *(row.raw for row in unread)], at=now,
    )
    flag_counts = Counter(flag for text in flags_text[accepted] if text for flag in text.split(","))
    unknown = verdicts.flags.get(Flag.UNKNOWN_CATEGORY, np.zeros(len(fields), dtype=bool))[accepted]
    unmapped = Counter(fields["category_raw"].to_numpy(dtype=object)[accepted][unknown])
    summary = IngestSummary(
        import_id=import_id, file_name=table.file_name, source=profile.name, input_crs=input_crs,
        encoding=table.encoding, read=table.read, accepted=len(accepted), quarantined=len(quarantine),
        skipped_existing=int(skipped.sum()) + len(table.unreadable) - len(unread),
        reasons=dict(sorted(Counter(quarantine[QuarantineCol.REASON]).items())),
        flags=dict(sorted(flag_counts.items())), started_at=now.isoformat(sep=" "),
        unmapped_categories={str(label) or "(empty)": count for label, count in sorted(unmapped.items())},
    )
    return ImportBatch(incidents, quarantine, summary)


def _incident_frame(fields: pd.DataFrame, located: _Located, flags_text: np.ndarray, rows: np.ndarray,
                    table: RawTable, source: str, input_crs: str, import_id: str,
                    context: IntakeContext) -> gpd.GeoDataFrame:
    kept = fields.iloc[rows].reset_index(drop=True)
    ids = kept[Field.SOURCE_ID.value].astype(str)
    grid_codes = pd.Series(located.grid_code[rows], dtype=object)
    columns: dict[str, Any] = {
        IncidentCol.INCIDENT_ID: (source + ":" + ids).astype(object),
        Col.SOURCE: pd.Series(source, index=kept.index, dtype=object),
        Col.SOURCE_ID: ids.astype(object),
        IncidentCol.INPUT_CRS: pd.Series(input_crs, index=kept.index, dtype=object),
        IncidentCol.LON: located.lon[rows], IncidentCol.LAT: located.lat[rows],
        Col.GRID_CODE: grid_codes,
        **{str(k): v for k, v in context.parent_codes(grid_codes).items()},
        IncidentCol.MATCH_LEVEL: pd.Series(located.match_level[rows], dtype=object),
        IncidentCol.MATCH_SCORE: located.match_score[rows],
        IncidentCol.FLAGS: pd.Series(flags_text[rows], dtype=object),
        IncidentCol.IMPORT_ID: pd.Series(import_id, index=kept.index, dtype=object),
        IncidentCol.FILE_NAME: pd.Series(table.file_name, index=kept.index, dtype=object),
        IncidentCol.ROW_NUMBER: table.row_numbers[rows].astype(np.int64),
    }
    for name in (Field.SEVERITY, Field.SERIOUS, Field.REPEAT_PETITION, Field.PRE_LITIGATION,
                 Field.REPORTED_AT, Field.CLOSED_AT, Field.EXPECTED_AT, Field.CATEGORY):
        columns[name.value] = kept[name.value].to_numpy()
    columns[IncidentCol.CATEGORY_RAW] = _text_or_none(kept["category_raw"])
    for name in _TEXT_FIELDS:
        columns[name.value] = _text_or_none(kept[name.value])
    frame = pd.DataFrame(columns)
    geometry = gpd.points_from_xy(frame[IncidentCol.LON], frame[IncidentCol.LAT], crs=STORAGE_EPSG)
    ordered = frame[[str(c) for c in INCIDENT_COLUMNS[:-1]]]
    return gpd.GeoDataFrame(ordered, geometry=geometry, crs=STORAGE_EPSG)


def _text_or_none(values: pd.Series) -> pd.Series:
    """None for a missing or empty text (stored as NULL), one pass over the values."""
    return pd.Series([None if _missing_text(value) else value for value in values.tolist()],
                     index=values.index, dtype=object)


def _missing_text(value: object) -> bool:
    return value == "" if isinstance(value, str) else bool(pd.isna(value))


# ---------------------------------------------------------------- one import into a store


def held_by(store: Store, layer: Layer, source: str, column: str) -> Lookup:
    """A lookup of the values of `column` this source already has in `layer`; it asks about the given
    values only (by the unique index on source ids), never reads the layer."""
    def lookup(values: Sequence[str]) -> set[str]:
        if not values or layer.value not in store.layers():
            return set()
        return store.held_values(layer.value, column, values, equals={Col.SOURCE: source})
    return lookup


def _new_import_id(store: Store, wanted: str) -> str:
    """Source, time and file hash, so a rebuild with the same clock and files gives the same ids;
    a repeat within the same second gets a suffix."""
    taken = set(read_imports(store)[ImportCol.IMPORT_ID].astype(str))
    suffix = 1
    candidate = wanted
    while candidate in taken:
        suffix += 1
        candidate = f"{wanted}-{suffix}"
    return candidate


def _check_headers(table: RawTable, profile: SourceProfile, path: Path) -> None:
    """A file without the columns for an id, a time and a place is the wrong file, not bad rows."""
    present = profile.present_headers(table.frame.columns)
    for group, what in zip(profile.required_headers(), ("source id", "report time", "coordinates or address"),
                           strict=True):
        if not present & set(group):
            shown = ", ".join(list(table.frame.columns)[:15]) or "none"
            raise SourceFileError(path, f"no {what} column for source {profile.name!r} (expected "
                                        f"{' or '.join(group)}); the file's columns are: {shown}")


def _all_headers(search_dirs: Sequence[str | os.PathLike[str]]) -> set[str]:
    profiles = [load_profile(name, search_dirs=search_dirs) for name in profile_paths(search_dirs)]
    return {header for profile in profiles for header in profile.all_headers()}


def ingest_file(
    path: str | os.PathLike[str], store: Store, *, source: str | None = None, crs: str | None = None,
    encoding: str | None = None, profile_dirs: Sequence[str | os.PathLike[str]] = (),
    context: IntakeContext | None = None, now: pd.Timestamp | None = None,
) -> IngestSummary:
    """Import one incident file into `store` in one transaction.

    Parameters
    ----------
    source
        A profile name (app, hotline, miniprogram, open311, or NAME from `profile_dirs`) or a path to a
        NAME.toml; by default the profile is recognised from the file's headers.
    crs
        Overrides the profile's CRS (wgs84, cgcs2000, gcj02, bd09).
    encoding
        Overrides the detected text encoding of a CSV or JSON file.
    context
        Reuse the intake context of this store across several imports (see `load_intake_context`).
    now
        The import time (local); also the limit for dates in the future.

    Raises SourceFileError when the file cannot be read at all; bad rows go to the quarantine instead.
    """
    path = Path(path)
    started = (now if now is not None else pd.Timestamp.now()).floor("s")
    profile = load_profile(source, search_dirs=profile_dirs) if source else None
    hints = profile.all_headers() if profile else _all_headers(profile_dirs)
    table = read_raw_table(path, encoding=encoding, expected_headers=hints)
    if profile is None:
        profile = detect_profile(table.frame.columns, search_dirs=profile_dirs, file_name=path.name)
    _check_headers(table, profile, path)
    context = context if context is not None else load_intake_context(store)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # The duplicate check and the write happen under one lock: two imports of one file at the same time
    # give one import's rows, and the other's summary counts them as skipped_existing.
    with store.writing():
        import_id = _new_import_id(store, f"{profile.name}-{started:%Y%m%d%H%M%S}-{digest[:8]}")
        batch = prepare_import(table, profile, context, import_id=import_id, now=started, crs=crs,
                               stored_ids=held_by(store, Layer.INCIDENTS, profile.name, Col.SOURCE_ID),
                               quarantined_raw=held_by(store, Layer.QUARANTINE, profile.name,
                                                        QuarantineCol.RAW))
        write_import(store, batch, file_sha256=digest, started=started)
    return batch.summary


def write_import(store: Store, batch: ImportBatch, *, file_sha256: str, started: pd.Timestamp) -> None:
    """Append a prepared batch and its import-log row in one transaction (the caller holds the lock)."""
    summary = batch.summary
    log = pd.DataFrame([{
        ImportCol.IMPORT_ID: summary.import_id, ImportCol.FILE_NAME: summary.file_name,
        Col.SOURCE: summary.source, ImportCol.READ: summary.read, ImportCol.ACCEPTED: summary.accepted,
        ImportCol.QUARANTINED: summary.quarantined, ImportCol.SKIPPED_EXISTING: summary.skipped_existing,
        ImportCol.STARTED_AT: started, ImportCol.INPUT_CRS: summary.input_crs,
        ImportCol.ENCODING: summary.encoding or "", ImportCol.FILE_SHA256: file_sha256,
    }], columns=[str(c) for c in IMPORT_COLUMNS])
    log[ImportCol.STARTED_AT] = log[ImportCol.STARTED_AT].astype("datetime64[ms]")
    frames: dict[str, pd.DataFrame] = {Layer.IMPORTS.value: log}
    if len(batch.incidents):
        frames[Layer.INCIDENTS.value] = batch.incidents
    if len(batch.quarantine):
        frames[Layer.QUARANTINE.value] = batch.quarantine
    store.write(frames, mode="append")


# ---------------------------------------------------------------- points and grids from plain files


def join_points_file(
    points: str | os.PathLike[str], grids: str | os.PathLike[str], *, points_crs: str | None = None,
    id_column: str | None = None, code_column: str = Col.CODE, encoding: str | None = None,
    edge_tolerance_m: float = EDGE_TOLERANCE_M, use_index: bool = False,
) -> pd.DataFrame:
    """The grid of every point of a file, without a store: columns id (or `id_column`), grid_code
    ("" outside) and flags (``outside``, ``near_edge``, ``bad_coordinate``), one row per input row.

    `points_crs` (default wgs84) is the CRS of coordinates given in degrees: a CSV's columns, or a
    vector file in EPSG:4326/4490 or without a CRS; a projected vector file is transformed exactly.
    `use_index` joins with a grid index (geo.intake.join.assign_grids) instead of geopandas.sjoin: the same
    answers, faster for millions of points once the index is built.
    """
    found = read_points_file(points, id_column=id_column, encoding=encoding)
    crs = normalise_crs_name(points_crs or "wgs84")
    if not found.in_degrees_of_source and points_crs:
        raise GeoInputError(f"{points}: --points-crs applies to degrees, but the file has a projected CRS")
    lon, lat = (to_wgs84(found.lon, found.lat, crs) if found.in_degrees_of_source else (found.lon, found.lat))
    usable = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    polygons = read_polygons_file(grids)
    if use_index:
        index = build_grid_index(polygons, code_column=code_column)
        result = assign_grids(lon[usable], lat[usable], index, edge_tolerance_m=edge_tolerance_m)
    else:
        result = assign_grids_sjoin(lon[usable], lat[usable], polygons, code_column=code_column,
                                    edge_tolerance_m=edge_tolerance_m)
    codes = np.full(len(lon), "", dtype=object)
    codes[usable] = result.codes
    flags = np.full(len(lon), Reason.BAD_COORDINATE.value, dtype=object)
    flags[usable] = [",".join(name for name, on in ((Flag.OUTSIDE.value, out), (Flag.NEAR_EDGE.value, near))
                              if on) for out, near in zip(result.outside, result.near_edge, strict=True)]
    return pd.DataFrame({id_column or "id": found.ids.to_numpy(dtype=object), Col.GRID_CODE.value: codes,
                         IncidentCol.FLAGS.value: flags})
