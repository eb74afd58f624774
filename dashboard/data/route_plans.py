"""The routes page's data: the teams, a plan per period (solved once per store state and period), the
pastures, and the camps with the days since their last visit, all from geo.api."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any, Final

from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    Col,
    Layer,
    OpsCol,
    Plan,
    StopKind,
    TeamRoster,
    load_teams,
    open_store,
    plan_from_inputs,
    plan_gpx,
    polygon_collection,
    read_tracks,
    route_geojson,
    season_inputs,
    stops_geojson,
    track_day,
)

#: Seconds the solver may search for the page's plan: all teams at once, cached per store state.
PAGE_TIME_LIMIT_S: Final = 3.0
#: Plans remembered per store state (a few periods a session looks at).
_KEPT_PLANS: Final = 8
_NEEDED: Final = (Layer.HERDER_HOUSEHOLDS.value, Layer.PASTURES.value, Layer.CENTRES.value)


@dataclass(frozen=True)
class RouteData:
    """Plain data for one period: the plan, and GeoJSON of its camps and of one team's route."""

    plan: Plan
    camps: dict[str, Any]


class RoutePlans:
    def __init__(self, settings: Settings) -> None:
        self._store = open_store(settings.store)
        self.roster: TeamRoster = load_teams()
        self._lock = threading.Lock()
        self._plans: StateCache[dict[tuple[dt.date, int], RouteData]] = StateCache(self._store, dict)
        self._pastures: StateCache[dict[str, Any] | None] = StateCache(self._store, self._read_pastures)
        self._start: StateCache[dt.date] = StateCache(self._store, self._default_start)

    def available(self) -> bool:
        """Whether the store has herders, pastures and centres to plan with."""
        layers = self._store.layers()
        return all(layer in layers for layer in _NEEDED)

    def default_start(self) -> dt.date:
        """The first day of the month after the store's latest team track, else of this month."""
        return self._start.get()

    def _default_start(self) -> dt.date:
        tracks = read_tracks(self._store) if self.available() else None
        if tracks is not None and len(tracks):
            latest = max(track_day(tracks))
            return dt.date(latest.year + latest.month // 12, latest.month % 12 + 1, 1)
        return dt.date.today().replace(day=1)

    def period(self, start: dt.date, days: int) -> RouteData:
        plans = self._plans.get()
        with self._lock:
            if (start, days) not in plans:
                if len(plans) >= _KEPT_PLANS:
                    plans.pop(next(iter(plans)))
                inputs = season_inputs(self._store, start=start, days=days, roster=self.roster)
                plan = plan_from_inputs(inputs, start=start, days=days, time_limit_s=PAGE_TIME_LIMIT_S)
                camps = [s for s in inputs.stops if s.kind == StopKind.CAMP]
                plans[(start, days)] = RouteData(plan, stops_geojson(camps))
            return plans[(start, days)]

    def route(self, start: dt.date, days: int, team_id: str) -> dict[str, Any]:
        return route_geojson(self.period(start, days).plan.team(team_id))

    def gpx(self, start: dt.date, days: int, team_id: str) -> str:
        return plan_gpx(self.period(start, days).plan, team_ids=(team_id,))

    def pastures(self) -> dict[str, Any] | None:
        return self._pastures.get()

    def _read_pastures(self) -> dict[str, Any] | None:
        if not self.available():
            return None
        frame = self._store.read(Layer.PASTURES.value)
        return polygon_collection(frame, [OpsCol.PASTURE_ID.value, OpsCol.SEASON.value, Col.NAME.value],
                                  decimals=4)
