"""Warning levels, incidents and areas for every page, read once per store state.

Incidents are held without their personal fields (geo.schema.PERSONAL_FIELDS): no page, the leaders'
tables included, ever needs a name, phone, address or description, so none can leak one.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    LEVEL_CODE_COLUMN,
    PERSONAL_FIELDS,
    POINTS_COLUMNS,
    STILL_OPEN,
    Col,
    Factor,
    GeoInputError,
    Layer,
    Level,
    Store,
    WarningConfig,
    WarningExplanation,
    case_metrics,
    explain_warning,
    load_warning_config,
    local_month_ordinals,
    month_ordinal,
    open_store,
    shift_month,
    warning_scores_all_months,
)


@dataclass(frozen=True)
class IndicatorData:
    areas: pd.DataFrame  # every boundary version, attributes only (no geometry)
    incidents: pd.DataFrame  # personal fields dropped
    scores: pd.DataFrame  # warning scores for every month and level
    months: tuple[str, ...]  # "YYYY-MM", oldest first
    config: WarningConfig | None = None  # what the scores were computed with (None: the built-in file)


def _read(store: Store, config: WarningConfig) -> IndicatorData:
    areas = pd.DataFrame(store.read(Layer.AREAS.value)).drop(columns=[Col.GEOMETRY])
    raw = store.read(Layer.INCIDENTS.value)
    dropped = [c for c in raw.columns if c in PERSONAL_FIELDS or c == Col.GEOMETRY]
    incidents = pd.DataFrame(raw.drop(columns=dropped))
    scores = warning_scores_all_months(incidents, areas, config=config)
    months = tuple(sorted(scores["month"].unique()))
    return IndicatorData(areas=areas, incidents=incidents, scores=scores, months=months, config=config)


class Indicators:
    """The store's warning scores and incident table, recomputed only when the store file changes."""

    def __init__(self, settings: Settings) -> None:
        self.config = load_warning_config(settings.warning_config)
        store = open_store(settings.store)
        self._cache = StateCache(store, lambda: _read(store, self.config))
        self._lookup_lock = threading.Lock()
        self._lookup_value: _Lookup | None = None

    def data(self) -> IndicatorData:
        return self._cache.get()

    def months(self) -> tuple[str, ...]:
        return self.data().months

    def scores(self, month: str, level: Level | str | None = None) -> pd.DataFrame:
        scores = self.data().scores
        chosen = scores[scores["month"] == month]
        return chosen if level is None else chosen[chosen[Col.LEVEL] == Level(level).value]

    def colours(self, month: str, level: Level | str) -> dict[str, str]:
        """code -> red / yellow / blue for one level and month: what a map's `hideout` carries."""
        chosen = self.scores(month, level)
        return dict(zip(chosen[Col.CODE].astype(str), chosen["warning_level"].astype(str), strict=True))

    def explain(self, code: str, month: str) -> WarningExplanation:
        """`geo.api.explain_warning` for one area and month, remembered until the store changes.

        Score, factor points and colours come from the cached scores of every area and month (geo's own
        figures); only the ranking of the incidents behind the score is computed, from the incidents that
        can count in that month. Levels of months without data are None rather than made up."""
        lookup = self._lookup()
        key = (code, month)
        if key not in lookup.explained:
            level = lookup.level_of(code, month)
            row = lookup.score_row(code, level, month)
            if row is None:
                raise GeoInputError(f"area {code!r} is not scored in {month}: it was not in force then")
            mine = lookup.incident_subset(level, code, month, month)
            ranked = explain_warning(mine, lookup.area_rows(code), code=code, month=month, config=self.config)
            lookup.explained[key] = WarningExplanation(
                code=code,
                name=str(row[Col.NAME]),
                level=level,
                month=month,
                households=int(row[Col.HOUSEHOLDS]),
                incidents=int(row["incidents"]),
                score=float(row["score"]),
                warning_level=str(row["warning_level"]),
                contributions={f.value: float(row[POINTS_COLUMNS[f]]) for f in Factor},
                level_last_month=lookup.warning_level(code, level, shift_month(month, -1)),
                level_year_ago=lookup.warning_level(code, level, shift_month(month, -12)),
                top_incidents=ranked.top_incidents,
            )
        return lookup.explained[key]

    # ------------------------------------------------------------ look-ups for pages (cached per store state)

    def _lookup(self) -> _Lookup:
        data = self.data()
        with self._lookup_lock:
            if self._lookup_value is None or self._lookup_value.data is not data:
                self._lookup_value = _Lookup(data)
            return self._lookup_value

    def level_of(self, code: str, month: str) -> str:
        """The level of an area scored in `month`; GeoInputError when it was not."""
        return self._lookup().level_of(code, month)

    def levels_within(self, month: str, level: Level | str, within: str = "") -> dict[str, str]:
        """code -> red / yellow / blue for the areas of `level` whose codes start with `within`."""
        frame = self._lookup().slice_within(month, Level(level).value, within)
        return dict(zip(frame.index, frame["warning_level"].astype(str), strict=True))

    def standing(self, code: str, month: str) -> tuple[int, int]:
        """The area's rank among the areas of its level in `month` (1 = highest score) and their number."""
        lookup = self._lookup()
        level = lookup.level_of(code, month)
        row = lookup.score_row(code, level, month)
        if row is None:
            raise GeoInputError(f"area {code!r} is not scored in {month}: it was not in force then")
        return int(row["rank"]), len(lookup.slice_within(month, level, ""))

    def scores_within(self, month: str, level: Level | str, within: str = "") -> pd.DataFrame:
        """Score rows (indexed by code) of the areas of `level` whose codes start with `within`."""
        return self._lookup().slice_within(month, Level(level).value, within)

    def trend(self, code: str, months: Sequence[str]) -> pd.DataFrame:
        """month, score, warning_level and incidents of one area for each of `months` (NaN where unscored)."""
        lookup = self._lookup()
        rows = lookup.data.scores.iloc[lookup.rows_of_code.get(code, np.empty(0, dtype=np.int64))]
        picked = rows.set_index("month").reindex(list(months))
        return pd.DataFrame(
            {
                "month": list(months),
                "score": picked["score"].to_numpy(dtype=float),
                "warning_level": picked["warning_level"].to_numpy(dtype=object),
                "incidents": picked["incidents"].to_numpy(dtype=float),
            }
        )

    def area_metrics(self, code: str, months: tuple[str, str]) -> dict[str, Any]:
        """`geo.api.case_metrics` of one area for an inclusive month range, as one row (a dict); computed
        from that area's incidents that matter in the range and remembered until the store changes."""
        lookup = self._lookup()
        key = (code, months)
        if key not in lookup.metrics:
            level = lookup.level_of(code, months[1])
            mine = lookup.incident_subset(level, code, months[0], months[1])
            table = case_metrics(mine, lookup.area_rows(code), month=months, level=level, config=self.config)
            lookup.metrics[key] = {str(k): v for k, v in table.iloc[0].items()}
        return lookup.metrics[key]

    def kpis(self, code: str, month: str) -> AreaKpis:
        """The headline figures of one area in one month (see AreaKpis)."""
        lookup = self._lookup()
        level = lookup.level_of(code, month)
        metrics = self.area_metrics(code, (month, month))
        previous = shift_month(month, -1)
        before = lookup.slice_within(previous, level, code) if previous in lookup.months else None
        last = int(before.at[code, "incidents"]) if before is not None and code in before.index else None
        within = "" if level == Level.CITY else code
        below = [lv.value for lv in Level][[lv.value for lv in Level].index(level) + 1 :]
        counts = {}
        for lower in below:
            frame = lookup.slice_within(month, lower, within)
            if len(frame):
                tally = frame["warning_level"].value_counts()
                counts[lower] = {str(k): int(v) for k, v in tally.items()}
        return AreaKpis(
            code=code,
            month=month,
            incidents=int(metrics["incidents"]),
            incidents_last_month=last,
            closure_rate=float(metrics["closure_rate"]),
            overdue=int(metrics["overdue"]),
            warning_counts=counts,
        )

    def incident_rows(self, incident_ids: Sequence[str]) -> pd.DataFrame:
        """The stored rows (personal fields never held) of the given incidents, in the order asked for."""
        lookup = self._lookup()
        positions = lookup.by_id.get_indexer(list(incident_ids))
        return lookup.data.incidents.iloc[positions[positions >= 0]].reset_index(drop=True)

    def incidents_within(self, code: str, level: Level | str) -> pd.DataFrame:
        """Every incident whose stored code at `level` is `code` (all of them for the city)."""
        lookup = self._lookup()
        return lookup.data.incidents.iloc[lookup.positions_of(Level(level).value, code)]

    def overdue_days(self) -> int:
        """Days after which an open case is overdue (from the warning index config)."""
        return int(self.config.overdue_days)

    def reported_months(self) -> np.ndarray:
        """Month ordinal (months since 1970-01, local time) of each incident, in data().incidents order."""
        return self._lookup().reported


@dataclass(frozen=True)
class AreaKpis:
    """The headline figures of an area in a month.

    ``closure_rate`` is the share of the month's cases closed by now (NaN with no cases); ``overdue`` counts
    cases open past the limit at the month's end or closed late in it; ``warning_counts`` holds, per level
    below the area, how many of its areas are red, yellow and blue.
    """

    code: str
    month: str
    incidents: int
    incidents_last_month: int | None
    closure_rate: float
    overdue: int
    warning_counts: dict[str, dict[str, int]]

    @property
    def change(self) -> float | None:
        """Month-on-month change of the number of cases (0.25 = a quarter more); None without a base."""
        if not self.incidents_last_month:
            return None
        return self.incidents / self.incidents_last_month - 1.0


@dataclass
class _Slice:
    codes: list[str]  # sorted
    frame: pd.DataFrame  # indexed by code, in the same order


class _Lookup:
    """Indexes over one IndicatorData, so that a page's question costs a look-up, not a scan."""

    def __init__(self, data: IndicatorData) -> None:
        self.data = data
        self.months = frozenset(data.months)
        incidents = data.incidents
        self.reported = local_month_ordinals(incidents[Col.REPORTED_AT])
        closed = local_month_ordinals(incidents[Col.CLOSED_AT])
        is_closed = (incidents[Col.STATUS].astype(str) == "closed").to_numpy()
        self.closed = np.where(is_closed, closed, STILL_OPEN)
        self.positions = {
            column: {str(k): v for k, v in incidents.groupby(column, sort=False).indices.items()}
            for column in {str(c) for c in LEVEL_CODE_COLUMN.values()}
            if column in incidents.columns
        }
        self.slices: dict[tuple[str, str], _Slice] = {}
        for (month, level), frame in data.scores.groupby(["month", Col.LEVEL], sort=False):
            ordered = frame.assign(**{Col.CODE.value: frame[Col.CODE].astype(str)}).sort_values(Col.CODE)
            ordered = ordered.set_index(Col.CODE.value)
            self.slices[(str(month), str(level))] = _Slice(list(ordered.index), ordered)
        self.rows_of_code = {str(k): v for k, v in data.scores.groupby(Col.CODE, sort=False).indices.items()}
        self.area_index = {str(k): v for k, v in data.areas.groupby(Col.CODE, sort=False).indices.items()}
        self.by_id = pd.Index(incidents["incident_id"].astype(str))
        self.explained: dict[tuple[str, str], WarningExplanation] = {}
        self.metrics: dict[tuple[str, tuple[str, str]], dict[str, Any]] = {}

    def level_of(self, code: str, month: str) -> str:
        rows = self.rows_of_code.get(code)
        if rows is None:
            raise GeoInputError(f"area {code!r} has no warning scores: is it a current area code?")
        if month not in self.months:
            first, last = min(self.months), max(self.months)
            raise GeoInputError(f"month {month!r} has no scores: allowed are {first} to {last}")
        return str(self.data.scores[Col.LEVEL].iloc[rows[0]])

    def slice_within(self, month: str, level: str, within: str) -> pd.DataFrame:
        cut = self.slices.get((month, level))
        if cut is None:
            return self.data.scores.iloc[0:0].set_index(Col.CODE.value)
        if not within:
            return cut.frame
        start = bisect.bisect_left(cut.codes, within)
        stop = bisect.bisect_left(cut.codes, within + "\x7f")
        return cut.frame.iloc[start:stop]

    def score_row(self, code: str, level: str, month: str) -> pd.Series | None:
        cut = self.slices.get((month, level))
        if cut is None or code not in cut.frame.index:
            return None
        return cut.frame.loc[code]

    def warning_level(self, code: str, level: str, month: str) -> str | None:
        cut = self.slices.get((month, level))
        if cut is None or code not in cut.frame.index:
            return None
        return str(cut.frame.at[code, "warning_level"])

    def area_rows(self, code: str) -> pd.DataFrame:
        return self.data.areas.iloc[self.area_index.get(code, np.empty(0, dtype=np.int64))]

    def positions_of(self, level: str, code: str) -> np.ndarray:
        if level == Level.CITY:
            codes = self.data.incidents[LEVEL_CODE_COLUMN[Level(level)]].astype(str).to_numpy()
            return np.flatnonzero(codes != "")
        column = self.positions.get(LEVEL_CODE_COLUMN[Level(level)], {})
        return np.sort(column.get(code, np.empty(0, dtype=np.int64)))

    def incident_subset(self, level: str, code: str, first: str, last: str) -> pd.DataFrame:
        """The area's incidents that can count in months first..last: reported by then and not closed
        before. A month of slack each side covers time-zone edges; the analyses filter exactly."""
        positions = self.positions_of(level, code)
        start, stop = month_ordinal(first) - 1, month_ordinal(last) + 1
        keep = (self.reported[positions] <= stop) & (self.closed[positions] >= start)
        return self.data.incidents.iloc[positions[keep]]
