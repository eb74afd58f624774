"""Callbacks of the admin page: account changes go through geo (each one in the audit log under the
admin's name), then the users table and the log are drawn again; the filters set the URL's query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from dash import Input, Output, State, ctx, html, no_update

from dashboard.access.sessions import current_viewer
from dashboard.access.trail import request_address
from dashboard.admin import layout, views
from dashboard.admin.ids import Ids
from dashboard.admin.state import parse_query, state_query
from dashboard.data import Providers
from dashboard.i18n import text
from geo.api import GeoInputError


def users_part(providers: Providers, lang: str) -> list[dict[str, str]]:
    viewer = current_viewer()
    users = providers.accounts.users()
    if viewer is not None and not viewer.city_wide:  # an admin of a county sees its accounts
        users = users[[viewer.sees(str(scope)) for scope in users["area_scope"]]]
    return views.user_rows(users, lang)


def audit_part(providers: Providers, search: str | None) -> list[dict[str, str]]:
    state = parse_query(search)
    return views.audit_rows(providers.accounts.audit_log(actor=state.actor, action=state.action))


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    accounts = providers.accounts

    @app.callback(Output(Ids.AUDIT, "children"), Input(Ids.URL, "search"), prevent_initial_call=True)
    def show_log(search: str | None) -> Any:
        lang = parse_query(search).lang
        return layout.table(audit_part(providers, search), layout.AUDIT_COLUMNS, lang, "admin-audit")

    @app.callback(Output(Ids.URL, "search"), Input(Ids.ACTOR, "value"), Input(Ids.ACTION, "value"),
                  State(Ids.URL, "search"), prevent_initial_call=True)
    def filter_log(actor: str | None, action: str | None, search: str | None) -> str:
        return state_query(parse_query(search).but(actor=(actor or "").strip(), action=action or ""))

    def change(search: str | None, act: Callable[[], str]) -> tuple[Any, ...]:
        """Run one account change; the message, and the users and log drawn again."""
        lang = parse_query(search).lang
        try:
            message, tone = act(), "done"
        except GeoInputError as error:
            message, tone = str(error), "refused"
        users = users_part(providers, lang)
        log = audit_part(providers, search)
        return (html.P(message, className=tone),
                layout.table(users, layout.USER_COLUMNS, lang, "admin-users"), layout.user_options(users),
                layout.table(log, layout.AUDIT_COLUMNS, lang, "admin-audit"))

    outputs = (Output(Ids.MESSAGE, "children"), Output(Ids.USERS, "children"), Output(Ids.PICK, "options"),
               Output(Ids.AUDIT, "children", allow_duplicate=True))

    @app.callback(*outputs, Input(Ids.ADD, "n_clicks"), State(Ids.NEW_ID, "value"),
                  State(Ids.NEW_ROLE, "value"), State(Ids.NEW_SCOPE, "value"),
                  State(Ids.NEW_PASSWORD, "value"), State(Ids.URL, "search"), prevent_initial_call=True)
    def add(_: int | None, user_id: str | None, role: str | None, scope: str | None, password: str | None,
            search: str | None) -> tuple[Any, ...]:
        viewer = current_viewer()
        if viewer is None:
            return tuple(no_update for _ in outputs)

        def act() -> str:
            accounts.add_user(viewer, (user_id or "").strip(), password or "", role=role or "",
                              scope=(scope or "").strip(), address=request_address())
            return text(parse_query(search).lang, "admin.added", user=user_id)

        return change(search, act)

    @app.callback(*outputs, Input(Ids.DISABLE, "n_clicks"), Input(Ids.ENABLE, "n_clicks"),
                  Input(Ids.RESET, "n_clicks"), State(Ids.PICK, "value"), State(Ids.PASSWORD, "value"),
                  State(Ids.URL, "search"), prevent_initial_call=True)
    def switch(_d: int | None, _e: int | None, _r: int | None, user_id: str | None, password: str | None,
               search: str | None) -> tuple[Any, ...]:
        viewer = current_viewer()
        if viewer is None or not user_id:
            return tuple(no_update for _ in outputs)
        lang, trigger = parse_query(search).lang, ctx.triggered_id

        def act() -> str:
            if trigger == Ids.RESET:
                accounts.reset_password(viewer, user_id, password or "", address=request_address())
                return text(lang, "admin.password_set", user=user_id)
            enabled = trigger == Ids.ENABLE
            accounts.switch_user(viewer, user_id, enabled=enabled, address=request_address())
            return text(lang, "admin.enabled" if enabled else "admin.disabled_now", user=user_id)

        return change(search, act)
