"""What the planner browser tests draw and where they click: grids of the township of about 40 grids
chosen away from its outline (an edit there needs no outline vertex), and screen points on the
workbench map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from playwright.sync_api import Page, expect

from geo.api import Col, Level

#: How long a callback may take: after a save the server reads the new store state first.
WAIT_MS = 45_000
# The workbench map, not the tiny map mounted before it to load Leaflet.draw.
_MAP = "(window.__leafletMaps || []).find((m) => m.getContainer().classList.contains('planner-map'))"
GRID_CODES = f"""() => {{
  const map = {_MAP};
  const codes = [];
  if (map) {{
    map.eachLayer((layer) => {{
      if (layer.feature && layer.feature.properties.name !== undefined && layer._parts
          && layer._parts.length) {{ codes.push(String(layer.feature.properties.code)); }}
    }});
  }}
  return codes.sort();
}}"""
DIFF_OUTLINES = f"""() => {{
  const map = {_MAP};
  let count = 0;
  map.eachLayer((layer) => {{
    if (layer.feature && layer.options.dashArray === "6 4" && layer._parts && layer._parts.length) {{
      count += 1;
    }}
  }});
  return count;
}}"""
PROBLEM_FEATURES = f"""() => {{
  const map = {_MAP};
  let count = 0;
  map.eachLayer((layer) => {{
    if (layer.feature && layer.feature.properties.kind && layer.feature.properties.detail) {{ count += 1; }}
  }});
  return count;
}}"""


def township_of_about_40(areas: pd.DataFrame) -> str:
    grids = areas[(areas[Col.LEVEL] == Level.GRID) & areas[Col.VALID_TO].isna()]
    counts = grids[Col.CODE].str[:9].value_counts()
    return str((counts - 40).abs().sort_values(kind="stable").index[0])


@dataclass(frozen=True)
class Pair:
    """Two inner neighbours and the edge they share, from `first`'s end `p` to `q`."""

    first: str
    second: str
    p: np.ndarray
    q: np.ndarray


class Township:
    def __init__(self, areas: pd.DataFrame, code: str) -> None:
        current = areas[areas[Col.VALID_TO].isna()]
        self.code = code
        self.outline = shapely.boundary(current.loc[current[Col.CODE] == code, Col.GEOMETRY].iloc[0])
        grids = current[(current[Col.LEVEL] == Level.GRID) & current[Col.CODE].str.startswith(code)]
        self.grids = grids.set_index(Col.CODE)[Col.GEOMETRY]
        near = shapely.distance(self.grids.values, self.outline)
        self.inner = [c for c, d in zip(self.grids.index, near, strict=True) if d > 2e-4]  # ~20 m in

    def inside_point(self, code: str) -> tuple[float, float]:
        centre = shapely.get_point(shapely.maximum_inscribed_circle(self.grids[code]), 0)
        return float(centre.x), float(centre.y)

    def pairs(self) -> list[Pair]:
        """Inner neighbours of one village sharing one straight edge over about 150 m, longest first."""
        found = []
        for i, a in enumerate(self.inner):
            for b in self.inner[i + 1:]:
                if a[:12] != b[:12]:
                    continue
                shared = shapely.line_merge(shapely.intersection(
                    shapely.boundary(self.grids[a]), shapely.boundary(self.grids[b])))
                if shared.geom_type != "LineString" or len(shapely.get_coordinates(shared)) != 2:
                    continue
                p, q = shapely.get_coordinates(shared)
                if np.hypot(*((q - p) * [85_000, 111_000])) > 150:
                    found.append(Pair(a, b, p, q))
        return sorted(found, key=lambda pair: -float(np.hypot(*(pair.q - pair.p))))

    def side_of(self, pair: Pair) -> tuple[np.ndarray, np.ndarray]:
        """The unit normal of the shared edge that points into `pair.second`, and the edge's midpoint."""
        d = pair.q - pair.p
        normal = np.array([-d[1], d[0]]) / np.hypot(*d)
        middle = pair.p + d / 2
        probe = shapely.Point(middle + normal * 1e-6)  # about 10 cm across the edge
        return (normal if shapely.within(probe, self.grids[pair.second]) else -normal), middle


class Workbench:
    """The planner page in the browser."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def zoom_to(self, lon: float, lat: float, zoom: int) -> None:
        """Centre the map on a place at `zoom`, so a short stroke spans enough pixels to draw."""
        script = f"([lon, lat, zoom]) => {{ ({_MAP}).setView([lat, lon], zoom, {{animate: false}}); }}"
        self.page.evaluate(script, [lon, lat, zoom])
        self.page.wait_for_timeout(300)

    def screen(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.page.evaluate(
            f"""([lon, lat]) => {{
              const map = {_MAP};
              const point = map.latLngToContainerPoint([lat, lon]);
              const box = map.getContainer().getBoundingClientRect();
              return [box.left + point.x, box.top + point.y];
            }}""",
            [lon, lat],
        )
        return float(x), float(y)

    def open(self, url: str, count: int) -> None:
        self.page.goto(url)
        self.page.wait_for_function(f"() => ({GRID_CODES})().length === {count}", timeout=30_000)

    def codes(self) -> list[str]:
        codes: list[str] = self.page.evaluate(GRID_CODES)
        return codes

    def tool(self, name: str) -> None:
        self.page.locator(f"#planner-tool input[value='{name}']").check()
        expect(self.page.locator("#planner-message")).to_contain_text(_HINTS[name], timeout=WAIT_MS)

    def select(self, code: str, point: tuple[float, float]) -> None:
        self.page.mouse.click(*self.screen(*point))
        expect(self.page.locator("#planner-message")).to_contain_text(code, timeout=WAIT_MS)

    def draw(self, kind: str, points: list[Any]) -> None:
        """Draw a polyline or polygon through `points` (lon, lat) with the EditControl's toolbar."""
        self.page.locator(f"#planner-map .leaflet-draw-draw-{kind}").click()
        for point in points:
            self.page.mouse.click(*self.screen(float(point[0]), float(point[1])))
            self.page.wait_for_timeout(150)
        self.page.locator("#planner-map .leaflet-draw-actions a", has_text="Finish").click()
        self.page.wait_for_timeout(300)

    def apply(self) -> None:
        self.page.locator("#planner-apply").click()
        expect(self.page.locator("#planner-message")).to_contain_text("Applied", timeout=WAIT_MS)

    def impact_rows(self) -> list[list[str]]:
        rows: list[list[str]] = self.page.evaluate(
            """() => [...document.querySelectorAll('#planner-impact tbody tr')]
                 .map((tr) => [...tr.children].map((td) => td.textContent))"""
        )
        return rows


_HINTS = {"split": "draw a line across it", "merge": "two or more neighbouring", "redraw": "new shared edge",
          "move": "outline the block", "vertex": "drag its vertices"}
