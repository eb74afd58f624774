"""Callbacks of the planner page, registered on the app. One callback turns every action (pick an area,
click a grid, apply a tool, undo, roll back, save) into a call of the provider and redraws the map, the
validation, the impact preview, the history and the grid table; another shows a diff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from dashboard.access.sessions import current_viewer
from dashboard.access.trail import record
from dashboard.data import Level, Providers
from dashboard.i18n import text
from dashboard.planner import layout, views
from dashboard.planner.ids import Ids
from dashboard.planner.state import PlannerState, parse_state, state_query
from geo.api import AuditAction, CandidateRefusedError, ConcurrentSaveError, GeoInputError


def current_state(search: str | None, providers: Providers) -> PlannerState:
    return parse_state(search, parents=[code for code, _, _ in providers.planner.parents()])


@dataclass(frozen=True)
class Action:
    """What the planner just did, from the component that fired."""

    trigger: str
    tool: str = "split"
    selected: tuple[str, ...] = ()
    clicked: str | None = None
    drawn: dict[str, Any] | None = None
    version: str | None = None
    effective: str = ""
    author: str = ""
    reason: str = ""
    mode: str = "after"


def body_of(state: PlannerState, providers: Providers, token: str | None, action: Action) -> dict[str, Any]:
    """Carry out `action` on the session of `token` and return every part of the page that follows."""
    lang, data = state.lang, providers.planner
    token, session = data.session(token, state.parent)
    message, save_message = text(lang, f"planner.hint.{action.tool}"), ""
    selected = list(action.selected)
    try:
        if action.trigger == Ids.GRIDS:
            selected = views.toggled(selected, action.clicked, action.tool)
            message = text(lang, "planner.selected", codes=", ".join(selected) or "—")
        elif action.trigger == Ids.CLEAR or action.trigger == Ids.TOOL:
            selected = []
        elif action.trigger == Ids.APPLY:
            data.edit(token, action.tool, selected, views.drawn_shape(action.drawn, action.tool))
            tool = text(lang, f"planner.tool.{action.tool}")
            message, selected = text(lang, "planner.applied", tool=tool), []
        elif action.trigger == Ids.UNDO:
            data.undo(token)
        elif action.trigger == Ids.ROLLBACK and action.version:
            data.roll_back_to(token, action.version)
            message = text(lang, "planner.rolled_back", version=action.version)
        elif action.trigger == Ids.SAVE:
            save_message = _save(providers, token, action, lang)
    except GeoInputError as error:
        message = text(lang, "planner.refused", reason=str(error))
    candidate = session.candidate
    selected = [code for code in selected if code in set(candidate.grids["code"])]
    problems = data.problems(candidate)
    impact = data.impact(candidate, _date_or_today(action.effective))
    after = action.mode != "before"
    shown = candidate if after else data.base(token)
    grids = data.grids_geojson(shown)
    ring = views.editable_ring(grids, selected[0]) if action.tool == "vertex" and selected else []
    versions = views.history_rows(data.history(state.parent))
    redraw_edit = action.trigger not in (Ids.GRIDS, Ids.MODE) or action.tool == "vertex"
    return {
        "token": token, "selected": selected, "message": message, "save_message": save_message,
        "grids": grids, "bounds": data.bounds(candidate),
        "hideout": {"selected": selected, "changed": sorted(candidate.changed) if after else [],
                    "colours": views.grid_colours(_current_levels(providers, state.parent), impact,
                                                  after=after)},
        "problems": data.problems_geojson(problems),
        "edit_layers": layout.edit_layers(ring) if redraw_edit else no_update,
        "problems_list": layout.problem_list(lang, views.problem_rows(problems, lang)),
        "impact": layout.impact_block(lang, views.impact_summary(impact, lang),
                                      views.impact_rows(impact, lang)),
        "grid_table": layout.table(("code", "name", "households", "population", "workers", "incidents"),
                                   views.grid_rows(data.figures(candidate)), lang, prefix="planner.col"),
        "versions": versions,
    }


def _current_levels(providers: Providers, parent: str) -> dict[str, str]:
    """This month's stored warning level per grid of `parent`."""
    months = providers.indicators.months()
    if not months:
        return {}
    scores = providers.indicators.scores_within(months[-1], Level.GRID, parent)
    return dict(zip(scores.index.astype(str), scores["warning_level"].astype(str), strict=True))


def _date_or_today(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return dt.date.today()


def _save(providers: Providers, token: str, action: Action, lang: str) -> str:
    """Save the session's candidate under the signed-in planner's name (the author field adds a name
    they give, as "li.lei (王芳)"), and log the new version."""
    try:
        effective = dt.date.fromisoformat(action.effective.strip())
    except ValueError:
        return text(lang, "planner.save.bad_date", value=action.effective)
    viewer = current_viewer()
    signed = viewer.actor if viewer is not None else ""
    given = action.author.strip()
    author = f"{signed} ({given})" if signed and given and given != signed else (signed or given)
    try:
        saved = providers.planner.save(token, effective=effective, author=author, reason=action.reason)
    except ConcurrentSaveError as error:
        return text(lang, "planner.save.overtaken", reason=str(error))
    except CandidateRefusedError as error:
        return text(lang, "planner.save.refused", count=len(error.problems), reason=str(error))
    except GeoInputError as error:
        return text(lang, "planner.save.not_saved", reason=str(error))
    record(providers.accounts, AuditAction.BOUNDARY_SAVE, f"version {saved.version_id} of "
           f"{saved.parent_code}, in force from {saved.effective.isoformat()}: {action.reason}")
    return text(lang, "planner.save.saved", version=saved.version_id, effective=saved.effective.isoformat(),
                incidents=saved.incidents_regridded, addresses=saved.addresses_regridded)


_OUTPUTS = ("token", "selected", "message", "save_message", "grids", "hideout", "problems", "edit_layers",
            "problems_list", "impact", "grid_table", "history", "version_options")


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    @app.callback(
        Output(Ids.TOKEN, "data"), Output(Ids.SELECTED, "data"), Output(Ids.MESSAGE, "children"),
        Output(Ids.SAVE_MESSAGE, "children"), Output(Ids.GRIDS, "data"), Output(Ids.GRIDS, "hideout"),
        Output(Ids.PROBLEMS, "data"), Output(Ids.DRAW_GROUP, "children"),
        Output(Ids.PROBLEM_LIST, "children"),
        Output(Ids.IMPACT, "children"), Output(Ids.GRID_TABLE, "children"), Output(Ids.HISTORY, "children"),
        Output(Ids.VERSION, "options"), Output(Ids.MAP, "viewport"), Output(Ids.URL, "search"),
        Input(Ids.PARENT, "value"), Input(Ids.GRIDS, "n_clicks"), Input(Ids.APPLY, "n_clicks"),
        Input(Ids.UNDO, "n_clicks"), Input(Ids.CLEAR, "n_clicks"), Input(Ids.TOOL, "value"),
        Input(Ids.MODE, "value"), Input(Ids.ROLLBACK, "n_clicks"), Input(Ids.SAVE, "n_clicks"),
        State(Ids.TOKEN, "data"), State(Ids.SELECTED, "data"), State(Ids.GRIDS, "clickData"),
        State(Ids.EDIT, "geojson"), State(Ids.VERSION, "value"), State(Ids.EFFECTIVE, "value"),
        State(Ids.AUTHOR, "value"), State(Ids.REASON, "value"), State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def act(parent: str, _grid_clicks: int | None, _apply: int | None, _undo: int | None,
            _clear: int | None, tool: str, mode: str, _rollback: int | None, _save: int | None,
            token: str | None, selected: list[str] | None, click: dict[str, Any] | None,
            drawn: dict[str, Any] | None, version: str | None, effective: str | None, author: str | None,
            reason: str | None, search: str | None) -> tuple[Any, ...]:
        before = current_state(search, providers)
        state = before.but(parent=parent) if parent else before
        clicked = ((click or {}).get("properties") or {}).get("code")
        action = Action(str(dash.ctx.triggered_id), tool or "split", tuple(selected or ()), clicked, drawn,
                        version, effective or "", author or "", reason or "", mode or "after")
        body = body_of(state, providers, token if state.parent == before.parent else None, action)
        body["history"] = layout.history_table(state.lang, body["versions"])
        body["version_options"] = layout.version_options(body["versions"])
        viewport = ({"bounds": body["bounds"], "transition": "flyToBounds"} if action.trigger == Ids.PARENT
                    else no_update)
        search_out = state_query(state) if state != before else no_update
        return (*(body[key] for key in _OUTPUTS), viewport, search_out)

    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Input(Ids.EXPORT, "n_clicks"), State(Ids.TOKEN, "data"), State(Ids.PARENT, "value"),
        prevent_initial_call=True,
    )
    def export(_clicks: int | None, token: str | None, parent: str) -> Any:
        token, _ = providers.planner.session(token, parent)
        record(providers.accounts, AuditAction.EXPORT, f"candidate-{parent}.gpkg")
        return dcc.send_bytes(providers.planner.export(token), f"candidate-{parent}.gpkg")

    @app.callback(
        Output(Ids.DIFF_TABLE, "children"), Output(Ids.DIFF_LAYER, "data"),
        Input(Ids.DIFF, "n_clicks"), State(Ids.VERSION, "value"), State(Ids.PARENT, "value"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def diff(_clicks: int | None, version: str | None, parent: str, search: str | None) -> Any:
        lang = current_state(search, providers).lang
        history = providers.planner.history(parent)
        if not version or history.empty:
            return html.P(text(lang, "planner.history.pick")), layout.EMPTY
        newest = str(history["version_id"].iloc[0])
        try:
            rows = views.diff_rows(providers.planner.diff(version, newest), lang)
        except GeoInputError as error:
            return html.P(str(error)), layout.EMPTY
        outlines = providers.planner.version_geojson(version, [row["code"] for row in rows])
        return [html.P(text(lang, "planner.history.diff_of", first=version, second=newest, count=len(rows))),
                html.P(text(lang, "planner.history.diff_map")),
                layout.table(("code", "change", "households"), rows, lang, prefix="planner.diff")], outlines
