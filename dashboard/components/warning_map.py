"""Warning colours on a dash-leaflet map: the palette, the `hideout` that carries levels to the browser's
style functions (dashboard/assets/area_map.js), and the legend.

A month change sends a new `hideout` (a few dozen bytes per area), never the geometry: the GeoJSON layer
keeps its `url`, and Leaflet restyles the features it already has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from dash import html

from dashboard.i18n import text

#: Fill per warning level; "none" for areas without a score.
WARNING_COLOURS: Final[dict[str, str]] = {
    "red": "#d9363e",
    "yellow": "#f2b01e",
    "blue": "#3d7fd9",
    "none": "#d5dbe3",
}
WARNING_ORDER: Final = ("red", "yellow", "blue")


def js(name: str) -> dict[str, str]:
    """A function of dashboard/assets/area_map.js, as dash-leaflet resolves it on `window`."""
    return {"variable": f"pinganMap.{name}"}


def warning_labels(lang: str) -> dict[str, str]:
    return {key: text(lang, f"warning.{key}") for key in (*WARNING_ORDER, "none")}


def warning_hideout(
    levels: Mapping[str, str],
    *,
    lang: str,
    show: bool = True,
    selected: str | None = None,
    trail: Sequence[str] = (),
) -> dict[str, Any]:
    """What the area layer's style and tooltip functions read: code -> level, the palette, the level
    names, whether colours are on, the selected area and the names of the areas above (for tooltips)."""
    return {
        "levels": dict(levels),
        "colours": WARNING_COLOURS,
        "labels": warning_labels(lang),
        "show": show,
        "selected": selected,
        "trail": list(trail),
    }


def legend_counts(levels: Mapping[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(WARNING_ORDER, 0)
    for level in levels.values():
        if level in counts:
            counts[level] += 1
    return counts


def warning_legend(counts: Mapping[str, int], *, lang: str, show: bool = True) -> list[Any]:
    """Children of the legend box: a title and one row per colour with the number of areas."""
    if not show:
        return [html.Div(text(lang, "warning.off"), className="legend-off")]
    rows = [
        html.Li(
            [
                html.Span(className="legend-swatch", style={"backgroundColor": WARNING_COLOURS[key]}),
                html.Span(text(lang, f"warning.{key}"), className="legend-label"),
                html.Span(f"{counts.get(key, 0):,}", className="legend-count"),
            ],
            **{"data-level": key},
        )
        for key in WARNING_ORDER
    ]
    return [html.Div(text(lang, "warning.title"), className="legend-title"), html.Ul(rows)]
