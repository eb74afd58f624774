"""The QGIS round trip: a layout written as GeoPackage, GeoJSON or Shapefile, and a file read back as a
candidate. A file is refused with every problem it has (file, feature, code, what is wrong) when its CRS
is not CGCS2000/WGS84, a feature has no code or repeats one, or a polygon is invalid; what is left (gaps,
overlaps, policy) is the candidate's checks, the same as for an edit in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely

from geo.boundaries.candidate import GRID_COLUMNS, Candidate
from geo.boundaries.coverage_checks import metric_area
from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError
from geo.planning.impact import layout_changes
from geo.schema import Col, Level, PlanCol

#: Formats by the name the CLI takes, with their GDAL driver.
LAYOUT_DRIVERS: Final = {"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile"}
_ACCEPTED_EPSG: Final = (STORAGE_EPSG, 4326)  # the two agree to a few centimetres (geo.crs)


class LayoutFileError(GeoInputError):
    """A layout file that cannot become a candidate; `problems` lists every one."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: refused, {len(problems)} problem(s):\n" + "\n".join(problems))
        self.problems = problems


def write_layout_file(grids: pd.DataFrame, path: str | Path, *, file_format: str) -> Path:
    """Write a layout's grids (code, name, kind, households, population, ...) for editing in QGIS."""
    if file_format not in LAYOUT_DRIVERS:
        raise GeoInputError(f"format {file_format!r}: allowed are {', '.join(LAYOUT_DRIVERS)}")
    target = Path(path)
    frame = gpd.GeoDataFrame(grids[list(GRID_COLUMNS)], geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    options = {"encoding": "UTF-8"} if file_format == "shp" else {}
    if file_format == "shp":  # field names stop at 10 characters; the parent follows from the code anyway
        frame = frame.drop(columns=[Col.PARENT_CODE])
    pyogrio.write_dataframe(frame, target, driver=LAYOUT_DRIVERS[file_format], **options)
    return target


def read_layout_file(path: str | Path, base: Candidate) -> Candidate:
    """The layout in `path` as a candidate over `base` (the parent's current layout): counts and kinds a
    feature lacks come from the grid of the same code; workers of grids that are gone go to the new grid
    covering most of theirs. LayoutFileError lists every problem of the file."""
    source = Path(path)
    try:
        frame = pyogrio.read_dataframe(source)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as error:
        raise LayoutFileError(source, [f"{source}: not a readable layer ({error})"]) from None
    problems = _file_problems(source, frame)
    if problems:
        raise LayoutFileError(source, problems)
    grids = _completed(frame, base)
    missing = [
        f"{source}: feature {n} (code {code}): new grid without households; add a households field"
        for n, code in enumerate(grids[Col.CODE], 1)
        if pd.isna(grids[Col.HOUSEHOLDS].iloc[n - 1])
    ]
    if missing:
        raise LayoutFileError(source, missing)
    grids[Col.HOUSEHOLDS] = pd.to_numeric(grids[Col.HOUSEHOLDS]).astype(int)
    return with_layout(base, grids)


def with_layout(base: Candidate, grids: gpd.GeoDataFrame) -> Candidate:
    """`base` with its grids replaced by `grids`: the workers of a grid that is gone are dealt in turn to
    the grids of `grids` that overlap it, largest overlap first; every grid that differs from `base`'s
    counts as changed, but for one that only gains or loses a vertex it shares with a reshaped neighbour
    (its shape and households are the same, so the policy it met or missed before is not its edit's)."""
    workers = base.workers.copy()
    codes = list(grids[Col.CODE])
    before = dict(zip(base.grids[Col.CODE], base.grids[Col.GEOMETRY], strict=True))
    for gone in sorted(set(workers[Col.GRID_CODE]) - set(codes)):
        overlap = shapely.area(shapely.intersection(grids.geometry.values, before[gone]))
        takers = [codes[i] for i in sorted(range(len(codes)), key=lambda i: -overlap[i]) if overlap[i] > 0]
        rows = workers.index[workers[Col.GRID_CODE] == gone]
        for turn, row in enumerate(rows):
            workers.at[row, Col.GRID_CODE] = takers[turn % len(takers)] if takers else gone
    changes = layout_changes(base.grids, grids)
    changed = set(changes.loc[changes[PlanCol.CHANGE] != "noded", Col.CODE]) & set(codes)
    return base.with_grids(grids, workers, changed)


def _file_problems(source: Path, frame: gpd.GeoDataFrame) -> list[str]:
    problems = []
    epsg = frame.crs.to_epsg() if frame.crs is not None else None
    if epsg not in _ACCEPTED_EPSG:
        problems.append(
            f"{source}: layer is in {frame.crs.name if frame.crs else 'no CRS'}; grids must be "
            f"EPSG:{STORAGE_EPSG} (CGCS2000) or EPSG:4326: reproject it and export again"
        )
    if Col.CODE not in frame.columns:
        return [
            *problems,
            f"{source}: no {Col.CODE!r} field; fields are {', '.join(map(str, frame.columns))}",
        ]
    codes = frame[Col.CODE]
    for number, (code, geometry) in enumerate(zip(codes, frame.geometry, strict=True), 1):
        where = f"{source}: feature {number}" + (
            "" if pd.isna(code) or not str(code).strip() else f" (code {code})"
        )
        if pd.isna(code) or not str(code).strip():
            problems.append(f"{where}: no code")
        if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"{where}: not a polygon ({getattr(geometry, 'geom_type', 'no geometry')})")
        elif not shapely.is_valid(geometry):
            problems.append(f"{where}: invalid polygon: {shapely.is_valid_reason(geometry)}")
    repeated = codes[codes.notna() & codes.duplicated(keep=False)]
    for code, rows in repeated.groupby(repeated.astype(str)).groups.items():
        features = ", ".join(str(codes.index.get_loc(i) + 1) for i in rows)
        problems.append(f"{source}: features {features} (code {code}): the code appears more than once")
    return problems


def _completed(frame: gpd.GeoDataFrame, base: Candidate) -> gpd.GeoDataFrame:
    frame = frame.to_crs(STORAGE_EPSG)
    known = base.grids.set_index(Col.CODE)
    codes = frame[Col.CODE].astype(str)
    usual_kind = str(base.grids[Col.KIND].mode().iloc[0])
    columns: dict[str, object] = {Col.CODE: codes}
    for column, fallback in (
        (Col.NAME, None),
        (Col.KIND, usual_kind),
        (Col.HOUSEHOLDS, None),
        (Col.POPULATION, None),
    ):
        given = frame[column] if column in frame else pd.Series([None] * len(frame), index=frame.index)
        stored = codes.map(known[column]) if column in known else None
        values = given.where(given.notna(), stored) if stored is not None else given
        columns[column] = values.fillna(fallback) if fallback is not None else values
    multi = [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in frame.geometry]
    grids = gpd.GeoDataFrame(columns, geometry=multi, crs=STORAGE_EPSG)
    grids[Col.NAME] = grids[Col.NAME].fillna(grids[Col.CODE])
    grids[Col.POPULATION] = pd.to_numeric(grids[Col.POPULATION]).fillna(0).astype(int)
    grids[Col.LEVEL] = Level.GRID.value
    grids[Col.PARENT_CODE] = [code[:-3] for code in codes]
    grids[Col.AREA_KM2] = [round(metric_area(g) / 1e6, 4) for g in grids.geometry]
    return grids[list(GRID_COLUMNS)]
