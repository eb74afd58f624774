"""What the wall shows for each view of a hand-made digest: tiles, list, trend, map styles and legend, and
when a refresh redraws or moves the map. No browser: the view functions return components and dicts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dash
import numpy as np
import pytest
from dash.development.base_component import Component

from dashboard.components.warning_map import palette
from dashboard.data.route_plans import WeekRoutes
from dashboard.data.wall import AreaBox, Coverage, HeatGrid, Kpis, LatestGroup, ScopeDigest, Trend, WallDigest
from dashboard.wall import views
from dashboard.wall.callbacks import frame_values, map_moves, status_data
from dashboard.wall.views import COVERAGE_COLOURS, ViewKind

ZH, EN = "zh-CN", "en"
CITY, A, B = "620900", "620902", "620921"
A1, B1 = f"{A}001", f"{B}001"
A_GRID1, A_GRID2, B_GRID1 = f"{A1}001001", f"{A1}001002", f"{B1}001001"
CITY_BOUNDS = ((39.0, 98.0), (39.2, 98.4))
A_BOUNDS, B_BOUNDS = ((39.0, 98.0), (39.2, 98.2)), ((39.0, 98.2), (39.2, 98.4))


def kpis(**changes: Any) -> Kpis:
    base: dict[str, Any] = dict(
        incidents=120, incidents_previous=100, closed=90, closure_rate=0.75, overdue=7, in_mediation=12,
        red_areas={"county": 1, "township": 2, "village": 3, "grid": 4},
    )
    return Kpis(**{**base, **changes})


def scope(figures: Kpis, by_day: dict[str, int] | None = None) -> ScopeDigest:
    trend = Trend(months=("2024-01", "2024-02", "2024-03"), incidents=(90, 100, 120), red_grids=(3, 5, 4))
    latest = (LatestGroup("03-25 16:30", "金塔县", "金塔镇", "business", 1),
              LatestGroup("03-05 09:40", "肃州区", "东关街道", "neighbour", 2))
    return ScopeDigest(figures, trend, latest, by_day or {})


def make_digest(*, with_coverage: bool = True) -> WallDigest:
    return WallDigest(
        version="v1",
        month="2024-03",
        as_of="2024-03-26 10:00",
        city=AreaBox(CITY, "酒泉市", CITY_BOUNDS),
        counties=(AreaBox(A, "肃州区", A_BOUNDS), AreaBox(B, "金塔县", B_BOUNDS)),
        scopes={CITY: scope(kpis(), {"2024-03-25": 3, "2024-03-26": 5}), A: scope(kpis(incidents=80)),
                B: scope(kpis(incidents=40), {"2024-03-26": 2})},
        colours={
            "county": {A: "red", B: "blue"},
            "township": {A1: "red", B1: "blue"},
            "village": {},
            "grid": {A_GRID1: "red", A_GRID2: "yellow", B_GRID1: "blue"},
        },
        coverage=Coverage(per_10k={A1: 15.0, B1: 2.5}, classes={A1: 4, B1: 0}, breaks=(5.0, 7.5, 10.0, 12.5),
                          centres=4, organisations=3) if with_coverage else None,
        heat=HeatGrid(values=np.ones((2, 2), dtype=np.float32), bounds=CITY_BOUNDS, incidents=4),
    )


ROTATION = views.wall_views(CITY, [(B, "金塔县"), (A, "肃州区")], ZH)


def view(key: str) -> views.WallView:
    return views.choose_view(ROTATION, key)


def text_of(node: Any) -> str:
    """The text a person reads in a component tree."""
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text_of(child) for child in node)
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    return ""


# ---------------------------------------------------------------- rotation


def test_the_rotation_is_city_then_each_county_in_code_order_then_heat_then_coverage() -> None:
    assert [(v.key, v.kind, v.scope, v.title) for v in ROTATION] == [
        ("city", ViewKind.CITY, CITY, "全市总览"),
        (A, ViewKind.COUNTY, A, "肃州区"),
        (B, ViewKind.COUNTY, B, "金塔县"),
        ("heat", ViewKind.HEAT, CITY, "事件热力"),
        ("coverage", ViewKind.COVERAGE, CITY, "调解覆盖"),
    ]


@pytest.mark.parametrize(("key", "shown"), [(B, B), ("heat", "heat"), (None, "city"), ("620999", "city")])
def test_choose_view_falls_back_to_the_city_for_a_missing_or_unknown_key(key: str | None, shown: str) -> None:
    assert views.choose_view(ROTATION, key).key == shown


def test_month_label_in_both_languages() -> None:
    assert views.month_label("2024-03", ZH) == "2024年3月"
    assert views.month_label("2024-03", EN) == "2024-03"


# ---------------------------------------------------------------- tiles, list, trend


def test_kpi_tiles_show_the_six_figures_with_their_notes() -> None:
    figures = views.kpi_figures(kpis(), ZH, today=1234, yesterday=56)

    assert list(views.KPI_KEYS) == list(figures)
    assert [(tile.key, tile.label, tile.tone) for tile in views.kpi_tiles(ZH)][::3] == [
        ("today", "今日新增", ""), ("red", "红色预警网格", "red")]
    assert [tile.label for tile in views.kpi_tiles(EN)][:2] == ["Reported today", "Incidents this month"]
    assert {key: (value, text_of(note)) for key, (value, note) in figures.items()} == {
        "today": ("1,234", "昨日 56"),
        "incidents": ("120", "环比 +20.0%"),
        "closure": ("75.0%", "已办结 90 / 120"),
        "red": ("4", "县区1乡镇街道2村社区3"),
        "overdue": ("7", "超过办理期限未办结"),
        "mediation": ("12", "正在调解、办理的案件"),
    }


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"closure_rate": None, "incidents": 0, "closed": 0}, {"closure": ("—", "已办结 0 / 0")}),
        ({"incidents_previous": None}, {"incidents": ("120", "")}),
        ({"incidents": 100}, {"incidents": ("100", "环比持平")}),
    ],
)
def test_kpi_tiles_without_a_rate_a_last_month_or_a_change(
    changes: dict[str, Any], shown: dict[str, tuple[str, str]]
) -> None:
    figures = views.kpi_figures(kpis(**changes), ZH)

    assert {key: (figures[key][0], text_of(figures[key][1])) for key in shown} == shown


@pytest.mark.parametrize(("key", "day", "counts"), [
    (CITY, "2024-03-26", (5, 3)), (CITY, "2024-03-27", (0, 5)), (CITY, "2024-04-02", (0, 0)),
    (B, "2024-03-26", (2, 0)), (A, "2024-03-26", (0, 0)),
])
def test_today_and_yesterday_come_from_the_scopes_days(key: str, day: str, counts: tuple[int, int]) -> None:
    assert views.reported_on(make_digest().scopes[key], day) == counts


def test_a_frame_shows_the_scopes_cases_of_the_day_it_is_drawn_on() -> None:
    values = frame_values(make_digest(), view("city"), ROTATION, EN, heat_url="x", screen_height=1080,
                          move_map=False, day="2024-03-26")
    today, note = values[15:17]
    assert (today, note) == ("5", "Yesterday 3")


def test_latest_rows_read_time_place_category_and_a_count_above_one() -> None:
    rows = views.latest_list(make_digest().scopes[CITY].latest, ZH)

    assert [[text_of(cell) for cell in row.children] for row in rows] == [
        ["03-25 16:30", "金塔县 金塔镇", "经营纠纷", ""],
        ["03-05 09:40", "肃州区 东关街道", "邻里纠纷", "×2"],
    ]


def test_the_trend_has_monthly_bars_and_a_red_grid_line_sized_for_the_screen() -> None:
    trend = make_digest().scopes[CITY].trend
    small = views.trend_figure(trend, ZH, screen_height=1080)
    large = views.trend_figure(trend, ZH, screen_height=2160)

    bars, line = small["data"]
    assert (bars["type"], bars["x"], bars["y"]) == ("bar", ["2024-01", "2024-02", "2024-03"], [90, 100, 120])
    assert bars["marker"]["color"][-1] != bars["marker"]["color"][0]  # this month stands out
    assert (line["y"], line["yaxis"]) == ([3, 5, 4], "y2")
    assert abs(large["layout"]["font"]["size"] - 2 * small["layout"]["font"]["size"]) <= 1


def test_the_trend_figure_asks_for_nothing_from_outside() -> None:
    figure = json.dumps(views.trend_figure(make_digest().scopes[CITY].trend, ZH, screen_height=1080))

    for outside in ("http", "mapbox", "geo", "topojson", "mathjax"):
        assert outside not in figure.lower()


# ---------------------------------------------------------------- the map


def test_the_city_view_colours_townships_by_warning_level_and_hides_grids() -> None:
    state = views.map_state(make_digest(), view("city"))

    assert state.townships["classes"] == {A1: "red", B1: "blue"}
    assert state.townships["palette"] == palette("dark", scored_only=True)
    assert state.grids["base"] == {"stroke": False, "fill": False} and "classes" not in state.grids
    assert state.viewport["bounds"] == [[39.0, 98.0], [39.2, 98.4]]
    assert state.viewport["transition"] == "flyToBounds"
    assert state.heat_opacity == 0


def test_a_county_view_flies_to_the_county_and_colours_only_its_grids() -> None:
    state = views.map_state(make_digest(), view(A))

    assert state.grids["classes"] == {A_GRID1: "red", A_GRID2: "yellow"}
    assert state.grids["focus"] == state.townships["focus"] == state.counties["focus"] == A
    assert state.townships["outside"] == {"stroke": False, "fill": False}
    assert state.viewport["bounds"] == [[39.0, 98.0], [39.2, 98.2]]


def test_the_heat_view_shows_the_overlay_over_outlines() -> None:
    state = views.map_state(make_digest(), view("heat"))

    assert state.heat_opacity > 0.5
    assert "classes" not in state.townships and state.grids["base"]["stroke"] is False


def test_the_coverage_view_colours_townships_by_class() -> None:
    state = views.map_state(make_digest(), view("coverage"))

    assert state.townships["classes"] == {A1: "4", B1: "0"}
    assert state.townships["palette"] == {str(i): colour for i, colour in enumerate(COVERAGE_COLOURS)}


def _legend_rows(legend: list[Any]) -> list[tuple[str, str]]:
    """(label, count) of each swatch row."""
    rows = next(part.children for part in legend if type(part).__name__ == "Ul")
    return [(text_of(row.children[1]), text_of(row.children[2])) for row in rows]


def test_legends_count_the_areas_of_each_colour() -> None:
    digest = make_digest()

    assert _legend_rows(views.legend(digest, view("city"), ZH)) == [
        ("红色预警", "1"), ("黄色预警", "0"), ("蓝色平稳", "1")]
    assert _legend_rows(views.legend(digest, view(A), ZH)) == [
        ("红色预警", "1"), ("黄色预警", "1"), ("蓝色平稳", "0")]
    assert _legend_rows(views.legend(digest, view("coverage"), ZH)) == [
        ("0–5", "1"), ("5–7.5", "0"), ("7.5–10", "0"), ("10–12.5", "0"), ("≥ 12.5", "1")]
    assert "共 4 件" in text_of(views.legend(digest, view("heat"), ZH))
    assert "综治中心 4 个 · 调解组织 3 个" in text_of(views.legend(digest, view("coverage"), ZH))


def test_coverage_without_data_says_so() -> None:
    digest = make_digest(with_coverage=False)

    assert "暂无数据" in text_of(views.legend(digest, view("coverage"), ZH))
    assert views.map_state(digest, view("coverage")).townships["classes"] == {}


def test_the_rotation_strip_marks_the_view_on_screen() -> None:
    strip = views.rotation_strip(ROTATION, view("heat"))

    assert [item.className for item in strip] == ["", "", "", "current", ""]
    assert [text_of(item) for item in strip] == ["全市总览", "肃州区", "金塔县", "事件热力", "调解覆盖"]


# ---------------------------------------------------------------- a frame


def test_a_frame_fills_every_output_and_stamps_the_layer_styles() -> None:
    values = frame_values(make_digest(), view(B), ROTATION, ZH, heat_url="/walldata/heat-v1.png",
                          screen_height=1080, move_map=True, day="2024-03-26")

    title, month, as_of, _figure, _latest, counties, townships, grids, viewport, *rest = values
    heat_url, heat_bounds, heat_opacity, routes, _legend, _strip, today, _yesterday, incidents, *_ = rest
    assert (title, month, as_of) == ("金塔县", "2024年3月", "数据截至 2024-03-26 10:00")
    assert (today, incidents) == ("2", "40")  # the county's own figures
    assert counties["stamp"] == townships["stamp"] == grids["stamp"] > 0
    assert viewport["bounds"] == [[39.0, 98.2], [39.2, 98.4]]
    assert (heat_url, heat_bounds, heat_opacity) == ("/walldata/heat-v1.png", [[39.0, 98.0], [39.2, 98.4]], 0)
    assert routes == {"type": "FeatureCollection", "features": []}  # routes are drawn in their view only


def test_a_data_refresh_keeps_the_map_where_it_is() -> None:
    values = frame_values(make_digest(), view(B), ROTATION, ZH, heat_url="x", screen_height=1080,
                          move_map=False, day="2024-03-26")

    assert values[8] is dash.no_update


@pytest.mark.parametrize(
    ("shown", "moves"),
    [
        (None, True),
        ({"version": "v1", "view": "city", "screen_height": 1080}, False),
        ({"version": "v0", "view": "city", "screen_height": 1080}, False),  # new data, same view: stay
        ({"version": "v1", "view": A, "screen_height": 1080}, True),
        ({"version": "v1", "view": "city", "screen_height": 2160}, True),
    ],
)
def test_the_map_moves_on_a_new_view_or_screen_only(shown: dict[str, Any] | None, moves: bool) -> None:
    assert map_moves(shown, {"version": "v1", "view": "city", "screen_height": 1080}) is moves


def test_the_status_keeps_the_frame_on_screen_through_an_outage() -> None:
    frame = {"version": "v1", "view": "city", "screen_height": 1080, "lang": "zh-CN"}

    assert status_data(False, frame, 7) == {"ok": False, "frame": frame, "tick": 7}
    assert status_data(True, None, None) == {"ok": True, "frame": None, "tick": 0}


def week_routes() -> WeekRoutes:
    def line(name: str, stops: int, households: int, km: float, way: list[list[float]]) -> dict[str, Any]:
        return {"type": "Feature", "properties": {"team_id": name, "name": name, "stops": stops,
                                                  "households": households, "km": km},
                "geometry": {"type": "LineString", "coordinates": way}}
    lines = {"type": "FeatureCollection", "features": [
        line("一队", 12, 140, 88.5, [[98.0, 39.0], [98.1, 39.1], [98.0, 39.0]]),
        line("二队", 9, 1230, 1402.0, [[98.2, 39.0], [98.3, 39.15], [98.2, 39.0]])]}
    return WeekRoutes(start=dt.date(2024, 3, 25), days=7, lines=lines, bounds=((39.0, 98.0), (39.15, 98.3)),
                      unserved=3)


ROUTES_ROTATION = views.wall_views(CITY, [(A, "肃州区")], ZH, with_routes=True)


def test_the_routes_view_comes_last_and_only_where_there_are_herders() -> None:
    assert [v.key for v in ROUTES_ROTATION] == ["city", A, "heat", "coverage", "routes"]
    assert "routes" not in [v.key for v in ROTATION]


def test_the_routes_view_draws_each_team_in_its_colour_fitted_to_the_week_and_sums_up_each_team() -> None:
    routes_view_ = views.choose_view(ROUTES_ROTATION, "routes")
    values = frame_values(make_digest(), routes_view_, ROUTES_ROTATION, ZH, heat_url="x", screen_height=1080,
                          move_map=True, day="2024-03-26", week=week_routes())

    title, _month, _as_of, _figure, _latest, _counties, _townships, grids, viewport, *rest = values
    _heat_url, _heat_bounds, heat_opacity, routes, legend, *_ = rest
    assert title == "服务队本周路线"
    assert viewport["bounds"] == [[39.0, 98.0], [39.15, 98.3]]
    assert heat_opacity == 0 and grids["base"] == {"stroke": False, "fill": False}
    colours = [f["properties"]["colour"] for f in routes["features"]]
    assert len(colours) == 2 and len(set(colours)) == 2
    shown = text_of(legend)
    assert "2024-03-25 起一周" in shown
    assert "一队12 站 · 140 户 · 88 公里" in shown and "二队9 站 · 1,230 户 · 1,402 公里" in shown
    assert "本周未能安排 3 处" in shown
    assert {key for f in routes["features"] for key in f["properties"]} == {
        "team_id", "name", "stops", "households", "km", "colour"}


def test_the_routes_view_without_a_plan_says_so() -> None:
    routes_view_ = views.choose_view(ROUTES_ROTATION, "routes")
    values = frame_values(make_digest(), routes_view_, ROUTES_ROTATION, EN, heat_url="x", screen_height=1080,
                          move_map=True, day="2024-03-26", week=None)
    *_, routes, legend = values[:14]
    assert routes["features"] == []
    assert "No data" in text_of(legend)
