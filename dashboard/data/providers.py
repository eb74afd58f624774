"""The data providers every page is given: built once per app from the settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from dashboard.data.accounts import Accounts
from dashboard.data.coverage import CoverageData
from dashboard.data.indicators import Indicators
from dashboard.data.intake import IntakeDesk
from dashboard.data.leaders import IncidentLayers
from dashboard.data.maps import AreaFiles, AreaMaps
from dashboard.data.open311 import Open311Desk
from dashboard.data.planner import PlannerData
from dashboard.data.route_plans import RoutePlans
from dashboard.data.scoped_areas import ScopedFiles, ScopedPlanner
from dashboard.data.wall import WallFeed
from dashboard.settings import Settings
from geo.api import StoreError


def _default_url(file_name: str) -> str:
    return f"/mapdata/{file_name}"


@dataclass(frozen=True)
class Providers:
    """Data for pages. `mapdata_url` turns a cached file's name into the URL the browser fetches it from."""

    settings: Settings
    maps: AreaMaps
    files: AreaFiles
    indicators: Indicators
    incidents: IncidentLayers
    wall: WallFeed
    coverage: CoverageData
    routes: RoutePlans
    planner: PlannerData
    open311: Open311Desk
    accounts: Accounts
    intake: IntakeDesk
    mapdata_url: Callable[[str], str] = field(default=_default_url)

    def store_problem(self) -> str | None:
        """None while the store answers, else what is wrong with it (the scores are what every page needs
        first, and reading them again is free while the store is unchanged)."""
        try:
            self.indicators.data()
        except StoreError as error:
            return str(error)
        return None

    def scoped(self, scope: str) -> Providers:
        """The providers as a viewer whose scope is the area `scope` sees them: areas and map files below
        it only (data/scoped_areas.py)."""
        return dataclasses.replace(self, files=ScopedFiles(self.files, scope),
                                   planner=ScopedPlanner(self.planner, scope))  # type: ignore[arg-type]

    @classmethod
    def from_settings(
        cls, settings: Settings, *, mapdata_url: Callable[[str], str] = _default_url
    ) -> Providers:
        indicators = Indicators(settings)
        files = AreaFiles(settings)
        return cls(
            settings=settings,
            maps=AreaMaps(settings),
            files=files,
            indicators=indicators,
            incidents=IncidentLayers(settings, indicators),
            wall=WallFeed(settings, indicators),
            coverage=CoverageData(settings, files),
            routes=RoutePlans(settings),
            planner=PlannerData(settings),
            open311=Open311Desk(settings),
            accounts=Accounts(settings, city_code=lambda: files.tree().city_code),
            intake=IntakeDesk(settings),
            mapdata_url=mapdata_url,
        )
