"""The coverage page's callbacks: a control change redraws the view; the export buttons send the table
as CSV and the suggested sites as a GeoPackage."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc

from dashboard.access.trail import record
from dashboard.coverage import views
from dashboard.coverage.ids import Ids
from dashboard.coverage.layout import CoverageView, legend, site_list, specialty_label, table
from dashboard.coverage.state import CoverageState, Measure, parse_query, state_query
from dashboard.data import Providers
from dashboard.i18n import text
from geo.api import AuditAction


def render(state: CoverageState, providers: Providers) -> CoverageView:
    """The view of `state`: coloured areas, suggested sites with their bands, legend, summary, table."""
    data, lang = providers.coverage, state.lang
    report = data.report(state.level, state.specialty)
    suggestion = data.suggestion(state.sites, state.method, state.capacity)
    labels = views.site_labels(suggestion.sites, lang)
    sites = data.site_points(suggestion.sites, labels)
    month = data.month()
    title = text(lang, f"coverage.legend.{state.measure}", month=month)
    if state.specialty and state.measure == Measure.UNCOVERED_SHARE.value:
        title = text(lang, "coverage.legend.specialty_share", month=month, km=f"{data.config.specialty_km:g}",
                     specialty=specialty_label(lang, state.specialty))
    sites_title = text(lang, "coverage.legend.sites", km=f"{data.band_m() / 1000:g}")
    return CoverageView(
        areas=views.coloured_areas(data.areas(state.level), report, state.measure, lang),
        bands=data.bands(suggestion.sites),
        sites=sites,
        legend=legend(views.legend_rows(report, state.measure), title, sites_title),
        summary=[views.summary_text(suggestion, month, data.band_m() / 1000, lang), site_list(labels)],
        table=table(views.table_rows(report, lang), lang),
    )


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    @app.callback(
        Output(Ids.AREAS, "data"), Output(Ids.BANDS, "data"), Output(Ids.SITES, "data"),
        Output(Ids.LEGEND, "children"), Output(Ids.SUMMARY, "children"), Output(Ids.TABLE, "children"),
        Output(Ids.URL, "search"), Output(Ids.SITE_COUNT, "disabled"), Output(Ids.CAPACITY, "disabled"),
        Input(Ids.LEVEL, "value"), Input(Ids.MEASURE, "value"), Input(Ids.SPECIALTY, "value"),
        Input(Ids.METHOD, "value"), Input(Ids.SITE_COUNT, "value"), Input(Ids.CAPACITY, "value"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def redraw(
        level: str, measure: str, specialty: str | None, method: str, sites: int, capacity: int | None,
        search: str | None,
    ) -> tuple[Any, ...]:
        lang = parse_query(search).lang
        # Through the query and back: a value the page does not offer falls back to its default.
        state = parse_query(state_query(CoverageState(level=level, measure=measure, specialty=specialty,
                                                      sites=int(sites or 0), method=method,
                                                      capacity=capacity, lang=lang)))
        view = render(state, providers)
        lscp = state.method == "lscp"
        return (view.areas, view.bands, view.sites, view.legend, view.summary, view.table, state_query(state),
                lscp, lscp)

    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Input(Ids.EXPORT_CSV, "n_clicks"), Input(Ids.EXPORT_GPKG, "n_clicks"), State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def export(_csv: int | None, _gpkg: int | None, search: str | None) -> dict[str, Any]:
        state, data = parse_query(search), providers.coverage
        if dash.ctx.triggered_id == Ids.EXPORT_GPKG:
            sites = data.suggestion(state.sites, state.method, state.capacity).sites
            name = f"suggested-sites-{data.month()}.gpkg"
            record(providers.accounts, AuditAction.EXPORT, f"{name} ({len(sites)} sites, {state.method})")
            return dcc.send_bytes(data.sites_gpkg(sites), name)
        report = data.report(state.level, state.specialty)
        name = f"coverage-{state.level}-{data.month()}.csv"
        record(providers.accounts, AuditAction.EXPORT, f"{name} ({len(report)} areas)")
        return dcc.send_string(data.csv(report), name)
