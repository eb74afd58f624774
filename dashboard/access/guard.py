"""Every request checked on the server before anything answers it.

- Public: the sign-in page, the assets (its style sheet), the favicon and the Open311 API (which checks
  its own keys).
- A page: anonymous visitors are sent to sign in; a viewer without the page's right gets 403; a kiosk is
  sent to the wall, the one page it may show.
- A callback (`_dash-update-component`): the right declared for its output (access/rights.py); anonymous
  401, so the page's script reloads and lands on the sign-in page.
- Dash's own routes: any signed-in viewer.
- Map files: the maps or the wall right, and only files of areas in the viewer's scope (a file cut to an
  area names it, `...-in-<code>.geojson`; a whole level's file needs the whole city).
- The wall's images: the wall right.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable
from typing import Final
from urllib.parse import urlencode

import dash
import flask

from dashboard.access import signin
from dashboard.access.rights import CallbackRights, Need
from dashboard.access.sessions import current_viewer
from dashboard.data.accounts import Accounts, Viewer, ViewerKind
from dashboard.i18n import DEFAULT_LANGUAGE, language, text
from geo.api import Right

PUBLIC: Final = frozenset({"assets", "_favicon.ico", "favicon.ico", "login", "logout", "open311"})
DASH_ROUTES: Final = frozenset({
    "_dash-layout", "_dash-dependencies", "_dash-component-suites", "_reload-hash",
})
CALLBACK_ROUTE: Final = "_dash-update-component"
MAP_FILES: Final = "mapdata"
WALL_IMAGES: Final = "walldata"
_CUT_TO_AREA: Final = re.compile(r"-in-(\d{6,17})\.geojson$")
_FILE_NAME: Final = re.compile(r"^[\w.-]+\.geojson$")

logger = logging.getLogger(__name__)


def file_allowed(viewer: Viewer, file_name: str) -> bool:
    """Whether `viewer` may fetch map file `file_name`: a file cut to an area in their scope, or any map
    file when their scope is the whole city. Only GeoJSON files of the cache folder's top level."""
    if not _FILE_NAME.match(file_name):
        return False
    if viewer.city_wide:
        return True
    cut = _CUT_TO_AREA.search(file_name)
    return cut is not None and viewer.sees(cut.group(1))


def refusal(status: int, reason: str) -> flask.Response:
    viewer = current_viewer()
    logger.warning("%s %s by %s: %d %s", flask.request.method, flask.request.path,
                   viewer.get_id() if viewer else "anonymous", status, reason)
    return flask.Response(json.dumps({"error": reason}), status=status, mimetype="application/json")


def forbidden_page(viewer: Viewer, prefix: str) -> flask.Response:
    lang = language(flask.request.args.get("lang") or DEFAULT_LANGUAGE)
    role = text(lang, f"role.{viewer.role.value}")
    title, root = html.escape(text(lang, "access.forbidden")), html.escape(prefix)
    detail = html.escape(text(lang, "access.forbidden_detail", user=viewer.name, role=role))
    body = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="icon" href="{root}_favicon.ico">'
            f'<link rel="stylesheet" href="{root}assets/signin.css"></head><body class="signin-body">'
            f'<main class="signin-card"><h1>{title}</h1><p>{detail}</p>'
            f'<a href="{root}">{html.escape(text(lang, "access.home"))}</a></main></body></html>')
    return flask.Response(body, status=403, mimetype="text/html")


def install(app: dash.Dash, accounts: Accounts, rights: CallbackRights, *,
            page_need: Callable[[str], Need | None], wall_route: str) -> None:
    """Put the check on `app`'s server. `page_need` gives a page's need by its stripped path (None for no
    page); `wall_route` is where a kiosk belongs."""
    prefix = str(app.get_relative_path("/"))

    def to_signin() -> flask.Response:
        path = flask.request.full_path.rstrip("?")
        return flask.redirect(f"{prefix}login?{urlencode({'next': path})}")

    @app.server.before_request
    def check_access() -> flask.Response | None:
        stripped = str(app.strip_relative_path(flask.request.path) or "")
        first = stripped.split("/")[0]
        if first in PUBLIC:
            return None
        if first == wall_route and signin.kiosk_sign_in(accounts) is False:
            return to_signin()
        viewer = current_viewer()
        if first == CALLBACK_ROUTE:
            return _check_callback(viewer, rights)
        if viewer is None:
            if flask.request.method == "GET" and first not in DASH_ROUTES | {MAP_FILES, WALL_IMAGES}:
                return to_signin()
            return refusal(401, "sign in first")
        if first in DASH_ROUTES:
            return None
        if first == MAP_FILES:
            may_see = viewer.may(Right.MAPS) or viewer.may(Right.WALL)
            name = stripped.removeprefix(f"{MAP_FILES}/")
            return None if may_see and file_allowed(viewer, name) else refusal(403, "not yours")
        if first == WALL_IMAGES:
            wall_need = page_need(wall_route)
            return None if wall_need is not None and wall_need.met_by(viewer) else refusal(403, "not yours")
        if viewer.kind is ViewerKind.KIOSK and first != wall_route:
            return flask.redirect(f"{prefix}{wall_route}")
        need = page_need(stripped)
        if need is not None and not need.met_by(viewer):
            return forbidden_page(viewer, prefix)
        return None


def _check_callback(viewer: Viewer | None, rights: CallbackRights) -> flask.Response | None:
    try:
        output = str(json.loads(flask.request.get_data(cache=True))["output"])
    except (ValueError, KeyError, TypeError):
        return refusal(400, "not a callback request")
    need = rights.need_of(output)
    if need is None:
        return refusal(403, f"no right is declared for the callback {output[:80]!r}")
    if viewer is None:
        return refusal(401, "sign in first")
    if not need.met_by(viewer):
        return refusal(403, f"needs {need}")
    return None
