"""Answers from incidents prepared once (AreaIncidents) equal geo's answers on the full tables, on the
hand-drawn city (fixtures/overview/store.py) with one grid left without incidents in one month."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from fixtures.overview.store import (
    CITY,
    DONGGUAN,
    JT,
    MONTHS,
    NW,
    SPIKE_MONTH,
    SUZHOU,
    SW,
    areas_frame,
    incidents_frame,
)
from fixtures.rows import assert_same_row

from geo.api import (
    AreaIncidents,
    case_metrics,
    case_metrics_of_area,
    case_metrics_of_level,
    explain_warning,
    top_incidents_of_area,
    top_incidents_of_level,
)

QUIET_MONTH = "2025-06"  # NW has no incident this month (see `incidents`)
AREAS = [(CITY, "city"), (SUZHOU, "county"), (DONGGUAN, "township"), (SW, "grid"), (NW, "grid"), (JT, "grid")]


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    frame = pd.DataFrame(incidents_frame().drop(columns="geometry"))
    quiet = (frame["grid_code"] == NW) & frame["reported_at"].str.startswith(QUIET_MONTH)
    return frame[~quiet].reset_index(drop=True)


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return pd.DataFrame(areas_frame().drop(columns="geometry"))


@pytest.fixture(scope="module")
def prepared(incidents: pd.DataFrame, areas: pd.DataFrame) -> AreaIncidents:
    return AreaIncidents(incidents, areas)


@pytest.mark.parametrize(("code", "level"), AREAS)
@pytest.mark.parametrize("month", [MONTHS[0], QUIET_MONTH, SPIKE_MONTH, (QUIET_MONTH, SPIKE_MONTH)])
def test_case_metrics_of_an_area_are_its_row_of_case_metrics(
    incidents: pd.DataFrame,
    areas: pd.DataFrame,
    prepared: AreaIncidents,
    code: str,
    level: str,
    month: str | tuple[str, str],
) -> None:
    table = case_metrics(incidents, areas, month=month, level=level)
    expected = table[table["code"] == code].iloc[0]

    found = case_metrics_of_area(prepared, code=code, month=month, level=level)

    assert len(found) == 1
    assert_same_row(found.iloc[0].to_dict(), expected.to_dict(), same_types=True)


def test_the_quiet_month_has_no_incidents_in_its_grid(areas: pd.DataFrame, prepared: AreaIncidents) -> None:
    found = case_metrics_of_area(prepared, code=NW, month=QUIET_MONTH, level="grid").iloc[0]

    assert found["incidents"] == 0 and math.isnan(found["closure_rate"])
    assert top_incidents_of_area(prepared, code=NW, level="grid", month=QUIET_MONTH) == ()


@pytest.mark.parametrize(("code", "level"), AREAS)
@pytest.mark.parametrize("month", [MONTHS[0], QUIET_MONTH, SPIKE_MONTH])
def test_top_incidents_of_an_area_are_those_of_explain_warning(
    incidents: pd.DataFrame, areas: pd.DataFrame, prepared: AreaIncidents, code: str, level: str, month: str
) -> None:
    expected = explain_warning(incidents, areas, code=code, month=month).top_incidents

    assert top_incidents_of_area(prepared, code=code, level=level, month=month) == expected


@pytest.mark.parametrize("level", ["city", "county", "township", "grid"])
@pytest.mark.parametrize("month", [MONTHS[0], QUIET_MONTH, SPIKE_MONTH])
def test_a_whole_level_in_one_pass_gives_each_areas_own_answers(
    incidents: pd.DataFrame, areas: pd.DataFrame, prepared: AreaIncidents, level: str, month: str
) -> None:
    metrics = case_metrics_of_level(prepared, month=month, level=level)
    tops = top_incidents_of_level(prepared, level=level, month=month)

    _same_frame(metrics, case_metrics(incidents, areas, month=month, level=level))
    for code in metrics["code"]:
        assert tops.get(code, ()) == top_incidents_of_area(prepared, code=code, level=level, month=month)


def _same_frame(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(found) == len(expected)
    for (_, row), (_, expected_row) in zip(found.iterrows(), expected.iterrows(), strict=True):
        assert_same_row(row.to_dict(), expected_row.to_dict(), same_types=True)
