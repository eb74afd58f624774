"""The coverage page's views: class colours, legend, site labels and table rows, on small hand-made
reports."""

from __future__ import annotations

import pandas as pd

from dashboard.coverage.views import (
    NO_DATA,
    RAMPS,
    UNCOVERED_BREAKS,
    class_breaks,
    coloured_areas,
    legend_rows,
    site_labels,
    summary_text,
    table_rows,
)
from dashboard.data.coverage import SuggestedSites

SHARE = "uncovered_share"


def _report() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["620902001", "620902002", "620902003"],
        "name": ["东关街道", "西关街道", "黄渠乡"],
        "households": [1000.0, 2000.0, 500.0],
        "uncovered_share": [0.0, 0.12, 0.76],
        "mediators_per_10k": [10.0, 20.0, 80.0],
        "caseload_per_mediator": [6.4, float("nan"), 1.3],
        "gap_cases": [0, 0, 44],
        "specialty_gaps": ["", "", "labour_wages,land"],
    })


def _collection() -> dict[str, object]:
    square = {"type": "Polygon", "coordinates": [[[98, 39], [98.1, 39], [98.1, 39.1], [98, 39]]]}
    codes = ["620902001", "620902002", "620902003", "620902099"]
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"code": c, "name": c}, "geometry": square}
                         for c in codes]}


def test_areas_get_the_colour_of_their_uncovered_share_class_and_no_data_stays_grey() -> None:
    areas = coloured_areas(_collection(), _report(), SHARE, "en")
    fills = {f["properties"]["code"]: f["properties"]["fill"] for f in areas["features"]}
    assert fills == {"620902001": RAMPS[SHARE][0], "620902002": RAMPS[SHARE][2],
                     "620902003": RAMPS[SHARE][4], "620902099": NO_DATA}
    tips = [f["properties"]["tip"] for f in areas["features"]]
    assert tips[2] == "620902003 · Households uncovered 76.0%"


def test_uncovered_share_uses_fixed_classes_and_mediators_their_quintiles() -> None:
    assert class_breaks([0.0, 0.9], SHARE) == UNCOVERED_BREAKS
    assert class_breaks([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], "mediators_per_10k") == (20.0, 30.0, 40.0, 50.0)


def test_the_legend_has_one_row_per_class_with_its_range() -> None:
    rows = legend_rows(_report(), SHARE)
    assert [row.label for row in rows] == [
        "≤ 2.0%", "2.0% – 10.0%", "10.0% – 25.0%", "25.0% – 50.0%", "> 50.0%"
    ]
    assert [row.colour for row in rows] == list(RAMPS[SHARE])


def test_each_suggested_site_says_how_many_more_households_it_covers() -> None:
    sites = pd.DataFrame({"rank": [1, 2], "name": ["金坝村", "银林村"], "marginal_gain": [125.7, 3.2]})
    assert site_labels(sites, "en") == ["#1 · 金坝村: covers 126 more households",
                                        "#2 · 银林村: covers 3 more households"]
    assert site_labels(sites, "zh-CN")[0] == "第 1 位 · 金坝村：新覆盖 126 户"


def test_the_table_puts_the_largest_uncovered_share_first_and_names_the_gaps() -> None:
    rows = table_rows(_report(), "en")
    assert [row["name"] for row in rows] == ["黄渠乡", "西关街道", "东关街道"]
    assert rows[0]["uncovered"] == "76.0%" and rows[0]["gaps"] == "Labour and wages, Land (44)"
    assert rows[1]["caseload"] == "—" and rows[1]["gaps"] == ""


def test_the_summary_says_how_many_more_households_the_new_rooms_bring_within_the_band() -> None:
    sites = pd.DataFrame({"rank": [1, 2], "name": ["a", "b"], "marginal_gain": [30.0, 20.3]})
    suggestion = SuggestedSites(sites, covered_before=100.0, covered_after=150.3, households=1000.0)
    assert summary_text(suggestion, "2026-10", 5.0, "en") == (
        "2026-10: 2 new rooms cover 50 more households; households within 5 km of a centre 100 → 150 of 1,000"
    )
