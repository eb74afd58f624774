"""What one load of the leaders' map costs in the browser: time to the first polygons on screen, and every
response of the load (bytes on the wire, how many, how many compressed), from the page's own Resource
Timing entries, so the figures are the browser's and not the harness's."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # playwright is a test dependency; --no-browser runs without it
    from playwright.sync_api import Page

#: Resolves to the page's clock (ms since navigation start) once the areas pane's canvas has a painted
#: pixel, else false.
PAINTED_AT: Final = """() => {
  const canvas = document.querySelector('.leaflet-leaders-areas-pane canvas');
  if (!canvas || !canvas.width) { return false; }
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 400) { if (data[i] > 0) { return performance.now(); } }
  return false;
}"""
#: Every response of the load, the page itself first. transferSize is 0 for what came from the cache.
_RESPONSES: Final = """() => [performance.getEntriesByType('navigation')[0],
                         ...performance.getEntriesByType('resource')].map((e) => ({
  name: e.name, start: e.startTime, end: e.responseEnd, wire: e.transferSize,
  encoded: e.encodedBodySize, decoded: e.decodedBodySize,
}))"""
PLOTLY: Final = "plotly.min.js"


@dataclass(frozen=True)
class Load:
    """One load of the page: ms to the first polygons, and its responses as the browser saw them."""

    painted_ms: float
    responses: list[dict[str, Any]]

    @property
    def wire_bytes(self) -> int:
        return sum(int(r["wire"]) for r in self.responses)

    @property
    def from_network(self) -> list[dict[str, Any]]:
        return [r for r in self.responses if r["wire"] > 0]

    @property
    def compressed(self) -> int:
        return sum(1 for r in self.from_network if 0 < r["encoded"] < r["decoded"])

    @property
    def plotly_requested_ms(self) -> float | None:
        return next((float(r["start"]) for r in self.responses if PLOTLY in r["name"]), None)


_CHART_LOADED: Final = f"""() => performance.getEntriesByType('resource')
  .some((e) => e.name.includes('{PLOTLY}') && e.responseEnd > 0)"""


def load_page(page: Page, url: str, *, timeout_ms: float = 30_000) -> Load:
    """Open `url`, wait for the first polygons, then for the chart bundle, which comes after the map and
    is part of the load (the network may well have been idle before the map painted)."""
    page.goto(url)
    painted = page.wait_for_function(PAINTED_AT, polling="raf", timeout=timeout_ms).json_value()
    page.wait_for_function(_CHART_LOADED, timeout=timeout_ms)
    page.wait_for_load_state("networkidle")
    return Load(painted_ms=float(painted), responses=page.evaluate(_RESPONSES))


def describe(label: str, loads: Sequence[Load]) -> str:
    """One line per kind of load: medians over the runs."""
    last = loads[-1]
    plotly = [load.plotly_requested_ms for load in loads]
    after = "never" if plotly[-1] is None else f"{statistics.median(p or 0 for p in plotly) / 1000:.2f} s"
    return (
        f"    {label:<28} first polygons {statistics.median(x.painted_ms for x in loads) / 1000:.2f} s"
        f" | {last.wire_bytes / 1e6:.2f} MB on the wire in {len(last.from_network)} of "
        f"{len(last.responses)} responses, {last.compressed} compressed | plotly asked at {after}"
    )
