"""The monthly warning index over an incident archive: each partition read and prepared on a worker
(`prepare_incidents` works row by row), the prepared rows concatenated in archive order on the driver
and scored there by the library's own scoring, so the table is the one process's, value for value.

The per-(area, month) sums are not split across workers: a weighted sum added up in another order can
differ in its last bit, and the scores must be identical. What a worker sends back is the prepared
columns only, a fraction of the partition's bytes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Final

import geopandas as gpd
import pandas as pd

from geo.analysis.area_months import INCIDENT_COLUMNS, MICRO_GRID_CODE, prepare_incidents
from geo.analysis.warning_config import WarningConfig, resolve_config
from geo.analysis.warning_index import warning_scores_of_prepared
from geo.batch.archive import archive_parts
from geo.batch.join import dask_client, gather_in_order
from geo.errors import GeoInputError
from geo.schema import Level

#: What the scoring reads of a prepared incident; the rest stays on the worker.
_SCORED: Final = (*INCIDENT_COLUMNS, "month", "closed_month", "overdue_from", "closed_late")


def prepare_partition(path: str, overdue_days: int) -> pd.DataFrame:
    """One partition's incidents through `prepare_incidents`, cut to the columns the scoring reads."""
    import pyarrow.parquet as pq  # batch work only

    present = set(pq.read_schema(path).names)
    wanted = [c for c in (*INCIDENT_COLUMNS, MICRO_GRID_CODE) if c in present]
    part = pd.read_parquet(path, columns=wanted)
    prepared = prepare_incidents(part, overdue_days=overdue_days)
    return prepared[[c for c in prepared.columns if c in (*_SCORED, MICRO_GRID_CODE)]]


def batch_warning_scores(
    archive: str | os.PathLike[str],
    areas: pd.DataFrame | gpd.GeoDataFrame,
    *,
    level: Level | str | None = None,
    config: WarningConfig | str | None = None,
    scheduler: str = "local",
    workers: int = 2,
    on_partition: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """`warning_scores_all_months` of the archive's incidents, each partition prepared on a worker."""
    from dask.delayed import delayed  # batch work only

    settings = resolve_config(config)
    parts = archive_parts(archive)
    if not parts:
        raise GeoInputError(f"archive {archive} holds no partitions: write one with `pingan archive export`")
    tasks = [delayed(prepare_partition)(str(path), settings.overdue_days) for path in parts]
    with dask_client(scheduler, workers) as client:
        pieces = gather_in_order(client, tasks, on_partition)
    prepared = pd.concat(pieces, ignore_index=True)
    return warning_scores_of_prepared(prepared, areas, level=level, config=settings)
