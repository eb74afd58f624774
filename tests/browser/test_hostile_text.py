"""Text from the data is shown, never run: an area named with markup and incidents whose reporter and
description carry script appear literally in the leaders' map (tooltips, breadcrumbs, search, the "why
this colour" panel with its incident details) and in the intake page's quarantine, and nothing of it
executes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
import shapely
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from geo.api import Col, Layer, open_store

from .conftest import sign_in_page
from .test_overview import COUNTY, MONTH, children_of, wait_for_view

if TYPE_CHECKING:
    from .conftest import LeafletProbe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

AREA_MARKUP = '<img src=x onerror="window.__ran=\'area\'">'
TEXT_MARKUP = '<script>window.__ran="text"</script><b onmouseover="window.__ran=\'bold\'">粗</b>'


def hostile_copy(demo_store: Path, folder: Path) -> tuple[Path, str]:
    """A copy of the demo store whose first township of COUNTY is named with markup and whose incidents
    of MONTH in it carry script in their reporter and description; returns the store and the township."""
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(shutil.copyfile(demo_store, folder / "hostile.gpkg"))
    store = open_store(path)
    areas = store.read(Layer.AREAS.value)
    township = sorted(areas.loc[areas[Col.PARENT_CODE] == COUNTY, Col.CODE])[0]
    areas.loc[areas[Col.CODE] == township, Col.NAME] = AREA_MARKUP + "镇"
    incidents = store.read(Layer.INCIDENTS.value)
    chosen = (incidents["township_code"] == township) & (
        pd.to_datetime(incidents[Col.REPORTED_AT]).dt.strftime("%Y-%m") == MONTH)
    assert chosen.any()
    incidents.loc[chosen, "description"] = TEXT_MARKUP
    incidents.loc[chosen, "reporter_name"] = AREA_MARKUP
    store.write({Layer.AREAS.value: areas, Layer.INCIDENTS.value: incidents})
    return path, township


def test_markup_in_names_and_incidents_is_shown_as_text_and_never_runs(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path, areas: Any,
    leaflet: LeafletProbe, screenshot: Callable[[str], Path],
) -> None:
    store, township = hostile_copy(demo_store, tmp_path / "store")
    url = serve_wsgi(create_app(Settings.from_env({}, store=store, cache_dir=tmp_path / "cache")).server)
    sign_in_page(page, url, "admin")  # the admin sees reporters and descriptions unmasked
    page.goto(f"{url}/?area={COUNTY}&month={MONTH}")
    wait_for_view(page, COUNTY, len(children_of(areas, COUNTY)))

    centre = shapely.get_point(shapely.maximum_inscribed_circle(areas.geometry[township]), 0)
    page.mouse.move(*leaflet.screen_point(centre.x, centre.y))
    expect(page.locator(".area-tooltip").first).to_contain_text(AREA_MARKUP)
    page.goto(f"{url}/?area={township}&month={MONTH}")
    expect(page.locator("#leaders-crumbs")).to_contain_text(AREA_MARKUP)
    expect(page.locator("#leaders-panel")).to_contain_text(AREA_MARKUP)
    expect(page.locator(".incident-table")).to_contain_text("window.__ran=")
    details = page.locator(".incident-detail").all_inner_texts()
    assert any(TEXT_MARKUP in text for text in details), details
    page.locator("#leaders-search").click()
    page.locator(".dash-dropdown-content input").fill("onerror")
    expect(page.locator(".dash-dropdown-content")).to_contain_text(AREA_MARKUP)
    screenshot("hostile-text")
    assert page.evaluate("() => window.__ran") is None


def test_a_quarantined_row_with_markup_is_shown_as_text_on_the_intake_page(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path,
) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    store = Path(shutil.copyfile(demo_store, folder / "intake.gpkg"))
    hostile = tmp_path / "hotline.csv"
    hostile.write_text(
        "工单编号,来电时间,诉求类型,诉求内容,事发地址,经度,纬度,办理状态,办结时间,满意度,处理结果,诉前分流,来电人,联系电话\n"
        f"X1,2023/7/5 14:03,邻里纠纷,\"{TEXT_MARKUP.replace(chr(34), chr(39))}\",,116.4,39.9,待受理,,,,否,"
        f"\"{AREA_MARKUP.replace(chr(34), chr(39))}\",13900000001\n", encoding="utf-8")
    url = serve_wsgi(create_app(Settings.from_env({}, store=store, cache_dir=tmp_path / "cache")).server)
    sign_in_page(page, url, "clerk")
    page.goto(f"{url}/intake")
    page.set_input_files("#intake-upload input[type=file]", str(hostile))
    expect(page.locator("#intake-summary")).to_contain_text("1", timeout=20_000)
    expect(page.locator(".intake-quarantine")).to_contain_text("window.__ran=", timeout=20_000)
    assert page.evaluate("() => window.__ran") is None
