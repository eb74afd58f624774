"""Callbacks of the leaders' map, registered on the app. Each turns component properties into a call of a
view function (views.py) and the result into properties; the URL's query is the one source of the view."""

from __future__ import annotations

from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, Patch, State, ctx, dcc, no_update

from dashboard.access.sessions import sees_personal_fields
from dashboard.access.trail import record
from dashboard.components.trend import month_marker
from dashboard.components.warning_map import warning_legend
from dashboard.data import Providers
from dashboard.i18n import other_language, text
from dashboard.leaders import briefing, layout, views
from dashboard.leaders.ids import Ids
from dashboard.leaders.state import MapLayer, ViewState, next_state, parse_state, slider_months, state_query
from geo.api import AuditAction

_PREFIX = "leaders-"


def current_state(search: str | None, providers: Providers) -> ViewState:
    tree = providers.files.tree()
    return parse_state(search, areas=tree, city=tree.city_code, months=providers.indicators.months())


def _register_navigation(app: dash.Dash, providers: Providers) -> None:
    controls = [
        (Ids.AREAS, "clickData"),
        (Ids.SEARCH, "value"),
        (Ids.MONTH, "value"),
        (Ids.TICK, "n_intervals"),
        (Ids.LAYERS, "value"),
        (Ids.CATEGORIES, "value"),
        (Ids.SOURCES, "value"),
        (Ids.PERIOD, "value"),
        (Ids.FOLLOW, "value"),
    ]

    @app.callback(
        Output(Ids.URL, "search"),
        Output(Ids.MONTH, "value"),
        Output(Ids.LAYERS, "value"),
        Output(Ids.CATEGORIES, "value"),
        Output(Ids.SOURCES, "value"),
        Output(Ids.PERIOD, "value"),
        Output(Ids.FOLLOW, "value"),
        Output(Ids.SEARCH, "value"),
        Input(Ids.URL, "search"),
        *[Input(component, prop) for component, prop in controls],
        prevent_initial_call=True,
    )
    def navigate(search: str | None, *values: Any) -> tuple[Any, ...]:
        trigger = str(ctx.triggered_id or "")
        months = slider_months(providers.indicators.months())
        before = current_state(search, providers)
        new_search: Any = no_update
        if trigger == Ids.URL:  # back, forward or a breadcrumb: the controls follow the URL
            state = before
        else:
            value = values[[str(c) for c, _ in controls].index(trigger)] if trigger else None
            tree = providers.files.tree()
            state = next_state(
                before, trigger.removeprefix(_PREFIX), value, months=providers.indicators.months(), areas=tree
            )
            new_search = state_query(state) if state != before else no_update
        return control_values(state, trigger, new_search, months)

    @app.callback(
        Output(Ids.SEARCH, "options"),
        Input(Ids.SEARCH, "search_value"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def search_areas(query: str | None, search: str | None) -> Any:
        if not query:
            return no_update
        return views.search_options(query, providers, current_state(search, providers).lang)

    @app.callback(
        Output(Ids.TICK, "disabled"),
        Output(Ids.PLAY, "children"),
        Input(Ids.PLAY, "n_clicks"),
        State(Ids.TICK, "disabled"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def play(_: int | None, disabled: bool | None, search: str | None) -> tuple[bool, str]:
        lang = current_state(search, providers).lang
        playing = bool(disabled)  # it was stopped, so it plays now
        return not playing, text(lang, "month.pause" if playing else "month.play")


def _register_map(app: dash.Dash, providers: Providers) -> None:
    @app.callback(
        Output(Ids.AREAS, "url"),
        Output(Ids.AREAS, "hideout"),
        Output(Ids.DETAIL, "children"),
        Output(Ids.CONTEXT, "children"),
        Output(Ids.CENTRES, "children"),
        Output(Ids.ORGS, "children"),
        Output(Ids.MAP, "viewport"),
        Output(Ids.VIEW_KEY, "data"),
        Output(Ids.CRUMBS, "children"),
        Output(Ids.LEGEND, "children"),
        Output(Ids.LANGUAGE, "href"),
        Output(Ids.MONTH_TEXT, "children"),
        Input(Ids.URL, "search"),
        State(Ids.VIEW_KEY, "data"),
        prevent_initial_call=True,
    )
    def show_map(search: str | None, shown_key: dict[str, str] | None) -> tuple[Any, ...]:
        return map_outputs(current_state(search, providers), providers, shown_key)

    @app.callback(Output(Ids.KPI_DATA, "data"), Input(Ids.URL, "search"), prevent_initial_call=True)
    def show_kpis(search: str | None) -> Any:
        return layout.tiles_data(views.kpi_view(current_state(search, providers), providers))

    @app.callback(Output(Ids.PANEL_DATA, "data"), Input(Ids.URL, "search"), prevent_initial_call=True)
    def show_panel(search: str | None) -> Any:
        return views.panel_view(current_state(search, providers), providers,
                                personal_fields=sees_personal_fields())

    # Every hideout also reaches the areas already drawn, even one dash-leaflet skips while it fetches
    # the layer's url (dashboard/assets/area_map.js, applyHideout).
    app.clientside_callback(
        ClientsideFunction(namespace="pinganMap", function_name="applyHideout"),
        Output(Ids.AREAS_STYLED, "data"),
        Input(Ids.AREAS, "hideout"),
    )

    # Drawn in the browser from the data above (dashboard/assets/leaders_panel.js), first paint included.
    for output, function, data in (
        (Ids.KPIS, "kpis", Ids.KPI_DATA),
        (Ids.PANEL, "panelHead", Ids.PANEL_DATA),
        (Ids.CASES, "panelCases", Ids.PANEL_DATA),
    ):
        app.clientside_callback(
            ClientsideFunction(namespace="pinganLeaders", function_name=function),
            Output(output, "children"),
            Input(data, "data"),
        )

    # The browser sets MAP_PAINTED once the areas are on screen (dashboard/assets/area_map.js); only then
    # does the chart, and with it plotly.js, arrive.
    @app.callback(
        Output(Ids.TREND_SLOT, "children"),
        Output(Ids.TREND_KEY, "data", allow_duplicate=True),
        Input(Ids.MAP_PAINTED, "data"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def mount_trend(_: Any, search: str | None) -> tuple[Any, str]:
        state = current_state(search, providers)
        return layout.trend_graph(views.trend_view(state, providers)), layout.trend_key(state)

    @app.callback(
        Output(Ids.TREND, "figure"),
        Output(Ids.TREND_KEY, "data"),
        Input(Ids.URL, "search"),
        State(Ids.TREND_KEY, "data"),
        prevent_initial_call=True,
    )
    def show_trend(search: str | None, shown_key: str | None) -> tuple[Any, Any]:
        return trend_outputs(current_state(search, providers), providers, shown_key)

    @app.callback(
        Output(Ids.HEAT, "children"),
        Output(Ids.HEAT_LEGEND, "children"),
        Input(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_heat(search: str | None) -> tuple[Any, Any]:
        state = current_state(search, providers)
        heat = views.heat_view(state, providers) if state.shows(MapLayer.HEAT) else None
        return layout.heat_layer(heat), layout.heat_legend(heat, state.lang)

    @app.callback(
        Output(Ids.POINTS, "children"),
        Output(Ids.POINTS_NOTE, "children"),
        Input(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_points(search: str | None) -> tuple[Any, Any]:
        state = current_state(search, providers)
        points = views.points_view(state, providers) if state.shows(MapLayer.POINTS) else None
        return layout.points_layer(points, state.lang), points["note"] if points else ""

    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Input(Ids.EXPORT, "n_clicks"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def export(_: int | None, search: str | None) -> dict[str, Any]:
        state = current_state(search, providers)
        name, content = briefing.briefing_file(state, providers)
        record(providers.accounts, AuditAction.EXPORT, f"briefing {name} (area {state.area}, {state.month})")
        return dcc.send_bytes(content, name)


def control_values(state: ViewState, trigger: str, new_search: Any, months: list[str]) -> tuple[Any, ...]:
    """Outputs of `navigate`: the new query and, for each control, its value where the view moved it
    (a control a person just used keeps its own value)."""
    index = {m: i for i, m in enumerate(months)}
    first, last = state.incident_months()
    from_url = trigger == Ids.URL
    return (
        new_search,
        index.get(state.month, len(months) - 1) if trigger in (Ids.URL, Ids.TICK) else no_update,
        list(state.layers) if from_url else no_update,
        list(state.categories) if from_url else no_update,
        list(state.sources) if from_url else no_update,
        [index.get(first, len(months) - 1), index.get(last, len(months) - 1)]
        if trigger in (Ids.URL, Ids.MONTH, Ids.TICK, Ids.FOLLOW)
        else no_update,
        ([] if state.period else ["follow"]) if trigger in (Ids.URL, Ids.PERIOD) else no_update,
        None if trigger == Ids.SEARCH else no_update,
    )


def map_outputs(state: ViewState, providers: Providers, shown: dict[str, str] | None) -> tuple[Any, ...]:
    """Properties of the map for a view. Geometry (area URLs, outlines, viewport) changes only when the
    area in view does, and the place layers only when they or the area do (`shown` is what the browser
    has): a month change sends levels, legend and breadcrumbs, nothing else."""
    view = views.map_view(state, providers)
    key = layout.view_key(view)
    shown = shown or {}
    legend = warning_legend(
        view.legend, lang=state.lang, show=state.shows(MapLayer.WARNING), basis=view.basis
    )
    language_href = state_query(state.but(lang=other_language(state.lang)))
    crumbs = layout.render_crumbs(view.crumbs)
    moved = key["focus"] != shown.get("focus")
    places_changed = key["places"] != shown.get("places")
    detail, context = layout.outline_layers(view) if moved else (no_update, no_update)
    viewport = {
        "bounds": view.bounds,
        "transition": "fitBounds",
        "options": {"padding": [24, 24], "animate": False},
    }
    return (
        view.areas_url if moved else no_update,
        view.hideout,
        detail,
        context,
        layout.place_layer(view.places[MapLayer.CENTRES.value], MapLayer.CENTRES, state.lang)
        if places_changed
        else no_update,
        layout.place_layer(view.places[MapLayer.ORGS.value], MapLayer.ORGS, state.lang)
        if places_changed
        else no_update,
        viewport if moved else no_update,
        key if (moved or places_changed) else no_update,
        crumbs,
        legend,
        language_href,
        state.month,
    )


def trend_outputs(state: ViewState, providers: Providers, shown_key: str | None) -> tuple[Any, Any]:
    """The trend figure; when the area is the one already drawn, only the month marker moves."""
    key = layout.trend_key(state)
    if key == shown_key:
        patch = Patch()
        patch["layout"]["shapes"] = [month_marker(state.month)]
        return patch, no_update
    return views.trend_view(state, providers), key


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    _register_navigation(app, providers)
    _register_map(app, providers)
