"""Who may see what, checked on the server for every request: sessions (sessions.py), the sign-in page and
kiosk tokens (signin.py), the rights every callback declares (rights.py) and the check of every page,
callback and file route (guard.py), with CSRF protection on every state-changing request.

CSRF: Flask-SeaSurf keeps a token in the session and in the `_csrf_token` cookie; Dash's renderer sends
that cookie's value back as the `X-CSRFToken` header of every callback, the sign-in form as a hidden
field. A POST without it answers 403. The Open311 API is exempt: its clients send no cookies, they
authenticate each request with their API key.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import dash
from flask_seasurf import SeaSurf

from dashboard.access import guard, sessions, signin
from dashboard.access.rights import CallbackRights, Need
from dashboard.data.accounts import Accounts, Viewer
from dashboard.settings import Settings

__all__ = ["install"]


def install(app: dash.Dash, settings: Settings, accounts: Accounts, rights: CallbackRights, *,
            page_need: Callable[[str], Need | None], wall_route: str, home_of: Callable[[Viewer], str],
            open311_prefix: str) -> None:
    """Sessions, the access check, CSRF protection and the sign-in routes, in that order on the server
    (an anonymous callback answers 401 before its CSRF token is looked at)."""
    server = app.server
    sessions.install(server, settings, accounts)
    guard.install(app, accounts, rights, page_need=page_need, wall_route=wall_route)
    server.config.update(
        CSRF_COOKIE_NAME="_csrf_token",  # the cookie and header Dash's renderer reads and sends
        CSRF_HEADER_NAME="X-CSRFToken",
        CSRF_COOKIE_SECURE=settings.secure_cookies,
        CSRF_COOKIE_SAMESITE="Lax",
        CSRF_COOKIE_HTTPONLY=False,  # the page's script must read it to send it back
    )
    csrf = SeaSurf(server)
    csrf.exempt_urls((str(app.get_relative_path(open311_prefix)),))
    prefix = str(app.get_relative_path("/"))

    def landing(viewer: Viewer, wanted: str | None) -> str:
        """The page asked for when the viewer may open it, else their start page."""
        home = home_of(viewer)
        target = signin.safe_next(wanted, home)
        need = page_need(str(app.strip_relative_path(urlsplit(target).path) or ""))
        return target if need is None or need.met_by(viewer) else home

    signin.install(server, accounts, prefix=prefix, landing=landing,
                   csrf_token=server.jinja_env.globals["csrf_token"], renew_csrf=csrf.generate_new_token)
