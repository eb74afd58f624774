"""Incident archives as GeoParquet partitioned by the month of report (Hive style: year=YYYY/month=MM/),
for the history a store need not hold and for batch work that reads one partition at a time.

Every partition is one file written beside and renamed into place, so an interrupted export leaves whole
partitions only. Rows without a report date go to year=0000/month=00, never dropped.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd

from geo.analysis.area_months import STILL_OPEN, local_month_ordinals, month_label, month_ordinal
from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError
from geo.schema import Col

PART_FILE: Final = "incidents.parquet"
_UNDATED: Final = ("0000", "00")


def partition_folder(root: Path, month: str | None) -> Path:
    """The folder of one month's partition (`month` None: the undated rows)."""
    year, number = month.split("-") if month is not None else _UNDATED
    return root / f"year={year}" / f"month={number}"


def write_archive(incidents: gpd.GeoDataFrame, root: str | os.PathLike[str]) -> dict[str, int]:
    """Write `incidents` (EPSG:4490) under `root`, one GeoParquet file per month of report, replacing the
    partitions of those months; rows per partition written ("undated" for rows without a date)."""
    folder = Path(root)
    if incidents.crs is None or incidents.crs.to_epsg() != STORAGE_EPSG:
        raise GeoInputError(f"incidents in {incidents.crs}: an archive holds EPSG:{STORAGE_EPSG}")
    ordinals = local_month_ordinals(incidents[Col.REPORTED_AT])
    written = {}
    for ordinal in sorted(set(ordinals.tolist())):
        month = None if ordinal == STILL_OPEN else month_label(int(ordinal))
        part = incidents[ordinals == ordinal]
        target = partition_folder(folder, month) / PART_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, staged = tempfile.mkstemp(prefix=".incidents.", suffix=".parquet", dir=target.parent)
        os.close(fd)
        try:
            part.reset_index(drop=True).to_parquet(staged, index=False)
            os.replace(staged, target)
        finally:
            Path(staged).unlink(missing_ok=True)
        written[month or "undated"] = len(part)
    return written


def incidents_of_months(incidents: gpd.GeoDataFrame, start: str | None, end: str | None) -> gpd.GeoDataFrame:
    """The incidents reported from month `start` to month `end` (YYYY-MM, inclusive; None: unbounded).
    Undated rows belong to no month, so a bounded range leaves them out."""
    if start is None and end is None:
        return incidents
    ordinals = local_month_ordinals(incidents[Col.REPORTED_AT])
    first = month_ordinal(start, argument="--from") if start is not None else -STILL_OPEN
    last = month_ordinal(end, argument="--to") if end is not None else STILL_OPEN - 1
    if first > last:
        raise GeoInputError(f"month range {start}..{end} runs backwards: the first month must come first")
    return incidents[(ordinals >= first) & (ordinals <= last)]


def archive_parts(root: str | os.PathLike[str], months: Sequence[str] = ()) -> list[Path]:
    """The partition files under `root` (of `months` only, when given), oldest first."""
    folder = Path(root)
    if not folder.is_dir():
        raise GeoInputError(f"archive {folder} does not exist: write one with `pingan archive export`")
    if months:
        wanted = [partition_folder(folder, month_label(month_ordinal(m))) / PART_FILE for m in months]
        return [path for path in wanted if path.is_file()]
    return sorted(folder.glob(f"year=*/month=*/{PART_FILE}"))


def archive_months(root: str | os.PathLike[str]) -> list[str]:
    """The months (YYYY-MM) the archive has a partition for, oldest first; the undated rows' is none."""
    months = []
    for path in archive_parts(root):
        year, number = (part.split("=", 1)[1] for part in (path.parent.parent.name, path.parent.name))
        if (year, number) != _UNDATED:
            months.append(f"{year}-{number}")
    return months


def read_archive(root: str | os.PathLike[str], months: Sequence[str] = ()) -> gpd.GeoDataFrame:
    """The incidents of the archive (of `months` only, when given), in partition order."""
    parts = archive_parts(root, months)
    if not parts:
        raise GeoInputError(f"archive {root} holds no partitions" + (f" for {', '.join(months)}" if months
                                                                     else ""))
    frames = [gpd.read_parquet(path) for path in parts]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_EPSG)
