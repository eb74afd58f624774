"""Callbacks of the intake page: an upload goes through the intake and selects its import; the URL's
query picks the import and the reason shown; the export sends the quarantined rows as CSV. Uploads and
exports are in the audit log."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from dashboard.access.sessions import sees_personal_fields
from dashboard.access.trail import record
from dashboard.data import Providers
from dashboard.data.intake import SHOWN_ROWS
from dashboard.i18n import text
from dashboard.intake import layout, views
from dashboard.intake.ids import Ids
from dashboard.intake.state import IntakeState, parse_query, state_query
from geo.api import AuditAction, GeoInputError


def quarantine_part(state: IntakeState, providers: Providers) -> list[Any]:
    rows = providers.intake.quarantine(import_id=state.import_id, reason=state.reason)
    shown = views.quarantine_rows(rows, state.lang, personal_fields=sees_personal_fields(), limit=SHOWN_ROWS)
    return [html.P(views.quarantine_note(len(rows), len(shown), state.lang), className="panel-small"),
            layout.quarantine_table(shown, state.lang)]


def imports_part(state: IntakeState, providers: Providers) -> html.Table:
    return layout.imports_table(views.import_rows(providers.intake.imports()), state)


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    @app.callback(Output(Ids.IMPORTS, "children"), Output(Ids.QUARANTINE, "children"),
                  Input(Ids.URL, "search"), prevent_initial_call=True)
    def show(search: str | None) -> tuple[Any, Any]:
        state = parse_query(search)
        return imports_part(state, providers), quarantine_part(state, providers)

    @app.callback(Output(Ids.URL, "search"), Input(Ids.REASON, "value"), State(Ids.URL, "search"),
                  prevent_initial_call=True)
    def choose_reason(reason: str | None, search: str | None) -> str:
        return state_query(parse_query(search).but(reason=reason or ""))

    @app.callback(Output(Ids.SUMMARY, "children"), Output(Ids.URL, "search", allow_duplicate=True),
                  Input(Ids.UPLOAD, "contents"), State(Ids.UPLOAD, "filename"), State(Ids.SOURCE, "value"),
                  State(Ids.URL, "search"), prevent_initial_call=True)
    def upload(contents: str | None, file_name: str | None, source: str | None, search: str | None) -> Any:
        state = parse_query(search)
        if not contents:
            return no_update, no_update
        try:
            summary = providers.intake.ingest(file_name or "upload", views.decoded_upload(contents),
                                              source=source or None)
        except (GeoInputError, ValueError) as error:
            refused = text(state.lang, "intake.refused", reason=str(error))
            return html.P(refused, className="refused"), no_update
        record(providers.accounts, AuditAction.IMPORT, f"{summary.file_name}: read {summary.read}, accepted "
               f"{summary.accepted}, quarantined {summary.quarantined}, skipped {summary.skipped_existing}")
        lines = [html.Div(line) for line in views.summary_lines(summary, state.lang)]
        return lines, state_query(state.but(import_id=summary.import_id, reason=""))

    @app.callback(Output(Ids.DOWNLOAD, "data"), Input(Ids.EXPORT, "n_clicks"), State(Ids.URL, "search"),
                  prevent_initial_call=True)
    def export(_: int | None, search: str | None) -> Any:
        state = parse_query(search)
        rows = providers.intake.quarantine(import_id=state.import_id, reason=state.reason)
        if not sees_personal_fields():
            rows = rows.assign(raw=views.WITHHELD)
        record(providers.accounts, AuditAction.QUARANTINE, f"exported {len(rows)} quarantined rows (import "
               f"{state.import_id or 'all'}, reason {state.reason or 'all'})")
        return dcc.send_string(providers.intake.quarantine_csv(rows), "quarantine.csv")
