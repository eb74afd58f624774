"""Boundary versions of one parent's grids: open the current layout as a candidate, save a candidate as a
new version in one store write, list the versions, diff two, and reopen an earlier one (a roll back is
saving it again as a new version; history is never deleted).

A save writes, in one transaction (GeoPackageStore.write): the new and reshaped grids with `valid_from` =
the effective date, the rows they replace closed with `valid_to` = the same date, a boundary_versions row
(parent, author, reason, the version it was based on, when it was saved), incidents reported from the
effective date re-assigned by the join's rule, addresses re-assigned, and the grid workers as the
candidate assigns them. It names the version it was based on: when another save of the same parent has
landed since, it is refused with who saved and when, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import geopandas as gpd
import pandas as pd

from geo.boundaries.candidate import GRID_COLUMNS, Candidate, candidate_from_areas, newest_version
from geo.boundaries.candidate_checks import Problem, check_candidate
from geo.boundaries.coverage_checks import validate_hierarchy
from geo.boundaries.grid_policy import GridPolicy
from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError
from geo.planning.impact import layout_changes, with_grids_of
from geo.planning.layout_files import with_layout
from geo.planning.regrid import regrid
from geo.schema import Col, IncidentCol, Layer, Level, OpsCol, PlanCol, VersionCol
from geo.store import Store


class CandidateRefusedError(GeoInputError):
    """A candidate with problems that stop a save; `problems` holds every one."""

    def __init__(self, parent_code: str, problems: list[Problem]) -> None:
        shown = "; ".join(map(str, problems))
        super().__init__(f"layout of {parent_code} not saved, {len(problems)} problem(s): {shown}")
        self.problems = problems


class ConcurrentSaveError(GeoInputError):
    """Another save of the same parent landed after the version a candidate was based on."""


@dataclass(frozen=True)
class SavedVersion:
    version_id: str
    parent_code: str
    effective: date
    grids_opened: int  # rows added, valid from the effective date
    grids_closed: int  # rows closed on it
    incidents_regridded: int
    addresses_regridded: int


def open_candidate(store: Store, parent_code: str) -> Candidate:
    """The current layout of `parent_code`'s grids, ready to edit."""
    areas = store.read(Layer.AREAS)
    current = areas[areas[Col.VALID_TO].isna()]
    return candidate_from_areas(
        current,
        store.read(Layer.GRID_WORKERS),
        parent_code,
        all_codes=set(areas[Col.CODE]),
        version_order=_version_order(store),
    )


def save_candidate(
    store: Store,
    candidate: Candidate,
    *,
    effective: date,
    author: str,
    reason: str,
    policy: GridPolicy | None = None,
) -> SavedVersion:
    """Save `candidate` as a new boundary version in force from `effective` (see the module's docstring)."""
    problems = [p for p in check_candidate(candidate, policy=policy) if p.blocking]
    if not author.strip() or not reason.strip():
        raise GeoInputError("a boundary version needs an author and a reason")
    if problems:
        raise CandidateRefusedError(candidate.parent_code, problems)
    with store.writing():
        areas = store.read(Layer.AREAS)
        versions = store.read(Layer.BOUNDARY_VERSIONS)
        current = areas[areas[Col.VALID_TO].isna()]
        mine = _grids_under(current, candidate.parent_code)
        _refuse_if_overtaken(candidate, mine, versions)
        _refuse_micro_grids_left(current, mine, candidate)
        return _write(store, candidate, areas, versions, mine, effective, author, reason)


def _refuse_if_overtaken(candidate: Candidate, mine: pd.DataFrame, versions: pd.DataFrame) -> None:
    newest = newest_version(mine[Col.VERSION_ID], list(versions[Col.VERSION_ID]))
    if newest == candidate.based_on:
        return
    row = versions[versions[Col.VERSION_ID] == newest]
    who = row[VersionCol.AUTHOR].iloc[0] if VersionCol.AUTHOR in row and len(row) else "unknown"
    when = row[VersionCol.SAVED_AT].iloc[0] if VersionCol.SAVED_AT in row and len(row) else "unknown"
    raise ConcurrentSaveError(
        f"layout of {candidate.parent_code} not saved: it was based on {candidate.based_on}, but {who} saved "
        f"{newest} at {when} since; export this candidate, reopen the layout and redo the edit on it"
    )


def _refuse_micro_grids_left(current: pd.DataFrame, mine: pd.DataFrame, candidate: Candidate) -> None:
    gone = set(mine[Col.CODE]) - set(candidate.grids[Col.CODE])
    micro = current[(current[Col.LEVEL] == Level.MICRO_GRID) & current[Col.PARENT_CODE].isin(gone)]
    if len(micro):
        holders = ", ".join(sorted(set(micro[Col.PARENT_CODE])))
        raise GeoInputError(
            f"layout of {candidate.parent_code} not saved: grids {holders} "
            f"would go but hold micro-grids ({', '.join(sorted(micro[Col.CODE])[:5])}); move those first"
        )


def _write(
    store: Store,
    candidate: Candidate,
    areas: pd.DataFrame,
    versions: pd.DataFrame,
    mine: pd.DataFrame,
    effective: date,
    author: str,
    reason: str,
) -> SavedVersion:
    day = effective.isoformat()
    changes = layout_changes(mine, candidate.grids)
    if changes.empty:
        raise GeoInputError(f"layout of {candidate.parent_code} not saved: it is the same as the current one")
    closing = mine[mine[Col.CODE].isin(set(changes.loc[changes[PlanCol.CHANGE] != "added", Col.CODE]))]
    if len(closing) and (closing[Col.VALID_FROM].astype(str) >= day).any():
        raise GeoInputError(
            f"effective date {day}: must be after {closing[Col.VALID_FROM].max()}, when the "
            f"layout of {candidate.parent_code} it replaces took effect"
        )
    version_id = new_version_id(versions, f"v{day}-{candidate.parent_code}")
    opening = candidate.grids[candidate.grids[Col.CODE].isin(set(changes[Col.CODE]))]
    new_rows = opening.assign(
        **{Col.VERSION_ID: version_id, Col.VALID_FROM: day, Col.VALID_TO: None, Col.LEVEL: Level.GRID.value}
    )
    stored = areas
    areas = areas.copy()
    areas.loc[closing.index, Col.VALID_TO] = day
    areas = gpd.GeoDataFrame(
        pd.concat([areas, new_rows[list(areas.columns)]], ignore_index=True),
        geometry=Col.GEOMETRY,
        crs=STORAGE_EPSG,
    )
    refuse_new_hierarchy_problems(stored, areas, candidate.parent_code)
    current = areas[areas[Col.VALID_TO].isna() & (areas[Col.LEVEL] == Level.GRID)]
    layer = gpd.GeoDataFrame(current[[Col.CODE, Col.GEOMETRY]], geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    incidents = store.read(Layer.INCIDENTS)
    dated = incidents[pd.to_datetime(incidents[Col.REPORTED_AT]) >= pd.Timestamp(effective)]
    codes = regrid(dated[IncidentCol.LON], dated[IncidentCol.LAT], layer, candidate.parent)
    regridded_incidents = with_grids_of(incidents, codes)
    addresses = store.read(Layer.ADDRESSES)
    address_codes = regrid(addresses.geometry.x, addresses.geometry.y, layer, candidate.parent)
    regridded_addresses = with_grids_of(addresses, address_codes)
    workers = store.read(Layer.GRID_WORKERS)
    assigned = candidate.workers.set_index(OpsCol.WORKER_ID)[Col.GRID_CODE]
    mine_workers = workers[OpsCol.WORKER_ID].isin(assigned.index)
    workers.loc[mine_workers, Col.GRID_CODE] = workers.loc[mine_workers, OpsCol.WORKER_ID].map(assigned)
    row = pd.DataFrame(
        [
            {
                Col.VERSION_ID: version_id,
                Col.VALID_FROM: day,
                Col.VALID_TO: None,
                VersionCol.NOTE: f"grids of {candidate.parent_code}",
                Col.PARENT_CODE: candidate.parent_code,
                VersionCol.BASED_ON: candidate.based_on,
                VersionCol.AUTHOR: author,
                VersionCol.REASON: reason,
                VersionCol.SAVED_AT: datetime.now(UTC).isoformat(timespec="seconds"),
            }
        ]
    )
    store.write(
        {
            Layer.AREAS.value: areas,
            Layer.BOUNDARY_VERSIONS.value: pd.concat([versions, row], ignore_index=True),
            Layer.INCIDENTS.value: regridded_incidents,
            Layer.ADDRESSES.value: regridded_addresses,
            Layer.GRID_WORKERS.value: workers,
        },
        mode="replace",
    )
    return SavedVersion(
        version_id,
        candidate.parent_code,
        effective,
        len(new_rows),
        len(closing),
        int(_changed(incidents, regridded_incidents)),
        int(_changed(addresses, regridded_addresses)),
    )


def refuse_new_hierarchy_problems(before: pd.DataFrame, after: pd.DataFrame, parent_code: str) -> None:
    """The whole current hierarchy, checked as `pingan boundaries validate` checks it: a save may not add a
    problem at any level (a micro-grid left outside its grid, a vertex the neighbouring parent lacks)."""
    known = set(validate_hierarchy(before[before[Col.VALID_TO].isna()]))
    added = [p for p in validate_hierarchy(after[after[Col.VALID_TO].isna()]) if p not in known]
    if added:
        raise GeoInputError(
            f"layout of {parent_code} not saved: the hierarchy would have "
            f"{len(added)} new problem(s): " + "; ".join(added[:10])
        )


def _changed(before: pd.DataFrame, after: pd.DataFrame) -> int:
    return int((before[Col.GRID_CODE].fillna("") != after[Col.GRID_CODE].fillna("")).sum())


def new_version_id(versions: pd.DataFrame, wanted: str) -> str:
    taken = set(versions[Col.VERSION_ID])
    number, version_id = 1, wanted
    while version_id in taken:
        number += 1
        version_id = f"{wanted}-{number}"
    return version_id


def _grids_under(areas: pd.DataFrame, parent_code: str) -> pd.DataFrame:
    return areas[(areas[Col.LEVEL] == Level.GRID) & areas[Col.CODE].astype(str).str.startswith(parent_code)]


def _version_order(store: Store) -> list[str]:
    return [str(v) for v in store.read(Layer.BOUNDARY_VERSIONS)[Col.VERSION_ID]]


# ---------------------------------------------------------------- history


def boundary_history(store: Store) -> pd.DataFrame:
    """Every boundary version, oldest first: id, parent, effective date, author, reason, when saved."""
    versions = store.read(Layer.BOUNDARY_VERSIONS)
    for column in (
        Col.PARENT_CODE,
        VersionCol.BASED_ON,
        VersionCol.AUTHOR,
        VersionCol.REASON,
        VersionCol.SAVED_AT,
    ):
        if column not in versions:
            versions[column] = None
    return versions[
        [
            Col.VERSION_ID,
            Col.PARENT_CODE,
            Col.VALID_FROM,
            VersionCol.AUTHOR,
            VersionCol.REASON,
            VersionCol.SAVED_AT,
            VersionCol.BASED_ON,
            VersionCol.NOTE,
        ]
    ].reset_index(drop=True)


def version_layout(areas: pd.DataFrame, versions: pd.DataFrame, version_id: str) -> gpd.GeoDataFrame:
    """The grids of the version's parent (every grid for a whole-city version) as they were in force on
    the day it took effect."""
    row = versions[versions[Col.VERSION_ID] == version_id]
    if row.empty:
        raise GeoInputError(
            f"version {version_id!r}: no such boundary version; there are "
            f"{', '.join(map(str, versions[Col.VERSION_ID]))}"
        )
    day = str(row[Col.VALID_FROM].iloc[0])
    parent = row[Col.PARENT_CODE].iloc[0] if Col.PARENT_CODE in row else None
    grids = _grids_under(areas, "" if pd.isna(parent) else str(parent))
    in_force = (grids[Col.VALID_FROM].astype(str) <= day) & (
        grids[Col.VALID_TO].isna() | (grids[Col.VALID_TO].astype(str) > day)
    )
    chosen = grids[in_force]
    return gpd.GeoDataFrame(chosen, geometry=Col.GEOMETRY, crs=STORAGE_EPSG).reset_index(drop=True)


def diff_versions(store: Store, first: str, second: str) -> pd.DataFrame:
    """Grids added, removed, reshaped, noded or recounted from version `first` to `second`, compared over
    the parent both versions cover (the narrower one's)."""
    areas, versions = store.read(Layer.AREAS), store.read(Layer.BOUNDARY_VERSIONS)
    before, after = version_layout(areas, versions, first), version_layout(areas, versions, second)
    shared = _common_prefix(before, after)
    return layout_changes(
        before[before[Col.CODE].str.startswith(shared)], after[after[Col.CODE].str.startswith(shared)]
    )


def _common_prefix(first: pd.DataFrame, second: pd.DataFrame) -> str:
    prefixes = [_prefix(frame[Col.CODE]) for frame in (first, second)]
    return max(prefixes, key=len)


def _prefix(codes: pd.Series) -> str:
    values = list(map(str, codes))
    if not values:
        return ""
    first, last = min(values), max(values)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def candidate_of_version(store: Store, version_id: str, *, parent_code: str | None = None) -> Candidate:
    """The grids of `parent_code` (by default the version's own parent) as they were in version
    `version_id`, as a candidate over the current layout: saved, it is the roll back. Grid workers of grids
    it lacks go to the grid of the old layout that covers most of theirs."""
    areas, versions = store.read(Layer.AREAS), store.read(Layer.BOUNDARY_VERSIONS)
    old = version_layout(areas, versions, version_id)
    own = (
        versions.loc[versions[Col.VERSION_ID] == version_id, Col.PARENT_CODE].iloc[0]
        if Col.PARENT_CODE in versions
        else None
    )
    parent = parent_code or (None if pd.isna(own) else str(own))
    if parent is None:
        raise GeoInputError(f"version {version_id} covers the whole city: name the parent to roll back")
    current = open_candidate(store, parent)
    old = old[old[Col.CODE].astype(str).str.startswith(parent)]
    grids = gpd.GeoDataFrame(old[list(GRID_COLUMNS)], geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    return with_layout(current, grids)
