"""How far the teams' trips reached the herders in a month: per village, the households on their
pastures, those visited that month and those not visited for a given number of days."""

from __future__ import annotations

import calendar
import datetime as dt

import geopandas as gpd
import pandas as pd

from geo.errors import GeoInputError
from geo.routes.stops import present_in_month
from geo.routes.tracks import VISIT_RADIUS_M, household_last_visits, track_day
from geo.schema import Col, OpsCol, TrackCol


def parse_month(text: str) -> tuple[int, int]:
    """`YYYY-MM` as (year, month); GeoInputError naming the value otherwise."""
    try:
        parsed = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise GeoInputError(f"month {text!r} is not YYYY-MM (for example 2026-06)") from None
    return parsed.year, parsed.month


def route_coverage(
    households: gpd.GeoDataFrame, tracks: gpd.GeoDataFrame, month: str, *, unvisited_days: int = 60,
    radius_m: float = VISIT_RADIUS_M,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per village, per team) for `month`. Per village: households on their pastures that month, visited
    in it, and not visited in the `unvisited_days` up to the month's last day. Per team: days out, km."""
    if unvisited_days <= 0:
        raise GeoInputError(f"unvisited days must be above 0, got {unvisited_days}")
    year, number = parse_month(month)
    first = dt.date(year, number, 1)
    end = dt.date(year, number, calendar.monthrange(year, number)[1])
    present = households[present_in_month(households[OpsCol.MOVE_IN_MONTH].to_numpy(),
                                          households[OpsCol.MOVE_OUT_MONTH].to_numpy(), number)]
    last = household_last_visits(present, tracks, radius_m=radius_m, before=end + dt.timedelta(days=1))
    seen = present[OpsCol.HERDER_ID].map(last)
    in_month = seen.map(lambda d: isinstance(d, dt.date) and d >= first)
    stale = seen.map(lambda d: not isinstance(d, dt.date) or (end - d).days >= unvisited_days)
    villages = (
        pd.DataFrame({Col.VILLAGE_CODE.value: present[Col.VILLAGE_CODE].to_numpy(), "in_month": in_month,
                      "stale": stale})
        .groupby(Col.VILLAGE_CODE.value)
        .agg(households=("in_month", "size"), visited=("in_month", "sum"), unvisited=("stale", "sum"))
        .reset_index()
    )
    days = track_day(tracks) if len(tracks) else pd.Series([], dtype=object)
    mine = tracks[days.map(lambda d: first <= d <= end).to_numpy(dtype=bool)] if len(tracks) else tracks
    teams = (
        pd.DataFrame({TrackCol.TEAM_ID.value: mine[TrackCol.TEAM_ID].to_numpy(),
                      "day": days[days.map(lambda d: first <= d <= end)].to_numpy() if len(tracks) else [],
                      "km": mine[TrackCol.DISTANCE_M].to_numpy(dtype=float) / 1000})
        .groupby(TrackCol.TEAM_ID.value)
        .agg(days_out=("day", "nunique"), km=("km", "sum"))
        .round({"km": 1})
        .reset_index()
    )
    return villages, teams
