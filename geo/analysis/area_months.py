"""Incidents × areas × months: months as integers, the boundary version in force each month, and
per-area monthly counts from the area codes stored with each incident.

Codes were assigned once, at ingest, so nothing here joins spatially: an incident counts for the area
whose code it carries at that level, found with an index look-up, and counts per area and month come
from `numpy.bincount`. A month is an integer ordinal (months since 1970-01), so "the month before" and
"the same month last year" are subtractions.

Boundary versions: an area row is in force in month M when ``valid_from <= first day of M < valid_to``
(an empty ``valid_to`` is open). Each row is judged on its own dates, so a new version may repeat every
area or only the changed ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.errors import GeoInputError
from geo.schema import (
    LEVEL_ORDER,
    LOCAL_TIMEZONE,
    Col,
    IncidentCategory,
    IncidentStatus,
    Level,
    Outcome,
    Satisfaction,
)

IntArray = NDArray[np.int64]

#: Closing month of an incident that is still open: later than any month asked about.
STILL_OPEN: Final = 10**6
MICRO_GRID_CODE: Final = "micro_grid_code"  # optional: incidents carry it only where micro-grids are assigned

#: The incident column that holds each level's area code (the city counts every incident inside a county).
LEVEL_CODE_COLUMN: Final[dict[Level, str]] = {
    Level.CITY: Col.COUNTY_CODE,
    Level.COUNTY: Col.COUNTY_CODE,
    Level.TOWNSHIP: Col.TOWNSHIP_CODE,
    Level.VILLAGE: Col.VILLAGE_CODE,
    Level.GRID: Col.GRID_CODE,
    Level.MICRO_GRID: MICRO_GRID_CODE,
}
INCIDENT_COLUMNS: Final = (
    "incident_id",
    Col.SOURCE,
    Col.CATEGORY,
    "severity",
    "serious",
    "repeat_petition",
    Col.STATUS,
    Col.OUTCOME,
    Col.REPORTED_AT,
    Col.CLOSED_AT,
    "satisfaction",
    Col.GRID_CODE,
    Col.VILLAGE_CODE,
    Col.TOWNSHIP_CODE,
    Col.COUNTY_CODE,
)
_VALID_FIRST: Final = "_valid_first_month"
_VALID_STOP: Final = "_valid_stop_month"
_MONTH_TEXT: Final = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_TRUE_TEXT: Final = frozenset({"1", "true", "t", "yes", "y", "是"})
# 满意度 on a 0-1 scale: satisfied 1, basically satisfied 0.5, dissatisfied 0. Numbers are read on the
# hotline's 1-3 scale (1 dissatisfied, 2 basically satisfied, 3 satisfied); anything else is unrated.
_SATISFACTION_LABELS: Final = {
    "满意": 1.0,
    "非常满意": 1.0,
    Satisfaction.SATISFIED: 1.0,
    "基本满意": 0.5,
    "一般": 0.5,
    Satisfaction.BASICALLY_SATISFIED: 0.5,
    "不满意": 0.0,
    Satisfaction.DISSATISFIED: 0.0,
}


# ---------------------------------------------------------------- months


def month_ordinal(text: object, *, argument: str = "month") -> int:
    """Months since 1970-01 for a ``YYYY-MM`` string; raises GeoInputError for anything else."""
    match = _MONTH_TEXT.match(str(text).strip()) if isinstance(text, str) else None
    if match is None:
        raise GeoInputError(f"{argument} {text!r} is not a month: write it as YYYY-MM, for example 2024-03")
    return (int(match[1]) - 1970) * 12 + int(match[2]) - 1


def month_label(ordinal: int) -> str:
    return f"{1970 + ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def shift_month(month: str, months: int) -> str:
    """The ``YYYY-MM`` that lies `months` after (or before, when negative) `month`."""
    return month_label(month_ordinal(month) + months)


def local_month_ordinals(values: pd.Series) -> IntArray:
    """Month ordinal of each timestamp in local time (STILL_OPEN where missing or unreadable)."""
    return ordinals_of(as_local_times(values))


def month_span(months: str | tuple[str, str]) -> tuple[int, int]:
    """First and last month ordinal of one ``YYYY-MM`` or an inclusive ``(start, end)`` pair."""
    if isinstance(months, str):
        one = month_ordinal(months)
        return one, one
    start, end = (
        month_ordinal(months[0], argument="first month"),
        month_ordinal(months[1], argument="last month"),
    )
    if start > end:
        raise GeoInputError(
            f"month range {months[0]}..{months[1]} runs backwards: the first month must come first"
        )
    return start, end


def ordinals_of(times: pd.Series) -> IntArray:
    """Month ordinal of each timestamp (NaT gives STILL_OPEN)."""
    years, months = times.dt.year.to_numpy(dtype=float), times.dt.month.to_numpy(dtype=float)
    ordinals = (years - 1970) * 12 + months - 1
    return np.where(np.isnan(ordinals), STILL_OPEN, ordinals).astype(np.int64)


#: A time written with its zone: `Z` or an offset such as `+08:00` at the end.
_ZONED: Final = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def as_local_times(values: pd.Series) -> pd.Series:
    """Timestamps without a zone, in China Standard Time (month boundaries are local); NaT if unreadable.
    Text may mix zoned times (any offset) with wall-clock ones, taken as local: a store being upgraded
    holds both, and pandas refuses mixed zones in one parse."""
    if pd.api.types.is_datetime64_any_dtype(values):
        times = values
        if getattr(times.dt, "tz", None) is not None:
            times = times.dt.tz_convert(LOCAL_TIMEZONE).dt.tz_localize(None)
        return times.astype("datetime64[ns]")
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.where(text != "", None)
    zoned = text.str.contains(_ZONED, na=False)
    times = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if zoned.any():
        utc = pd.to_datetime(text[zoned], errors="coerce", format="mixed", utc=True)
        times[zoned] = utc.dt.tz_convert(LOCAL_TIMEZONE).dt.tz_localize(None).astype("datetime64[ns]")
    if (~zoned).any():
        times[~zoned] = pd.to_datetime(text[~zoned], errors="coerce", format="mixed").astype("datetime64[ns]")
    return times


# ---------------------------------------------------------------- levels and boundary versions


def _first_month_on_or_after(dates: pd.Series, *, open_value: int) -> IntArray:
    """The first month whose first day is on or after each date; `open_value` for an empty date."""
    times = as_local_times(dates)
    ordinals = ordinals_of(times)
    later_in_month = ((times.dt.day > 1) | (times != times.dt.normalize())).to_numpy()
    ordinals = ordinals + np.where(later_in_month, 1, 0)
    return np.where(times.isna().to_numpy(), open_value, ordinals).astype(np.int64)


def with_validity_months(areas: pd.DataFrame) -> pd.DataFrame:
    """The areas with their first month in force and the month they stop, read once from the dates
    (``in_force_pairs`` reads them from here when present)."""
    return areas.assign(
        **{
            _VALID_FIRST: _first_month_on_or_after(areas[Col.VALID_FROM], open_value=-STILL_OPEN),
            _VALID_STOP: _first_month_on_or_after(areas[Col.VALID_TO], open_value=STILL_OPEN),
        }
    )


def in_force_pairs(areas: pd.DataFrame, months: Iterable[int]) -> tuple[IntArray, IntArray]:
    """(row position in `areas`, month) for every month of `months` in which each row is in force."""
    wanted = np.unique(np.fromiter(months, dtype=np.int64))
    if len(areas) == 0 or len(wanted) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if _VALID_FIRST not in areas.columns:
        areas = with_validity_months(areas)
    first, stop = areas[_VALID_FIRST].to_numpy(), areas[_VALID_STOP].to_numpy()
    lo, hi = np.searchsorted(wanted, first), np.searchsorted(wanted, stop)
    counts = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(areas)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    month_of_pair = wanted[np.repeat(lo, counts) + offsets]
    _refuse_overlapping_versions(areas, rows, month_of_pair)
    return rows, month_of_pair


def _refuse_overlapping_versions(areas: pd.DataFrame, rows: IntArray, months: IntArray) -> None:
    pairs = pd.DataFrame({"code": areas[Col.CODE].to_numpy(dtype=object)[rows], "month": months})
    repeated = pairs[pairs.duplicated(keep=False)]
    if len(repeated):
        code, month = repeated.iloc[0]
        count = int(((repeated["code"] == code) & (repeated["month"] == month)).sum())
        raise GeoInputError(
            f"area {code} has {count} boundary versions in force in {month_label(int(month))}: the "
            "valid_from..valid_to ranges of one code's versions must not overlap"
        )


def areas_in_force(areas: pd.DataFrame, month: int, *, level: Level | None = None) -> pd.DataFrame:
    """The area rows in force in `month` (at one level, or all); raises when there are none."""
    rows, _ = in_force_pairs(areas, [month])
    chosen = areas.iloc[rows]
    if not len(chosen):
        dates = zip(areas[Col.VALID_FROM], areas[Col.VALID_TO], strict=True)
        ranges = sorted({f"{start}..{stop or 'open'}" for start, stop in dates})
        raise GeoInputError(
            f"no boundary version is in force in {month_label(month)}: the areas are valid "
            f"{', '.join(ranges[:5]) or 'never (no areas)'}"
        )
    if level is not None:
        chosen = chosen[chosen[Col.LEVEL] == level.value]
        if not len(chosen):
            raise GeoInputError(f"no {level.value} areas are in force in {month_label(month)}")
    return chosen


def levels_present(areas: pd.DataFrame, incidents: pd.DataFrame) -> list[Level]:
    """Levels with areas whose incidents carry a code at that level (micro-grids only when assigned)."""
    present = set(areas[Col.LEVEL])
    return [lv for lv in LEVEL_ORDER if lv.value in present and LEVEL_CODE_COLUMN[lv] in incidents.columns]


def incident_codes(incidents: pd.DataFrame, level: Level) -> NDArray[np.object_]:
    """Each incident's area code at `level` ("" when it lies outside every area)."""
    column = LEVEL_CODE_COLUMN[level]
    if column not in incidents.columns:
        raise GeoInputError(f"incidents carry no {column}: {level.value} figures need it assigned at ingest")
    codes = incidents[column].to_numpy(dtype=object)
    if level is Level.CITY:
        # The city's code is read off the county code (GB/T 2260), so no city is built into the library.
        cities = (pd.Series(codes, dtype=object).fillna("").astype(str).str[:4] + "00").to_numpy(dtype=object)
        return np.where(codes != "", cities, "").astype(object)
    return codes


# ---------------------------------------------------------------- incidents


def _flags(values: pd.Series) -> NDArray[np.bool_]:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.fillna(0).astype(bool).to_numpy()
    return values.fillna("").astype(str).str.strip().str.lower().isin(_TRUE_TEXT).to_numpy()


def satisfaction_scores(values: pd.Series) -> NDArray[np.float64]:
    """满意度 on a 0-1 scale (see the module notes); NaN where unrated or unreadable."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    scores = text.map(_SATISFACTION_LABELS).astype(float)
    numbers = pd.to_numeric(text, errors="coerce")
    on_scale = numbers.between(1, 3)
    return scores.where(scores.notna(), ((numbers - 1) / 2).where(on_scale)).to_numpy(dtype=float)


def _clean_text(values: pd.Series) -> NDArray[np.object_]:
    """Text without surrounding blanks, "" for missing; stripped once per distinct value (codes repeat)."""
    positions, distinct = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([str(v).strip() for v in distinct] + [""], dtype=object)
    return cleaned[positions]  # position -1 (missing) picks the trailing ""


def _refuse_unknown(frame: pd.DataFrame, column: str, allowed: Sequence[str]) -> None:
    bad = frame.loc[~frame[column].isin(allowed), column]
    if len(bad):
        ids = ", ".join(map(str, frame.loc[bad.index[:3], "incident_id"]))
        raise GeoInputError(
            f"incidents: {len(bad)} row(s) have {column} {bad.iloc[0]!r} (e.g. incident {ids}): "
            f"allowed are {', '.join(v for v in allowed if v)}"
        )


def prepare_incidents(incidents: pd.DataFrame, *, overdue_days: int) -> pd.DataFrame:
    """The incident columns the analyses use, checked and typed, with month ordinals.

    Added columns: ``month`` (reported), ``closed_month`` (the month it was closed; STILL_OPEN while
    open; the reported month for a closed case without a closing time), ``overdue_from`` (the first
    month at whose end it has been open more than `overdue_days`), ``handling_days`` and ``closed_late``.
    A missing severity counts as 1, the lowest.
    """
    missing = [c for c in INCIDENT_COLUMNS if c not in incidents.columns]
    if missing:
        raise GeoInputError(
            f"incidents lack column(s) {', '.join(missing)}: expected {', '.join(INCIDENT_COLUMNS)}"
        )
    keep = [*INCIDENT_COLUMNS, *([MICRO_GRID_CODE] if MICRO_GRID_CODE in incidents.columns else [])]
    frame = pd.DataFrame(incidents[keep]).copy()
    not_labels = ("incident_id", "severity", "serious", "repeat_petition", Col.REPORTED_AT, Col.CLOSED_AT)
    for column in [c for c in keep if c not in (*not_labels, "satisfaction")]:
        frame[column] = _clean_text(frame[column])
    frame["incident_id"] = frame["incident_id"].astype(str)
    frame[Col.REPORTED_AT] = as_local_times(frame[Col.REPORTED_AT])
    frame[Col.CLOSED_AT] = as_local_times(frame[Col.CLOSED_AT])
    undated = frame[Col.REPORTED_AT].isna()
    if undated.any():
        ids = ", ".join(frame.loc[undated, "incident_id"].head(3))
        raise GeoInputError(f"incidents: {int(undated.sum())} row(s) have no valid reported_at (e.g. {ids})")
    _refuse_unknown(frame, Col.CATEGORY, [c.value for c in IncidentCategory])
    _refuse_unknown(frame, Col.STATUS, [s.value for s in IncidentStatus])
    _refuse_unknown(frame, Col.OUTCOME, ["", *(o.value for o in Outcome)])
    severity = pd.to_numeric(frame["severity"], errors="coerce").fillna(1)
    if not severity.isin([1, 2, 3]).all():
        raise GeoInputError(
            f"incidents: severity {severity[~severity.isin([1, 2, 3])].iloc[0]!r}: allowed are 1, 2, 3"
        )
    frame["severity"] = severity.astype(np.int64)
    frame["serious"] = _flags(frame["serious"])
    frame["repeat_petition"] = _flags(frame["repeat_petition"])
    frame["satisfaction"] = satisfaction_scores(frame["satisfaction"])
    return _add_months(frame, overdue_days)


def _add_months(frame: pd.DataFrame, overdue_days: int) -> pd.DataFrame:
    month = ordinals_of(frame[Col.REPORTED_AT])
    closed = (frame[Col.STATUS] == IncidentStatus.CLOSED.value).to_numpy()
    has_time = frame[Col.CLOSED_AT].notna().to_numpy()
    closed_month = np.where(closed, np.where(has_time, ordinals_of(frame[Col.CLOSED_AT]), month), STILL_OPEN)
    days = (frame[Col.CLOSED_AT] - frame[Col.REPORTED_AT]).dt.total_seconds().to_numpy() / 86_400.0
    handling = np.where(closed & has_time, np.clip(days, 0.0, None), np.nan)
    frame["month"] = month
    frame["closed_month"] = np.maximum(closed_month, month)
    frame["overdue_from"] = ordinals_of(frame[Col.REPORTED_AT] + pd.Timedelta(days=overdue_days))
    frame["handling_days"] = handling
    frame["closed_late"] = np.nan_to_num(handling, nan=0.0) > overdue_days
    return frame


# ---------------------------------------------------------------- counts per area and month


def monthly_counts(
    positions: IntArray,
    months: IntArray,
    shape: tuple[int, int],
    *,
    first_month: int,
    weights: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Sum of `weights` (or a count) per (area position, month); positions < 0 and months outside the
    shape are left out."""
    n_areas, n_months = shape
    slot = months - first_month
    keep = (positions >= 0) & (slot >= 0) & (slot < n_months)
    flat = positions[keep] * n_months + slot[keep]
    chosen = None if weights is None else weights[keep]
    return np.bincount(flat, weights=chosen, minlength=n_areas * n_months).reshape(shape).astype(np.float64)


def monthly_spans(
    positions: IntArray, start: IntArray, stop: IntArray, shape: tuple[int, int], *, first_month: int
) -> NDArray[np.float64]:
    """How many incidents per (area, month) have ``start <= month < stop`` (a backlog at month end)."""
    n_areas, n_months = shape
    begin = np.clip(start - first_month, 0, n_months)
    end = np.clip(stop - first_month, 0, n_months)
    keep = (positions >= 0) & (begin < end)
    flat = positions[keep] * (n_months + 1)
    size = n_areas * (n_months + 1)
    steps = np.bincount(flat + begin[keep], minlength=size) - np.bincount(flat + end[keep], minlength=size)
    steps = steps.reshape(n_areas, n_months + 1).astype(np.float64)
    return np.cumsum(steps, axis=1)[:, :n_months]
