"""The coverage page as a person uses it, on the demo store: townships coloured by the share of households
beyond every mediation band, the suggested new rooms on the map with "covers N more households", a switch
to mediators per 10,000 that recolours the map, and the exports of the table (CSV) and the sites
(GeoPackage)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyogrio
import pytest
from playwright.sync_api import Page, expect

from dashboard.coverage.views import RAMPS
from geo.api import CoverageInputs, Level, last_month, mediator_coverage, open_store, suggest_sites

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

SCREENSHOT = Path("/tmp/coverage-page.png")

# Fill colour of every area drawn on the page's Leaflet map, how many suggested-site markers and how many
# band outlines around them.
_DRAWN = """() => {
  const fills = [];
  let sites = 0;
  let bands = 0;
  for (const map of window.__leafletMaps || []) {
    map.eachLayer((layer) => {
      if (layer.feature && layer.feature.properties.fill && layer._parts && layer._parts.length) {
        fills.push(layer.options.fillColor);
      }
      if (layer.feature && layer.feature.geometry.type === "Point" && layer._point) {
        sites += 1;
      }
      if (layer.feature && layer.feature.properties.rank && layer.feature.geometry.type === "Polygon") {
        bands += 1;
      }
    });
  }
  return {fills, sites, bands};
}"""


def _drawn(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(_DRAWN)
    return result


def test_the_page_colours_townships_and_shows_the_suggested_rooms(
    page: Page, demo_app_url: str, demo_store: Path
) -> None:
    inputs = CoverageInputs.from_store(open_store(demo_store))
    townships = mediator_coverage(inputs, month=last_month(inputs), level=Level.TOWNSHIP.value)

    page.goto(f"{demo_app_url}/coverage?lang=en")
    page.wait_for_function("() => (window.__leafletMaps || []).length > 0")
    drawn_all = f"({_DRAWN})().fills.length === {len(townships)} && ({_DRAWN})().sites === 10"
    page.wait_for_function(f"() => {drawn_all}")
    drawn = _drawn(page)
    ramp = set(RAMPS["uncovered_share"])
    assert set(drawn["fills"]) <= ramp and len(set(drawn["fills"])) >= 3  # coloured, and not all alike
    assert drawn["bands"] == 10
    labels = page.locator(".coverage-site-list li")
    expect(labels).to_have_count(10)
    expect(labels.first).to_contain_text("covers")
    expect(labels.first).to_contain_text("more households")
    expect(page.locator("#coverage-summary")).to_contain_text("10 new rooms cover")
    page.screenshot(path=str(SCREENSHOT))

    page.get_by_text("Mediators per 10,000").click()
    page.wait_for_function(
        f"() => ({_DRAWN})().fills.every((fill) => {sorted(RAMPS['mediators_per_10k'])}.includes(fill))"
    )
    assert len(set(_drawn(page)["fills"])) >= 3

    with page.expect_download() as download:
        page.get_by_text("Export table (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("code,name,level,households")
    assert len(text.strip().splitlines()) == len(townships) + 1

    with page.expect_download() as download:
        page.get_by_text("Export suggested sites (GeoPackage)").click()
    sites = pyogrio.read_dataframe(download.value.path(), layer="suggested_sites")
    assert list(sites["rank"]) == list(range(1, 11)) and sites.crs.to_epsg() == 4490


def test_the_fewest_rooms_and_a_caseload_limit_are_chosen_on_the_page(
    page: Page, demo_app_url: str, demo_store: Path
) -> None:
    inputs = CoverageInputs.from_store(open_store(demo_store))
    month = last_month(inputs)
    fewest = suggest_sites(inputs, month=month, method="lscp")
    limited = suggest_sites(inputs, month=month, sites=10, capacity=2)
    unlimited = suggest_sites(inputs, month=month, sites=10)
    assert limited.covered_after < unlimited.covered_after  # the limit binds on the demo

    page.goto(f"{demo_app_url}/coverage?lang=en")
    page.wait_for_function("() => (window.__leafletMaps || []).length > 0")
    page.get_by_text("Fewest rooms (everyone reachable)").click()
    labels = page.locator(".coverage-site-list li")
    expect(labels).to_have_count(len(fewest.sites), timeout=15_000)
    expect(page.locator("#coverage-summary")).to_contain_text(f"{len(fewest.sites)} new rooms cover")
    expect(page.locator("#coverage-site-count")).to_be_disabled()
    expect(page.locator("#coverage-capacity")).to_be_disabled()
    assert "method=lscp" in page.url

    page.get_by_text("Most covered (given number)").click()
    page.locator("#coverage-capacity").click()
    page.get_by_text("2 a year", exact=True).click()
    gain = limited.covered_after - limited.covered_before
    expect(page.locator("#coverage-summary")).to_contain_text(f"cover {gain:,.0f} more households",
                                                              timeout=15_000)
    assert "capacity=2" in page.url
