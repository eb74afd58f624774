"""Callbacks of the wall, registered on the app: one server callback answers both the refresh timer and a
change of view, and a few clientside hooks (dashboard/assets/wall.js) keep the clock, the stale banner,
the rotation order and the pause key going while the server is away.

The refresh returns aggregates only (`dashboard.data.wall`, the `wall` provider), and when the store is
away it answers with a status the page shows as stale instead of failing, so a kiosk browser never sees
an error.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.data import Providers
from dashboard.data.route_plans import RoutePlans, WeekRoutes
from dashboard.data.wall import WallDigest, WallFeed
from dashboard.i18n import DEFAULT_LANGUAGE, language, text
from dashboard.wall import routes_view
from dashboard.wall import views as views_
from dashboard.wall.ids import Ids, kpi_note_id, kpi_value_id, layer_id
from dashboard.wall.kiosk_http import HeatImages, heat_path, serve_heat, serve_only_the_wall
from dashboard.wall.state import ROUTE
from dashboard.wall.views import MAP_LEVELS, WallView
from geo.api import city_today

_DEFAULT_SCREEN_HEIGHT: Final = 1080

logger = logging.getLogger(__name__)


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    """The wall's refresh and clientside callbacks and its heat images; with `wall_only`, the redirect
    that makes the wall the only page. Nothing is read from the store here."""
    serve_heat(app, HeatImages(providers.wall))
    if providers.settings.wall_only:
        serve_only_the_wall(app, ROUTE)
    _register_refresh(app, providers.wall, lambda version: heat_path(app, version), providers.routes)
    _register_clientside(app)


# ---------------------------------------------------------------- the refresh


@dataclass(frozen=True)
class Frame:
    """What the picture on the page was drawn from."""

    version: str
    view: str
    screen_height: int
    lang: str
    day: str  # the city's date: at midnight the "today" tile starts again, store change or not

    def as_data(self) -> dict[str, Any]:
        return {"version": self.version, "view": self.view, "screen_height": self.screen_height,
                "lang": self.lang, "day": self.day}


def status_data(ok: bool, frame: dict[str, Any] | None, tick: int | None) -> dict[str, Any]:
    """The page's status: whether the last refresh got data, and the frame on screen (kept through an
    outage, so that the first good answer after it redraws only if something changed)."""
    return {"ok": ok, "frame": frame, "tick": tick or 0}


def _frame_of(status: Mapping[str, Any] | None) -> dict[str, Any] | None:
    frame = (status or {}).get("frame")
    return frame if isinstance(frame, dict) else None


def map_moves(shown: Mapping[str, Any] | None, frame: Mapping[str, Any]) -> bool:
    """The map flies to the view's bounds when the view or the screen changed, not on a data refresh."""
    if shown is None:
        return True
    return (shown.get("view"), shown.get("screen_height")) != (frame["view"], frame["screen_height"])


_FRAME_OUTPUTS: Final = (
    Output(Ids.VIEW_TITLE, "children"),
    Output(Ids.MONTH, "children"),
    Output(Ids.AS_OF, "children"),
    Output(Ids.TREND, "figure"),
    Output(Ids.LATEST, "children"),
    Output(Ids.COUNTIES, "hideout"),
    Output(Ids.TOWNSHIPS, "hideout"),
    Output(Ids.GRIDS, "hideout"),
    Output(Ids.MAP, "viewport"),
    Output(Ids.HEAT, "url"),
    Output(Ids.HEAT, "bounds"),
    Output(Ids.HEAT, "opacity"),
    Output(Ids.ROUTES, "data"),
    Output(Ids.LEGEND, "children"),
    Output(Ids.ROTATION, "children"),
    *(Output(id_of(key), "children")
      for key in views_.KPI_KEYS for id_of in (kpi_value_id, kpi_note_id)),
)


def frame_values(
    digest: WallDigest,
    view: WallView,
    rotation: Sequence[WallView],
    lang: str,
    *,
    heat_url: str,
    screen_height: int,
    move_map: bool,
    day: str,
    week: WeekRoutes | None = None,
) -> tuple[Any, ...]:
    """The values of `_FRAME_OUTPUTS` for one view of one digest on `day` (the city's date, for the
    "today" tile). Layer styles carry a `stamp` (the time in ms) by which the page tells the newest from
    older ones (see dashboard/assets/wall.js). `week` is the week's routes, drawn in the routes view only."""
    stamp = time.time_ns() // 1_000_000
    scope = digest.scopes.get(view.scope) or digest.scopes[digest.city.code]
    routes_shown = view.kind is views_.ViewKind.ROUTES
    state = views_.map_state(digest, view, routes_bounds=week.bounds if week and routes_shown else None)
    today, yesterday = views_.reported_on(scope, day)
    figures = views_.kpi_figures(scope.kpis, lang, today=today, yesterday=yesterday)
    (south, west), (north, east) = digest.heat.bounds if digest.heat is not None else digest.city.bounds
    return (
        view.title,
        views_.month_label(digest.month, lang),
        text(lang, "wall.as_of", time=digest.as_of),
        views_.trend_figure(scope.trend, lang, screen_height=screen_height),
        views_.latest_list(scope.latest, lang),
        {**state.counties, "stamp": stamp},
        {**state.townships, "stamp": stamp},
        {**state.grids, "stamp": stamp},
        state.viewport if move_map else dash.no_update,
        heat_url,
        [[south, west], [north, east]],
        state.heat_opacity,
        routes_view.route_lines(week if routes_shown else None),
        routes_view.routes_legend(week, lang) if routes_shown else views_.legend(digest, view, lang),
        views_.rotation_strip(rotation, view),
        *(part for key in views_.KPI_KEYS for part in figures[key]),
    )


def _register_refresh(
    app: dash.Dash, feed: WallFeed, heat_url: Callable[[str], str], routes: RoutePlans
) -> None:
    unchanged = tuple(dash.no_update for _ in _FRAME_OUTPUTS)

    @app.callback(
        *_FRAME_OUTPUTS,
        Output(Ids.STATUS, "data"),
        Input(Ids.REFRESH, "n_intervals"),
        Input(Ids.VIEW, "data"),
        Input(Ids.SCREEN, "data"),
        State(Ids.STATUS, "data"),
        State(Ids.LANGUAGE, "data"),
    )
    def refresh(
        tick: int | None,
        view_key: str | None,
        screen: dict[str, Any] | None,
        previous: dict[str, Any] | None,
        lang: str | None,
    ) -> tuple[Any, ...]:
        shown = _frame_of(previous)
        try:
            digest = feed.digest()
        except Exception:
            # An unattended wall keeps its last frame whatever went wrong with the data; the status tells
            # the page to mark that frame stale, and the log says why.
            logger.warning("wall refresh: data unavailable, the page keeps its last frame", exc_info=True)
            return (*unchanged, status_data(False, shown, tick))
        lang = language(lang or DEFAULT_LANGUAGE)
        rotation = views_.wall_views(digest.city.code, [(c.code, c.name) for c in digest.counties], lang,
                                     with_routes=routes.available())
        view = views_.choose_view(rotation, view_key)
        height = int((screen or {}).get("height") or _DEFAULT_SCREEN_HEIGHT)
        day = city_today()
        frame = Frame(digest.version, view.key, height, lang, day).as_data()
        if frame == shown:
            return (*unchanged, status_data(True, shown, tick))
        if view.kind is views_.ViewKind.COVERAGE:
            digest = feed.with_reach()
        week = routes.week(dt.date.today()) if view.kind is views_.ViewKind.ROUTES else None
        values = frame_values(digest, view, rotation, lang, heat_url=heat_url(digest.version),
                              screen_height=height, move_map=map_moves(shown, frame), day=day, week=week)
        return (*values, status_data(True, frame, tick))


def _register_clientside(app: dash.Dash) -> None:
    """Rotation, status and layer-style hooks; the functions are in dashboard/assets/wall.js."""

    def clientside(function: str, output: Output, *inputs: Input | State) -> None:
        app.clientside_callback(
            ClientsideFunction(namespace="pinganWall", function_name=function), output, *inputs
        )

    clientside("rotate", Output(Ids.VIEW, "data"), Input(Ids.ROTATE, "n_intervals"), State(Ids.VIEW, "data"),
               State(Ids.VIEWS, "data"))
    clientside("noteStatus", Output(Ids.STATUS_SEEN, "data"), Input(Ids.STATUS, "data"))
    clientside("noteHideouts", Output(Ids.HIDEOUTS_SEEN, "data"),
               *(Input(layer_id(level), "hideout") for level in MAP_LEVELS))
    clientside("screen", Output(Ids.SCREEN, "data"), Input(Ids.VIEWS, "data"))
