"""The intake page's components, built from what views.py returns."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.components.header import page_header
from dashboard.data.intake import MAX_UPLOAD_BYTES
from dashboard.i18n import other_language, text
from dashboard.intake import views
from dashboard.intake.ids import Ids
from dashboard.intake.state import IntakeState, state_query


def imports_table(rows: list[dict[str, str]], state: IntakeState) -> html.Table:
    lang = state.lang
    columns = ["started_at", "file_name", "read", "accepted", "quarantined", "skipped_existing"]
    head = html.Thead(html.Tr([html.Th(text(lang, f"intake.col.{c}")) for c in columns]))
    body = html.Tbody([
        html.Tr([html.Td(dcc.Link(row[c], href=state_query(state.but(import_id=row["import_id"], reason="")))
                         if c == "file_name" else row[c]) for c in columns],
                className="selected" if row["import_id"] == state.import_id else "")
        for row in rows
    ])
    return html.Table([head, body], className="data-table intake-imports")


def quarantine_table(rows: list[dict[str, str]], lang: str) -> html.Table:
    columns = ["file", "row", "reason", "detail", "raw"]
    return html.Table([
        html.Thead(html.Tr([html.Th(text(lang, f"intake.col.{c}")) for c in columns])),
        html.Tbody([html.Tr([html.Td(row[c], className=f"cell-{c}") for c in columns]) for row in rows]),
    ], className="data-table intake-quarantine")


def page(state: IntakeState, *, pathname: str, sources: list[str], imports: list[dict[str, str]],
         quarantine: list[Any]) -> html.Div:
    lang = state.lang
    header = page_header(f"{text(lang, 'app.name')} · {text(lang, 'nav.intake')}", lang,
                         language_href=state_query(state.but(lang=other_language(lang))))
    upload = html.Section(className="intake-upload", children=[
        html.H2(text(lang, "intake.upload.title")),
        html.Label([text(lang, "intake.upload.source"), dcc.Dropdown(
            id=Ids.SOURCE, options=[{"label": text(lang, "intake.upload.detect"), "value": ""}]
            + [{"label": name, "value": name} for name in sources], value="", clearable=False)]),
        dcc.Upload(id=Ids.UPLOAD, max_size=MAX_UPLOAD_BYTES, multiple=False, className="upload-zone",
                   children=html.Div(text(lang, "intake.upload.drop", mb=MAX_UPLOAD_BYTES // 2**20))),
        html.Div(id=Ids.SUMMARY, className="intake-summary", role="status"),
    ])
    listed = html.Section([html.H2(text(lang, "intake.imports")),
                           html.Div(imports_table(imports, state), id=Ids.IMPORTS)])
    held = html.Section(className="intake-held", children=[
        html.H2(text(lang, "intake.quarantine")),
        html.Div(className="controls-bar", children=[
            dcc.Dropdown(id=Ids.REASON, options=views.reason_options(lang), value=state.reason or None,
                         placeholder=text(lang, "intake.every_reason"), className="intake-reason"),
            html.Button(text(lang, "intake.export"), id=Ids.EXPORT, className="export-button"),
            dcc.Download(id=Ids.DOWNLOAD),
        ]),
        html.Div(quarantine, id=Ids.QUARANTINE),
    ])
    return html.Div([dcc.Location(id=Ids.URL, refresh="callback-nav", pathname=pathname,
                                  search=state_query(state)), header,
                     html.Main([upload, listed, held], className="intake-main")], className="intake")
