"""Components of the planner page, built from the plain data of views.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard.components.header import page_header
from dashboard.data.planner import TOOLS
from dashboard.i18n import other_language, text
from dashboard.planner.ids import Ids
from dashboard.planner.state import PlannerState, state_query

#: What the EditControl may draw: lines for split and redraw, polygons for a block; the rest is off.
DRAW_TOOLS = {"polyline": {"shapeOptions": {"color": "#0b3d91", "weight": 3}}, "polygon": True,
              "rectangle": False, "circle": False, "circlemarker": False, "marker": False}


EMPTY = {"type": "FeatureCollection", "features": []}


def js(name: str) -> dict[str, str]:
    return {"variable": f"pinganPlanner.{name}"}


def table(keys: Sequence[str], rows: Sequence[dict[str, Any]], lang: str, *, prefix: str,
          row_class: str = "") -> html.Table:
    head = html.Tr([html.Th(text(lang, f"{prefix}.{key}")) for key in keys])
    body = [html.Tr([html.Td(str(row[key])) for key in keys],
                    className=str(row.get(row_class, "")) if row_class else None) for row in rows]
    return html.Table([html.Thead(head), html.Tbody(body)], className="data-table")


def edit_layers(ring: list[list[float]]) -> list[Any]:
    """The FeatureGroup's children: the grid whose vertices are edited (if any) and the EditControl."""
    polygon = [dl.Polygon(positions=ring, color="#0b3d91", weight=2, fillOpacity=0.1)] if ring else []
    return [*polygon, dl.EditControl(id=Ids.EDIT, draw=DRAW_TOOLS, edit={"edit": bool(ring)},
                                     position="topleft", geojson={"features": []})]


def workbench_map(bounds: Any, tile_url: str | None, body: dict[str, Any]) -> dl.Map:
    tiles = [dl.TileLayer(url=tile_url, attribution="")] if tile_url else []
    return dl.Map(id=Ids.MAP, className="planner-map", bounds=bounds, boundsOptions={"padding": [12, 12]},
                  zoomSnap=0.25, trackViewport=False, children=[
                      *tiles,
                      dl.GeoJSON(id=Ids.GRIDS, data=body["grids"], hideout=body["hideout"],
                                 style=js("gridStyle"), onEachFeature=js("bindGridTooltip")),
                      dl.GeoJSON(id=Ids.PROBLEMS, data=body["problems"], style=js("problemStyle"),
                                 onEachFeature=js("bindProblemTooltip")),
                      dl.GeoJSON(id=Ids.DIFF_LAYER, data=EMPTY, style=js("diffStyle"), interactive=False),
                      dl.FeatureGroup(id=Ids.DRAW_GROUP, children=body["edit_layers"]),
                  ])


def primer_map() -> html.Div:
    """A tiny map with an EditControl, mounted before the workbench map: Leaflet.draw is then loaded when
    the real EditControl meets existing polygons (dash-leaflet issues #217 and #283)."""
    return html.Div(className="planner-primer", children=dl.Map(
        id=Ids.PRIMER, center=[40.0, 97.0], zoom=3, zoomControl=False, attributionControl=False,
        children=dl.FeatureGroup(dl.EditControl(id=Ids.PRIMER_EDIT, draw=dict.fromkeys(DRAW_TOOLS, False),
                                       edit={"edit": False, "remove": False}))))


def controls(state: PlannerState, parents: Sequence[tuple[str, str, str]]) -> html.Div:
    lang = state.lang
    return html.Div(className="planner-controls", children=[
        html.Label([text(lang, "planner.parent"), dcc.Dropdown(
            id=Ids.PARENT, value=state.parent, clearable=False,
            options=[{"label": f"{name} ({text(lang, f'level.{level}')} {code})", "value": code}
                     for code, name, level in parents])], className="planner-parent"),
        html.Label([text(lang, "planner.tool"), dcc.RadioItems(
            id=Ids.TOOL, value=TOOLS[0], inline=True,
            options=[{"label": text(lang, f"planner.tool.{tool}"), "value": tool} for tool in TOOLS])]),
        html.Div(className="planner-buttons", children=[
            html.Button(text(lang, "planner.apply"), id=Ids.APPLY, className="planner-button primary"),
            html.Button(text(lang, "planner.undo"), id=Ids.UNDO, className="planner-button"),
            html.Button(text(lang, "planner.clear"), id=Ids.CLEAR, className="planner-button"),
        ]),
        html.Label([text(lang, "planner.mode"), dcc.RadioItems(
            id=Ids.MODE, value="after", inline=True,
            options=[{"label": text(lang, f"planner.mode.{m}"), "value": m} for m in ("after", "before")])]),
    ])


def save_form(lang: str) -> html.Div:
    return html.Div(className="planner-save", children=[
        html.H3(text(lang, "planner.save.title")),
        dcc.Input(id=Ids.EFFECTIVE, type="text", value=dt.date.today().isoformat(),
                  placeholder="YYYY-MM-DD", className="planner-input"),
        dcc.Input(id=Ids.AUTHOR, type="text", placeholder=text(lang, "planner.save.author"),
                  className="planner-input"),
        dcc.Input(id=Ids.REASON, type="text", placeholder=text(lang, "planner.save.reason"),
                  className="planner-input wide"),
        html.Button(text(lang, "planner.save.button"), id=Ids.SAVE, className="planner-button primary"),
        html.Button(text(lang, "planner.export"), id=Ids.EXPORT, className="planner-button"),
        dcc.Download(id=Ids.DOWNLOAD),
        html.Div(id=Ids.SAVE_MESSAGE, className="planner-save-message"),
    ])


def history_block(lang: str, versions: list[dict[str, str]]) -> html.Div:
    return html.Div(className="planner-history-block", children=[
        html.H3(text(lang, "planner.history.title")),
        html.Div(id=Ids.HISTORY, children=history_table(lang, versions)),
        html.Div(className="planner-history-tools", children=[
            dcc.Dropdown(id=Ids.VERSION, options=version_options(versions), clearable=True,
                         placeholder=text(lang, "planner.history.pick"), className="planner-version"),
            html.Button(text(lang, "planner.history.diff"), id=Ids.DIFF, className="planner-button"),
            html.Button(text(lang, "planner.history.rollback"), id=Ids.ROLLBACK, className="planner-button"),
        ]),
        html.Div(id=Ids.DIFF_TABLE),
    ])


def history_table(lang: str, versions: list[dict[str, str]]) -> html.Table:
    return table(("version", "effective", "author", "reason", "saved_at"), versions, lang,
                 prefix="planner.history")


def version_options(versions: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"label": f"{v['version']} ({v['effective']})", "value": v["version"]} for v in versions]


def problem_list(lang: str, rows: list[dict[str, str]]) -> list[Any]:
    if not rows:
        return [html.P(text(lang, "planner.valid"), className="planner-valid")]
    blocking = sum(row["severity"] == "blocking" for row in rows)
    return [html.P(text(lang, "planner.problems", count=len(rows), blocking=blocking)),
            html.Ul([html.Li([html.Strong(f"{row['code']} · {row['kind']} · {row['blocking']}: "),
                              row["detail"]], className=f"problem {row['severity']}") for row in rows],
                    className="planner-problems")]


def impact_block(lang: str, summary: str, rows: list[dict[str, Any]]) -> list[Any]:
    return [html.P(summary, className="planner-impact-summary"),
            table(("code", "change", "households", "workers", "warning"), rows, lang,
                  prefix="planner.impact")]


def page(state: PlannerState, *, parents: Sequence[tuple[str, str, str]], body: dict[str, Any],
         tile_url: str | None, pathname: str) -> html.Div:
    lang = state.lang
    header = page_header(f"{text(lang, 'app.name')} · {text(lang, 'planner.title')}", lang,
                         language_href=state_query(state.but(lang=other_language(lang))), leaders_link=True)
    return html.Div(className="planner", lang=lang, children=[
        dcc.Location(id=Ids.URL, refresh="callback-nav", pathname=pathname, search=state_query(state)),
        dcc.Store(id=Ids.TOKEN, data=body["token"]),
        dcc.Store(id=Ids.SELECTED, data=[]),
        primer_map(),
        header,
        controls(state, parents),
        html.Div(body["message"], id=Ids.MESSAGE, className="planner-message"),
        html.Div(className="planner-main", children=[
            html.Div(className="map-frame", children=[workbench_map(body["bounds"], tile_url, body)]),
            html.Aside(className="planner-side", children=[
                html.H3(text(lang, "planner.validation")),
                html.Div(body["problems_list"], id=Ids.PROBLEM_LIST),
                html.H3(text(lang, "planner.impact.title")),
                html.Div(body["impact"], id=Ids.IMPACT),
                save_form(lang),
                history_block(lang, body["versions"]),
                html.H3(text(lang, "planner.grids")),
                html.Div(body["grid_table"], id=Ids.GRID_TABLE),
            ]),
        ]),
    ])


def unavailable(lang: str) -> html.Div:
    return html.Div(className="planner", lang=lang, children=[
        html.Header(className="app-header", children=[html.H1(text(lang, "planner.title"))]),
        html.P(text(lang, "planner.unavailable"), className="planner-unavailable"),
    ])
