"""Aggregates for the command-centre wall: one digest per store state, made of counts, rates, colours and
a density grid, and never a row about a person.

The digest is built from `Indicators` (incidents already without their personal fields) and from the
store's area outlines and service points, and it keeps no incident identifiers either: the latest
incidents come out as groups of (hour, township, category) with a count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dashboard.data.indicators import IndicatorData, Indicators
from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    CODE_LENGTH,
    AreaIncidents,
    Col,
    Coverage,
    CoverageCol,
    CoverageInputs,
    IncidentStatus,
    Layer,
    Level,
    Store,
    StoreError,
    WarningLevel,
    case_metrics_of_level,
    city_code_of,
    city_today,
    incident_density,
    level_of_code,
    mediation_density,
    mediator_coverage,
    open_store,
    reports_by_day,
)

#: Levels whose red areas the wall counts, coarse to fine.
RED_LEVELS: Final = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID)
TREND_MONTHS: Final = 24
LATEST_GROUPS: Final = 10
#: Kernel bandwidth of the city-wide heat map: about two pixels at the zoom that shows all of Jiuquan
#: on a 1920 px wall, so each oasis town reads as one hot spot with its busiest quarters inside it.
HEAT_BANDWIDTH_M: Final = 2_500.0
HEAT_MAX_CELLS: Final = 250_000
COVERAGE_CLASSES: Final = 5

Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east)), as Leaflet wants


@dataclass(frozen=True)
class AreaBox:
    code: str
    name: str
    bounds: Bounds


@dataclass(frozen=True)
class Kpis:
    """The headline figures of one scope (the city or a county) for the digest's month."""

    incidents: int
    incidents_previous: int | None  # the month before, for the month-on-month change
    closed: int
    closure_rate: float | None  # closed / reported for the month's cases; None with nothing reported
    overdue: int
    in_mediation: int  # cases in progress now, whatever month they were reported in
    red_areas: dict[str, int]  # level -> red areas of that level inside the scope


@dataclass(frozen=True)
class Trend:
    months: tuple[str, ...]
    incidents: tuple[int, ...]
    red_grids: tuple[int, ...]


@dataclass(frozen=True)
class LatestGroup:
    """Incidents of one category reported in one township within one hour."""

    time: str  # "MM-DD HH:MM" of the latest incident in the group
    county: str
    township: str
    category: str
    count: int


@dataclass(frozen=True)
class ScopeDigest:
    kpis: Kpis
    trend: Trend
    latest: tuple[LatestGroup, ...]
    # Cases reported per day of the city ("YYYY-MM-DD" -> count) from the day before the digest was made
    # on: whatever day a wall shows before the next store change, its today and yesterday are here.
    by_day: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class HeatGrid:
    """Incidents per km² on a regular lon/lat grid over the city; row 0 is the northern edge."""

    values: NDArray[np.float32]
    bounds: Bounds
    incidents: int


@dataclass(frozen=True, eq=False)
class WallDigest:
    version: str  # changes whenever the store file changes
    month: str  # "YYYY-MM", the newest month with data
    as_of: str  # "YYYY-MM-DD HH:MM", the newest report or closing in the store
    city: AreaBox
    counties: tuple[AreaBox, ...]
    scopes: dict[str, ScopeDigest]  # the city code and every county code
    colours: dict[str, dict[str, str]]  # level -> area code -> red / yellow / blue
    coverage: Coverage | None  # None when the store has no centres or mediation organisations
    heat: HeatGrid | None  # None when the month has no located incidents
    reach: CoverageReach | None = None  # None when the store lacks households, centres or organisations


@dataclass(frozen=True)
class CoverageReach:
    """City-wide mediation reach in the wall's month: aggregates only."""

    uncovered_share: float  # households beyond every mediation band (geo/config/coverage.toml)
    mediators: int
    mediators_per_10k: float


class WallFeed:
    """The wall's digest of the store named in the settings, rebuilt only when the store file changes.

    `digest()` raises StoreError while the store is missing, so a caller can show the last frame as stale.
    """

    def __init__(self, settings: Settings, indicators: Indicators | None = None) -> None:
        self._store = open_store(settings.store)
        self._indicators = indicators if indicators is not None else Indicators(settings)
        self._cache = StateCache(self._store, self._build)
        self._reach = StateCache(self._store, lambda: coverage_reach(self._store, self.digest().month))

    def digest(self) -> WallDigest:
        return self._cache.get()

    def with_reach(self) -> WallDigest:
        """The digest with the city's mediation reach, which only the coverage view shows: kept apart so
        that a new import reaches the other views without waiting for it."""
        return dataclasses.replace(self.digest(), reach=self._reach.get())

    def _build(self) -> WallDigest:
        store = self._store
        state = store.state()
        data = self._indicators.data()
        outlines = store.read_areas(levels=[Level.CITY, Level.COUNTY])
        boxes = area_boxes(outlines)
        layers = set(store.layers())
        centres = _attributes(store.read(Layer.CENTRES)) if Layer.CENTRES in layers else None
        organisations = (
            _attributes(store.read(Layer.MEDIATION_ORGS)) if Layer.MEDIATION_ORGS in layers else None
        )
        return wall_digest(data, boxes, centres=centres, organisations=organisations, version=state,
                           today=city_today())


def coverage_reach(store: Store, month: str) -> CoverageReach | None:
    """The city row of `geo.api.mediator_coverage` for `month`, or None when the store lacks its layers."""
    try:
        inputs = CoverageInputs.from_store(store)
    except StoreError:
        return None
    city = mediator_coverage(inputs, month=month, level=Level.CITY).iloc[0]
    return CoverageReach(float(city[CoverageCol.UNCOVERED_SHARE]), int(city[CoverageCol.MEDIATORS]),
                         float(city[CoverageCol.MEDIATORS_PER_10K]))


def _attributes(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns=[Col.GEOMETRY], errors="ignore"))


def area_boxes(areas: pd.DataFrame) -> dict[str, AreaBox]:
    """Code -> name and bounds of areas with geometry (a GeoDataFrame)."""
    bounds = areas.geometry.bounds
    return {
        str(code): AreaBox(
            str(code), str(name), ((float(b.miny), float(b.minx)), (float(b.maxy), float(b.maxx)))
        )
        for code, name, b in zip(areas[Col.CODE], areas[Col.NAME], bounds.itertuples(), strict=True)
    }


def wall_digest(
    data: IndicatorData,
    boxes: dict[str, AreaBox],
    *,
    centres: pd.DataFrame | None,
    organisations: pd.DataFrame | None,
    version: str,
    today: str,
) -> WallDigest:
    """The digest of one store state: `data` from Indicators, `boxes` of the city and its counties, and
    `today` the city's date (YYYY-MM-DD) when it is made."""
    if not data.months:
        raise ValueError("the store has no scored months: import incidents first")
    month = data.months[-1]
    current = data.areas[data.areas[Col.VALID_TO].isna()]
    names = dict(zip(current[Col.CODE].astype(str), current[Col.NAME].astype(str), strict=True))
    county_codes = sorted(code for code in boxes if not _is_city(code))
    city_code = next((c for c in boxes if _is_city(c)), city_code_of(county_codes[0]) if county_codes else "")
    city = boxes.get(city_code) or _union_box(
        city_code, names.get(city_code, ""), [boxes[c] for c in county_codes]
    )
    # One table per level serves every scope of it (forty counties need one county table, not forty),
    # from incidents prepared once.
    prepared = AreaIncidents(data.incidents, data.areas, config=data.config)
    metrics = {level: case_metrics_of_level(prepared, month=month, level=level)
               for level in {_scope_level(code) for code in (city_code, *county_codes)}}
    recent = data.scores[data.scores["month"].isin(data.months[-TREND_MONTHS:])]
    daily = _reported_by_day(data.incidents, since=_day_before(today))
    scopes = {
        code: ScopeDigest(
            kpis=_kpis(data, month, code, metrics[_scope_level(code)]),
            trend=_trend(recent, data.months[-TREND_MONTHS:], code),
            latest=latest_groups(data.incidents, names, scope=code),
            by_day=daily.get(code, {}),
        )
        for code in (city_code, *county_codes)
    }
    month_scores = data.scores[data.scores["month"] == month]
    colours = {
        level.value: dict(zip(rows[Col.CODE].astype(str), rows["warning_level"].astype(str), strict=True))
        for level in RED_LEVELS
        for rows in [month_scores[month_scores[Col.LEVEL] == level.value]]
    }
    return WallDigest(
        version=version,
        month=month,
        as_of=_as_of(data.incidents),
        city=city,
        counties=tuple(boxes[c] for c in county_codes),
        scopes=scopes,
        colours=colours,
        coverage=coverage(current, centres, organisations),
        heat=_heat(data.incidents, month, city.bounds),
    )


def _union_box(code: str, name: str, boxes: list[AreaBox]) -> AreaBox:
    (south, west), (north, east) = boxes[0].bounds
    for box in boxes[1:]:
        (s, w), (n, e) = box.bounds
        south, west, north, east = min(south, s), min(west, w), max(north, n), max(east, e)
    return AreaBox(code, name, ((south, west), (north, east)))


def _is_city(code: str) -> bool:
    """The city's code is data: whichever area the codes (GB/T 2260) name as the prefecture."""
    return level_of_code(code) is Level.CITY


def _in_scope(codes: pd.Series, scope: str | None) -> pd.Series:
    """The whole city for None or the city's code, else the areas whose codes start with `scope`."""
    if scope is None or _is_city(scope):
        return codes.notna()
    return codes.astype(str).str.startswith(scope)


def _scope_level(scope: str) -> str:
    return Level.CITY.value if _is_city(scope) else Level.COUNTY.value


def _kpis(data: IndicatorData, month: str, scope: str, metrics: pd.DataFrame) -> Kpis:
    """The scope's figures; `metrics` are the case metrics of the scope's level for `month`."""
    row = metrics[metrics[Col.CODE].astype(str) == scope]
    scores = data.scores
    previous_month = data.months[-2] if len(data.months) > 1 else None
    previous = scores[(scores["month"] == previous_month) & (scores[Col.CODE].astype(str) == scope)]
    month_scores = scores[scores["month"] == month]
    red = month_scores[
        (month_scores["warning_level"] == WarningLevel.RED.value) & _in_scope(month_scores[Col.CODE], scope)
    ]
    incidents = data.incidents
    county = incidents[Col.COUNTY_CODE]
    in_progress = (incidents[Col.STATUS] == IncidentStatus.IN_PROGRESS.value) & _in_scope(county, scope)
    closure = float(row["closure_rate"].iloc[0]) if len(row) else float("nan")
    return Kpis(
        incidents=int(row["incidents"].iloc[0]) if len(row) else 0,
        incidents_previous=int(previous["incidents"].iloc[0]) if len(previous) else None,
        closed=int(row[f"status_{IncidentStatus.CLOSED.value}"].iloc[0]) if len(row) else 0,
        closure_rate=None if np.isnan(closure) else closure,
        overdue=int(row["overdue"].iloc[0]) if len(row) else 0,
        in_mediation=int(in_progress.sum()),
        red_areas={lv.value: int((red[Col.LEVEL] == lv.value).sum()) for lv in RED_LEVELS},
    )


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def _reported_by_day(incidents: pd.DataFrame, *, since: str) -> dict[str, dict[str, int]]:
    """Area code (the city and each county) -> day -> cases reported, from `since` on."""
    out: dict[str, dict[str, int]] = {}
    for level in (Level.CITY, Level.COUNTY):
        for day, counts in reports_by_day(incidents, since=since, level=level).items():
            for code, count in counts.items():
                out.setdefault(code, {})[day] = count
    return out


def _trend(scores: pd.DataFrame, months: tuple[str, ...], scope: str) -> Trend:
    """The scope's incidents and red grids in each of `months`, from those months' scores."""
    own = scores[scores[Col.CODE].astype(str) == scope].set_index("month")["incidents"]
    red_grid = (scores[Col.LEVEL] == Level.GRID.value) & (scores["warning_level"] == WarningLevel.RED.value)
    grids = scores[red_grid & _in_scope(scores[Col.CODE], scope)]
    red = grids.groupby("month").size()
    return Trend(
        months=tuple(months),
        incidents=tuple(int(own.get(m, 0)) for m in months),
        red_grids=tuple(int(red.get(m, 0)) for m in months),
    )


def latest_groups(
    incidents: pd.DataFrame, names: dict[str, str], *, scope: str | None = None, limit: int = LATEST_GROUPS
) -> tuple[LatestGroup, ...]:
    """The newest incidents of a scope grouped by (hour, township, category), newest group first."""
    chosen = incidents[_in_scope(incidents[Col.COUNTY_CODE], scope) & incidents[Col.REPORTED_AT].notna()]
    # Enough of the newest rows to fill `limit` groups even if every group held many of them.
    recent = chosen.nlargest(limit * 20, Col.REPORTED_AT)
    hour = recent[Col.REPORTED_AT].dt.floor("h")
    grouped = (
        recent.assign(hour=hour)
        .groupby(["hour", Col.TOWNSHIP_CODE, Col.CATEGORY], dropna=False)[Col.REPORTED_AT]
        .agg(["max", "size"])
        .reset_index()
        .sort_values(["max", Col.TOWNSHIP_CODE, Col.CATEGORY], ascending=[False, True, True])
        .head(limit)
    )
    return tuple(
        LatestGroup(
            time=pd.Timestamp(row["max"]).strftime("%m-%d %H:%M"),
            county=names.get(str(row[Col.TOWNSHIP_CODE])[: CODE_LENGTH[Level.COUNTY]], ""),
            township=names.get(str(row[Col.TOWNSHIP_CODE]), ""),
            category=str(row[Col.CATEGORY]),
            count=int(row["size"]),
        )
        for _, row in grouped.iterrows()
    )


def _as_of(incidents: pd.DataFrame) -> str:
    times = pd.concat([incidents[Col.REPORTED_AT], incidents[Col.CLOSED_AT]]).dropna()
    return pd.Timestamp(times.max()).strftime("%Y-%m-%d %H:%M") if len(times) else ""


def coverage(
    areas: pd.DataFrame, centres: pd.DataFrame | None, organisations: pd.DataFrame | None
) -> Coverage | None:
    """`geo.api.mediation_density` of the current townships, in the wall's number of classes."""
    return mediation_density(areas, centres, organisations, classes=COVERAGE_CLASSES)


def _heat(incidents: pd.DataFrame, month: str, bounds: Bounds) -> HeatGrid | None:
    (south, west), (north, east) = bounds
    surface = incident_density(
        incidents,
        months=month,
        bandwidth_m=HEAT_BANDWIDTH_M,
        bounds=(west, south, east, north),
        max_cells=HEAT_MAX_CELLS,
    )
    if surface.incidents == 0:
        return None
    return HeatGrid(values=surface.values.astype(np.float32), bounds=bounds, incidents=surface.incidents)
