"""The grid join over an incident archive (geo.batch.archive) on dask.distributed: each partition read on a
worker (its incident_id, lon and lat) and joined there with the library's own join, so the answers are
those of one process.

`scheduler` is "local" (a LocalCluster of `workers` processes on this machine, started and stopped here) or
the address of a running scheduler (tcp://host:8786)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo.batch.archive import archive_parts
from geo.errors import GeoInputError
from geo.intake.join import GridIndex, assign_grids, build_grid_index
from geo.intake.join_index import DEFAULT_EDGE_HALO_M
from geo.schema import Col, IncidentCol

#: The join needs the stored coordinates only: decoding the WKB geometry would be ~3/4 of a partition's time.
_COLUMNS: Final = [IncidentCol.INCIDENT_ID.value, IncidentCol.LON.value, IncidentCol.LAT.value]


def join_partition(part: pd.DataFrame, index: GridIndex) -> pd.DataFrame:
    """incident_id and grid_code ("" outside) of one partition's rows."""
    lon, lat = part[IncidentCol.LON].to_numpy(dtype=float), part[IncidentCol.LAT].to_numpy(dtype=float)
    codes = assign_grids(lon, lat, index, edge_tolerance_m=DEFAULT_EDGE_HALO_M).codes
    return pd.DataFrame({IncidentCol.INCIDENT_ID.value: part[IncidentCol.INCIDENT_ID].astype(str).to_numpy(),
                         Col.GRID_CODE.value: codes.astype(str)}, index=part.index)


def join_file(path: str, index: GridIndex) -> pd.DataFrame:
    """`join_partition` of one archive partition, read on the worker."""
    return join_partition(pd.read_parquet(path, columns=_COLUMNS), index)


@contextlib.contextmanager
def dask_client(scheduler: str, workers: int) -> Iterator[Any]:
    """A distributed Client: on a LocalCluster of `workers` single-threaded processes, or on `scheduler`."""
    from dask.distributed import Client, LocalCluster  # batch work only

    if scheduler != "local":
        with Client(scheduler, timeout="10s") as client:  # type: ignore[no-untyped-call]
            yield client
        return
    if workers < 1 or workers > (os.cpu_count() or 1) * 4:
        raise GeoInputError(f"workers={workers}: allowed are 1 to {(os.cpu_count() or 1) * 4}")
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1")
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def batch_join(
    archive: str | os.PathLike[str],
    grids: gpd.GeoDataFrame,
    *,
    scheduler: str = "local",
    workers: int = 2,
    on_partition: Callable[[int, int], None] | None = None,
    index_cache: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """incident_id and grid_code of every archived incident, in archive order, each partition on a worker.

    `on_partition(done, total)` is called as each partition's join comes back (a progress bar's hook);
    `index_cache` is a folder where the grid index of each boundary version is kept between runs."""
    from dask.delayed import delayed  # batch work only

    parts = archive_parts(archive)
    if not parts:
        raise GeoInputError(f"archive {archive} holds no partitions: write one with `pingan archive export`")
    # Built once here and sent to every worker: building costs seconds, a lookup microseconds.
    index = build_grid_index(grids, cache_dir=None if index_cache is None else Path(index_cache))
    with dask_client(scheduler, workers) as client:
        shared = client.scatter(index, broadcast=True)
        tasks = [delayed(join_file)(str(path), shared) for path in parts]
        pieces = gather_in_order(client, tasks, on_partition)
    return pd.concat(pieces, ignore_index=True)


def gather_in_order(
    client: Any, tasks: list[Any], on_partition: Callable[[int, int], None] | None
) -> list[Any]:
    """The results of `tasks` (dask delayed objects) in their order, reporting each as it completes."""
    from dask.distributed import as_completed  # batch work only

    futures = client.compute(tasks)
    for done, _ in enumerate(as_completed(futures), start=1):  # type: ignore[no-untyped-call]
        if on_partition is not None:
            on_partition(done, len(futures))
    return [future.result() for future in futures]
