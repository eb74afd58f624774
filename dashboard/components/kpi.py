"""KPI tiles: a label, a big value and a line of detail, in the light look of the leaders' strip or the
dark look of the wall.

The leaders' strip is drawn in the browser from `Tile` data (dashboard/assets/leaders_panel.js builds the
same elements as `kpi_tile(tile)`); the wall draws its tiles once on the server and a refresh rewrites only
their value and detail, found by the ids given here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dash import html

from dashboard.components.theme import Theme

#: CSS classes of tile, label, value and detail in each theme (app.css and wall.css).
_CLASSES: Final[dict[Theme, tuple[str, str, str, str]]] = {
    "light": ("kpi-tile", "kpi-label", "kpi-value", "kpi-detail"),
    "dark": ("wall-kpi", "wall-kpi-label", "wall-kpi-value", "wall-kpi-note"),
}


@dataclass(frozen=True)
class Tile:
    key: str  # stable name, used in the element ids and by tests
    label: str
    value: str = ""
    detail: str = ""
    tone: str = ""  # "", "red", "yellow", "amber", "good", "bad": colours the value


def kpi_tile(
    tile: Tile,
    *,
    id_prefix: str,
    theme: Theme = "light",
    value_id: str | None = None,
    detail_id: str | None = None,
) -> html.Div:
    """One tile with the id `{id_prefix}-{key}`; `value_id` and `detail_id` name the parts a callback
    rewrites in place."""
    tile_class, label_class, value_class, detail_class = _CLASSES[theme]
    parts = {"id": value_id} if value_id else {}
    detail = {"id": detail_id} if detail_id else {}
    return html.Div(
        id=f"{id_prefix}-{tile.key}",
        className=f"{tile_class} {'tone-' + tile.tone if tile.tone else ''}".strip(),
        children=[
            html.Div(tile.label, className=label_class),
            html.Div(tile.value, className=value_class, **parts),
            html.Div(tile.detail, className=detail_class, **detail),
        ],
        **{"data-kpi": tile.key},
    )
