"""The wartime grid mode of the seed: a layer of micro-grids (building or unit micro-grids) cut below one
grid, saved as a new boundary version of that grid's micro-grids. Micro-grids tile their grid exactly (cut
on the grid's own outline, as the demo's are), get codes grid code + 2 digits, and share the grid's
households and population by area.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries.coverage_checks import metric_area
from geo.boundaries.tessellate import Parent, sample_seeds, tessellate
from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError
from geo.planning.versions import new_version_id, refuse_new_hierarchy_problems
from geo.schema import CODE_LENGTH, Col, Layer, Level, VersionCol
from geo.store import Store

_SEGMENT = CODE_LENGTH[Level.MICRO_GRID] - CODE_LENGTH[Level.GRID]


def wartime_micro_grids(store: Store, grid_code: str, *, count: int, seed: int = 0) -> gpd.GeoDataFrame:
    """`count` micro-grids cutting the current grid `grid_code`, as areas rows (not saved yet)."""
    if not 2 <= count < 10**_SEGMENT:
        raise GeoInputError(f"micro-grids of {grid_code}: count {count} is not between 2 and 99")
    current = store.read_areas()
    grid = current[(current[Col.CODE] == grid_code) & (current[Col.LEVEL] == Level.GRID.value)]
    if grid.empty:
        raise GeoInputError(f"micro-grids of {grid_code}: no current grid has this code")
    _refuse_existing(current, grid_code)
    row = grid.iloc[0]
    outline = row[Col.GEOMETRY]
    seeds = sample_seeds(outline, count, np.random.default_rng(seed),
                         min_distance=0.4 * float(np.sqrt(shapely.area(outline) / count)))
    pieces = tessellate([Parent(outline, seeds)])[0]
    shares = np.array([shapely.area(p) for p in pieces]) / shapely.area(outline)
    rows = [
        {Col.CODE: f"{grid_code}{i:0{_SEGMENT}d}", Col.NAME: f"{row[Col.NAME]}战时微网格{i}",
         Col.LEVEL: Level.MICRO_GRID.value, Col.PARENT_CODE: grid_code, Col.KIND: row[Col.KIND],
         Col.HOUSEHOLDS: households, Col.POPULATION: people,
         Col.AREA_KM2: round(metric_area(piece) / 1e6, 4),
         Col.GEOMETRY: piece if piece.geom_type == "MultiPolygon" else shapely.multipolygons([piece])}
        for i, (piece, households, people) in enumerate(zip(
            pieces, _shared(int(row[Col.HOUSEHOLDS]), shares), _shared(int(row[Col.POPULATION]), shares),
            strict=True), 1)
    ]
    return gpd.GeoDataFrame(rows, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)


def save_micro_grids(
    store: Store, micro_grids: gpd.GeoDataFrame, *, effective: date, author: str, reason: str
) -> str:
    """Save `micro_grids` (of one grid) as a new boundary version in force from `effective`; refused when
    the grid has micro-grids already or the hierarchy would gain a problem. The new version's id."""
    if not author.strip() or not reason.strip():
        raise GeoInputError("a boundary version needs an author and a reason")
    grid_code = str(micro_grids[Col.PARENT_CODE].iloc[0])
    day = effective.isoformat()
    with store.writing():
        areas, versions = store.read(Layer.AREAS), store.read(Layer.BOUNDARY_VERSIONS)
        _refuse_existing(areas[areas[Col.VALID_TO].isna()], grid_code)
        version_id = new_version_id(versions, f"v{day}-{grid_code}-wartime")
        rows = micro_grids.assign(**{Col.VERSION_ID: version_id, Col.VALID_FROM: day, Col.VALID_TO: None})
        after = gpd.GeoDataFrame(pd.concat([areas, rows[[c for c in areas.columns if c in rows]]],
                                           ignore_index=True), geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
        refuse_new_hierarchy_problems(areas, after, grid_code)
        row = {Col.VERSION_ID: version_id, Col.VALID_FROM: day, Col.VALID_TO: None,
               VersionCol.NOTE: f"wartime micro-grids of {grid_code}", Col.PARENT_CODE: grid_code,
               VersionCol.BASED_ON: None, VersionCol.AUTHOR: author, VersionCol.REASON: reason,
               VersionCol.SAVED_AT: datetime.now(UTC).isoformat(timespec="seconds")}
        listed = pd.concat([versions, pd.DataFrame([row])], ignore_index=True)
        store.write({Layer.AREAS.value: after, Layer.BOUNDARY_VERSIONS.value: listed}, mode="replace")
    return version_id


def _refuse_existing(current: pd.DataFrame, grid_code: str) -> None:
    mine = current[(current[Col.LEVEL] == Level.MICRO_GRID.value) & (current[Col.PARENT_CODE] == grid_code)]
    if len(mine):
        raise GeoInputError(f"micro-grids of {grid_code}: it has {len(mine)} micro-grids already "
                            f"({', '.join(sorted(mine[Col.CODE])[:3])}, ...)")


def _shared(total: int, shares: np.ndarray) -> list[int]:
    """`total` dealt by `shares` in whole numbers that add up to it (largest remainders first)."""
    exact = total * shares / shares.sum()
    whole = np.floor(exact).astype(int)
    for i in np.argsort(whole - exact)[: total - int(whole.sum())]:
        whole[i] += 1
    return [int(v) for v in whole]
