"""A candidate layout: one parent's grids as a planner is editing them, with the grid workers assigned to
them and what is needed to check and code them. Edits (geo.boundaries.edits) take one and return a new one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError
from geo.schema import AREA_ATTRIBUTES, CODE_LENGTH, Col, Level, OpsCol

#: Columns a candidate's grids carry (geometry last).
GRID_COLUMNS = (*AREA_ATTRIBUTES, Col.GEOMETRY)


@dataclass(frozen=True, eq=False)
class Candidate:
    """One parent's grids under edit.

    `containers` are the areas the grids must tile, by code: the parent itself when it is a village, its
    villages when it is a township. `retired` holds codes used under the parent in any version, never given
    to a new grid again; `changed` the codes created or reshaped since `based_on`, the version it started
    from (the save names it, so a later save of the same parent is noticed)."""

    parent_code: str
    parent: shapely.Geometry
    based_on: str
    grids: gpd.GeoDataFrame
    workers: pd.DataFrame
    containers: dict[str, shapely.Geometry]
    retired: frozenset[str] = frozenset()
    changed: frozenset[str] = field(default_factory=frozenset)

    def with_grids(self, grids: gpd.GeoDataFrame, workers: pd.DataFrame, changed: set[str]) -> Candidate:
        kept = {code for code in self.changed | changed if code in set(grids[Col.CODE])}
        return replace(
            self,
            grids=grids.reset_index(drop=True),
            workers=workers.reset_index(drop=True),
            changed=frozenset(kept),
        )

    def grid(self, code: str) -> pd.Series:
        rows = self.grids[self.grids[Col.CODE] == code]
        if rows.empty:
            raise GeoInputError(
                f"grid {code}: not among the grids of {self.parent_code} "
                f"({', '.join(sorted(self.grids[Col.CODE]))})"
            )
        return rows.iloc[0]

    def workers_per_grid(self) -> dict[str, int]:
        counts = self.workers[Col.GRID_CODE].value_counts()
        return {code: int(counts.get(code, 0)) for code in self.grids[Col.CODE]}


def newest_version(version_ids: Iterable[str], version_order: Sequence[str] = ()) -> str:
    """The newest of `version_ids`: the last in `version_order`, else the greatest id."""
    rank = {version: number for number, version in enumerate(version_order)}
    present = sorted(set(map(str, version_ids)), key=lambda v: (rank.get(v, -1), v))
    return present[-1]


def candidate_from_areas(
    areas: pd.DataFrame,
    workers: pd.DataFrame,
    parent_code: str,
    *,
    all_codes: Iterable[str] = (),
    version_order: Sequence[str] = (),
) -> Candidate:
    """The current layout of `parent_code`'s grids from the current `areas` (every level) and the grid
    workers; `all_codes` are the codes of every version, so retired codes are never reused, and
    `version_order` lists version ids oldest first (the boundary_versions rows) to tell which is newest."""
    by_code = areas.set_index(Col.CODE)
    if parent_code not in by_code.index:
        raise GeoInputError(f"parent {parent_code}: no current area has this code")
    level = Level(by_code.loc[parent_code, Col.LEVEL])
    if level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise GeoInputError(
            f"parent {parent_code} is a {level.value}: grids are edited per township or village"
        )
    grids = areas[(areas[Col.LEVEL] == Level.GRID) & areas[Col.CODE].str.startswith(parent_code)]
    if grids.empty:
        raise GeoInputError(f"parent {parent_code}: has no grids to edit")
    container_codes = [parent_code] if level is Level.VILLAGE else sorted(set(grids[Col.PARENT_CODE]))
    frame = gpd.GeoDataFrame(grids[list(GRID_COLUMNS)], geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    mine = workers[workers[Col.GRID_CODE].isin(set(grids[Col.CODE]))][[OpsCol.WORKER_ID, Col.GRID_CODE]]
    retired = {c for c in all_codes if c.startswith(parent_code) and len(c) == CODE_LENGTH[Level.GRID]}
    return Candidate(
        parent_code=parent_code,
        parent=by_code.loc[parent_code, Col.GEOMETRY],
        based_on=newest_version(grids[Col.VERSION_ID], version_order),
        grids=frame.reset_index(drop=True),
        workers=mine.reset_index(drop=True),
        containers={code: by_code.loc[code, Col.GEOMETRY] for code in container_codes},
        retired=frozenset(retired - set(grids[Col.CODE])),
    )
