"""The coverage page's components, built from what views.py returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard.components.header import page_header
from dashboard.coverage.ids import Ids
from dashboard.coverage.state import (
    CAPACITIES,
    LEVELS,
    SITE_COUNTS,
    SPECIALTIES,
    CoverageState,
    Measure,
    state_query,
)
from dashboard.coverage.views import LegendRow
from dashboard.i18n import other_language, text


def js(name: str) -> dict[str, str]:
    """A function of dashboard/assets/coverage_map.js, as dash-leaflet resolves it on `window`."""
    return {"variable": f"pinganCoverage.{name}"}


def specialty_label(lang: str, specialty: str) -> str:
    return text(lang, f"category.{specialty}", default="") or text(lang, f"coverage.specialty.{specialty}")


def controls(state: CoverageState) -> html.Div:
    lang, lscp = state.lang, state.method == "lscp"
    return html.Div(className="coverage-controls", children=[
        html.Label([text(lang, "coverage.level"), dcc.Dropdown(
            id=Ids.LEVEL, value=state.level, clearable=False,
            options=[{"label": text(lang, f"level.{level}"), "value": level} for level in LEVELS])]),
        html.Label([text(lang, "coverage.measure"), dcc.RadioItems(
            id=Ids.MEASURE, value=state.measure, inline=True,
            options=[{"label": text(lang, f"coverage.measure.{m.value}"), "value": m.value}
                     for m in Measure])]),
        html.Label([text(lang, "coverage.specialty"), dcc.Dropdown(
            id=Ids.SPECIALTY, value=state.specialty, clearable=True,
            placeholder=text(lang, "coverage.specialty.any"),
            options=[{"label": specialty_label(lang, s), "value": s} for s in SPECIALTIES])]),
        html.Label([text(lang, "coverage.method"), dcc.RadioItems(
            id=Ids.METHOD, value=state.method, inline=True,
            options=[{"label": text(lang, f"coverage.method.{m}"), "value": m} for m in ("mclp", "lscp")])]),
        html.Label([text(lang, "coverage.sites"), dcc.Dropdown(
            id=Ids.SITE_COUNT, value=state.sites, clearable=False, disabled=lscp,
            options=[{"label": str(n), "value": n} for n in SITE_COUNTS])]),
        html.Label([text(lang, "coverage.capacity"), dcc.Dropdown(
            id=Ids.CAPACITY, value=state.capacity, clearable=True, disabled=lscp,
            placeholder=text(lang, "coverage.capacity.none"),
            options=[{"label": text(lang, "coverage.capacity.cases", cases=n), "value": n}
                     for n in CAPACITIES])]),
    ])


@dataclass(frozen=True)
class CoverageView:
    """What the callback redraws: the map's layers, the legend, the summary and the table."""

    areas: dict[str, Any]
    bands: dict[str, Any]
    sites: dict[str, Any]
    legend: list[Any]
    summary: list[Any]
    table: list[Any]


def legend(rows: Sequence[LegendRow], title: str, sites_title: str) -> list[Any]:
    items = [html.Li([html.Span(className="legend-swatch", style={"backgroundColor": row.colour}),
                      html.Span(row.label, className="legend-label")]) for row in rows]
    site_item = html.Li([html.Span(className="legend-site"),
                         html.Span(sites_title, className="legend-label")])
    return [html.Div(title, className="legend-title"), html.Ul([*items, site_item])]


def site_list(labels: Sequence[str]) -> html.Ul:
    return html.Ul([html.Li(label) for label in labels], className="coverage-site-list")


def table(rows: Sequence[dict[str, str]], lang: str) -> list[Any]:
    keys = ("name", "households", "uncovered", "per_10k", "caseload", "gaps")
    head = html.Tr([html.Th(text(lang, f"coverage.table.{key}")) for key in keys])
    body = [html.Tr([html.Td(row[key]) for key in keys], **{"data-code": row["code"]}) for row in rows]
    return [html.H3(text(lang, "coverage.table.title")), html.Table([html.Thead(head), html.Tbody(body)],
                                                                    className="data-table")]


def area_map(bounds: Any, tile_url: str | None, view: CoverageView) -> dl.Map:
    tiles = [dl.TileLayer(url=tile_url, attribution="")] if tile_url else []
    return dl.Map(id=Ids.MAP, className="coverage-map", bounds=bounds, boundsOptions={"padding": [16, 16]},
                  zoomSnap=0.25, preferCanvas=True, trackViewport=False, children=[
                      *tiles,
                      dl.GeoJSON(id=Ids.AREAS, data=view.areas, style=js("areaStyle"),
                                 onEachFeature=js("bindAreaTooltip")),
                      dl.GeoJSON(id=Ids.BANDS, data=view.bands, style=js("bandStyle"), interactive=False),
                      dl.GeoJSON(id=Ids.SITES, data=view.sites, pointToLayer=js("siteMarker"),
                                 onEachFeature=js("bindSiteTooltip")),
                  ])


def page(
    state: CoverageState, view: CoverageView, *, title: str, bounds: Any, tile_url: str | None, pathname: str
) -> html.Div:
    """The whole page for the state in the URL, drawn on the server; control changes redraw it through
    the callback."""
    lang = state.lang
    header = page_header(title, lang, language_href=state_query(state.but(lang=other_language(lang))),
                         leaders_link=True, tools=[
        html.Button(text(lang, "coverage.export_csv"), id=Ids.EXPORT_CSV, className="export-button"),
        html.Button(text(lang, "coverage.export_gpkg"), id=Ids.EXPORT_GPKG, className="export-button"),
    ])
    return html.Div(className="coverage", lang=lang, children=[
        dcc.Location(id=Ids.URL, refresh="callback-nav", pathname=pathname, search=state_query(state)),
        dcc.Download(id=Ids.DOWNLOAD),
        header,
        controls(state),
        html.Div(className="coverage-main", children=[
            html.Div(className="map-frame", children=[
                area_map(bounds, tile_url, view),
                html.Div(view.legend, id=Ids.LEGEND, className="map-legend"),
            ]),
            html.Aside(className="coverage-side", children=[
                html.P(view.summary, id=Ids.SUMMARY, className="coverage-summary"),
                html.Div(view.table, id=Ids.TABLE),
            ]),
        ]),
    ])


def unavailable(lang: str, title: str) -> html.Div:
    return html.Div(className="coverage", lang=lang, children=[
        html.Header(className="app-header", children=[html.H1(title)]),
        html.P(text(lang, "coverage.unavailable"), className="coverage-unavailable"),
    ])
