"""The PostGIS store against the GeoPackage store on the same data, in the same run: an ingest-sized write
of the demo's incidents, the read behind the monthly index (incidents and areas), and the grid join of
every incident inside the database against the library's join in Python.

    python -m bench.store_backends --store var/pingan-demo.gpkg

A PostgreSQL + PostGIS server is started for the run (bench.postgis_scratch): Debian's postgresql and
postgresql-15-postgis-3 must be installed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.postgis_scratch import postgis_server
from bench.timing import best_of
from geo.api import GeoPackageStore, Layer, Level, PostGISStore, grid_codes_in_database, open_store
from geo.intake.join import assign_grids, build_grid_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, type=Path, help="a demo store (pingan demo build)")
    args = parser.parse_args(argv)
    source = open_store(args.store)
    incidents, areas = source.read(Layer.INCIDENTS), source.read_areas(current=False)
    print(f"{len(incidents):,} incidents, {len(areas):,} areas")
    with postgis_server() as server, tempfile.TemporaryDirectory() as folder:
        postgis = PostGISStore(server.create_database("bench"))
        postgis.write({Layer.AREAS.value: areas})
        gpkg = GeoPackageStore(Path(folder) / "bench.gpkg")
        gpkg.write({Layer.AREAS.value: areas})

        def ingest(store: object) -> None:
            start = time.perf_counter()
            store.write({Layer.INCIDENTS.value: incidents})  # type: ignore[attr-defined]
            times.append(time.perf_counter() - start)

        rows = []
        for name, store in (("GeoPackage", gpkg), ("PostGIS", postgis)):
            times: list[float] = []
            for _ in range(3):
                ingest(store)
            read_s, _ = best_of(lambda s=store: (s.read(Layer.INCIDENTS), s.read_areas(current=False)))
            rows.append((name, min(times), read_s))
        (_, gpkg_write, gpkg_read), (_, pg_write, pg_read) = rows
        print(f"  write {len(incidents):,} incidents  GeoPackage {gpkg_write:6.2f} s   "
              f"PostGIS {pg_write:6.2f} s   ratio {pg_write / gpkg_write:4.2f}x the GeoPackage")
        print(f"  read for the index         GeoPackage {gpkg_read:6.2f} s   PostGIS {pg_read:6.2f} s"
              f"   ratio {pg_read / gpkg_read:4.2f}x the GeoPackage")

        lon, lat = incidents["lon"].to_numpy(dtype=float), incidents["lat"].to_numpy(dtype=float)
        grids = source.read_areas(levels=[Level.GRID.value])
        index = build_grid_index(grids)
        python_s, expected = best_of(lambda: assign_grids(lon, lat, index, edge_tolerance_m=0).codes)
        database_s, found = best_of(lambda: grid_codes_in_database(postgis, lon, lat))
        same = bool(np.array_equal(found, expected))
        print(f"  grid join of every incident  Python {python_s:6.3f} s   in PostGIS {database_s:6.2f} s   "
              f"ratio {database_s / python_s:5.1f}x the Python join; identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
