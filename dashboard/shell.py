"""The app's shell (the URL, the stale banner, the page's slot) and the router that fills the slot.

The browser asks for the layout from the page it opened, and the request's Referer names that page's
path and query, so the layout arrives with the page already drawn: drawing it in a router callback
instead cost a round trip and a second render before the map could fetch its areas. The shell's
location then carries that path, so the router only runs when the path changes; without a Referer of
this app the location has no path until the browser sets it, and that runs the router as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import dash
import flask
from dash import Input, Output, State, dcc, html

from dashboard import store_banner
from dashboard.data import Providers, StoreError

logger = logging.getLogger(__name__)

#: Draws the page at a path and query (the query with its "?", as dcc.Location gives it).
DrawPage = Callable[[str | None, str | None], Any]


class Ids(StrEnum):
    URL = "app-url"
    PAGE = "app-page"


def opened_page() -> tuple[str, str] | None:
    """Path and query of the page this request comes from, when its Referer is of this server."""
    referrer = urlsplit(flask.request.referrer or "")
    if not referrer.path or referrer.netloc != flask.request.host:
        return None
    return referrer.path, f"?{referrer.query}" if referrer.query else ""


def first_layout(draw_page: DrawPage) -> Callable[[], html.Div]:
    """The layout function: the shell with the page of the asking document drawn in it."""

    def layout() -> html.Div:
        opened = opened_page()
        if opened is None:
            return _shell(dcc.Location(id=Ids.URL, refresh="callback-nav"), None, store_banner.banner())
        pathname, search = opened
        location = dcc.Location(id=Ids.URL, refresh="callback-nav", pathname=pathname, search=search)
        try:
            return _shell(location, draw_page(pathname, search), store_banner.banner())
        except StoreError as error:  # as a callback would: the banner goes up and the page follows later
            logger.warning("store unreadable, the page waits for it: %s", error)
            return _shell(location, None, store_banner.banner(store_banner.lang_of(search), stale=True))

    return layout


def _shell(location: dcc.Location, page: Any, banner: list[Any]) -> html.Div:
    return html.Div([location, *banner, html.Div(page, id=Ids.PAGE, className="page")])


def register_router(app: dash.Dash, providers: Providers, draw_page: DrawPage) -> None:
    """Draw the page whenever the location's path changes (and the first time, when the layout had no
    path to draw); redraw it once the store answers again after the banner went up."""

    @app.callback(
        Output(Ids.PAGE, "children"),
        Input(Ids.URL, "pathname"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,  # the layout holds the page of the path it was drawn for
    )
    def show_page(pathname: str | None, search: str | None) -> Any:
        return draw_page(pathname, search)

    store_banner.register_callbacks(
        app, providers, page_output=Output(Ids.PAGE, "children", allow_duplicate=True), url_id=Ids.URL,
        draw_page=draw_page,
    )
