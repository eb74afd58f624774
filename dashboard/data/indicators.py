"""Warning levels, incidents and areas for every page, read once per store state.

Incidents are held without their personal fields (geo.schema.PERSONAL_FIELDS): no page, the leaders'
tables included, ever needs a name, phone, address or description, so none can leak one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data.indicator_lookup import IndicatorLookup
from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    PERSONAL_FIELDS,
    Col,
    GeoInputError,
    Layer,
    Level,
    Store,
    StoreError,
    WarningConfig,
    WarningExplanation,
    as_local_times,
    load_warning_config,
    month_ordinal,
    open_store,
    shift_month,
    warning_scores_all_months,
)

logger = logging.getLogger(__name__)


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
    for column in (Col.REPORTED_AT, Col.CLOSED_AT):  # datetimes for every reader, a store of text times too
        if column in incidents:
            incidents[column] = as_local_times(incidents[column])
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
        self._lookup_value: IndicatorLookup | None = None
        self._stop = threading.Event()
        self._prepared_state: str | None = None

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
        """`geo.api.explain_warning` for one area and month, remembered until the store changes."""
        return self._lookup().explanation(code, month)

    # ------------------------------------------------------------ preparation per store state

    def prepare(self) -> None:
        """Compute now what the first clicks of a store state ask for (see IndicatorLookup.prepare); given
        up between two of its passes once the store has changed (the next call takes up the new state)."""
        state = self._cache.state()

        def superseded() -> bool:
            return self._stop.is_set() or self._cache.state() != state

        if self._lookup().prepare(superseded) and not superseded():
            self._prepared_state = state

    def prepared_state(self) -> str | None:
        """The store state whose first clicks are answered from memory (None before the first)."""
        return self._prepared_state

    def start_preparing(
        self, *, every_s: float | None = None, first: Sequence[Callable[[], object]] = (),
        when_quiet: Sequence[Callable[[], object]] = (),
    ) -> threading.Thread:
        """`prepare()` in a background thread, so the first click finds the answers ready. With
        `every_s`, the thread keeps looking (a file stat) and prepares each new store state as it
        appears, until `stop_preparing()`. `first` runs at every look; `when_quiet` (the wall's figures)
        runs before each preparation, so it never shares the CPU with the answers.

        A state is prepared once a look finds the store as the previous look left it: while it keeps
        changing (cases POSTed every few milliseconds) each state would be superseded before anyone
        clicked, and preparing it takes seconds of the one core that Python code has in this process,
        which the requests (the Open311 intake among them) need; a preparation under way stops when the
        store changes. The first look after the start prepares at once."""
        thread = threading.Thread(target=self._keep_prepared, args=(every_s, tuple(first), tuple(when_quiet)),
                                  name="indicators-prepare")
        thread.daemon = True
        thread.start()
        return thread

    def stop_preparing(self) -> None:
        """End the background preparation at its next pass (what is prepared stays; a request computes
        the rest when it asks)."""
        self._stop.set()

    def _keep_prepared(self, every_s: float | None, first: tuple[Callable[[], object], ...],
                       when_quiet: tuple[Callable[[], object], ...]) -> None:
        previous: str | None = None  # the state the previous look found (None: this is the first)
        while True:
            _compute_each(first)
            with contextlib.suppress(GeoInputError, StoreError):
                state = self._cache.state()
                if previous in (None, state):
                    _compute_each(when_quiet)
                    self.prepare()
                previous = state
            if every_s is None or self._stop.wait(every_s):
                return

    def _lookup(self) -> IndicatorLookup:
        data = self.data()
        with self._lookup_lock:
            if self._lookup_value is None or self._lookup_value.data is not data:
                self._lookup_value = IndicatorLookup(data)
            return self._lookup_value

    # ------------------------------------------------------------ look-ups for pages (cached per store state)

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
        """`geo.api.case_metrics` of one area for an inclusive month range, as one row (a dict),
        remembered until the store changes."""
        return self._lookup().metrics(code, months)

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

    def incidents_within(
        self, code: str, level: Level | str, *, months: tuple[str, str] | None = None
    ) -> pd.DataFrame:
        """Every incident whose stored code at `level` is `code` (all of them for the city), of the months
        from `months[0]` to `months[1]` when given (cut before the rows are copied: a province's city
        holds millions of them)."""
        lookup = self._lookup()
        positions = lookup.positions_of(Level(level).value, code)
        if months is not None:
            reported = lookup.reported[positions]
            first, last = month_ordinal(months[0]), month_ordinal(months[1])
            positions = positions[(reported >= first) & (reported <= last)]
        return lookup.data.incidents.iloc[positions]

    def overdue_days(self) -> int:
        """Days after which an open case is overdue (from the warning index config)."""
        return int(self.config.overdue_days)


def _compute_each(computes: tuple[Callable[[], object], ...]) -> None:
    # A store mid-write or a bad config: the request that asks meets the same error and shows it.
    for compute in computes:
        try:
            compute()
        except Exception:  # the page that asks meets it and says so
            logger.debug("background preparation of %s failed", compute, exc_info=True)


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
