"""The stale banner of every page but the wall (which draws its own): while the store cannot be read, a
callback that needs it leaves the page as it was and raises the banner; the page polls the store and
draws itself again once it answers.

A callback reaches this through Dash's app-wide `on_error`, so no page has to catch StoreError itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final
from urllib.parse import parse_qs

import dash
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.data import Providers, StoreError
from dashboard.i18n import DEFAULT_LANGUAGE, language, text

logger = logging.getLogger(__name__)

#: How often a page with the banner up asks whether the store answers again.
RECHECK_MS: Final = 3_000


class Ids(StrEnum):
    BANNER = "store-stale"
    RECHECK = "store-stale-recheck"


def banner(lang: str = DEFAULT_LANGUAGE, *, stale: bool = False) -> list[Any]:
    """The banner and its poll for the app's shell: hidden and off, or up and polling when the page
    could not be drawn for want of the store."""
    return [
        html.Div(banner_text(lang), id=Ids.BANNER, className="store-stale", hidden=not stale, role="alert"),
        dcc.Interval(id=Ids.RECHECK, interval=RECHECK_MS, disabled=not stale),
    ]


def banner_text(lang: str) -> list[Any]:
    return [html.Strong(text(lang, "app.stale")), " ", text(lang, "app.stale_detail")]


def lang_of(search: str | None) -> str:
    values = parse_qs((search or "").lstrip("?")).get("lang")
    return language(values[0]) if values else DEFAULT_LANGUAGE


def _lang_of_callback() -> str:
    """The language of the page whose callback failed, from the query string it was given, if any."""
    given = {**dash.callback_context.states, **dash.callback_context.inputs}
    search = next((value for key, value in given.items() if key.endswith(".search")), None)
    return lang_of(search if isinstance(search, str) else None)


def keep_page_on_store_error(error: Exception) -> None:
    """Dash's `on_error`: a StoreError leaves every output as it was and raises the banner; anything else
    is a fault and stays one."""
    if not isinstance(error, StoreError):
        raise error
    logger.warning("store unreadable, the page keeps what it shows: %s", error)
    dash.set_props(Ids.BANNER, {"hidden": False, "children": banner_text(_lang_of_callback())})
    dash.set_props(Ids.RECHECK, {"disabled": False})


def register_callbacks(
    app: dash.Dash, providers: Providers, *, page_output: Output, url_id: str,
    draw_page: Callable[[str | None, str | None], Any],
) -> None:
    """While the banner is up, ask the store every RECHECK_MS; once it answers, take the banner down and
    draw the page of the current URL again with the store's data."""

    @app.callback(
        Output(Ids.BANNER, "hidden"),
        Output(Ids.RECHECK, "disabled"),
        page_output,
        Input(Ids.RECHECK, "n_intervals"),
        State(url_id, "pathname"),
        State(url_id, "search"),
        prevent_initial_call=True,
    )
    def recheck(_: int | None, pathname: str | None, search: str | None) -> tuple[Any, ...]:
        if providers.store_problem() is not None:
            raise PreventUpdate
        logger.info("store readable again: drawing %s again", pathname or "/")
        return True, True, draw_page(pathname, search)
