"""KPI tiles: a label, a big value and a line of detail."""

from __future__ import annotations

from dataclasses import dataclass

from dash import html


@dataclass(frozen=True)
class Tile:
    key: str  # stable name, used in the element id and by tests
    label: str
    value: str
    detail: str = ""
    tone: str = ""  # "", "red", "yellow", "good", "bad": colours the value


def kpi_tile(tile: Tile, *, id_prefix: str) -> html.Div:
    return html.Div(
        id=f"{id_prefix}-{tile.key}",
        className=f"kpi-tile {'tone-' + tile.tone if tile.tone else ''}".strip(),
        children=[
            html.Div(tile.label, className="kpi-label"),
            html.Div(tile.value, className="kpi-value"),
            html.Div(tile.detail, className="kpi-detail"),
        ],
    )
