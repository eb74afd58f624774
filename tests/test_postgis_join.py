"""The grid join inside PostGIS gives the same grid to every point as the library's own join, on the demo's
incidents and on points placed on shared edges and corners, where the lowest code must win."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import shapely
from fixtures.demo_copy import demo_store_in

from geo.api import Layer, Level, grid_codes_in_database, migrate_store, open_store
from geo.intake.join import assign_grids, build_grid_index


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("postgis-join"))


def test_the_database_join_assigns_every_point_as_the_library_does(
    demo: Path, postgis_url: Callable[[], str]
) -> None:
    gpkg = open_store(demo)
    postgis = open_store(postgis_url())
    migrate_store(gpkg, postgis)
    grids = gpkg.read_areas(levels=[Level.GRID.value])
    incidents = gpkg.read(Layer.INCIDENTS)
    # Grid corners and edge midpoints: each lies in two or more grids, and the lowest code takes it.
    rings = [np.asarray(shapely.get_coordinates(shapely.get_exterior_ring(g))) for g in
             shapely.get_parts(grids.geometry.to_numpy())[:200]]
    corners = np.vstack([ring[:-1] for ring in rings])
    outside = np.array([[90.0, 30.0], [np.nan, np.nan]])  # far from Jiuquan, and a missing position
    lon = np.concatenate([incidents["lon"].to_numpy(dtype=float), corners[:, 0], outside[:, 0]])
    lat = np.concatenate([incidents["lat"].to_numpy(dtype=float), corners[:, 1], outside[:, 1]])

    expected = assign_grids(lon, lat, build_grid_index(grids), edge_tolerance_m=0).codes
    found = grid_codes_in_database(postgis, lon, lat)

    assert len(found) == len(lon) and (found == "").sum() >= 2
    mismatched = np.flatnonzero(found != expected)
    assert not len(mismatched), [(lon[i], lat[i], found[i], expected[i]) for i in mismatched[:5]]
    assert (found[len(incidents):-2] != "").all() and len(set(found[len(incidents):-2])) > 100
