"""Warning colours on a dash-leaflet map: the palette, the `hideout` that carries levels to the browser's
style functions (dashboard/assets/area_map.js), and the legend.

A month change sends a new `hideout` (a few dozen bytes per area), never the geometry: the GeoJSON layer
keeps its `url`, and Leaflet restyles the features it already has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from dash import html

from dashboard.components.theme import Theme
from dashboard.i18n import text

WARNING_ORDER: Final = ("red", "yellow", "blue")
#: Fill per warning level, "none" for areas without a score, in each theme: the dark wall's colours are
#: brighter than the desk's so they read from the back of the room.
_PALETTES: Final[dict[Theme, dict[str, str]]] = {
    "light": {"red": "#d9363e", "yellow": "#f2b01e", "blue": "#3d7fd9", "none": "#d5dbe3"},
    "dark": {"red": "#ef4444", "yellow": "#f5b82e", "blue": "#2f7de1", "none": "#2b4a6f"},
}


def palette(theme: Theme = "light", *, scored_only: bool = False) -> dict[str, str]:
    """The warning colours of `theme` (a fresh dict), level -> CSS colour; `scored_only` leaves out
    "none", for layers that draw unscored areas in their own base style."""
    colours = _PALETTES[theme]
    return {key: colours[key] for key in WARNING_ORDER} if scored_only else dict(colours)


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
        "colours": palette(),
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


def warning_legend(
    counts: Mapping[str, int], *, lang: str, show: bool = True, basis: str | None = None
) -> list[Any]:
    """Children of the legend box: a title, one row per colour with the number of areas and, when given,
    a line saying how the colours are set (`basis`)."""
    if not show:
        return [html.Div(text(lang, "warning.off"), className="legend-off")]
    colours = palette()
    rows = [
        html.Li(
            [
                html.Span(className="legend-swatch", style={"backgroundColor": colours[key]}),
                html.Span(text(lang, f"warning.{key}"), className="legend-label"),
                html.Span(f"{counts.get(key, 0):,}", className="legend-count"),
            ],
            **{"data-level": key},
        )
        for key in WARNING_ORDER
    ]
    note = [html.Div(basis, className="legend-basis")] if basis else []
    return [html.Div(text(lang, "warning.title"), className="legend-title"), html.Ul(rows), *note]
