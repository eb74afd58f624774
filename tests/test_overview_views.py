"""What the leaders' map shows, from its pure view functions and callback helpers, on the hand-drawn city
(fixtures/overview/store.py): no browser, the same data a leader would see."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pytest
from dash import no_update
from fixtures.overview import store as town
from fixtures.overview.store import overview_providers
from plotly.utils import PlotlyJSONEncoder

from dashboard.data import Providers
from dashboard.leaders import briefing, callbacks, layout, views
from dashboard.leaders import page as leaders_page
from dashboard.leaders.state import MapLayer, ViewState, state_query
from geo.api import WarningConfig, load_warning_config


@pytest.fixture(scope="module")
def providers(tmp_path_factory: pytest.TempPathFactory) -> Providers:
    return overview_providers(tmp_path_factory.mktemp("overview-views"))


def _state(area: str = town.CITY, month: str = town.SPIKE_MONTH, **more: object) -> ViewState:
    return ViewState(area=area, month=month, **more)


def test_the_city_shows_its_counties_coloured_and_townships_outlined(providers: Providers) -> None:
    view = views.map_view(_state(), providers)

    assert view.focus == town.CITY
    assert view.areas_url.startswith("/mapdata/areas-county-") and "-in-" not in view.areas_url
    assert view.detail_url is not None and view.detail_url.startswith("/mapdata/areas-township-")
    assert view.context_url is None
    assert view.hideout["levels"] == {town.SUZHOU: "red", town.JINTA: "blue"}
    assert view.hideout["selected"] is None and view.hideout["show"] is True
    assert view.legend == {"red": 1, "yellow": 0, "blue": 1}
    assert [c.name for c in view.crumbs] == ["酒泉市"] and view.crumbs[0].current


def test_a_county_shows_its_townships_and_its_neighbours_as_context(providers: Providers) -> None:
    view = views.map_view(_state(town.SUZHOU), providers)

    assert view.areas_url.endswith(f"-in-{town.SUZHOU}.geojson") and "areas-township-" in view.areas_url
    assert view.context_url is not None and "areas-county-" in view.context_url
    assert view.context_hideout == {"selected": town.SUZHOU}
    assert view.hideout["levels"] == {town.DONGGUAN: "red", "620902002": "blue"}
    assert view.hideout["trail"] == ["肃州区"]
    assert view.bounds == [[39.73, 98.50], [39.75, 98.52]]
    assert [(c.name, c.current) for c in view.crumbs] == [("酒泉市", False), ("肃州区", True)]
    assert view.crumbs[0].query == f"?area={town.CITY}&month={town.SPIKE_MONTH}"


def test_a_grid_is_shown_among_its_village_s_grids_and_selected(providers: Providers) -> None:
    view = views.map_view(_state(town.SW), providers)

    assert view.focus == town.DONGGUAN + "001"
    assert view.hideout["levels"] == {town.SW: "red", town.NW: "blue"}
    assert view.hideout["selected"] == town.SW
    assert view.detail_url is None
    assert [c.level for c in view.crumbs] == ["市", "县区", "乡镇街道", "村社区", "网格"]


def test_a_month_change_sends_new_levels_and_leaves_geometry_alone(providers: Providers) -> None:
    shown = views.map_view(_state(town.SUZHOU, "2026-01"), providers)
    outputs = callbacks.map_outputs(_state(town.SUZHOU), providers, layout.view_key(shown))
    areas_url, hideout, detail, context, centres, orgs, viewport, key = outputs[:8]

    assert (areas_url, detail, context, centres, orgs, viewport, key) == (no_update,) * 7
    assert hideout["levels"] != shown.hideout["levels"]
    assert len(json.dumps(hideout, ensure_ascii=False).encode()) < 1_000


def test_a_drill_down_sends_the_new_area_s_files_and_viewport(providers: Providers) -> None:
    shown = views.map_view(_state(town.CITY), providers)
    outputs = callbacks.map_outputs(_state(town.SUZHOU), providers, layout.view_key(shown))

    assert outputs[0].endswith(f"-in-{town.SUZHOU}.geojson")
    assert outputs[6]["bounds"] == [[39.73, 98.50], [39.75, 98.52]]
    assert outputs[7]["focus"] == town.SUZHOU


def test_turning_on_a_place_layer_keeps_the_outlines(providers: Providers) -> None:
    shown = views.map_view(_state(town.SUZHOU), providers)
    outputs = callbacks.map_outputs(
        _state(town.SUZHOU, layers=("warning", "centres")), providers, layout.view_key(shown)
    )

    assert outputs[0] is no_update and outputs[2] is no_update and outputs[3] is no_update
    assert outputs[4][0].url.endswith(f"-in-{town.SUZHOU}.geojson") and outputs[5] == []


def test_warning_colours_off_keeps_the_areas_to_click_but_says_so(providers: Providers) -> None:
    view = views.map_view(_state(layers=()), providers)

    assert view.hideout["show"] is False and view.hideout["levels"]


def test_kpis_describe_the_area_in_view(providers: Providers) -> None:
    tiles = {tile.key: tile for tile in views.kpi_view(_state(town.SW), providers)}

    assert tiles["incidents"].value == "12" and "河渠社区" in tiles["incidents"].detail
    assert tiles["change"].value == "+500.0%" and tiles["change"].tone == "bad"
    assert tiles["red"].value == "1" and tiles["red"].detail == "网格 1"
    assert tiles["overdue"].detail == "超过 30 天未办结或逾期办结"


def test_kpis_in_english(providers: Providers) -> None:
    tiles = {tile.key: tile for tile in views.kpi_view(_state(town.SUZHOU, lang="en"), providers)}

    assert tiles["incidents"].label == "Incidents this month"
    assert tiles["red"].detail == "Township 1 · Village 1 · Grid 1"


def test_the_panel_explains_the_colour_with_factors_history_and_cases(providers: Providers) -> None:
    panel = views.panel_view(_state(town.SW), providers)

    assert (panel["name"], panel["scored"], panel["warning"]["level"]) == ("河渠社区第1网格", True, "red")
    assert [f["label"] for f in panel["factors"]][:3] == ["本月事件", "未办结", "超期"]
    assert sum(f["share"] for f in panel["factors"]) == pytest.approx(100, abs=0.5)
    assert panel["last_month"] == {"level": "red", "label": "红色"}
    assert panel["top_categories"][0] == {"label": "劳资纠纷", "count": 10}
    assert panel["incidents"][0] == {
        "category": "劳资纠纷",
        "date": "2026-02-05",
        "status": "待办",
        "grid": "河渠社区第1网格",
        "who": "张** · 138****8000 · 东大街**",
        "said": "***",
    }
    assert len(panel["incidents"]) == 10


def test_the_panel_shows_no_personal_field_unmasked(providers: Providers) -> None:
    text = json.dumps(views.panel_view(_state(town.SW), providers), ensure_ascii=False)

    assert not any(value in text for value in town.PERSONAL_VALUES)


def test_a_viewer_with_the_personal_fields_right_sees_who_reported_and_what_they_said(
        providers: Providers) -> None:
    panel = views.panel_view(_state(town.SW), providers, personal_fields=True)

    assert panel["incidents"][0]["who"] == " · ".join(town.PERSONAL_VALUES[:3])
    assert panel["incidents"][0]["said"] == town.PERSONAL_VALUES[3]


def test_a_month_without_a_score_is_said_plainly(providers: Providers) -> None:
    panel = views.panel_view(_state(town.SW, "2024-06"), providers)

    assert panel["scored"] is False and panel["message"] == "2024-06 无评分"


def test_the_trend_covers_the_months_with_the_chosen_one_marked(providers: Providers) -> None:
    figure = views.trend_view(_state(town.SW, "2026-01"), providers)

    assert figure["data"][0]["x"] == list(town.MONTHS)
    assert figure["data"][0]["marker"]["color"][-1] == "#d9363e"
    assert figure["layout"]["shapes"][0]["x0"] == "2026-01"


def test_the_trend_patches_only_the_marker_when_the_area_stays(providers: Providers) -> None:
    state = _state(town.SW, "2026-01")
    figure, key = callbacks.trend_outputs(state, providers, layout.trend_key(_state(town.SW)))

    assert key is no_update
    assert json.dumps(figure.to_plotly_json()).count("2026-01") == 2  # x0 and x1 of the marker only


def test_heat_and_points_follow_the_filters(providers: Providers) -> None:
    heat = views.heat_view(_state(town.SUZHOU, layers=("heat",)), providers)
    points = views.points_view(_state(town.SUZHOU, categories=("land",)), providers)

    assert sum(f["properties"]["count"] for f in heat["data"]["features"]) == 17
    assert heat["max"] == max(f["properties"]["count"] for f in heat["data"]["features"])
    assert len(points["data"]["features"]) == 3 and points["note"] == "3 件事件"


def test_search_lists_areas_with_level_and_code(providers: Providers) -> None:
    options = views.search_options("河渠", providers, "en")

    assert options[0] == {"label": f"河渠社区 · Village · {town.DONGGUAN}001", "value": f"{town.DONGGUAN}001"}


def test_the_briefing_is_an_offline_page_and_the_view_s_tables(providers: Providers) -> None:
    name, content = briefing.briefing_file(_state(town.SUZHOU), providers, now=datetime(2026, 3, 1, 9, 30))
    archive = zipfile.ZipFile(io.BytesIO(content))

    assert name == f"briefing-{town.SUZHOU}-{town.SPIKE_MONTH}.zip"
    assert sorted(archive.namelist()) == ["areas.csv", "briefing.html", "kpis.csv", "top_incidents.csv"]
    page = archive.read("briefing.html").decode()
    assert "肃州区 平安预警 · 2026-02" in page and "生成于 2026-03-01 09:30" in page
    assert "cdn." not in page and "<script src=" not in page
    areas = archive.read("areas.csv").decode("utf-8-sig")
    assert areas.splitlines()[0].startswith("month,code,name,level,households,incidents,score,warning_level")
    assert f"{town.DONGGUAN},东关街道,township" in areas
    everything = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    assert not any(value in everything for value in town.PERSONAL_VALUES)


def test_the_page_renders_in_both_languages_with_every_layer_on(providers: Providers) -> None:
    for lang in ("zh-CN", "en"):
        state = _state(town.SUZHOU, lang=lang, layers=tuple(layer.value for layer in MapLayer))
        page = leaders_page.layout(providers, search=state_query(state), pathname="/")
        text = json.dumps(page, cls=PlotlyJSONEncoder, ensure_ascii=False)
        assert ("导出简报" in text) == (lang == "zh-CN") and ("Export briefing" in text) == (lang == "en")


# ---------------------------------------------------------------- the basis of the colours


def _config(mode: str = "quantile") -> WarningConfig:
    return load_warning_config().with_mode(mode)


@pytest.mark.parametrize(
    ("warning", "score", "rank", "lang", "expected"),
    [
        ("red", 40.0, 3, "en", "top 5 % of 77 townships this month (rank 3)"),
        ("yellow", 20.0, 10, "en", "top 20 % of 77 townships this month (rank 10)"),
        ("blue", 2.0, 40, "en", "outside the top 20 % of 77 townships this month (rank 40)"),
        ("blue", 0.0, 70, "en", "a score of 0 is always blue"),
        ("red", 40.0, 3, "zh-CN", "本月 77 个乡镇街道中的前 5%（第 3 名）"),
        ("blue", 2.0, 40, "zh-CN", "不在本月 77 个乡镇街道的前 20% 内（第 40 名）"),
    ],
)
def test_under_quantile_thresholds_the_basis_is_the_areas_place_in_its_level(
    warning: str, score: float, rank: int, lang: str, expected: str
) -> None:
    basis = views.colour_basis(
        _config(), level="township", warning=warning, score=score, rank=rank, areas=77, lang=lang
    )
    assert basis == expected


@pytest.mark.parametrize(
    ("level", "warning", "lang", "expected"),
    [
        ("grid", "yellow", "en", "at or above 16 points (red from 35)"),
        ("grid", "red", "en", "at or above 35 points"),
        ("township", "blue", "en", "below 12 points"),
        ("grid", "yellow", "zh-CN", "分值达到 16 分及以上（35 分为红）"),
    ],
)
def test_under_fixed_thresholds_the_basis_is_the_levels_score(
    level: str, warning: str, lang: str, expected: str
) -> None:
    basis = views.colour_basis(
        _config("fixed"), level=level, warning=warning, score=20.0, rank=5, areas=77, lang=lang
    )
    assert basis == expected


def test_a_level_too_small_for_shares_is_explained_by_its_fixed_thresholds() -> None:
    """The city (one area) is coloured by fixed scores even in quantile mode, and says so."""
    config = _config()
    city = views.colour_basis(
        config, level="city", warning="yellow", score=6.7, rank=1, areas=1, lang="en"
    )
    county = views.colour_basis(
        config, level="county", warning="blue", score=6.7, rank=4, areas=7, lang="en"
    )

    assert city == "at or above 5.5 points (red from 6.75)"
    assert county == "outside the top 20 % of 7 counties this month (rank 4)"


def test_the_legend_says_how_the_shown_level_is_coloured() -> None:
    assert views.legend_basis(_config(), level="township", areas=77, lang="en") == (
        "By rank among 77 townships this month: top 5 % red, top 20 % yellow"
    )
    assert views.legend_basis(_config(), level="township", areas=77, lang="zh-CN") == (
        "按本月 77 个乡镇街道排名：前 5% 红，前 20% 黄"
    )
    assert views.legend_basis(_config("fixed"), level="county", areas=7, lang="en") == (
        "By fixed score: red at or above 6.75 points, yellow at or above 5.5"
    )


def test_the_panel_and_the_map_carry_the_basis(providers: Providers) -> None:
    """The hand-drawn city has two counties, too few for shares: both say fixed scores."""
    panel = views.panel_view(_state(town.SUZHOU, lang="en"), providers)
    view = views.map_view(_state(lang="en"), providers)

    assert panel["basis"].startswith(("at or above", "below"))
    assert view.basis.startswith("By fixed score")
