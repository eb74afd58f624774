"""The grid join over an incident archive (geo.batch.archive) with dask-geopandas on dask.distributed: each
partition joined on a worker with the library's own join, so the answers are those of one process.

`scheduler` is "local" (a LocalCluster of `workers` processes on this machine, started and stopped here) or
the address of a running scheduler (tcp://host:8786)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo.batch.archive import archive_parts
from geo.errors import GeoInputError
from geo.intake.join import GridIndex, assign_grids, build_grid_index
from geo.intake.join_index import DEFAULT_EDGE_HALO_M
from geo.schema import Col, IncidentCol

_COLUMNS: Final = [IncidentCol.INCIDENT_ID.value, IncidentCol.LON.value, IncidentCol.LAT.value,
                   Col.GEOMETRY.value]
#: Each worker process builds the grid index once per set of grids, then reuses it for every partition.
_INDEXES: dict[str, GridIndex] = {}


def _index_on_worker(key: str, grids: gpd.GeoDataFrame) -> GridIndex:
    if key not in _INDEXES:
        _INDEXES.clear()
        _INDEXES[key] = build_grid_index(grids)
    return _INDEXES[key]


def join_partition(part: pd.DataFrame, grids: gpd.GeoDataFrame, key: str) -> pd.DataFrame:
    """incident_id and grid_code ("" outside) of one partition's rows."""
    index = _index_on_worker(key, grids)
    lon, lat = part[IncidentCol.LON].to_numpy(dtype=float), part[IncidentCol.LAT].to_numpy(dtype=float)
    codes = assign_grids(lon, lat, index, edge_tolerance_m=DEFAULT_EDGE_HALO_M).codes
    return pd.DataFrame({IncidentCol.INCIDENT_ID.value: part[IncidentCol.INCIDENT_ID].astype(str).to_numpy(),
                         Col.GRID_CODE.value: codes.astype(str)}, index=part.index)


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
    archive: str | os.PathLike[str], grids: gpd.GeoDataFrame, *, scheduler: str = "local", workers: int = 2
) -> pd.DataFrame:
    """incident_id and grid_code of every archived incident, in archive order, each partition on a worker."""
    import dask_geopandas  # batch work only

    parts = archive_parts(archive)
    if not parts:
        raise GeoInputError(f"archive {archive} holds no partitions: write one with `pingan archive export`")
    key = f"{len(grids)}-{pd.util.hash_pandas_object(grids[Col.CODE]).sum()}"
    with dask_client(scheduler, workers) as client:
        frame = dask_geopandas.read_parquet([str(p) for p in parts], columns=_COLUMNS,
                                            gather_spatial_partitions=False)
        shared = client.scatter(grids, broadcast=True)
        meta = pd.DataFrame({IncidentCol.INCIDENT_ID.value: pd.Series(dtype=str),
                             Col.GRID_CODE.value: pd.Series(dtype=str)})
        joined = frame.map_partitions(join_partition, shared, key, meta=meta)
        result: pd.DataFrame = client.compute(joined).result()
    return result.reset_index(drop=True)
