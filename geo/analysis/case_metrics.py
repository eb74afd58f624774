"""Case metrics per area for a month or a range of months: what was reported, how it was handled, how
disputes ended and how satisfied the people who reported them were.

Cohort: the incidents *reported* in the period, counted by the area codes stored at ingest, for the
areas of the boundary version in force in the period's last month. Statuses and outcomes are the
current ones, so a month's closure rate is the share of its cases closed by now. Definitions:

- closure rate = closed / reported;
- overdue = open or in progress more than N days (``overdue_days`` in the warning index config, 30) at
  the end of the period, or closed during the period after more than N days (as in the warning index);
- median handling days: reporting to closing, over the closed cases that have a closing time;
- court-bound = pre_litigation_mediated + pre_litigation_failed + litigated; pre-litigation diversion
  rate = (pre_litigation_mediated + pre_litigation_failed) / court-bound; pre-litigation success =
  pre_litigation_mediated / (pre_litigation_mediated + pre_litigation_failed); people's mediation
  success = mediated / (mediated + mediation_failed);
- satisfaction (满意度) on a 0-1 scale, 满意 = 1, 基本满意 = 0.5, 不满意 = 0 (numbers on the hotline's
  1-3 scale map onto it); ``satisfied_rate`` is the share rated 满意 or 基本满意.

A rate with nothing to divide by is NaN.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.analysis.area_incidents import AreaIncidents
from geo.analysis.area_months import (
    areas_in_force,
    incident_codes,
    levels_present,
    month_label,
    month_span,
    prepare_incidents,
)
from geo.analysis.warning_config import WarningConfig, resolve_config
from geo.schema import Col, IncidentCategory, IncidentSource, IncidentStatus, Level, Outcome, as_level

BoolArray = NDArray[np.bool_]
_COURT_BOUND: Final = (Outcome.PRE_LITIGATION_MEDIATED, Outcome.PRE_LITIGATION_FAILED, Outcome.LITIGATED)


def case_metrics(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    month: str | tuple[str, str],
    level: Level | str | None = None,
    config: WarningConfig | str | None = None,
) -> pd.DataFrame:
    """One row per area in force (one level, or every level the incidents carry codes for) with counts
    by category, source and status and the handling, court and satisfaction figures of the period.

    `month` is ``YYYY-MM`` or an inclusive ``(first, last)`` pair of months.
    """
    settings = resolve_config(config)
    start, end = month_span(month)
    chosen = as_level(level) if level is not None else None
    in_force = areas_in_force(areas, end, level=chosen)
    prepared = prepare_incidents(incidents, overdue_days=settings.overdue_days)
    return _metrics_table(prepared, in_force, chosen, start, end)


def case_metrics_of_area(
    incidents: AreaIncidents, *, code: str, month: str | tuple[str, str], level: Level | str
) -> pd.DataFrame:
    """`case_metrics` of area `code` at `level` alone (one row), from incidents prepared once."""
    start, end = month_span(month)
    chosen = as_level(level)
    in_force = areas_in_force(incidents.versions_of(code), end, level=chosen)
    return _metrics_table(incidents.of_area(chosen, code), in_force, chosen, start, end)


def case_metrics_of_level(
    incidents: AreaIncidents, *, month: str | tuple[str, str], level: Level | str
) -> pd.DataFrame:
    """`case_metrics` of every area of `level` in force, from incidents prepared once."""
    start, end = month_span(month)
    chosen = as_level(level)
    in_force = areas_in_force(incidents.areas, end, level=chosen)
    return _metrics_table(incidents.prepared, in_force, chosen, start, end)


def _metrics_table(
    prepared: pd.DataFrame, in_force: pd.DataFrame, chosen: Level | None, start: int, end: int
) -> pd.DataFrame:
    levels = [chosen] if chosen is not None else levels_present(in_force, prepared)
    label = month_label(start) if start == end else f"{month_label(start)}..{month_label(end)}"
    frames = [
        _level_metrics(prepared, in_force[in_force[Col.LEVEL] == lv.value], lv, start, end) for lv in levels
    ]
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "month", label)
    return table


def _level_metrics(
    prepared: pd.DataFrame, rows: pd.DataFrame, level: Level, start: int, end: int
) -> pd.DataFrame:
    codes = pd.Index(rows[Col.CODE].to_numpy(dtype=object))
    position = codes.get_indexer(incident_codes(prepared, level))
    month, closed_month = prepared["month"].to_numpy(), prepared["closed_month"].to_numpy()
    reported = (position >= 0) & (month >= start) & (month <= end)

    def count(mask: BoolArray) -> NDArray[np.int64]:
        return np.bincount(position[mask & reported], minlength=len(codes))

    labels = {str(c): prepared[c].to_numpy() for c in (Col.CATEGORY, Col.SOURCE, Col.STATUS, Col.OUTCOME)}

    def equal(column: str, value: str) -> BoolArray:
        return np.asarray(labels[column] == value, dtype=np.bool_)

    # Columns are gathered as arrays and framed once: one area's row then costs microseconds, not the
    # milliseconds of forty column insertions.
    frame: dict[str, Any] = {
        Col.CODE: codes.to_numpy(dtype=object),
        Col.NAME: rows[Col.NAME].to_numpy(dtype=object),
        Col.LEVEL: level.value,
        Col.PARENT_CODE: rows[Col.PARENT_CODE].to_numpy(dtype=object),
        Col.HOUSEHOLDS: rows[Col.HOUSEHOLDS].to_numpy(dtype=np.int64),
    }
    frame["incidents"] = count(np.ones(len(prepared), dtype=bool))
    for category in IncidentCategory:
        frame[f"category_{category.value}"] = count(equal(Col.CATEGORY, category.value))
    for source in IncidentSource:
        frame[f"source_{source.value}"] = count(equal(Col.SOURCE, source.value))
    for status in IncidentStatus:
        frame[f"status_{status.value}"] = count(equal(Col.STATUS, status.value))
    frame["closure_rate"] = _rate(frame[f"status_{IncidentStatus.CLOSED.value}"], frame["incidents"])
    open_overdue = (prepared["overdue_from"].to_numpy() <= end) & (closed_month > end)
    closed_late = prepared["closed_late"].to_numpy() & (closed_month >= start) & (closed_month <= end)
    in_area = position >= 0
    frame["overdue"] = np.bincount(position[in_area & (open_overdue | closed_late)], minlength=len(codes))
    frame["median_handling_days"] = _median(
        prepared["handling_days"].to_numpy(), position, reported, len(codes)
    )
    for outcome in Outcome:
        frame[outcome.value] = count(equal(Col.OUTCOME, outcome.value))
    diverted = frame[Outcome.PRE_LITIGATION_MEDIATED.value] + frame[Outcome.PRE_LITIGATION_FAILED.value]
    frame["court_bound"] = np.sum([frame[o.value] for o in _COURT_BOUND], axis=0, dtype=np.int64)
    frame["pre_litigation_diversion_rate"] = _rate(diverted, frame["court_bound"])
    frame["pre_litigation_success_rate"] = _rate(frame[Outcome.PRE_LITIGATION_MEDIATED.value], diverted)
    frame["mediation_success_rate"] = _rate(
        frame[Outcome.MEDIATED.value], frame[Outcome.MEDIATED.value] + frame[Outcome.MEDIATION_FAILED.value]
    )
    repeat = prepared["repeat_petition"].to_numpy()
    frame["repeat_petitions"] = count(repeat)
    frame["repeat_petitions_closed"] = count(repeat & equal(Col.STATUS, IncidentStatus.CLOSED.value))
    frame["repeat_petition_closure_rate"] = _rate(frame["repeat_petitions_closed"], frame["repeat_petitions"])
    frame["serious"] = count(prepared["serious"].to_numpy())
    satisfaction = prepared["satisfaction"].to_numpy()
    rated = ~np.isnan(satisfaction)
    frame["satisfaction_rated"] = count(rated)
    score_sum = np.bincount(
        position[rated & reported], weights=satisfaction[rated & reported], minlength=len(codes)
    )
    frame["satisfaction_score"] = _rate(score_sum, frame["satisfaction_rated"])
    frame["satisfied_rate"] = _rate(
        count(rated & (np.nan_to_num(satisfaction) >= 0.5)), frame["satisfaction_rated"]
    )
    return pd.DataFrame(frame)


def _rate(numerator: NDArray[Any], denominator: NDArray[Any]) -> NDArray[np.float64]:
    top, bottom = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    return top / np.where(bottom > 0, bottom, np.nan)


def _median(
    values: NDArray[np.float64], position: NDArray[np.int64], mask: BoolArray, size: int
) -> NDArray[np.float64]:
    keep = mask & ~np.isnan(values)
    if not keep.any():
        return np.full(size, np.nan)
    medians = pd.Series(values[keep]).groupby(position[keep]).median()
    return medians.reindex(range(size)).to_numpy(dtype=float)
