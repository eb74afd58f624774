"""Mediator coverage for the coverage page: the per-area report, suggested sites and the areas' outlines,
computed in geo and cached per store state and request, so a second look at a view costs a look-up."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.data.maps import AreaFiles
from dashboard.settings import Settings
from geo import api

#: Distinct (level, specialty) reports and site counts kept per store state.
_KEPT = 64


@dataclass(frozen=True)
class SuggestedSites:
    sites: pd.DataFrame  # rank, site_id, name, site_kind, lon, lat, households_newly_covered, marginal_gain
    covered_before: float
    covered_after: float
    households: float


class CoverageData:
    """What the coverage page shows, for the store in `settings`."""

    def __init__(self, settings: Settings, files: AreaFiles) -> None:
        self._store = api.open_store(settings.store)
        self._files = files
        self._lock = threading.Lock()
        self._state: str | None = None
        self._inputs: api.CoverageInputs | None = None
        self._kept: dict[tuple[Any, ...], Any] = {}
        self.config = api.load_coverage_config()

    def _fresh_inputs(self) -> api.CoverageInputs:
        """The layers coverage reads, read again when the store changed (lock held)."""
        state = self._store.state()
        if state != self._state or self._inputs is None:
            self._inputs = api.CoverageInputs.from_store(self._store)
            self._state, self._kept = state, {}
        return self._inputs

    def _kept_or(self, key: tuple[Any, ...], compute: Any) -> Any:
        with self._lock:
            inputs = self._fresh_inputs()
            if key not in self._kept:
                if len(self._kept) >= _KEPT:
                    self._kept.pop(next(iter(self._kept)))
                self._kept[key] = compute(inputs)
            return self._kept[key]

    def available(self) -> bool:
        """Whether the store holds the layers coverage needs (an areas-only store does not)."""
        try:
            with self._lock:
                self._fresh_inputs()
        except api.StoreError:
            return False
        return True

    def month(self) -> str:
        return str(self._kept_or(("month",), api.last_month))

    def report(self, level: str, specialty: str | None) -> pd.DataFrame:
        """The rows of one level. Every level comes from one pass (the distances are the costly part), so
        a change of level after the first look costs a look-up."""
        month = self.month()
        every_level: pd.DataFrame = self._kept_or(("report", specialty), lambda inputs: api.mediator_coverage(
            inputs, month=month, specialty=specialty, config=self.config))
        return every_level[every_level[api.Col.LEVEL] == level].reset_index(drop=True)

    def suggestion(
        self, sites: int | None, method: str = "mclp", capacity: float | None = None
    ) -> SuggestedSites:
        """`geo.api.suggest_sites` by MCLP (`sites` new rooms, `capacity` disputes a year each) or LSCP
        (the fewest rooms; `sites` and `capacity` do not apply)."""
        month = self.month()
        if method == api.SuggestMethod.LSCP.value:
            sites, capacity = None, None

        def compute(inputs: api.CoverageInputs) -> SuggestedSites:
            found = api.suggest_sites(inputs, month=month, sites=sites, method=method, capacity=capacity,
                                      config=self.config)
            return SuggestedSites(found.sites, found.covered_before, found.covered_after, found.households)

        return self._kept_or(("suggest", sites, method, capacity), compute)

    def areas(self, level: str) -> dict[str, Any]:
        """The current areas of `level`, simplified for the browser (code, name, level properties)."""
        return self._files.level_collection(level)

    def site_points(self, sites: pd.DataFrame, labels: list[str]) -> dict[str, Any]:
        col = api.CoverageCol
        return api.point_collection(sites[col.LON], sites[col.LAT], {
            "rank": [int(v) for v in sites[col.RANK]],
            "name": [str(v) for v in sites["name"]],
            "label": labels,
        })

    def bands(self, sites: pd.DataFrame) -> dict[str, Any]:
        """The village band around every suggested site, as polygons."""
        return api.site_bands(sites, self.band_m() / 1000.0)

    def band_m(self) -> float:
        """The village band around a new room, in metres (settled households)."""
        return float(self.config.bands_km[api.Level.VILLAGE]) * 1000.0

    @staticmethod
    def csv(frame: pd.DataFrame) -> str:
        """The table as formula-safe CSV text."""
        out = io.StringIO()
        api.write_csv(frame, out)
        return out.getvalue()

    @staticmethod
    def sites_gpkg(sites: pd.DataFrame) -> bytes:
        return api.suggested_sites_gpkg(sites)
