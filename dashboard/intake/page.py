"""The intake page at `/intake`, for clerks: upload an incident file through the same intake as
`pingan ingest`, see where each import's rows went, and read or export the quarantine with its reasons."""

from __future__ import annotations

import dash
from dash import html

from dashboard.access.rights import Need
from dashboard.data import Providers
from dashboard.intake import callbacks, views
from dashboard.intake import layout as intake_layout
from dashboard.intake.state import ROUTE, parse_query
from geo.api import Right

__all__ = ["NEED", "ROUTE", "layout", "register_callbacks"]

#: Who may open the page: clerks (and admins); the raw rows of the quarantine name people.
NEED = Need(Right.INTAKE)


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    state = parse_query(search)
    return intake_layout.page(
        state, pathname=pathname, sources=providers.intake.sources(),
        imports=views.import_rows(providers.intake.imports()),
        quarantine=callbacks.quarantine_part(state, providers),
    )


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    callbacks.register_callbacks(app, providers)
