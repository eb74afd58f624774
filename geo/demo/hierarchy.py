"""The demo's generated area hierarchy inside Jiuquan's real counties.

Townships, villages and communities, grids and micro-grids are generated top-down with a fixed seed:
urban streets and communities cluster around each county seat, so urban grids are small and dense;
rural villages spread around their town; the pastoral towns of 肃北 and 阿克塞 get a few huge grids.
Each level is cut with `tessellate`, then every upper level is rebuilt as the exact union of its
children, so all levels share one set of vertices and each is a valid coverage of its parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import nearest_points

from geo.boundaries.counties import CITY_NAME, COUNTIES, read_counties
from geo.boundaries.hierarchy_files import HIERARCHY_COLUMNS
from geo.boundaries.tessellate import Parent, sample_seeds, tessellate
from geo.crs import STORAGE_EPSG, to_metric_geometry
from geo.demo.area_names import AreaNamer, grid_name, micro_grid_name
from geo.demo.plan import (
    BOUNDARY_VALID_FROM,
    BOUNDARY_VERSION,
    MICRO_GRID_COMMUNITIES,
    MICRO_GRIDS_PER_GRID,
    PEOPLE_PER_HOUSEHOLD,
    PLANS,
    SEED,
    URBAN_GRID_HOUSEHOLDS,
    CountyPlan,
)
from geo.errors import GeoInputError
from geo.schema import CITY_CODE, AreaKind, Col, Level

_DECIMALS: Final = 9  # 0.1 mm: nodes added on long county edges stay on them to well under 1 m2


@dataclass
class _Area:
    """An area while it is being generated, on the cutting plane."""

    code: str
    name: str
    level: Level
    parent: _Area | None
    kind: AreaKind
    geometry: shapely.Geometry
    seed: tuple[float, float]  # the point its cell grew from; children cluster around it
    households: int = 0
    children: list[_Area] = field(default_factory=list)


# Cutting happens on a plane that is an affine image of longitude/latitude (about metres near 40N).
# An affine map keeps straight edges straight, so a node added on a parent's edge stays on that edge once
# converted back; a true projection would bend the edge and open gaps of hundreds of square metres.
_ORIGIN: Final = (96.5, 40.0)
_METRES_PER_DEGREE: Final = (111_320.0 * np.cos(np.radians(40.0)), 110_574.0)


def _to_plane(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.column_stack(
        [(lon - _ORIGIN[0]) * _METRES_PER_DEGREE[0], (lat - _ORIGIN[1]) * _METRES_PER_DEGREE[1]]
    )


def _to_plane_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda c: _to_plane(c[:, 0], c[:, 1]))


def _to_storage_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    def convert(coords: np.ndarray) -> np.ndarray:
        lon = coords[:, 0] / _METRES_PER_DEGREE[0] + _ORIGIN[0]
        lat = coords[:, 1] / _METRES_PER_DEGREE[1] + _ORIGIN[1]
        return np.round(np.column_stack([lon, lat]), _DECIMALS)

    return shapely.transform(geometry, convert)


def _area_km2(storage_geometry: shapely.Geometry) -> float:
    return round(to_metric_geometry(storage_geometry).area / 1e6, 4)


def _split(total: int, weights: np.ndarray, minimum: int) -> list[int]:
    """Integers >= minimum that add up to total, roughly proportional to weights."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise GeoInputError(f"cannot give {len(weights)} areas at least {minimum} each out of {total}")
    raw = spare * weights / weights.sum()
    counts = np.floor(raw).astype(int)
    for index in np.argsort(-(raw - counts))[: spare - counts.sum()]:
        counts[index] += 1
    return [minimum + int(c) for c in counts]


def _cut(parents: list[_Area], seeds: list[np.ndarray], child_level: Level) -> list[list[shapely.Geometry]]:
    pieces = tessellate([Parent(p.geometry, s) for p, s in zip(parents, seeds, strict=True)])
    for parent, geometries in zip(parents, pieces, strict=True):
        parent.geometry = shapely.coverage_union_all(geometries)
    return pieces


def _nearest_point(geometry: shapely.Geometry, point: tuple[float, float]) -> tuple[float, float]:
    target = shapely.Point(point)
    if geometry.contains(target):
        return point
    near = nearest_points(geometry, target)[0]
    return (near.x, near.y)


def _township_seeds(county: _Area, plan: CountyPlan, rng: np.random.Generator) -> np.ndarray:
    """Streets hug the seat; a ring of towns bounds them; the other towns spread over the county."""
    geom = county.geometry
    seat = county.seed
    # One town in every large detached part (肃北's northern exclave is its own township).
    parts = sorted(shapely.get_parts(geom), key=lambda p: -p.area)
    detached = [
        shapely.get_coordinates(p.point_on_surface())[0] for p in parts[1:] if p.area > 0.05 * geom.area
    ]
    streets = sample_seeds(geom, plan.streets, rng, centre=seat, spread=1800.0, min_distance=1500.0)
    ring_count = min(plan.towns - len(detached), 5)
    angles = np.linspace(0, 2 * np.pi, ring_count, endpoint=False) + rng.uniform(0, 2 * np.pi)
    radii = rng.uniform(9000.0, 14000.0, ring_count)
    ring = np.column_stack([seat[0] + radii * np.cos(angles), seat[1] + radii * np.sin(angles)])
    ring = ring[shapely.contains_xy(geom, ring[:, 0], ring[:, 1])]
    placed = np.vstack([streets, ring, *([np.array(detached)] if detached else [])])
    remaining = plan.streets + plan.towns - len(placed)
    spread = 0.35 * np.sqrt(geom.area) if not plan.pastoral else None
    others = _spread_seeds(geom, remaining, rng, seat if spread else None, spread, placed, 8000.0)
    return np.vstack([placed, others])


def _spread_seeds(
    geom: shapely.Geometry,
    count: int,
    rng: np.random.Generator,
    centre: tuple[float, float] | None,
    spread: float | None,
    avoid: np.ndarray,
    min_distance: float,
) -> np.ndarray:
    """Seeds kept at least `min_distance` from each other and from `avoid` (already placed seeds)."""
    if count <= 0:
        return np.empty((0, 2))
    candidates = sample_seeds(geom, count * 4, rng, centre=centre, spread=spread, min_distance=min_distance)
    distance = np.sqrt(((candidates[:, None, :] - avoid[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    order = np.argsort(-np.minimum(distance, min_distance * 2) + rng.uniform(0, 1, len(candidates)))
    return candidates[order[:count]]


def _child_seeds(
    parent: _Area, count: int, rng: np.random.Generator, anchor: tuple[float, float]
) -> np.ndarray:
    area = parent.geometry.area
    centre = _nearest_point(parent.geometry, anchor)
    dense = parent.kind is AreaKind.URBAN
    spread = np.sqrt(area) / (4.0 if dense else 2.5)
    return sample_seeds(
        parent.geometry, count, rng, centre=centre, spread=spread, min_distance=0.4 * np.sqrt(area / count)
    )


def _make_counties(rng: np.random.Generator) -> list[_Area]:
    source = read_counties().set_index(Col.CODE)
    counties = []
    for county in COUNTIES:
        plan_kind = AreaKind.PASTORAL if _plan(county.code).pastoral else AreaKind.RURAL
        seat = tuple(float(v) for v in _to_plane(np.array([county.seat_lon]), np.array([county.seat_lat]))[0])
        geometry = _to_plane_geometry(source.loc[county.code, Col.GEOMETRY])
        counties.append(_Area(county.code, county.name, Level.COUNTY, None, plan_kind, geometry, seat))  # type: ignore[arg-type]
    return counties


def _plan(code: str) -> CountyPlan:
    return next(p for p in PLANS if p.code == code)


def _make_townships(counties: list[_Area], rng: np.random.Generator, namer: AreaNamer) -> None:
    seeds = [_township_seeds(c, _plan(c.code), rng) for c in counties]
    pieces = _cut(counties, seeds, Level.TOWNSHIP)
    for county, county_seeds, geometries in zip(counties, seeds, pieces, strict=True):
        plan = _plan(county.code)
        for i, (point, geometry) in enumerate(zip(county_seeds, geometries, strict=True)):
            is_street = i < plan.streets
            code = county.code + (f"{i + 1:03d}" if is_street else f"{100 + i - plan.streets + 1:03d}")
            name = namer.street(i) if is_street else namer.town(plan.pastoral)
            kind = AreaKind.URBAN if is_street else county.kind
            county.children.append(
                _Area(code, name, Level.TOWNSHIP, county, kind, geometry, (float(point[0]), float(point[1])))
            )


def _make_villages(counties: list[_Area], rng: np.random.Generator, namer: AreaNamer) -> None:
    parents, seeds = [], []
    for county in counties:
        plan = _plan(county.code)
        streets = [t for t in county.children if t.kind is AreaKind.URBAN]
        towns = [t for t in county.children if t.kind is not AreaKind.URBAN]
        street_counts = _split(plan.communities, np.array([s.geometry.area**0.3 for s in streets]), 1)
        town_counts = _split(plan.villages, np.array([t.geometry.area**0.4 for t in towns]), 2)
        for township, count in zip(streets + towns, street_counts + town_counts, strict=True):
            parents.append(township)
            seeds.append(
                _child_seeds(township, count, rng, county.seed if township in streets else township.seed)
            )
    pieces = _cut(parents, seeds, Level.VILLAGE)
    for township, township_seeds, geometries in zip(parents, seeds, pieces, strict=True):
        urban = township.kind is AreaKind.URBAN
        for i, (point, geometry) in enumerate(zip(township_seeds, geometries, strict=True)):
            code = township.code + f"{(1 if urban else 200) + i:03d}"
            name = namer.community() if urban else namer.village()
            township.children.append(
                _Area(
                    code,
                    name,
                    Level.VILLAGE,
                    township,
                    township.kind,
                    geometry,
                    (float(point[0]), float(point[1])),
                )
            )


def _make_grids(counties: list[_Area], rng: np.random.Generator) -> None:
    parents, seeds = [], []
    for county in counties:
        plan = _plan(county.code)
        villages = [v for t in county.children for v in t.children]
        urban = [v for v in villages if v.kind is AreaKind.URBAN]
        rural = [v for v in villages if v.kind is not AreaKind.URBAN]
        urban_counts = _split(plan.urban_grids, np.array([v.geometry.area**0.5 for v in urban]), 4)
        rural_weights = np.array([v.geometry.area**0.2 * rng.lognormal(0, 0.4) for v in rural])
        rural_counts = _split(plan.rural_grids, rural_weights, 1)
        for village, count in zip(urban + rural, urban_counts + rural_counts, strict=True):
            parents.append(village)
            anchor = county.seed if village.kind is AreaKind.URBAN else village.seed
            seeds.append(_child_seeds(village, count, rng, anchor))
    pieces = _cut(parents, seeds, Level.GRID)
    for village, village_seeds, geometries in zip(parents, seeds, pieces, strict=True):
        for i, (point, geometry) in enumerate(zip(village_seeds, geometries, strict=True)):
            code = village.code + f"{i + 1:03d}"
            village.children.append(
                _Area(
                    code,
                    grid_name(village.name, i + 1),
                    Level.GRID,
                    village,
                    village.kind,
                    geometry,
                    (float(point[0]), float(point[1])),
                )
            )


def _assign_households(counties: list[_Area], rng: np.random.Generator) -> None:
    low, high = URBAN_GRID_HOUSEHOLDS
    for county in counties:
        plan = _plan(county.code)
        grids = [g for t in county.children for v in t.children for g in v.children]
        rural = [g for g in grids if g.kind is not AreaKind.URBAN]
        for grid in grids:
            if grid.kind is AreaKind.URBAN:
                grid.households = int(rng.integers(low, high + 1))
        weights = np.array([rng.lognormal(0, 0.5) for _ in rural])
        rural_households = round(plan.rural_population / PEOPLE_PER_HOUSEHOLD)
        for grid, households in zip(rural, _split(rural_households, weights, 15), strict=True):
            grid.households = households


def _make_micro_grids(counties: list[_Area], rng: np.random.Generator) -> None:
    """Split every grid of a few central communities; all grids take part so their edges stay matched."""
    chosen: set[str] = set()
    for county in counties:
        communities = [v for t in county.children for v in t.children if v.kind is AreaKind.URBAN]
        communities.sort(key=lambda v: np.hypot(v.seed[0] - county.seed[0], v.seed[1] - county.seed[1]))
        chosen.update(v.code for v in communities[: MICRO_GRID_COMMUNITIES.get(county.code, 0)])
    grids = [g for c in counties for t in c.children for v in t.children for g in v.children]
    seeds = []
    for grid in grids:
        if grid.parent is not None and grid.parent.code in chosen:
            count = int(rng.integers(MICRO_GRIDS_PER_GRID[0], MICRO_GRIDS_PER_GRID[1] + 1))
            seeds.append(
                sample_seeds(
                    grid.geometry, count, rng, min_distance=0.4 * np.sqrt(grid.geometry.area / count)
                )
            )
        else:
            seeds.append(np.array([shapely.get_coordinates(grid.geometry.point_on_surface())[0]]))
    pieces = _cut(grids, seeds, Level.MICRO_GRID)
    for grid, geometries in zip(grids, pieces, strict=True):
        if grid.parent is None or grid.parent.code not in chosen:
            continue
        shares = _split(grid.households, np.ones(len(geometries)), 0)
        for i, (geometry, households) in enumerate(zip(geometries, shares, strict=True)):
            grid.children.append(
                _Area(
                    grid.code + f"{i + 1:02d}",
                    micro_grid_name(grid.name, i + 1),
                    Level.MICRO_GRID,
                    grid,
                    grid.kind,
                    geometry,
                    grid.seed,
                    households,
                )
            )


def _roll_up(area: _Area) -> None:
    """Rebuild upper levels from their children so every level shares the finest level's vertices."""
    if not area.children:
        return
    for child in area.children:
        _roll_up(child)
    area.geometry = shapely.coverage_union_all([c.geometry for c in area.children])
    if area.level is not Level.GRID:
        area.households = sum(c.households for c in area.children)


def _walk(areas: Iterable[_Area]) -> Iterable[_Area]:
    for area in areas:
        yield area
        yield from _walk(area.children)


def generate_hierarchy(*, seed: int = SEED) -> gpd.GeoDataFrame:
    """Every level from city to micro-grid as one frame in EPSG:4490, with households and population."""
    rng = np.random.default_rng(seed)
    namer = AreaNamer(rng)
    counties = _make_counties(rng)
    _make_townships(counties, rng, namer)
    _make_villages(counties, rng, namer)
    _make_grids(counties, rng)
    _assign_households(counties, rng)
    _make_micro_grids(counties, rng)
    for county in counties:
        _roll_up(county)
    city_geometry = shapely.coverage_union_all([c.geometry for c in counties])
    city = _Area(
        CITY_CODE,
        CITY_NAME,
        Level.CITY,
        None,
        AreaKind.URBAN,
        city_geometry,
        counties[0].seed,
        sum(c.households for c in counties),
        counties,
    )
    ratio = {g.code: rng.uniform(2.3, 2.9) for g in _walk([city]) if g.level is Level.GRID}
    rows = []
    for area in _walk([city]):
        people_per_household = ratio.get(area.code[:15])
        storage_geometry = _to_storage_geometry(area.geometry)
        rows.append(
            {
                Col.CODE: area.code,
                Col.NAME: area.name,
                Col.LEVEL: area.level.value,
                Col.PARENT_CODE: area.parent.code
                if area.parent
                else (CITY_CODE if area.level is Level.COUNTY else None),
                Col.KIND: area.kind.value,
                Col.HOUSEHOLDS: area.households,
                Col.POPULATION: round(area.households * people_per_household) if people_per_household else 0,
                Col.AREA_KM2: _area_km2(storage_geometry),
                Col.VERSION_ID: BOUNDARY_VERSION,
                Col.VALID_FROM: BOUNDARY_VALID_FROM,
                Col.VALID_TO: None,
                Col.GEOMETRY: storage_geometry,
            }
        )
    frame = gpd.GeoDataFrame(rows, columns=list(HIERARCHY_COLUMNS), geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    return _sum_population(frame)


def _sum_population(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Population of upper levels is the sum over their grids (micro-grids split a grid's people)."""
    grids = frame[frame[Col.LEVEL] == Level.GRID.value]
    frame = frame.copy()
    for level, length in ((Level.VILLAGE, 12), (Level.TOWNSHIP, 9), (Level.COUNTY, 6)):
        sums = grids.groupby(grids[Col.CODE].str[:length])[Col.POPULATION].sum()
        mask = frame[Col.LEVEL] == level.value
        frame.loc[mask, Col.POPULATION] = frame.loc[mask, Col.CODE].map(sums)
    frame.loc[frame[Col.LEVEL] == Level.CITY.value, Col.POPULATION] = grids[Col.POPULATION].sum()
    frame[Col.POPULATION] = frame[Col.POPULATION].astype("int64")
    return frame
