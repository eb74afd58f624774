"""The leaders' map while the store cannot be read: what is on screen stays, a banner says the data is
interrupted, and the page draws itself again with the store's data once it is back."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings

from .conftest import sign_in_page
from .test_overview import (
    AREA_FILLS,
    COUNTY,
    EARLIER,
    MONTH,
    area_fills,
    children_of,
    open_view,
    wait_for_view,
)

if TYPE_CHECKING:
    from .conftest import LeafletProbe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn


def serve_copy(serve_wsgi: Callable[[Any], str], demo_store: Path, folder: Path) -> tuple[str, Path]:
    """A server on a copy of the demo store, which the test may take away."""
    (folder / "store").mkdir(parents=True)
    store = Path(shutil.copyfile(demo_store, folder / "store" / "leaders.gpkg"))
    settings = Settings.from_env({}, store=store, cache_dir=folder / "cache")
    return serve_wsgi(create_app(settings).server), store


@contextlib.contextmanager
def broken(store: Path, how: str) -> Iterator[None]:
    """The store moved away, cut to half its length, or overwritten with junk, and put back whole."""
    if how == "moved away":
        away = store.rename(store.with_name("away.gpkg"))
        try:
            yield
        finally:
            away.rename(store)
        return
    whole = store.read_bytes()
    store.write_bytes(whole[: len(whole) // 2] if how == "truncated" else b"not a GeoPackage" * 4096)
    try:
        yield
    finally:
        store.write_bytes(whole)


@pytest.mark.parametrize("how", ["moved away", "truncated", "overwritten"])
def test_with_the_store_away_the_map_stays_under_a_banner_and_catches_up_once_it_is_back(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path, leaflet: LeafletProbe,
    areas: Any, screenshot: Callable[[str], Path], how: str,
) -> None:
    url, store = serve_copy(serve_wsgi, demo_store, tmp_path)
    open_view(page, leaflet, f"{url}/?area={COUNTY}&month={MONTH}", areas, COUNTY)
    banner = page.locator("#store-stale")
    expect(banner).to_be_hidden()
    before = area_fills(page)
    page.evaluate("() => { document.querySelector('#leaders-crumbs').__drawnBefore = true; }")

    with broken(store, how):
        page.locator("#leaders-month [role=slider]").first.focus()
        page.keyboard.press("ArrowLeft")
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_contain_text("数据中断")
        assert area_fills(page) == before, "the map must keep what it showed"
        expect(page.locator("#leaders-month-text")).to_have_text(MONTH)
        screenshot(f"leaders_stale_{how.replace(' ', '_')}")

    # Back: the page is drawn again for its URL (new elements, the URL's month), and works as before.
    expect(banner).to_be_hidden(timeout=15_000)
    page.wait_for_function("() => !document.querySelector('#leaders-crumbs').__drawnBefore", timeout=10_000)
    wait_for_view(page, COUNTY, len(children_of(areas, COUNTY)))
    expect(page.locator("#leaders-month-text")).to_have_text(MONTH)
    page.locator("#leaders-month [role=slider]").first.focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#leaders-month-text")).to_have_text(EARLIER, timeout=10_000)
    page.wait_for_function(f"(before) => JSON.stringify(({AREA_FILLS})()) !== before",
                           arg=json.dumps(before, separators=(",", ":")), timeout=10_000)


def test_a_page_opened_while_the_store_is_away_says_so_and_draws_itself_once_it_is_back(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path, leaflet: LeafletProbe,
    areas: Any,
) -> None:
    url, store = serve_copy(serve_wsgi, demo_store, tmp_path)
    sign_in_page(page, url)  # a session of before: nobody can sign in while the store is away
    away = store.rename(store.with_name("away.gpkg"))
    try:
        page.goto(f"{url}/?area={COUNTY}&month={MONTH}&lang=en")
        banner = page.locator("#store-stale")
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_contain_text("Data interrupted")
    finally:
        away.rename(store)

    expect(banner).to_be_hidden(timeout=15_000)
    wait_for_view(page, COUNTY, len(children_of(areas, COUNTY)))
    assert set(area_fills(page)) == set(children_of(areas, COUNTY))
