"""The warning index on a hand-drawn village of two grids and six incidents, with every value worked out
by hand from the formula in docs/warning-index.md.

Grid A (100 households) and grid B (400) make up village V (500). March 2024 is the scored month:
  #1 A 2024-03-05 neighbour, severity 1, closed 03-08         weight 1.0 x 1 = 1
  #2 A 2024-03-10 land, severity 2, still open                weight 1.5 x 2 = 3
  #3 A 2024-01-10 labour_wages, in progress since January    unresolved, and overdue (81 days) at March's end
  #4 B 2024-03-20 marriage_family, severity 3, serious, closed 03-25   weight 1.2 x 4 = 4.8
  #5 B 2024-02-15 land, severity 3, repeat petition, closed 02-20      weight 1.5 x 4 = 6 (February)
  #6 A 2023-03-12 other, severity 1, closed 03-13             weight 0.5 (March last year)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from fixtures.rows import grid_location, urban_area

from geo.analysis.area_months import month_ordinal, prepare_incidents
from geo.analysis.warning_config import FixedThresholds, ThresholdMode, WarningConfig, load_warning_config
from geo.analysis.warning_index import (
    POINTS_COLUMNS,
    explain_warning,
    incident_points,
    warning_scores,
    warning_scores_all_months,
)
from geo.errors import GeoInputError
from geo.schema import Level

ROOT = Path(__file__).resolve().parents[1]
GRID_A, GRID_B, VILLAGE = "620902001001001", "620902001001002", "620902001001"


def config(mode: str = "fixed", **changes: object) -> WarningConfig:
    """The weights the module notes use, written out here so the test does not follow the shipped file."""
    base = load_warning_config()
    return (
        dataclasses.replace(
            base,
            weights={f: w for f, w in zip(base.weights, (1.0, 1.0, 2.0, 3.0, 5.0, 0.5, 0.5), strict=True)},
            category_weights={
                "neighbour": 1.0,
                "marriage_family": 1.2,
                "business": 1.0,
                "property_management": 1.0,
                "land": 1.5,
                "labour_wages": 1.5,
                "traffic": 1.0,
                "other": 0.5,
            },
            severity_weights={1: 1.0, 2: 2.0, 3: 4.0},
            overdue_days=30,
            households_floor=100.0,
            mode=ThresholdMode(mode),
            red_share=0.05,
            yellow_share=0.15,
            min_areas_for_quantiles=3,
            fixed=FixedThresholds(red=100.0, yellow=30.0),
            fixed_by_level={},
        )
        if not changes
        else dataclasses.replace(config(mode), **changes)
    )


def area(
    code: str,
    level: str,
    households: int,
    box: tuple[float, float, float, float],
    *,
    valid_from: str = "2023-01-01",
    valid_to: str | None = None,
    parent: str | None = None,
) -> dict:
    return {
        **urban_area(code, f"area {code}", level, parent, households),
        "version_id": valid_from,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "geometry": shapely.box(*box),
    }


def tiny_areas(**dates: str | None) -> gpd.GeoDataFrame:
    whole, left, right = (98.0, 39.0, 98.2, 39.1), (98.0, 39.0, 98.1, 39.1), (98.1, 39.0, 98.2, 39.1)
    rows = [
        area("620900", "city", 500, whole, **dates),
        area("620902", "county", 500, whole, parent="620900", **dates),
        area("620902001", "township", 500, whole, parent="620902", **dates),
        area(VILLAGE, "village", 500, whole, parent="620902001", **dates),
        area(GRID_A, "grid", 100, left, parent=VILLAGE, **dates),
        area(GRID_B, "grid", 400, right, parent=VILLAGE, **dates),
    ]
    return gpd.GeoDataFrame(rows, crs=4490)


def incident(
    number: int,
    grid: str,
    reported: str,
    category: str,
    severity: int = 1,
    *,
    status: str = "closed",
    closed: str | None = None,
    serious: bool = False,
    repeat: bool = False,
    **extra: object,
) -> dict:
    return {
        "incident_id": f"I{number}",
        "source": "app",
        "source_id": str(number),
        "category": category,
        "severity": severity,
        "serious": serious,
        "repeat_petition": repeat,
        "status": status,
        "outcome": extra.get("outcome", ""),
        "pre_litigation": False,
        "reported_at": pd.Timestamp(reported),
        "closed_at": pd.Timestamp(closed) if closed else pd.NaT,
        "satisfaction": extra.get("satisfaction", ""),
        **grid_location(grid),
        "geometry": shapely.Point(98.05, 39.05),
    }


def tiny_incidents() -> gpd.GeoDataFrame:
    rows = [
        incident(1, GRID_A, "2024-03-05 09:00", "neighbour", closed="2024-03-08 09:00"),
        incident(2, GRID_A, "2024-03-10 10:00", "land", 2, status="open"),
        incident(3, GRID_A, "2024-01-10 08:00", "labour_wages", status="in_progress"),
        incident(
            4, GRID_B, "2024-03-20 15:00", "marriage_family", 3, serious=True, closed="2024-03-25 15:00"
        ),
        incident(5, GRID_B, "2024-02-15 11:00", "land", 3, repeat=True, closed="2024-02-20 11:00"),
        incident(6, GRID_A, "2023-03-12 12:00", "other", closed="2023-03-13 12:00"),
    ]
    return gpd.GeoDataFrame(rows, crs=4490)


def points(table: pd.DataFrame, code: str) -> dict[str, float]:
    row = table[table["code"] == code].iloc[0]
    return {factor.value: row[column] for factor, column in POINTS_COLUMNS.items()}


#: Grid A's points in March 2024 (the worked example of docs/warning-index.md): 1,000 / 100 households =
#: 10 per case. Weighted cases 1 + 3 = 4; #2 and #3 unresolved; #3 overdue; February had nothing in A
#: (rise 4), March 2023 had 0.5 (rise 3.5).
GRID_A_POINTS = {"incidents": 40.0, "unresolved": 20.0, "overdue": 20.0, "repeat_petitions": 0.0,
                 "serious": 0.0, "month_on_month": 20.0, "year_on_year": 17.5}


def test_grid_score_is_the_sum_of_hand_computed_factor_points() -> None:
    table = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", level="grid", config=config())
    assert points(table, GRID_A) == pytest.approx(GRID_A_POINTS)
    # B: 2.5 per case. 4.8 weighted, one serious event; February's 6 is more than March's 4.8: no rise.
    assert points(table, GRID_B) == pytest.approx(
        {
            "incidents": 12.0,
            "unresolved": 0.0,
            "overdue": 0.0,
            "repeat_petitions": 0.0,
            "serious": 12.5,
            "month_on_month": 0.0,
            "year_on_year": 6.0,
        }
    )
    scores = table.set_index("code")["score"]
    assert scores[GRID_A] == pytest.approx(117.5)
    assert scores[GRID_B] == pytest.approx(30.5)
    assert table.set_index("code")["incidents"].to_dict() == {GRID_A: 2, GRID_B: 1}


def test_village_is_scored_from_its_own_incidents_and_households_not_from_its_grids() -> None:
    table = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", config=config())
    village = table[table["code"] == VILLAGE].iloc[0]
    # 2 per case: weighted 8.8 -> 17.6; 2 unresolved -> 4; 1 overdue -> 4; 1 serious -> 10;
    # rise on February 8.8 - 6 = 2.8 -> 2.8; on March 2023 8.8 - 0.5 = 8.3 -> 8.3.
    assert points(table, VILLAGE) == pytest.approx(
        {
            "incidents": 17.6,
            "unresolved": 4.0,
            "overdue": 4.0,
            "repeat_petitions": 0.0,
            "serious": 10.0,
            "month_on_month": 2.8,
            "year_on_year": 8.3,
        }
    )
    assert village["score"] == pytest.approx(46.7)
    grids = table[table["level"] == "grid"].set_index("code")
    plain_mean = grids["score"].mean()
    household_mean = (grids["score"] * grids["households"]).sum() / grids["households"].sum()
    assert plain_mean == pytest.approx(74.0)
    assert household_mean == pytest.approx(47.9)  # grid A's rise is not offset by B's fall in the grids
    assert village["score"] not in (pytest.approx(plain_mean), pytest.approx(household_mean))
    # Township, county and city hold the same incidents and households here, so the same score.
    upper = table[table["level"].isin(["township", "county", "city"])]
    assert upper["score"].tolist() == pytest.approx([46.7] * 3)


def test_contributions_add_up_to_the_score_exactly() -> None:
    table = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", config=config())
    assert (table[list(POINTS_COLUMNS.values())].sum(axis=1) == table["score"]).all()


def test_fixed_thresholds_colour_by_score() -> None:
    table = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", config=config("fixed"))
    colours = table.set_index("code")["warning_level"]
    assert colours[GRID_A] == "red"  # 117.5 >= 100
    assert colours[GRID_B] == "yellow"  # 30.5 >= 30
    assert colours[VILLAGE] == "yellow"  # 46.7
    per_level = config("fixed", fixed_by_level={Level.VILLAGE: FixedThresholds(red=40.0, yellow=20.0)})
    again = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", config=per_level).set_index(
        "code"
    )
    assert again.loc[VILLAGE, "warning_level"] == "red"
    assert again.loc[GRID_B, "warning_level"] == "yellow"


def test_quantile_thresholds_colour_by_rank_within_the_level() -> None:
    # Two grids: the top 5 % rounds up to one red; red and yellow together 20 % of 2 also round up to one.
    ranked = warning_scores(
        tiny_incidents(),
        tiny_areas(),
        month="2024-03",
        level="grid",
        config=config("quantile", min_areas_for_quantiles=2),
    ).set_index("code")
    assert ranked["warning_level"].to_dict() == {GRID_A: "red", GRID_B: "blue"}
    assert ranked["rank"].to_dict() == {GRID_A: 1, GRID_B: 2}
    halves = config("quantile", min_areas_for_quantiles=2, red_share=0.5, yellow_share=0.5)
    ranked = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", level="grid", config=halves)
    assert ranked.set_index("code")["warning_level"].to_dict() == {GRID_A: "red", GRID_B: "yellow"}


def test_quantile_mode_falls_back_to_fixed_thresholds_for_levels_with_few_areas() -> None:
    table = warning_scores(tiny_incidents(), tiny_areas(), month="2024-03", config=config("quantile"))
    colours = table.set_index("code")["warning_level"]
    assert colours[GRID_A] == "red" and colours[GRID_B] == "yellow"  # 2 grids < 3: fixed 100 / 30
    assert colours["620900"] == "yellow"


def test_a_quiet_month_has_no_red_or_yellow_even_by_quantile() -> None:
    table = warning_scores(
        tiny_incidents(), tiny_areas(), month="2023-06", config=config("quantile", min_areas_for_quantiles=1)
    )
    assert set(table["warning_level"]) == {"blue"}
    assert (table["score"] == 0).all()


def test_change_factors_use_last_month_and_the_same_month_last_year() -> None:
    table = warning_scores_all_months(tiny_incidents(), tiny_areas(), level="grid", config=config())
    a = table[table["code"] == GRID_A].set_index("month")
    # March 2023 is the first month with data: nothing earlier to compare with.
    assert a.loc["2023-03", ["points_month_on_month", "points_year_on_year"]].tolist() == [0.0, 0.0]
    assert a.loc["2023-03", "points_incidents"] == pytest.approx(5.0)
    # April 2023 fell from 0.5 to 0: a fall gives no points.
    assert a.loc["2023-04", "points_month_on_month"] == 0.0
    # January 2024: 1.5 weighted in A against 0 in December; January 2023 is before the data began.
    assert a.loc["2024-01", ["points_month_on_month", "points_year_on_year"]].tolist() == pytest.approx(
        [7.5, 0.0]
    )
    assert list(table["month"].unique()) == [
        f"{y}-{m:02d}" for y, m in [(2023, m) for m in range(3, 13)] + [(2024, m) for m in (1, 2, 3)]
    ]


def test_each_month_uses_the_boundary_version_in_force() -> None:
    old = tiny_areas(valid_to="2024-03-01")
    new = tiny_areas(valid_from="2024-03-01")
    new.loc[new["code"] == GRID_B, "households"] = 800  # the planner's March version: B grew
    new.loc[new["level"] != "grid", "households"] = 900
    areas = pd.concat([old, new], ignore_index=True)
    incidents = pd.concat(
        [
            tiny_incidents(),
            gpd.GeoDataFrame([incident(7, "620902001001003", "2024-03-21 10:00", "neighbour")], crs=4490),
        ],
        ignore_index=True,
    )
    new_grid = area(
        "620902001001003", "grid", 200, (98.15, 39.0, 98.2, 39.1), valid_from="2024-03-01", parent=VILLAGE
    )
    areas = gpd.GeoDataFrame(
        pd.concat([areas, gpd.GeoDataFrame([new_grid], crs=4490)], ignore_index=True), crs=4490
    )
    table = warning_scores_all_months(incidents, areas, level="grid", config=config()).set_index(
        ["month", "code"]
    )
    assert table.loc[("2024-02", GRID_B), "households"] == 400
    assert table.loc[("2024-03", GRID_B), "households"] == 800
    assert table.loc[("2024-02", GRID_B), "points_incidents"] == pytest.approx(6 * 2.5)
    assert table.loc[("2024-03", GRID_B), "points_incidents"] == pytest.approx(4.8 * 1.25)
    assert ("2024-02", "620902001001003") not in table.index
    # The new grid did not exist in February, so it has no rise against it.
    assert table.loc[("2024-03", "620902001001003"), "points_month_on_month"] == 0.0
    assert table.loc[("2024-03", "620902001001003"), "points_incidents"] == pytest.approx(5.0)


def test_explanation_gives_points_levels_and_top_incidents_without_personal_fields() -> None:
    incidents = tiny_incidents().assign(reporter_name="张三", reporter_phone="13900000000")
    why = explain_warning(incidents, tiny_areas(), code=GRID_A, month="2024-03", config=config())
    assert why.score == pytest.approx(117.5)
    assert sum(why.contributions.values()) == pytest.approx(why.score)
    assert why.contributions["overdue"] == pytest.approx(20.0)
    # February: #3 unresolved (10) and overdue (20) = 30, yellow; March 2023: #6 alone, 5, blue.
    assert (why.warning_level, why.level_last_month, why.level_year_ago) == ("red", "yellow", "blue")
    # #2 adds 3 + 1 (unresolved), #3 adds 1 + 2 (overdue), #1 adds 1; #6 is a year old and closed.
    assert [t.incident_id for t in why.top_incidents] == ["I2", "I3", "I1"]
    assert [set(t) for t in why.as_dict()["top_incidents"]] == [{"incident_id", "category"}] * 3
    assert why.as_dict()["top_incidents"][0] == {"incident_id": "I2", "category": "land"}
    assert "张三" not in str(why.as_dict()) and "139" not in str(why.as_dict())


def test_incident_points_add_up_to_the_score_without_the_change_factors() -> None:
    settings = config()
    prepared = prepare_incidents(tiny_incidents(), overdue_days=30)
    mine = prepared[prepared["grid_code"] == GRID_A]
    per_case = incident_points(mine, month_ordinal("2024-03"), settings).sum() * 10
    assert per_case == pytest.approx(117.5 - 20.0 - 17.5)


def test_the_documented_worked_example_holds_with_the_shipped_weights() -> None:
    doc = (ROOT / "docs" / "warning-index.md").read_text(encoding="utf-8")
    why = explain_warning(tiny_incidents(), tiny_areas(), code=GRID_A, month="2024-03")
    assert why.contributions == pytest.approx(GRID_A_POINTS)
    assert "**117.5**" in doc
    village = explain_warning(tiny_incidents(), tiny_areas(), code=VILLAGE, month="2024-03")
    assert village.score == pytest.approx(46.7)
    assert "**46.7**" in doc


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"month": "2024-3"}, r"month '2024-3' is not a month: write it as YYYY-MM"),
        ({"month": "2024-13"}, r"not a month"),
        ({"month": "2024-03", "level": "district"}, r"unknown level 'district': allowed are city, county"),
        ({"month": "2022-06"}, r"no boundary version is in force in 2022-06"),
        ({"month": "2024-03", "level": "micro_grid"}, r"no micro_grid areas are in force"),
    ],
)
def test_bad_requests_raise_a_clear_error(kwargs: dict, message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        warning_scores(tiny_incidents(), tiny_areas(), config=config(), **kwargs)


def test_overlapping_boundary_versions_are_refused() -> None:
    areas = pd.concat([tiny_areas(), tiny_areas(valid_from="2024-01-01")], ignore_index=True)
    with pytest.raises(GeoInputError, match=r"area 620900 has 2 boundary versions in force in 2024-03"):
        warning_scores(tiny_incidents(), areas, month="2024-03", config=config())


def test_incidents_with_unknown_values_or_missing_columns_are_refused() -> None:
    with pytest.raises(GeoInputError, match=r"category 'fight'.*allowed are neighbour"):
        warning_scores(
            tiny_incidents().assign(category="fight"), tiny_areas(), month="2024-03", config=config()
        )
    with pytest.raises(GeoInputError, match=r"incidents lack column\(s\) grid_code"):
        warning_scores(
            tiny_incidents().drop(columns="grid_code"), tiny_areas(), month="2024-03", config=config()
        )


def test_the_shipped_config_loads_and_a_broken_one_lists_every_problem(tmp_path: Path) -> None:
    shipped = load_warning_config()
    assert shipped.mode is ThresholdMode.QUANTILE and shipped.overdue_days == 30
    assert shipped.with_mode("fixed").mode is ThresholdMode.FIXED
    broken = tmp_path / "index.toml"
    text = (ROOT / "geo" / "config" / "warning_index.toml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("serious = 5.0", "violent = 5.0").replace('mode = "quantile"', 'mode = "top"'),
        encoding="utf-8",
    )
    with pytest.raises(GeoInputError, match=r"index.toml: 3 problem\(s\)") as raised:
        load_warning_config(broken)
    for problem in (
        "[weights] has unknown key(s) violent",
        "[weights] lacks serious",
        "thresholds.mode = 'top'",
    ):
        assert problem in str(raised.value)
