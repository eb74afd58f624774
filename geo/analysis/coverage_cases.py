"""The disputes side of mediator coverage: the disputes of the twelve months up to a month, per village
and kind, and how many of them had no mediator of their kind within reach.

Each dispute is judged on its own (its kind, its village's band, the nearest specialist) and the counts
are integers, so counts made over any split of the incidents (an archive's partitions on Dask) add up to
the counts of the whole, exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.analysis.area_months import local_month_ordinals, month_label, month_ordinal
from geo.analysis.coverage_config import CoverageConfig
from geo.analysis.mediation_points import SPECIALTY_OF_KIND, specialist_points
from geo.analysis.nearest import nearest_sites
from geo.schema import AreaKind, Col, CoverageCol, IncidentCol

#: Disputes counted for the caseload: those reported in the twelve months up to the month asked for.
CASELOAD_MONTHS: Final = 12
#: The incident columns the counting reads.
CASE_COLUMNS: Final = (Col.REPORTED_AT.value, Col.VILLAGE_CODE.value, Col.CATEGORY.value,
                       IncidentCol.LON.value, IncidentCol.LAT.value)
#: One row per village and kind: disputes of the year, and those with no specialist within reach.
CASES: Final = "cases"
_COUNT_COLUMNS: Final = [Col.VILLAGE_CODE.value, Col.CATEGORY.value, CASES, CoverageCol.GAP_CASES.value]


@dataclass(frozen=True)
class SpecialistReach:
    """Where the specialists of each dispute kind are and how far they reach: all that judging a
    dispute needs, small enough to send to every worker."""

    sites: Mapping[str, tuple[NDArray[np.float64], NDArray[np.float64]]]  # kind -> lon, lat
    pastoral_villages: frozenset[str]
    km: float
    pastoral_km: float

    @classmethod
    def of(cls, areas: pd.DataFrame, organisations: pd.DataFrame, mediators: pd.DataFrame,
           settings: CoverageConfig) -> SpecialistReach:
        sites = {}
        for kind, specialty in SPECIALTY_OF_KIND.items():
            experts = specialist_points(organisations, mediators, specialty)
            sites[kind] = (experts[CoverageCol.LON].to_numpy(dtype=float),
                           experts[CoverageCol.LAT].to_numpy(dtype=float))
        pastoral = areas.loc[areas[Col.KIND] == AreaKind.PASTORAL.value, Col.CODE].astype(str)
        return cls(sites, frozenset(pastoral), settings.specialty_km, settings.pastoral_specialty_km)


def caseload_months(month: str) -> list[str]:
    """The twelve months (YYYY-MM) whose disputes count for `month`, oldest first."""
    last = month_ordinal(month)
    return [month_label(ordinal) for ordinal in range(last - CASELOAD_MONTHS + 1, last + 1)]


def count_cases(incidents: pd.DataFrame, *, month: str, reach: SpecialistReach) -> pd.DataFrame:
    """Village code, kind, disputes and disputes beyond a specialist's reach, of the incidents reported in
    the twelve months to `month` that have a village and a position."""
    last = month_ordinal(month)
    ordinal = local_month_ordinals(incidents[Col.REPORTED_AT])
    recent = incidents[(ordinal > last - CASELOAD_MONTHS) & (ordinal <= last)]
    recent = recent[recent[Col.VILLAGE_CODE].notna() & recent[IncidentCol.LON].notna()]
    kinds = recent[Col.CATEGORY].astype(str).to_numpy()
    villages = recent[Col.VILLAGE_CODE].astype(str)
    band = np.where(villages.isin(reach.pastoral_villages), reach.pastoral_km, reach.km)
    lon, lat = recent[IncidentCol.LON].to_numpy(dtype=float), recent[IncidentCol.LAT].to_numpy(dtype=float)
    gap = np.zeros(len(recent), dtype=np.int64)
    for kind, (site_lon, site_lat) in reach.sites.items():
        rows = np.flatnonzero(kinds == kind)
        if len(rows):
            _, km = nearest_sites(lon[rows], lat[rows], site_lon, site_lat)
            gap[rows] = km > band[rows]
    judged = pd.DataFrame({Col.VILLAGE_CODE.value: villages.to_numpy(), Col.CATEGORY.value: kinds,
                           CASES: np.ones(len(recent), dtype=np.int64), CoverageCol.GAP_CASES.value: gap})
    return add_case_counts([judged])


def add_case_counts(pieces: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The counts of several splits of the incidents as one table, a row per village and kind."""
    frames = [piece for piece in pieces if len(piece)]
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=object if i < 2 else np.int64)
                             for i, name in enumerate(_COUNT_COLUMNS)})
    keys = _COUNT_COLUMNS[:2]
    summed = pd.concat(frames, ignore_index=True).groupby(keys, sort=True)[_COUNT_COLUMNS[2:]].sum()
    return summed.astype(np.int64).reset_index()
