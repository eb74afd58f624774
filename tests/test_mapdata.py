"""Geometry for the browser: still a valid coverage after simplification, every area present, smaller,
rounded to about a metre, and written once per boundary version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.api import GeoInputError, GeoPackageStore, Level, StoreError, area_geojson, area_geojson_file
from geo.export.mapdata import TOLERANCE_DEG

# Four grids in a 2x2 block near 肃州 (98.5E 39.7N), 0.02 degrees (about 2 km) a side. The shared edges
# wiggle by about 2 m every 20 m: detail far below a pixel at zoom 13 that simplification should drop.
WEST, SOUTH, SIZE = 98.5, 39.7, 0.02
WIGGLE, STEP = 0.00002, 0.0002


def _wiggly(start: tuple[float, float], end: tuple[float, float]) -> shapely.LineString:
    steps = round(max(abs(end[0] - start[0]), abs(end[1] - start[1])) / STEP)
    t = np.linspace(0.0, 1.0, steps + 1)
    x = start[0] + t * (end[0] - start[0])
    y = start[1] + t * (end[1] - start[1])
    offset = np.where(np.arange(steps + 1) % 2 == 1, WIGGLE, 0.0)
    offset[[0, -1]] = 0.0
    horizontal = start[1] == end[1]
    return shapely.LineString(np.column_stack([x, y + offset] if horizontal else [x + offset, y]))


def _two_by_two() -> list[shapely.Polygon]:
    """Four squares that share wiggly edges exactly: polygonized from one set of lines, so the edges
    between them are the same vertices on both sides. Ordered SW, SE, NW, NE."""
    w, s, e, n = WEST, SOUTH, WEST + SIZE, SOUTH + SIZE
    mx, my = WEST + SIZE / 2, SOUTH + SIZE / 2
    ends = [
        ((w, s), (mx, s)), ((mx, s), (e, s)), ((w, n), (mx, n)), ((mx, n), (e, n)),  # south and north sides
        ((w, s), (w, my)), ((w, my), (w, n)), ((e, s), (e, my)), ((e, my), (e, n)),  # west and east sides
        ((w, my), (mx, my)), ((mx, my), (e, my)), ((mx, s), (mx, my)), ((mx, my), (mx, n)),  # the inner cross
    ]
    lines = [_wiggly(start, end) for start, end in ends]
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines)))))
    return sorted(faces, key=lambda face: (round(face.centroid.y, 3), round(face.centroid.x, 3)))


def _rows(version: str, valid_to: str | None, suffix: str = "") -> list[dict[str, object]]:
    grids = _two_by_two()
    township = {"code": "620902001", "name": "东关街道", "level": "township", "parent_code": "620902",
                "geometry": shapely.coverage_union_all(grids)}
    rows = [township] + [
        {"code": f"620902001001{i:03d}", "name": f"东关第{i}网格{suffix}", "level": "grid",
         "parent_code": "620902001001", "geometry": grid}
        for i, grid in enumerate(grids, start=1)
    ]
    for row in rows:
        row.update(kind="urban", households=100, population=290, area_km2=4.0, version_id=version,
                   valid_from="2024-01-01", valid_to=valid_to)
    return rows


def _store(path: Path, rows: list[dict[str, object]]) -> GeoPackageStore:
    store = GeoPackageStore(path)
    store.write({"areas": gpd.GeoDataFrame(rows, geometry="geometry", crs=4490)})
    return store


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return _store(tmp_path / "areas.gpkg", _rows("v2024", None))


def _geometries(collection: dict[str, object]) -> list[shapely.Geometry]:
    features = collection["features"]
    assert isinstance(features, list)
    return [shapely.from_geojson(json.dumps(feature["geometry"])) for feature in features]


def test_simplified_grids_still_tile_without_gaps_or_overlaps(store: GeoPackageStore) -> None:
    collection = area_geojson(store, "grid")

    geometries = _geometries(collection)
    assert all(shapely.is_valid(geometries))
    assert shapely.coverage_is_valid(geometries)
    union = shapely.coverage_union_all(geometries)
    assert union.area == pytest.approx(SIZE * SIZE, rel=1e-3)


def test_every_grid_is_there_with_only_its_identity_as_properties(store: GeoPackageStore) -> None:
    collection = area_geojson(store, Level.GRID)

    assert collection["type"] == "FeatureCollection"
    properties = [feature["properties"] for feature in collection["features"]]
    assert [p["code"] for p in properties] == [f"620902001001{i:03d}" for i in range(1, 5)]
    assert all(set(p) == {"code", "name", "level", "parent_code"} for p in properties)
    assert {p["level"] for p in properties} == {"grid"}
    assert properties[0]["name"] == "东关第1网格" and properties[0]["parent_code"] == "620902001001"


def test_simplification_drops_sub_pixel_wiggles_but_keeps_the_shapes(store: GeoPackageStore) -> None:
    original = _two_by_two()
    collection = area_geojson(store, "grid")
    simplified = _geometries(collection)

    assert shapely.get_num_coordinates(simplified).sum() < shapely.get_num_coordinates(original).sum() / 5
    unsimplified = {"type": "FeatureCollection", "features": [shapely.geometry.mapping(g) for g in original]}
    assert len(json.dumps(collection)) < len(json.dumps(unsimplified)) / 3
    for before, after in zip(original, simplified, strict=True):
        # Within 1.5 px at zoom 13, where grids are drawn (one pixel is the tolerance).
        assert shapely.hausdorff_distance(before, after) < 1.5 * TOLERANCE_DEG[Level.GRID]


def test_coordinates_are_rounded_to_five_decimals(store: GeoPackageStore) -> None:
    coordinates = shapely.get_coordinates(_geometries(area_geojson(store, "grid")))

    assert np.allclose(coordinates * 1e5, np.round(coordinates * 1e5), atol=1e-6)


def test_current_areas_are_drawn_unless_an_older_version_is_asked_for(tmp_path: Path) -> None:
    rows = _rows("v2023", "2023-12-31", suffix="（旧）") + _rows("v2024", None)
    store = _store(tmp_path / "versions.gpkg", rows)

    current = area_geojson(store, "grid")
    older = area_geojson(store, "grid", version_id="v2023")

    def names(collection: dict[str, Any]) -> set[str]:
        return {feature["properties"]["name"] for feature in collection["features"]}

    assert names(current) == {f"东关第{i}网格" for i in (1, 2, 3, 4)}
    assert names(older) == {f"东关第{i}网格（旧）" for i in (1, 2, 3, 4)}


def test_unknown_level_is_refused_with_the_allowed_levels(store: GeoPackageStore) -> None:
    with pytest.raises(GeoInputError, match=r"unknown level 'grids': allowed are city, county, .*"):
        area_geojson(store, "grids")


def test_a_level_the_store_lacks_is_reported_with_the_versions_it_has(store: GeoPackageStore) -> None:
    with pytest.raises(StoreError, match=r"no village areas of a current version .*village versions: none"):
        area_geojson(store, "village")
    with pytest.raises(StoreError, match=r"no grid areas of version 'v1999'.*grid versions: v2024"):
        area_geojson(store, "grid", version_id="v1999")


def test_the_file_is_written_once_per_version_and_level_and_then_reused(
    store: GeoPackageStore, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"

    first = area_geojson_file(store, "grid", cache)
    written = first.stat()
    again = area_geojson_file(store, "grid", cache)

    assert again == first
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert "v2024" in first.name and "grid" in first.name
    served = json.loads(first.read_text(encoding="utf-8"))
    assert served == json.loads(json.dumps(area_geojson(store, "grid")))
    township = area_geojson_file(store, "township", cache)
    assert township != first
    assert sorted(path.name for path in cache.iterdir()) == sorted([first.name, township.name])


def test_a_new_boundary_version_gets_a_new_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = area_geojson_file(_store(tmp_path / "old.gpkg", _rows("v2023", None)), "grid", cache)
    new = area_geojson_file(_store(tmp_path / "new.gpkg", _rows("v2024", None)), "grid", cache)

    assert old != new and old.is_file() and new.is_file()
