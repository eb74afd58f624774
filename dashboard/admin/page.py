"""The admin page at `/admin`: the accounts (add, disable, enable, a new password) and the audit log,
filtered by who and what. Every change is made under the admin's name and logged."""

from __future__ import annotations

import dash
from dash import html

from dashboard.access.rights import Need
from dashboard.admin import callbacks
from dashboard.admin import layout as admin_layout
from dashboard.admin.state import ROUTE, parse_query
from dashboard.data import Providers
from geo.api import Right

__all__ = ["NEED", "ROUTE", "layout", "register_callbacks"]

#: Who may open the page: administrators.
NEED = Need(Right.USERS)


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    state = parse_query(search)
    return admin_layout.page(state, pathname=pathname, users=callbacks.users_part(providers, state.lang),
                             audit=callbacks.audit_part(providers, search))


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    callbacks.register_callbacks(app, providers)
