"""The admin page's components, built from what views.py returns."""

from __future__ import annotations

from dash import dcc, html

from dashboard.admin import views
from dashboard.admin.ids import Ids
from dashboard.admin.state import AdminState, state_query
from dashboard.components.header import page_header
from dashboard.i18n import other_language, text

USER_COLUMNS = ("user_id", "role", "scope", "failed", "locked_until", "state")
AUDIT_COLUMNS = ("at", "actor", "action", "detail", "address")


def table(rows: list[dict[str, str]], columns: tuple[str, ...], lang: str, class_name: str) -> html.Table:
    return html.Table([
        html.Thead(html.Tr([html.Th(text(lang, f"admin.col.{c}")) for c in columns])),
        html.Tbody([html.Tr([html.Td(row[c]) for c in columns]) for row in rows]),
    ], className=f"data-table {class_name}")


def user_options(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"label": f"{row['user_id']} · {row['role']} · {row['scope']}", "value": row["user_id"]}
            for row in rows]


def _field(label: str, control: object) -> html.Label:
    return html.Label([label, control], className="admin-field")


def page(state: AdminState, *, pathname: str, users: list[dict[str, str]],
         audit: list[dict[str, str]]) -> html.Div:
    lang = state.lang
    header = page_header(f"{text(lang, 'app.name')} · {text(lang, 'nav.admin')}", lang,
                         language_href=state_query(state.but(lang=other_language(lang))))
    adding = html.Div(className="controls-bar admin-add", children=[
        _field(text(lang, "admin.col.user_id"), dcc.Input(id=Ids.NEW_ID, type="text", maxLength=32)),
        _field(text(lang, "admin.col.role"), dcc.Dropdown(id=Ids.NEW_ROLE, options=views.role_options(lang),
                                                          value="leader", clearable=False)),
        _field(text(lang, "admin.col.scope"), dcc.Input(id=Ids.NEW_SCOPE, type="text", maxLength=17)),
        _field(text(lang, "admin.password"), dcc.Input(id=Ids.NEW_PASSWORD, type="password", maxLength=256)),
        html.Button(text(lang, "admin.add"), id=Ids.ADD, className="action-button"),
    ])
    changing = html.Div(className="controls-bar admin-change", children=[
        dcc.Dropdown(id=Ids.PICK, options=user_options(users), placeholder=text(lang, "admin.pick"),
                     className="admin-pick"),
        html.Button(text(lang, "admin.disable"), id=Ids.DISABLE, className="action-button"),
        html.Button(text(lang, "admin.enable"), id=Ids.ENABLE, className="action-button"),
        dcc.Input(id=Ids.PASSWORD, type="password", maxLength=256, placeholder=text(lang, "admin.password")),
        html.Button(text(lang, "admin.reset"), id=Ids.RESET, className="action-button"),
    ])
    log_filters = html.Div(className="controls-bar", children=[
        dcc.Input(id=Ids.ACTOR, type="text", value=state.actor, debounce=True, maxLength=64,
                  placeholder=text(lang, "admin.col.actor")),
        dcc.Dropdown(id=Ids.ACTION, options=views.action_options(), value=state.action or None,
                     placeholder=text(lang, "admin.every_action"), className="admin-action"),
    ])
    return html.Div([
        dcc.Location(id=Ids.URL, refresh="callback-nav", pathname=pathname, search=state_query(state)),
        header,
        html.Main(className="admin-main", children=[
            html.Section([html.H2(text(lang, "admin.users")), adding, changing,
                          html.Div(id=Ids.MESSAGE, className="admin-message", role="status"),
                          html.Div(table(users, USER_COLUMNS, lang, "admin-users"), id=Ids.USERS)]),
            html.Section([html.H2(text(lang, "admin.audit")), log_filters,
                          html.Div(table(audit, AUDIT_COLUMNS, lang, "admin-audit"), id=Ids.AUDIT)]),
        ]),
    ], className="admin")
