"""The command-centre wall at /wall: a dark, read-only picture of the city that rotates through its views,
refreshes itself in place and, when the data stops answering, keeps the last frame marked stale.

One server callback answers both the refresh timer and a change of view. It returns aggregates only
(`dashboard.data.wall`), and when the store is away it answers with a status the page shows as stale
instead of failing, so a kiosk browser never sees an error. The clock, the stale banner, the rotation
order and the pause key live in dashboard/assets/wall.js and keep going while the server is away.

Query: `?view=` pins a view (city, a county code, heat, coverage), `?pause=1` starts paused (the space
bar toggles), `?lang=en` switches the strings.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qs

import dash
from dash import ClientsideFunction, Input, Output, State, html

from dashboard.data import AreaOverview, Providers, StoreError
from dashboard.data.wall import WallDigest, WallFeed
from dashboard.i18n import CATALOGUE, DEFAULT_LANGUAGE, language
from dashboard.pages import wall_layout
from dashboard.pages import wall_views as views_
from dashboard.pages.wall_heat import TRANSPARENT_DATA_URL
from dashboard.pages.wall_layout import MAP_LEVELS, Ids, WallTiming, kpi_note_id, kpi_value_id, layer_id
from dashboard.pages.wall_routes import HeatImages, heat_path, serve_heat, serve_only_the_wall
from dashboard.pages.wall_views import WallView
from dashboard.settings import Settings
from geo.api import CITY_CODE

#: Router key of the wall (the path without Dash's prefix and slashes).
ROUTE: Final = "wall"
_STALE_AFTER_INTERVALS: Final = 2.5
_MIN_STALE_AFTER_MS: Final = 3_000
_DEFAULT_SCREEN_HEIGHT: Final = 1080
#: Jiuquan's extent, for a page drawn before the store could be read; the first good frame moves the map.
_FALLBACK_BOUNDS: Final = ((38.0, 92.0), (43.0, 100.5))

logger = logging.getLogger(__name__)


def wall_timing(settings: Settings) -> WallTiming:
    refresh_ms = round(settings.wall_refresh_seconds * 1000)
    return WallTiming(
        refresh_ms=refresh_ms,
        rotate_ms=round(settings.wall_rotate_seconds * 1000),
        stale_after_ms=max(_MIN_STALE_AFTER_MS, round(refresh_ms * _STALE_AFTER_INTERVALS)),
    )


def _query(search: str | None) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs((search or "").lstrip("?")).items() if values}


def _views_of(overview: AreaOverview | None, text: Mapping[str, str]) -> tuple[WallView, ...]:
    counties = [] if overview is None else [
        (code, name) for code, name in overview.names.items() if len(code) == len(CITY_CODE)
    ]
    return views_.wall_views(CITY_CODE, counties, text)


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    """The wall's page: the shell the callbacks fill, in the language of `?lang=` (default zh-CN).

    Opened while the store is away, the shell comes without the map's layers, and the page reloads itself
    once data answers again.
    """
    lang = language(_query(search).get("lang"))
    text = CATALOGUE[lang]
    try:
        shown: AreaOverview | None = providers.maps.overview(MAP_LEVELS)
    except StoreError:
        logger.warning("wall page opened while the store is unavailable: drawn without the map's layers")
        shown = None
    return wall_layout.layout(
        views=_views_of(shown, text),
        text=text,
        lang=lang,
        city_name=shown.city_name if shown is not None else "",
        file_urls={} if shown is None else {
            layer.level: providers.mapdata_url(layer.file_name) for layer in shown.layers
        },
        bounds=shown.bounds if shown is not None else _FALLBACK_BOUNDS,
        heat_url=TRANSPARENT_DATA_URL,
        timing=wall_timing(providers.settings),
    )


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    """The wall's refresh and clientside callbacks and its heat images; with `wall_only`, the redirect
    that makes the wall the only page. Nothing is read from the store here."""
    feed = WallFeed(providers.settings, providers.indicators)
    serve_heat(app, HeatImages(feed))
    if providers.settings.wall_only:
        serve_only_the_wall(app, ROUTE)
    _register_refresh(app, feed, lambda version: heat_path(app, version))
    _register_clientside(app)


# ---------------------------------------------------------------- the refresh


@dataclass(frozen=True)
class Frame:
    """What the picture on the page was drawn from."""

    version: str
    view: str
    screen_height: int
    lang: str

    def as_data(self) -> dict[str, Any]:
        return {"version": self.version, "view": self.view, "screen_height": self.screen_height,
                "lang": self.lang}


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
    Output(Ids.LEGEND, "children"),
    Output(Ids.ROTATION, "children"),
    *(Output(id_of(tile.key), "children")
      for tile in views_.KPI_TILES for id_of in (kpi_value_id, kpi_note_id)),
)


def frame_values(
    digest: WallDigest,
    view: WallView,
    rotation: Sequence[WallView],
    text: Mapping[str, str],
    *,
    heat_url: str,
    screen_height: int,
    move_map: bool,
) -> tuple[Any, ...]:
    """The values of `_FRAME_OUTPUTS` for one view of one digest. Layer styles carry a `stamp` (the time in
    ms) by which the page tells the newest from older ones (see dashboard/assets/wall.js)."""
    stamp = time.time_ns() // 1_000_000
    scope = digest.scopes.get(view.scope) or digest.scopes[CITY_CODE]
    state = views_.map_state(digest, view)
    figures = views_.kpi_figures(scope.kpis, text)
    (south, west), (north, east) = digest.heat.bounds if digest.heat is not None else digest.city.bounds
    return (
        view.title,
        views_.month_label(digest.month, text),
        text["wall.as_of"].format(time=digest.as_of),
        views_.trend_figure(scope.trend, text, screen_height=screen_height),
        views_.latest_list(scope.latest, text),
        {**state.counties, "stamp": stamp},
        {**state.townships, "stamp": stamp},
        {**state.grids, "stamp": stamp},
        state.viewport if move_map else dash.no_update,
        heat_url,
        [[south, west], [north, east]],
        state.heat_opacity,
        views_.legend(digest, view, text),
        views_.rotation_strip(rotation, view),
        *(part for tile in views_.KPI_TILES for part in figures[tile.key]),
    )


def _register_refresh(app: dash.Dash, feed: WallFeed, heat_url: Callable[[str], str]) -> None:
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
        text = CATALOGUE[lang]
        rotation = views_.wall_views(CITY_CODE, [(c.code, c.name) for c in digest.counties], text)
        view = views_.choose_view(rotation, view_key)
        height = int((screen or {}).get("height") or _DEFAULT_SCREEN_HEIGHT)
        frame = Frame(digest.version, view.key, height, lang).as_data()
        if frame == shown:
            return (*unchanged, status_data(True, shown, tick))
        values = frame_values(digest, view, rotation, text, heat_url=heat_url(digest.version),
                              screen_height=height, move_map=map_moves(shown, frame))
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
               *(Input(layer_id(level), "hideout") for level in ("county", "township", "grid")))
    clientside("screen", Output(Ids.SCREEN, "data"), Input(Ids.VIEWS, "data"))
