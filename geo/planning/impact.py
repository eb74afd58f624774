"""What a candidate layout would change, as plain tables: incidents, addresses and grid workers that change
grid, households per grid before and after, and the warning levels of the affected grids this month and
over the last 12 months, recomputed with the existing index (geo.analysis.warning_index) as if the
candidate had been in force over those months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import shapely

from geo.analysis.area_months import shift_month
from geo.analysis.warning_config import WarningConfig
from geo.analysis.warning_index import warning_scores_all_months
from geo.boundaries.candidate import Candidate
from geo.boundaries.coverage_checks import NESTING_TOLERANCE_M2, metric_area
from geo.planning.regrid import codes_above, layer_with, regrid
from geo.schema import AddressCol, Col, IncidentCol, Level, OpsCol, PlanCol

_YEAR = 12
_BEFORE, _AFTER = PlanCol.GRID_BEFORE, PlanCol.GRID_AFTER
#: Suffixes of the score and level columns before and after: warning_level_before is PlanCol.WARNING_BEFORE.
_SUFFIXES = ("_before", "_after")


@dataclass(frozen=True)
class Impact:
    """Tables of what changes; every one has `grid_before` / `grid_after` or before/after columns."""

    grids: pd.DataFrame  # code, change (added/removed/reshaped), households and workers before and after
    incidents: pd.DataFrame  # incident_id, reported_at, grid_before, grid_after (from the effective date)
    addresses: pd.DataFrame  # address_id, full_address, grid_before, grid_after
    workers: pd.DataFrame  # worker_id, grid_before, grid_after
    warnings: pd.DataFrame  # month, code, score/warning_level before and after, for the affected grids


def candidate_impact(
    candidate: Candidate,
    *,
    areas: pd.DataFrame,
    incidents: pd.DataFrame,
    addresses: pd.DataFrame,
    workers: pd.DataFrame,
    effective: date,
    month: str | None = None,
    config: WarningConfig | str | None = None,
) -> Impact:
    """The impact of saving `candidate` as of `effective`. `areas` are the stored areas (every version),
    `workers` the stored grid workers, `month` the last month of the warning window (default: the month
    of the latest incident)."""
    current = areas[areas[Col.VALID_TO].isna()]
    grids = current[current[Col.LEVEL] == Level.GRID]
    layer = layer_with(grids, candidate.parent_code, candidate.grids)
    dated = incidents[pd.to_datetime(incidents[Col.REPORTED_AT]) >= pd.Timestamp(effective)]
    moved_incidents = _moved(dated, layer, candidate, IncidentCol.INCIDENT_ID, [Col.REPORTED_AT])
    moved_addresses = _moved(addresses, layer, candidate, AddressCol.ADDRESS_ID, [AddressCol.FULL_ADDRESS])
    before_grids = grids[grids[Col.CODE].astype(str).str.startswith(candidate.parent_code)]
    return Impact(
        grids=_grid_changes(before_grids, candidate),
        incidents=moved_incidents,
        addresses=moved_addresses,
        workers=_moved_workers(candidate, workers),
        warnings=_warning_changes(candidate, areas, incidents, layer, month, config),
    )


def _moved(
    points: pd.DataFrame, layer: pd.DataFrame, candidate: Candidate, key: str, shown: list[str]
) -> pd.DataFrame:
    after = regrid(
        points.get(IncidentCol.LON, points.geometry.x),
        points.get(IncidentCol.LAT, points.geometry.y),
        layer,
        candidate.parent,
    )
    rows = points.loc[after.index]
    table = pd.DataFrame(
        {
            key: rows[key],
            **{c: rows[c] for c in shown},
            _BEFORE: rows[Col.GRID_CODE].fillna("").astype(str),
            _AFTER: after,
        }
    )
    return table[(table[_BEFORE] != table[_AFTER]) & (table[_AFTER] != "")].reset_index(drop=True)


def layout_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Grids added, removed, reshaped (another shape), noded (the same shape with a vertex it now shares
    with a reshaped neighbour) or recounted (households or population changed), from one layout to
    another; grids that stay as they were are left out."""
    old, new = before.set_index(Col.CODE), after.set_index(Col.CODE)
    rows = []
    for code in sorted(set(old.index) | set(new.index)):
        if code not in old.index or code not in new.index:
            change = "added" if code in new.index else "removed"
        elif _moved_m2(new.loc[code, Col.GEOMETRY], old.loc[code, Col.GEOMETRY]) > NESTING_TOLERANCE_M2:
            change = "reshaped"
        elif not shapely.equals_exact(new.loc[code, Col.GEOMETRY], old.loc[code, Col.GEOMETRY], 0.0):
            change = "noded"
        elif any(new.loc[code, c] != old.loc[code, c] for c in (Col.HOUSEHOLDS, Col.POPULATION)):
            change = "recounted"
        else:
            continue
        rows.append(
            {
                Col.CODE: code,
                PlanCol.CHANGE: change,
                PlanCol.HOUSEHOLDS_BEFORE: int(old[Col.HOUSEHOLDS].get(code, 0)),
                PlanCol.HOUSEHOLDS_AFTER: int(new[Col.HOUSEHOLDS].get(code, 0)),
            }
        )
    columns = [Col.CODE, PlanCol.CHANGE, PlanCol.HOUSEHOLDS_BEFORE, PlanCol.HOUSEHOLDS_AFTER]
    return pd.DataFrame(rows, columns=columns)


def _moved_m2(first: shapely.Geometry, second: shapely.Geometry) -> float:
    return metric_area(shapely.symmetric_difference(first, second))


def _grid_changes(before: pd.DataFrame, candidate: Candidate) -> pd.DataFrame:
    table = layout_changes(before, candidate.grids)
    workers = candidate.workers_per_grid()
    return table.assign(**{PlanCol.WORKERS_AFTER: [workers.get(code, 0) for code in table[Col.CODE]]})


def _moved_workers(candidate: Candidate, workers: pd.DataFrame) -> pd.DataFrame:
    before = workers.set_index(OpsCol.WORKER_ID)[Col.GRID_CODE]
    after = candidate.workers.set_index(OpsCol.WORKER_ID)[Col.GRID_CODE]
    table = pd.DataFrame(
        {
            OpsCol.WORKER_ID: after.index,
            _BEFORE: before.reindex(after.index).to_numpy(),
            _AFTER: after.to_numpy(),
        }
    )
    return table[table[_BEFORE] != table[_AFTER]].reset_index(drop=True)


def with_grids_of(incidents: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """`incidents` with the grid (and the village, township and county it implies) of `codes`, a grid
    code per incident index; "" (outside every grid) leaves a row as it was."""
    found = codes[codes != ""]
    moved = incidents.copy()
    moved.loc[found.index, Col.GRID_CODE] = found
    for column in (Col.VILLAGE_CODE, Col.TOWNSHIP_CODE, Col.COUNTY_CODE):
        moved.loc[found.index, column] = [codes_above(code)[column] for code in found]
    return moved


def _warning_changes(
    candidate: Candidate,
    areas: pd.DataFrame,
    incidents: pd.DataFrame,
    layer: pd.DataFrame,
    month: str | None,
    config: WarningConfig | str | None,
) -> pd.DataFrame:
    times = pd.to_datetime(incidents[Col.REPORTED_AT])
    last = month or times.max().strftime("%Y-%m")
    first = shift_month(last, -(_YEAR - 1))
    window = incidents[
        (times >= pd.Timestamp(f"{first}-01")) & (times < pd.Timestamp(f"{shift_month(last, 1)}-01"))
    ]
    affected = _affected_codes(candidate, areas)
    before = warning_scores_all_months(window, areas, level=Level.GRID, config=config)
    moved = with_grids_of(
        window, regrid(window[IncidentCol.LON], window[IncidentCol.LAT], layer, candidate.parent)
    )
    after = warning_scores_all_months(
        moved, _areas_with(candidate, areas, first), level=Level.GRID, config=config
    )
    keep = ["month", Col.CODE, "score", "warning_level"]
    table = pd.merge(
        before.loc[before[Col.CODE].isin(affected), keep],
        after.loc[after[Col.CODE].isin(affected), keep],
        on=["month", Col.CODE],
        how="outer",
        suffixes=_SUFFIXES,
    )
    months = {shift_month(first, n) for n in range(_YEAR)}
    table = table[table["month"].isin(months)]
    return table.sort_values(["month", Col.CODE]).reset_index(drop=True)


def _affected_codes(candidate: Candidate, areas: pd.DataFrame) -> set[str]:
    """The candidate's new and reshaped grids and the parent's current grids it no longer has."""
    current = areas[areas[Col.VALID_TO].isna() & (areas[Col.LEVEL] == Level.GRID)]
    mine = set(current.loc[current[Col.CODE].astype(str).str.startswith(candidate.parent_code), Col.CODE])
    return set(candidate.changed) | (mine - set(candidate.grids[Col.CODE]))


def _areas_with(candidate: Candidate, areas: pd.DataFrame, first: str) -> pd.DataFrame:
    """The stored areas with the parent's grids (every version) replaced by the candidate's, in force from
    the first month of the window on: the layout scored as if it had been drawn then."""
    others = areas[
        ~(
            (areas[Col.LEVEL] == Level.GRID)
            & areas[Col.CODE].astype(str).str.startswith(candidate.parent_code)
        )
    ]
    drawn = candidate.grids.assign(
        **{Col.VERSION_ID: "candidate", Col.VALID_FROM: f"{first}-01", Col.VALID_TO: None}
    )
    return pd.concat([others, pd.DataFrame(drawn)], ignore_index=True)
