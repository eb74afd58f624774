"""The briefing export: one HTML file that draws the view with no network, and its tables as CSV."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest

from geo.api import GeoInputError, briefing_archive, briefing_html

COLOURS = {"red": "#d9363e", "yellow": "#f2b01e", "blue": "#3d7fd9", "none": "#d5dbe3"}
LABELS = {"red": "红色", "yellow": "黄色", "blue": "蓝色", "none": "无评分"}


def _square(code: str, name: str, west: float) -> dict:
    ring = [[west, 39.0], [west + 1, 39.0], [west + 1, 40.0], [west, 40.0], [west, 39.0]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


AREAS = {
    "type": "FeatureCollection",
    "features": [_square("620902", "肃州区", 98.0), _square("620921", "<b>金塔县</b>", 99.0)],
}


def _page(**overrides: object) -> str:
    arguments: dict = {
        "levels": {"620902": "red"},
        "colours": COLOURS,
        "labels": LABELS,
        "title": "酒泉市 平安预警",
        "subtitle": "2026-10",
        "legend_title": "平安预警",
    }
    arguments.update(overrides)
    return briefing_html(AREAS, **arguments)


def test_the_page_carries_leaflet_and_loads_nothing_from_elsewhere() -> None:
    page = _page()

    assert "L.map(" in page and "leaflet-container" in page  # Leaflet's code and CSS are inlined
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", page)


def test_areas_are_coloured_by_level_and_the_rest_get_the_no_score_colour() -> None:
    page = _page()

    styles = re.findall(r'case "(\d+)":\s*return \{[^}]*"fillColor": "(#\w+)"', page)
    assert styles == [("620902", "#d9363e")]
    assert "default:\n" in page and '"fillColor": "#d5dbe3"' in page


def test_title_legend_and_names_are_shown_as_text_not_markup() -> None:
    page = _page(title="<script>x</script>")

    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert all(label in page for label in LABELS.values())
    assert '"label": "\\u0026lt;b\\u0026gt;' in page  # the tooltip gets &lt;b&gt;, not a <b> tag


@pytest.mark.parametrize(
    ("collection", "message"),
    [
        ({"type": "Feature"}, "expected a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "the FeatureCollection is empty"),
    ],
)
def test_a_collection_that_is_not_one_is_refused(collection: dict, message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        briefing_html(collection, levels={}, colours=COLOURS, labels=LABELS, title="", subtitle="",
                      legend_title="")


def test_an_unknown_warning_level_is_refused_with_what_is_allowed() -> None:
    with pytest.raises(
        GeoInputError, match="unknown warning level\\(s\\) orange: allowed are red, yellow, blue"
    ):
        _page(levels={"620902": "orange"})


def test_the_archive_holds_the_page_and_each_table_as_excel_readable_csv() -> None:
    tables = {"areas": pd.DataFrame({"code": ["620902"], "name": ["肃州区"]})}

    archive = zipfile.ZipFile(io.BytesIO(briefing_archive("<html></html>", tables)))

    assert sorted(archive.namelist()) == ["areas.csv", "briefing.html"]
    assert archive.read("areas.csv").startswith("\ufeff".encode())
    assert archive.read("areas.csv").decode("utf-8-sig").splitlines() == ["code,name", "620902,肃州区"]
    with pytest.raises(GeoInputError, match=r"briefing table name '\.\./x'"):
        briefing_archive("", {"../x": pd.DataFrame()})
