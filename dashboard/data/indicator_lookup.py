"""Indexes over one state's indicator data, and the per-area answers built on them (explanations, case
metrics), so that a page's question costs a look-up, not a scan. One `IndicatorLookup` per store state;
`prepare()` answers the city's and the counties' questions for every month ahead of the first click
(what a month change at the top asks for) and the townships' and villages' for the latest month (the
first drill-down); the rest is answered on first ask from incidents prepared once.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.api import (
    LEVEL_CODE_COLUMN,
    AreaIncidents,
    Col,
    GeoInputError,
    Level,
    TopIncident,
    WarningExplanation,
    case_metrics_of_area,
    case_metrics_of_level,
    local_month_ordinals,
    shift_month,
    top_incidents_of_area,
    top_incidents_of_level,
)

if TYPE_CHECKING:
    from dashboard.data.indicators import IndicatorData

#: Levels whose areas' answers `prepare()` computes for every month: few areas, and the first clicks.
PREPARED_LEVELS = (Level.CITY.value, Level.COUNTY.value)
#: Levels prepared for the latest month only, the month a visitor lands on and drills down in; the
#: grids (tens of thousands) and other months of these levels are answered on first ask.
LATEST_MONTH_LEVELS = (Level.TOWNSHIP.value, Level.VILLAGE.value)
#: Areas explained between two asks whether the preparation should stop.
_AREAS_BETWEEN_LOOKS = 25


@dataclass
class _Slice:
    codes: list[str]  # sorted
    frame: pd.DataFrame  # indexed by code, in the same order


class IndicatorLookup:
    """Indexes over one IndicatorData and the answers computed from it, remembered for its lifetime."""

    def __init__(self, data: IndicatorData) -> None:
        self.data = data
        self.months = frozenset(data.months)
        incidents = data.incidents
        self.reported = local_month_ordinals(incidents[Col.REPORTED_AT])
        self.positions = {
            column: {str(k): v for k, v in incidents.groupby(column, sort=False).indices.items()}
            for column in {str(c) for c in LEVEL_CODE_COLUMN.values()}
            if column in incidents.columns
        }
        city_codes = incidents[LEVEL_CODE_COLUMN[Level.CITY]].astype(str).to_numpy()
        self.in_city = np.flatnonzero(city_codes != "")  # once: a province's city holds every row
        self.slices: dict[tuple[str, str], _Slice] = {}
        for (month, level), frame in data.scores.groupby(["month", Col.LEVEL], sort=False):
            ordered = frame.assign(**{Col.CODE.value: frame[Col.CODE].astype(str)}).sort_values(Col.CODE)
            ordered = ordered.set_index(Col.CODE.value)
            self.slices[(str(month), str(level))] = _Slice(list(ordered.index), ordered)
        self.rows_of_code = {str(k): v for k, v in data.scores.groupby(Col.CODE, sort=False).indices.items()}
        self.area_index = {str(k): v for k, v in data.areas.groupby(Col.CODE, sort=False).indices.items()}
        self.by_id = pd.Index(incidents["incident_id"].astype(str))
        self.area_incidents = AreaIncidents(incidents, data.areas, config=data.config)
        self._explained: dict[tuple[str, str], WarningExplanation] = {}
        self._metrics: dict[tuple[str, tuple[str, str]], dict[str, Any]] = {}
        # One lock for the answers: a request and prepare() never compute the same answer twice, and a
        # request waits at most for the one answer prepare() is computing.
        self._answer_lock = threading.Lock()
        self._prepare_lock = threading.Lock()
        self._prepared = False

    # ------------------------------------------------------------ answers

    def explanation(self, code: str, month: str) -> WarningExplanation:
        key = (code, month)
        with self._answer_lock:
            if key not in self._explained:
                self._explained[key] = self._explain(code, month)
            return self._explained[key]

    def metrics(self, code: str, months: tuple[str, str]) -> dict[str, Any]:
        key = (code, months)
        with self._answer_lock:
            if key not in self._metrics:
                level = self.level_of(code, months[1])
                table = case_metrics_of_area(self.area_incidents, code=code, month=months, level=level)
                self._metrics[key] = {str(k): v for k, v in table.iloc[0].items()}
            return self._metrics[key]

    def prepare(self, should_stop: Callable[[], bool] = lambda: False) -> bool:
        """Explanation and case metrics of every area of PREPARED_LEVELS in every month and of
        LATEST_MONTH_LEVELS in the latest, a level and month in one pass, the latest month first; once.
        `should_stop` is asked between passes: a stopped preparation is taken up again by the next call.
        True once everything is prepared."""
        with self._prepare_lock:
            if self._prepared:
                return True
            # pandas builds an index's hash table on its first look-up (50 ms at 200,000 incidents, 10 ms
            # for a month of 30,000 grids): build them now, not on a visitor's click.
            for index in (self.by_id, *(cut.frame.index for cut in self.slices.values())):
                index.get_indexer(index[:1])
                _ = index.is_unique
            months = sorted(self.months, reverse=True)
            passes = [(months[0], level) for level in (*PREPARED_LEVELS, *LATEST_MONTH_LEVELS) if months]
            passes += [(month, level) for month in months[1:] for level in PREPARED_LEVELS]
            for month, level in passes:
                if should_stop() or not self._prepare_level(month, level, should_stop):
                    return False
            self._prepared = True
            return True

    def _prepare_level(self, month: str, level: str, should_stop: Callable[[], bool]) -> bool:
        """One pass; False when `should_stop` said so part-way (a level has hundreds of areas, and a
        pass of the villages takes seconds on a busy machine)."""
        scored = [str(code) for code in self.slice_within(month, level, "").index]
        if not scored:
            return True
        table = case_metrics_of_level(self.area_incidents, month=month, level=level)
        tops = top_incidents_of_level(self.area_incidents, level=level, month=month)
        rows = {str(code): i for i, code in enumerate(table[Col.CODE])}
        for number, code in enumerate(scored):
            if number % _AREAS_BETWEEN_LOOKS == 0 and should_stop():
                return False
            explained = self._explain(code, month, tops.get(code, ()))
            with self._answer_lock:  # held per answer, so a request never waits for a whole level
                self._explained.setdefault((code, month), explained)
                if code in rows:
                    metrics = {str(k): v for k, v in table.iloc[rows[code]].items()}
                    self._metrics.setdefault((code, (month, month)), metrics)
        return True

    def _explain(
        self, code: str, month: str, top: tuple[TopIncident, ...] | None = None
    ) -> WarningExplanation:
        """Score, factor points and colours from the cached scores (geo's own figures); the ranking of
        the incidents behind the score from the area's prepared incidents. Levels of months without data
        are None rather than made up."""
        level = self.level_of(code, month)
        row = self.score_row(code, level, month)
        if row is None:
            raise GeoInputError(f"area {code!r} is not scored in {month}: it was not in force then")
        return WarningExplanation.from_score_row(
            row,
            code=code,
            level=level,
            month=month,
            level_last_month=self.warning_level(code, level, shift_month(month, -1)),
            level_year_ago=self.warning_level(code, level, shift_month(month, -12)),
            top_incidents=top
            if top is not None
            else top_incidents_of_area(self.area_incidents, code=code, level=level, month=month),
        )

    # ------------------------------------------------------------ indexes

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
            return self.in_city
        column = self.positions.get(LEVEL_CODE_COLUMN[Level(level)], {})
        return np.sort(column.get(code, np.empty(0, dtype=np.int64)))
