"""Stops a team can serve in a planned period, with their time windows and priority.

A camp is the herder households that share a pasture and move dates: they are there from the first day
of their move-in month to the last day before their move-out month. An itinerant court sitting gathers
the open or court-bound disputes of one pastoral grid and can be held on any day of the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from geo.routes.teams import StopKind
from geo.schema import AreaKind, Col, IncidentCol, IncidentStatus, Level, OpsCol, Outcome

#: A court-bound dispute closed this many days before the period still asks for a sitting on the spot.
COURT_LOOKBACK_DAYS: Final = 60
#: Days since the last visit stop adding priority beyond this (and a camp never visited counts this).
DAYS_SINCE_CAP: Final = 90
COURT_SITTING_MINUTES: Final = 120
_COURT_BOUND = (Outcome.LITIGATED.value, Outcome.PRE_LITIGATION_FAILED.value)


@dataclass(frozen=True)
class Stop:
    stop_id: str
    kind: StopKind
    name: str
    lon: float
    lat: float
    county_code: str
    households: int
    open_cases: int
    first_day: int  # the period's day index (0 = its first day) from which the stop can be served
    last_day: int  # inclusive
    service_minutes: int
    days_since_visit: int | None  # None: no recorded visit

    @property
    def priority(self) -> float:
        """Households, open cases and neglect: a camp of 10 never visited scores 2 + 3 = 5, each open case
        adds 2."""
        neglect = DAYS_SINCE_CAP if self.days_since_visit is None else min(self.days_since_visit,
                                                                              DAYS_SINCE_CAP)
        return self.households / 5 + 2 * self.open_cases + neglect / 30


def camp_service_minutes(households: int) -> int:
    """Half an hour at a camp plus five minutes a household, at most two hours."""
    return min(30 + 5 * households, 120)


def present_in_month(move_in: np.ndarray, move_out: np.ndarray, month: int | np.ndarray) -> np.ndarray:
    """Whether households with these move months are on that pasture in `month` (a stay may wrap the
    new year: a winter pasture from October to May)."""
    move_in, move_out = np.asarray(move_in), np.asarray(move_out)
    inside = (move_in <= month) & (month < move_out)
    wrapped = (move_in > move_out) & ((month >= move_in) | (month < move_out))
    return np.asarray(inside | wrapped)


def period_days(start: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(days)]


def _first_run(present: np.ndarray) -> tuple[int, int] | None:
    """First and last index of the first run of True (a stay is one run in any period under a year)."""
    hits = np.flatnonzero(present)
    if not len(hits):
        return None
    first = int(hits[0])
    gaps = np.flatnonzero(np.diff(hits) > 1)
    last = int(hits[gaps[0]]) if len(gaps) else int(hits[-1])
    return first, last


def camps(
    households: pd.DataFrame,
    pastures: pd.DataFrame,
    start: dt.date,
    days: int,
    last_visits: Mapping[str, dt.date] | None = None,
) -> list[Stop]:
    """Camps on their pastures during the `days` from `start`; `last_visits` maps herder ids to the date
    of their last recorded visit (a camp's is the latest of its households')."""
    dates = period_days(start, days)
    months = np.array([d.month for d in dates])
    names = dict(zip(pastures[OpsCol.PASTURE_ID], pastures[Col.NAME], strict=True))
    frame = households.assign(_lon=households.geometry.x, _lat=households.geometry.y)
    keys = [OpsCol.PASTURE_ID.value, OpsCol.MOVE_IN_MONTH.value, OpsCol.MOVE_OUT_MONTH.value]
    found: list[Stop] = []
    for (pasture, move_in, move_out), group in frame.groupby(keys, sort=True):
        present = present_in_month(np.full(len(months), move_in), np.full(len(months), move_out), months)
        window = _first_run(present)
        if window is None:
            continue
        visited = [last_visits[h] for h in group[OpsCol.HERDER_ID] if last_visits and h in last_visits]
        since = (start - max(visited)).days if visited else None
        count = len(group)
        found.append(Stop(
            stop_id=f"{pasture}-{int(move_in):02d}{int(move_out):02d}",
            kind=StopKind.CAMP,
            name=f"{names.get(pasture, pasture)} ({int(move_in)}-{int(move_out)}月)",
            lon=float(group["_lon"].mean()),
            lat=float(group["_lat"].mean()),
            county_code=str(group[Col.COUNTY_CODE].iloc[0]),
            households=count,
            open_cases=0,
            first_day=window[0],
            last_day=window[1],
            service_minutes=camp_service_minutes(count),
            days_since_visit=since,
        ))
    return found


def court_stops(
    incidents: pd.DataFrame, areas: pd.DataFrame, start: dt.date, days: int,
    last_visits: Mapping[str, dt.date] | None = None,
) -> list[Stop]:
    """One sitting per pastoral grid with disputes still open on `start`, or court-bound (litigated, or
    failed pre-litigation mediation) and closed in the COURT_LOOKBACK_DAYS before it. `last_visits` maps
    grid codes to the last sitting held there."""
    grids = areas[(areas[Col.LEVEL] == Level.GRID.value) & (areas[Col.KIND] == AreaKind.PASTORAL.value)]
    names = dict(zip(grids[Col.CODE], grids[Col.NAME], strict=True))
    begin = pd.Timestamp(start)
    reported = pd.to_datetime(incidents[Col.REPORTED_AT])
    closed = pd.to_datetime(incidents[Col.CLOSED_AT])
    still_open = (incidents[Col.STATUS] != IncidentStatus.CLOSED.value) | (closed >= begin)
    court_bound = incidents[Col.OUTCOME].isin(_COURT_BOUND) & (closed >= begin - pd.Timedelta(
        days=COURT_LOOKBACK_DAYS))
    chosen = incidents[incidents[Col.GRID_CODE].isin(names) & (reported < begin) & (still_open | court_bound)]
    found: list[Stop] = []
    for grid, group in chosen.groupby(Col.GRID_CODE.value, sort=True):
        last = (last_visits or {}).get(str(grid))
        found.append(Stop(
            stop_id=f"court-{grid}",
            kind=StopKind.COURT,
            name=f"{names[grid]} 巡回审判点",
            lon=float(group[IncidentCol.LON].mean()),
            lat=float(group[IncidentCol.LAT].mean()),
            county_code=str(group[Col.COUNTY_CODE].iloc[0]),
            households=0,
            open_cases=len(group),
            first_day=0,
            last_day=days - 1,
            service_minutes=COURT_SITTING_MINUTES,
            days_since_visit=(start - last).days if last else None,
        ))
    return found
