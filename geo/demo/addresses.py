"""The standard address library (标准地址库) of the demo, and the placement primitives every demo layer uses.

Doorplates are spread over every grid in proportion to its households (at least a few per grid, at
most `MAX_ADDRESSES` in all). Urban communities have named roads with house numbers that run along
the road; rural and pastoral villages are addressed by village group (组, or 社 in some counties) with
numbers counted from 1. The full address reads county + township + village + road + number, for example
"肃州区泉湖街道富康社区南大街58号", and is unique, so the offline geocoder can use it as a key.

The placement primitives are here because the address library is the first thing that puts points in
grids: `areas_at` splits the hierarchy by level (checking its columns), `hierarchy_units` counts it for
`figures.scaled_count`, and `sample_points` draws one point strictly inside each given polygon.
"""

from __future__ import annotations

from typing import Final, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.crs import STORAGE_EPSG
from geo.demo.names import Seed, as_rng
from geo.errors import GeoInputError
from geo.schema import ADDRESS_COLUMNS, CODE_LENGTH, AddressCol, AreaKind, Col, Level

FrameT = TypeVar("FrameT", bound=pd.DataFrame)

MAX_ADDRESSES: Final = 55_000
HOUSEHOLDS_PER_DOORPLATE: Final = 20  # a doorplate is a house in a village, a building entrance in a town
DOORPLATES_PER_GRID: Final = (6, 80)

_REQUIRED: Final = (Col.CODE, Col.NAME, Col.LEVEL, Col.PARENT_CODE, Col.KIND, Col.HOUSEHOLDS, Col.GEOMETRY)
_ACCEPTED_EPSG: Final = (STORAGE_EPSG, 4326)  # CGCS2000 and WGS84 agree to centimetres (see geo.crs)
_MAX_ROUNDS: Final = 400
_NEAR_ROUNDS: Final = 8

_URBAN_ROADS: Final = tuple(  # a word list reads best as one string
    "南大街 北大街 东大街 西大街 解放路 富康路 盘旋路 仓后街 新华路 建设路 世纪大道 "  # noqa: SIM905
    "滨河路 北环路 南环路 文化路 团结路 友谊路 民主路 长城路 阳关路 鸣沙路 沙州路 "
    "航天路 花城路 振兴路 育才巷 鼓楼巷 东关巷 西关巷 金泉路 祁连路 飞天路 胡杨路 "
    "利民街 人民路 光明路 和平街 酒钢路 公园路 工业园路".split()
)
_NUMERALS: Final = tuple("一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六".split())  # noqa: SIM905
#: Counties whose villages number their groups as 社 rather than 组.
_SHE_COUNTIES: Final = frozenset({"620922", "620981"})
_MAX_GROUPS: Final = len(_NUMERALS)


def check_hierarchy(hierarchy: gpd.GeoDataFrame) -> None:
    """Raise GeoInputError unless the frame has the hierarchy's columns, a declared CRS and some grids."""
    missing = [c.value for c in _REQUIRED if c not in hierarchy.columns]
    if missing:
        needed = ", ".join(c.value for c in _REQUIRED)
        raise GeoInputError(f"hierarchy frame lacks column(s) {', '.join(missing)}: needed are {needed}")
    epsg = hierarchy.crs.to_epsg() if hierarchy.crs is not None else None
    if epsg not in _ACCEPTED_EPSG:
        raise GeoInputError(f"hierarchy frame is in {hierarchy.crs}: allowed are EPSG:4490 or EPSG:4326")
    if not (hierarchy[Col.LEVEL] == Level.GRID.value).any():
        raise GeoInputError(
            "hierarchy frame has no rows of level 'grid': the demo places everything in grids"
        )


def areas_at(hierarchy: gpd.GeoDataFrame, level: Level) -> gpd.GeoDataFrame:
    """The areas of one level, sorted by code, with a fresh index."""
    check_hierarchy(hierarchy)
    areas = hierarchy[hierarchy[Col.LEVEL] == level.value].sort_values(Col.CODE)
    return areas.reset_index(drop=True).set_crs(STORAGE_EPSG, allow_override=True)


def hierarchy_units(hierarchy: gpd.GeoDataFrame) -> dict[str, int]:
    """How many counties, townships, villages and grids the hierarchy has (see figures.scaled_count)."""
    check_hierarchy(hierarchy)
    counts = hierarchy[Col.LEVEL].value_counts()
    return {
        "counties": int(counts.get(Level.COUNTY.value, 0)),
        "townships": int(counts.get(Level.TOWNSHIP.value, 0)),
        "villages": int(counts.get(Level.VILLAGE.value, 0)),
        "grids": int(counts.get(Level.GRID.value, 0)),
    }


def ancestor_codes(codes: pd.Series) -> dict[Col, pd.Series]:
    """County, township and village codes of grid (or deeper) codes, cut from the code itself."""
    return {
        Col.COUNTY_CODE: codes.str[: CODE_LENGTH[Level.COUNTY]],
        Col.TOWNSHIP_CODE: codes.str[: CODE_LENGTH[Level.TOWNSHIP]],
        Col.VILLAGE_CODE: codes.str[: CODE_LENGTH[Level.VILLAGE]],
    }


def plain_columns(frame: FrameT) -> FrameT:
    """The frame with column labels as plain str (enum members as labels trip some pandas operations)."""
    renamed = frame.rename(columns=str)
    if isinstance(renamed, gpd.GeoDataFrame):
        renamed = renamed.set_geometry(str(renamed.geometry.name))
    return renamed


def sample_points(
    polygons: NDArray[np.object_],
    rng: np.random.Generator,
    *,
    near: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    spread: NDArray[np.float64] | float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One point strictly inside each polygon (the array may repeat a polygon for several points).

    Uniform by rejection in the bounding box; with `near`, the first rounds draw around those positions
    with a normal spread (degrees), so points cluster, and only the stubborn rest falls back to uniform.
    """
    polygons = np.asarray(polygons, dtype=object)
    count = len(polygons)
    x, y = np.full(count, np.nan), np.full(count, np.nan)
    if count == 0:
        return x, y
    shapely.prepare(polygons)
    bounds = shapely.bounds(polygons)
    spreads = np.broadcast_to(np.asarray(spread, dtype=np.float64), (count,))
    todo = np.arange(count)
    for round_index in range(_MAX_ROUNDS):
        if near is not None and round_index < _NEAR_ROUNDS:
            cx = near[0][todo] + rng.normal(0.0, 1.0, len(todo)) * spreads[todo]
            cy = near[1][todo] + rng.normal(0.0, 1.0, len(todo)) * spreads[todo]
        else:
            box = bounds[todo]
            cx = rng.uniform(box[:, 0], box[:, 2])
            cy = rng.uniform(box[:, 1], box[:, 3])
        inside = shapely.contains_xy(polygons[todo], cx, cy)
        x[todo[inside]], y[todo[inside]] = cx[inside], cy[inside]
        todo = todo[~inside]
        if todo.size == 0:
            break
    if todo.size:  # slivers that rejection cannot hit: a point on the surface is still inside
        surface = shapely.point_on_surface(polygons[todo])
        x[todo], y[todo] = shapely.get_x(surface), shapely.get_y(surface)
    return x, y


def _doorplates_per_grid(households: pd.Series, max_rows: int) -> NDArray[np.int64]:
    low, high = DOORPLATES_PER_GRID
    wanted = households.to_numpy(dtype=np.float64) / HOUSEHOLDS_PER_DOORPLATE
    counts = np.clip(np.round(wanted), low, high).astype(np.int64)
    if counts.sum() > max_rows:
        factor = (max_rows - low * len(counts)) / max(1, (counts - low).sum())
        counts = low + np.floor((counts - low) * max(0.0, factor)).astype(np.int64)
    return counts


def _urban_roads(rng: np.random.Generator, grid_count: int, pool: NDArray[np.object_]) -> list[list[str]]:
    """Each grid of a community lies on two of the community's roads."""
    road_count = int(np.clip(1 + grid_count // 2, 2, 6))
    roads = list(rng.choice(pool, min(road_count, len(pool)), replace=False))
    return [[roads[i % len(roads)], roads[(i + 1) % len(roads)]] for i in range(grid_count)]


def _rural_groups(grid_count: int, doorplates: int, county_code: str) -> list[list[str]]:
    """Village groups numbered from one, split over the village's grids in code order."""
    group_count = int(np.clip(max(grid_count, round(doorplates / 30)), 1, _MAX_GROUPS))
    unit = "社" if county_code in _SHE_COUNTIES else "组"
    shares = np.array_split(np.arange(group_count), grid_count)
    return [
        [f"{_NUMERALS[g]}{unit}" for g in share] if len(share) else [f"{_NUMERALS[-1]}{unit}"]
        for share in shares
    ]


def _assign_roads(
    frame: pd.DataFrame, grids: gpd.GeoDataFrame, counts: NDArray[np.int64], rng: np.random.Generator
) -> NDArray[np.object_]:
    roads = np.empty(len(frame), dtype=object)
    starts = np.concatenate([[0], np.cumsum(counts)])
    pools = {}
    for village_code, members in grids.groupby(
        grids[Col.CODE].str[: CODE_LENGTH[Level.VILLAGE]]
    ).indices.items():
        county = village_code[: CODE_LENGTH[Level.COUNTY]]
        if county not in pools:
            pools[county] = rng.choice(np.asarray(_URBAN_ROADS, dtype=object), 20, replace=False)
        urban = grids.at[members[0], Col.KIND] == AreaKind.URBAN.value
        total = int(counts[members].sum())
        options = (
            _urban_roads(rng, len(members), pools[county])
            if urban
            else _rural_groups(len(members), total, county)
        )
        for grid_index, choices in zip(members, options, strict=True):
            rows = slice(starts[grid_index], starts[grid_index + 1])
            roads[rows] = np.asarray(choices, dtype=object)[rng.integers(0, len(choices), counts[grid_index])]
    return roads


def _house_numbers(
    frame: pd.DataFrame, urban: NDArray[np.bool_], rng: np.random.Generator
) -> NDArray[np.int64]:
    """Numbers run along each road (by position on a random bearing); town roads start mid-way."""
    keys = frame[Col.VILLAGE_CODE] + "|" + frame[AddressCol.ROAD]
    key_codes, key_index = np.unique(keys.to_numpy(dtype=str), return_inverse=True)
    bearing = rng.uniform(0.0, np.pi, len(key_codes))
    start = np.where(rng.random(len(key_codes)) < 0.5, 1, rng.integers(1, 150, len(key_codes)))
    along = frame["x"].to_numpy() * np.cos(bearing[key_index]) + frame["y"].to_numpy() * np.sin(
        bearing[key_index]
    )
    rank = pd.Series(along).groupby(key_index).rank(method="first").to_numpy(dtype=np.int64)
    return np.where(urban, start[key_index] + rank - 1, rank)


def generate_addresses(
    hierarchy: gpd.GeoDataFrame, seed: Seed, *, max_rows: int = MAX_ADDRESSES
) -> gpd.GeoDataFrame:
    """Doorplates in every grid, with a unique full address and a point inside the grid (EPSG:4490)."""
    rng = as_rng(seed, "addresses")
    grids = areas_at(hierarchy, Level.GRID)
    counts = _doorplates_per_grid(grids[Col.HOUSEHOLDS], max_rows)
    owner = np.repeat(np.arange(len(grids)), counts)
    x, y = sample_points(grids.geometry.to_numpy()[owner], rng)
    frame = pd.DataFrame({Col.GRID_CODE: grids[Col.CODE].to_numpy()[owner], "x": x, "y": y})
    for column, values in ancestor_codes(frame[Col.GRID_CODE]).items():
        frame[column] = values
    frame[AddressCol.ROAD] = _assign_roads(frame, grids, counts, rng)
    urban = grids[Col.KIND].to_numpy()[owner] == AreaKind.URBAN.value
    frame[AddressCol.NUMBER] = _house_numbers(frame, urban, rng)
    names = hierarchy.set_index(Col.CODE)[Col.NAME]
    frame[AddressCol.FULL_ADDRESS] = (
        frame[Col.COUNTY_CODE].map(names)
        + frame[Col.TOWNSHIP_CODE].map(names)
        + frame[Col.VILLAGE_CODE].map(names)
        + frame[AddressCol.ROAD]
        + frame[AddressCol.NUMBER].astype(str)
        + "号"
    )
    frame = frame.sort_values(
        [Col.VILLAGE_CODE, AddressCol.ROAD, AddressCol.NUMBER], kind="stable"
    ).reset_index(drop=True)
    frame[AddressCol.ADDRESS_ID] = [f"A{i + 1:06d}" for i in range(len(frame))]
    geometry = gpd.points_from_xy(frame["x"], frame["y"], crs=STORAGE_EPSG)
    return plain_columns(
        gpd.GeoDataFrame(frame[list(ADDRESS_COLUMNS[:-1])], geometry=geometry, crs=STORAGE_EPSG)
    )
