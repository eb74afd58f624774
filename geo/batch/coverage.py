"""Mediator coverage over an incident archive: the part that depends on the incidents (the disputes of the
twelve months to the month, and which had no mediator of their kind within reach) counted per partition
on dask.distributed workers, the rest (households and distances, mediators per area) once on the driver.

Only the twelve partitions of the caseload window are read: an archive holds one month of report per
partition (geo.batch.archive). Each worker sends back integer counts per village and kind, and integer
sums do not depend on the order they are added in, so the report equals `mediator_coverage` of the same
incidents in one process, value for value."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Final

import pandas as pd

from geo.analysis.coverage import CoverageInputs, mediator_coverage
from geo.analysis.coverage_cases import (
    CASE_COLUMNS,
    SpecialistReach,
    add_case_counts,
    caseload_months,
    count_cases,
)
from geo.analysis.coverage_config import CoverageConfig, load_coverage_config
from geo.batch.archive import archive_months, archive_parts
from geo.batch.join import dask_client, gather_in_order
from geo.errors import GeoInputError
from geo.schema import Level

_READ: Final = list(CASE_COLUMNS)


def count_partition_cases(path: str, month: str, reach: SpecialistReach) -> pd.DataFrame:
    """`count_cases` of one archive partition, read on the worker (five columns, no geometry)."""
    return count_cases(pd.read_parquet(path, columns=_READ), month=month, reach=reach)


def batch_mediator_coverage(
    archive: str | os.PathLike[str],
    inputs: CoverageInputs,
    *,
    month: str | None = None,
    level: Level | str | None = None,
    config: CoverageConfig | None = None,
    specialty: str | None = None,
    by_kind: bool = False,
    scheduler: str = "local",
    workers: int = 2,
    on_partition: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, str]:
    """`mediator_coverage` of the archive's incidents (the inputs' own are not read) and the month it is
    for: `month`, or the latest month the archive holds."""
    from dask.delayed import delayed  # batch work only

    settings = config or load_coverage_config()
    chosen = month or latest_month(archive)
    parts = archive_parts(archive, caseload_months(chosen))
    reach = inputs.specialist_reach(settings)
    with dask_client(scheduler, workers) as client:
        shared = client.scatter(reach, broadcast=True)
        tasks = [delayed(count_partition_cases)(str(path), chosen, shared) for path in parts]
        pieces = gather_in_order(client, tasks, on_partition)
    report = mediator_coverage(inputs, month=chosen, level=level, config=settings, specialty=specialty,
                               by_kind=by_kind, cases=add_case_counts(pieces))
    return report, chosen


def latest_month(archive: str | os.PathLike[str]) -> str:
    """The newest month with a partition: the latest month with a reported dispute, as in one process."""
    months = archive_months(archive)
    if not months:
        raise GeoInputError(f"archive {archive} holds no dated partitions: give the month as YYYY-MM")
    return months[-1]
