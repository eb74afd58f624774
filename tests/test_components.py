"""The pieces both pages share: one warning palette in two themes, one KPI tile, the trend charts."""

from __future__ import annotations

import json

import pytest

from dashboard.components.kpi import Tile, kpi_tile
from dashboard.components.trend import incident_trend_figure, tick_step, trend_figure
from dashboard.components.warning_map import WARNING_ORDER, palette, warning_hideout


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_both_themes_colour_the_same_levels(theme: str) -> None:
    assert list(palette(theme)) == [*WARNING_ORDER, "none"]  # type: ignore[arg-type]
    assert list(palette(theme, scored_only=True)) == list(WARNING_ORDER)  # type: ignore[arg-type]


def test_the_dark_theme_is_brighter_and_the_palette_is_a_copy() -> None:
    assert palette("dark")["red"] != palette("light")["red"]
    palette()["red"] = "#000000"
    assert palette()["red"] == "#d9363e"
    assert warning_hideout({}, lang="zh-CN")["colours"] == palette()


def test_a_light_tile_is_what_the_leaders_strip_draws() -> None:
    tile = kpi_tile(Tile("overdue", "超期案件", "7", "超过 30 天", "bad"), id_prefix="kpi")

    assert (tile.id, tile.className) == ("kpi-overdue", "kpi-tile tone-bad")
    assert [(part.className, part.children) for part in tile.children] == [
        ("kpi-label", "超期案件"), ("kpi-value", "7"), ("kpi-detail", "超过 30 天")]


def test_a_dark_tile_names_the_parts_a_refresh_rewrites() -> None:
    tile = kpi_tile(Tile("red", "红色预警网格", tone="red"), id_prefix="wall-kpi", theme="dark",
                    value_id="v", detail_id="n")

    assert (tile.className, getattr(tile, "data-kpi")) == ("wall-kpi tone-red", "red")
    label, value, note = tile.children
    assert (label.className, value.className, value.id, note.className, note.id) == (
        "wall-kpi-label", "wall-kpi-value", "v", "wall-kpi-note", "n")


@pytest.mark.parametrize(("peak", "step"), [(0, 1), (3, 1), (72, 20), (859, 200), (1257, 500), (31, 10)])
def test_trend_axes_step_in_round_numbers(peak: int, step: int) -> None:
    assert tick_step(peak) == step


def test_the_score_trend_colours_each_month_by_its_level() -> None:
    figure = trend_figure(
        ["2024-01", "2024-02"], [3.0, float("nan")], ["red", None],
        selected_month="2024-02", score_label="分值",
    )

    (trace,) = figure["data"]
    assert trace["y"] == [3.0, None]
    assert trace["marker"]["color"] == [palette()["red"], palette()["none"]]
    assert figure["layout"]["shapes"][0]["x0"] == "2024-02"


def test_the_incident_trend_draws_red_grids_in_the_dark_red() -> None:
    figure = incident_trend_figure(
        ["2024-01"], [5], [1], incidents_label="a", red_label="b", screen_height=1080
    )

    assert figure["data"][1]["line"]["color"] == palette("dark")["red"]
    assert "http" not in json.dumps(figure)
