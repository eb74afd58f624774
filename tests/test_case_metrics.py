"""Case metrics on one hand-drawn grid (250 households) and a handful of disputes, worked out by hand."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from fixtures.rows import grid_location

from geo.analysis.case_metrics import case_metrics
from geo.errors import GeoInputError

GRID = "620902001001001"


def tiny_areas() -> gpd.GeoDataFrame:
    box = shapely.box(98.0, 39.0, 98.1, 39.1)
    rows = [
        {
            "code": code,
            "name": f"area {code}",
            "level": level,
            "parent_code": None,
            "kind": "urban",
            "households": 250,
            "population": 650,
            "area_km2": 1.0,
            "version_id": "v1",
            "valid_from": "2024-01-01",
            "valid_to": None,
            "geometry": box,
        }
        for code, level in (
            ("620900", "city"),
            ("620902", "county"),
            ("620902001", "township"),
            (GRID[:12], "village"),
            (GRID, "grid"),
        )
    ]
    return gpd.GeoDataFrame(rows, crs=4490)


def dispute(
    number: int,
    reported: str,
    *,
    status: str = "closed",
    closed: str | None = None,
    outcome: str = "",
    category: str = "neighbour",
    source: str = "app",
    satisfaction: object = "",
    repeat: bool = False,
    grid: str = GRID,
) -> dict:
    return {
        "incident_id": f"D{number}",
        "source": source,
        "source_id": str(number),
        "category": category,
        "severity": 1,
        "serious": False,
        "repeat_petition": repeat,
        "status": status,
        "outcome": outcome,
        "pre_litigation": outcome.startswith("pre_"),
        "reported_at": pd.Timestamp(reported),
        "closed_at": pd.Timestamp(closed) if closed else pd.NaT,
        "satisfaction": satisfaction,
        **grid_location(grid),
    }


def march() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dispute(
                1,
                "2024-03-01 09:00",
                closed="2024-03-03 09:00",
                outcome="pre_litigation_mediated",
                source="hotline",
                satisfaction="满意",
            ),
            dispute(
                2,
                "2024-03-02 09:00",
                closed="2024-03-06 09:00",
                outcome="pre_litigation_mediated",
                source="hotline",
                satisfaction="基本满意",
            ),
            dispute(
                3,
                "2024-03-03 09:00",
                closed="2024-03-09 09:00",
                outcome="pre_litigation_failed",
                source="hotline",
                satisfaction="不满意",
                category="land",
            ),
            dispute(
                4,
                "2024-03-04 09:00",
                closed="2024-03-12 09:00",
                outcome="litigated",
                source="hotline",
                satisfaction=3,
                category="land",
            ),
            dispute(
                5,
                "2024-03-05 09:00",
                closed="2024-03-15 09:00",
                outcome="mediated",
                source="miniprogram",
                repeat=True,
            ),
            dispute(
                6, "2024-03-06 09:00", closed="2024-04-20 09:00", outcome="mediation_failed", repeat=True
            ),
            dispute(7, "2024-03-20 09:00", status="in_progress"),
            dispute(8, "2024-01-15 09:00", status="open"),  # January: open 77 days at the end of March
            dispute(
                9, "2024-02-10 09:00", closed="2024-03-18 09:00", outcome="advised"
            ),  # closed late in March
            dispute(10, "2024-03-07 09:00", grid=""),  # outside every grid: counted nowhere
        ]
    )


def grid_row(table: pd.DataFrame) -> pd.Series:
    return table[table["code"] == GRID].iloc[0]


def test_counts_rates_and_handling_times_worked_out_by_hand() -> None:
    row = grid_row(case_metrics(march(), tiny_areas(), month="2024-03", level="grid"))
    assert row["incidents"] == 7
    assert (row["category_neighbour"], row["category_land"]) == (5, 2)
    assert (row["source_hotline"], row["source_miniprogram"], row["source_app"]) == (4, 1, 2)
    assert (row["status_closed"], row["status_in_progress"], row["status_open"]) == (6, 1, 0)
    assert row["closure_rate"] == pytest.approx(6 / 7)
    assert row["median_handling_days"] == pytest.approx(7.0)  # 2, 4, 6, 8, 10, 45 days
    assert row["overdue"] == 2  # #8 open 77 days at month end, #9 closed in March after 37 days


def test_court_and_mediation_rates_follow_the_seed_definitions() -> None:
    row = grid_row(case_metrics(march(), tiny_areas(), month="2024-03", level="grid"))
    assert row["court_bound"] == 4  # two pre-litigation mediated, one failed, one litigated
    assert row["pre_litigation_diversion_rate"] == pytest.approx(3 / 4)
    assert row["pre_litigation_success_rate"] == pytest.approx(2 / 3)
    assert row["mediation_success_rate"] == pytest.approx(1 / 2)
    assert (row["repeat_petitions"], row["repeat_petitions_closed"]) == (2, 2)
    assert row["repeat_petition_closure_rate"] == 1.0


def test_satisfaction_reads_labels_and_the_hotline_scale() -> None:
    row = grid_row(case_metrics(march(), tiny_areas(), month="2024-03", level="grid"))
    assert row["satisfaction_rated"] == 4  # 满意 1, 基本满意 0.5, 不满意 0, and 3 on the 1-3 scale = 1
    assert row["satisfaction_score"] == pytest.approx(2.5 / 4)
    assert row["satisfied_rate"] == pytest.approx(3 / 4)


def test_every_level_counts_its_own_incidents_and_a_range_of_months_adds_up() -> None:
    table = case_metrics(march(), tiny_areas(), month=("2024-01", "2024-03"))
    assert table.set_index("level")["incidents"].to_dict() == {
        "city": 9,
        "county": 9,
        "township": 9,
        "village": 9,
        "grid": 9,
    }
    assert set(table["month"]) == {"2024-01..2024-03"}


def test_a_month_without_cases_gives_zero_counts_and_no_rates() -> None:
    row = grid_row(case_metrics(march(), tiny_areas(), month="2024-06", level="grid"))
    assert row["incidents"] == 0
    assert math.isnan(row["closure_rate"]) and math.isnan(row["pre_litigation_diversion_rate"])
    assert row["overdue"] == 2  # #7 and #8 are still open, long past 30 days


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("March 2024", r"month 'March 2024' is not a month"),
        (("2024-03", "2024-01"), r"runs backwards"),
        ("2023-06", r"no boundary version is in force in 2023-06"),
    ],
)
def test_bad_months_are_refused(month: object, message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        case_metrics(march(), tiny_areas(), month=month)  # type: ignore[arg-type]
