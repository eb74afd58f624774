"""The sign-in page, signing out, and a wall kiosk's sign-in by its token.

The page is a plain HTML form (no script), posted with its CSRF token. A kiosk opens `/wall?token=KEY`:
the token is checked on that request and a kiosk session begins; the URL keeps the token, so the kiosk's
browser signs in again by itself after a restart of either side.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Final
from urllib.parse import urlencode, urlsplit

import flask

from dashboard.access.sessions import current_viewer, end_session, start_session
from dashboard.data.accounts import Accounts, Viewer
from dashboard.i18n import DEFAULT_LANGUAGE, language, other_language, text
from geo.api import SignIn, StoreError

SIGNIN_ROUTE: Final = "/login"
SIGNOUT_ROUTE: Final = "/logout"
KIOSK_TOKEN_PARAM: Final = "token"
_LOOPBACK: Final = frozenset({"localhost", "127.0.0.1", "::1"})
_MESSAGES: Final = {
    SignIn.WRONG: "signin.wrong", SignIn.LOCKED: "signin.locked", SignIn.DISABLED: "signin.disabled",
}


def safe_next(target: str | None, fallback: str) -> str:
    """Where to go after signing in: a path on this server, never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    return fallback if parts.scheme or parts.netloc else target


def signin_page(*, lang: str, next_path: str, csrf_token: str, prefix: str, user_id: str = "",
                message: str = "", warning: str = "") -> str:
    """The sign-in form as HTML; every value from the request is escaped."""
    def esc(value: str) -> str:
        return html.escape(value, quote=True)

    switch = f"{prefix}login?{urlencode({'lang': other_language(lang), 'next': next_path})}"
    notes = "".join(f'<p class="signin-{kind}" role="alert">{esc(note)}</p>'
                    for kind, note in (("message", message), ("warning", warning)) if note)
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(text(lang, "app.name"))} · {esc(text(lang, "signin.title"))}</title>
<link rel="icon" href="{esc(prefix)}_favicon.ico">
<link rel="stylesheet" href="{esc(prefix)}assets/signin.css"></head>
<body class="signin-body"><main class="signin-card">
<h1>{esc(text(lang, "app.name"))}</h1>{notes}
<form method="post" action="{esc(prefix)}login" class="signin-form">
<input type="hidden" name="_csrf_token" value="{esc(csrf_token)}">
<input type="hidden" name="next" value="{esc(next_path)}">
<input type="hidden" name="lang" value="{esc(lang)}">
<label>{esc(text(lang, "signin.user"))}<input name="user" autocomplete="username" required
 autofocus value="{esc(user_id)}" maxlength="64"></label>
<label>{esc(text(lang, "signin.password"))}<input name="password" type="password"
 autocomplete="current-password" required maxlength="256"></label>
<button type="submit">{esc(text(lang, "signin.submit"))}</button>
</form><a class="signin-language" href="{esc(switch)}">{esc(text(lang, "lang.switch"))}</a>
</main></body></html>"""


def _address() -> str:
    return flask.request.remote_addr or "unknown"


def _insecure_warning(lang: str) -> str:
    """Say so when the session cookie is Secure but this browser reached us over plain HTTP on another
    host: it would drop the cookie and the sign-in would seem to do nothing."""
    secure = bool(flask.current_app.config.get("SESSION_COOKIE_SECURE"))
    hostname = (urlsplit(flask.request.host_url).hostname or "").lower()
    if secure and not flask.request.is_secure and hostname not in _LOOPBACK:
        return text(lang, "signin.insecure")
    return ""


def install(server: flask.Flask, accounts: Accounts, *, prefix: str,
            landing: Callable[[Viewer, str | None], str], csrf_token: Callable[[], str],
            renew_csrf: Callable[[], None]) -> None:
    """The sign-in and sign-out routes on `server` (under the app's path `prefix`, ending in "/");
    `landing` says where a viewer goes after signing in, given the page they asked for."""

    def page(status: int, *, lang: str, next_path: str, user_id: str = "",
             message: str = "") -> flask.Response:
        body = signin_page(lang=lang, next_path=next_path, csrf_token=csrf_token(), prefix=prefix,
                           user_id=user_id, message=message, warning=_insecure_warning(lang))
        response = flask.Response(body, status=status, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response

    def sign_in() -> flask.Response:
        form, args = flask.request.form, flask.request.args
        lang = language(form.get("lang") or args.get("lang") or DEFAULT_LANGUAGE)
        next_path = safe_next(form.get("next") or args.get("next"), prefix)
        viewer = current_viewer()
        if flask.request.method == "GET":
            if viewer is not None:
                return flask.redirect(landing(viewer, args.get("next")))
            message = text(lang, "signin.signed_out") if args.get("signed_out") else ""
            return page(200, lang=lang, next_path=next_path, message=message)
        user_id = (form.get("user") or "").strip().lower()[:64]
        try:
            outcome, person = accounts.sign_in(user_id, form.get("password") or "", address=_address())
        except StoreError:
            return page(503, lang=lang, next_path=next_path, user_id=user_id,
                        message=text(lang, "signin.unavailable"))
        if person is None:
            return page(401, lang=lang, next_path=next_path, user_id=user_id,
                        message=text(lang, _MESSAGES.get(outcome, "signin.wrong")))
        start_session(person)
        renew_csrf()
        return flask.redirect(landing(person, form.get("next")))

    def sign_out() -> flask.Response:
        end_session()
        return flask.redirect(f"{prefix}login?signed_out=1")

    server.add_url_rule(f"{prefix}login", "signin", sign_in, methods=["GET", "POST"])
    server.add_url_rule(f"{prefix}logout", "signout", sign_out, methods=["POST"])


def kiosk_sign_in(accounts: Accounts) -> Viewer | bool | None:
    """For a request carrying a wall token: the kiosk it signs in (a session is begun), False for a bad
    token (any session is ended), None when the request carries no token."""
    key = flask.request.args.get(KIOSK_TOKEN_PARAM)
    if key is None:
        return None
    signed = current_viewer()
    try:
        kiosk = accounts.kiosk_token_holder(key)
        if kiosk is not None and signed is not None and signed.get_id() == kiosk.get_id():
            return signed  # this kiosk's session goes on: no new sign-in, no audit row per reload
        viewer = accounts.kiosk_sign_in(key, address=_address())
    except StoreError:  # the token cannot be checked now: a session it began goes on, none begins
        return signed
    if viewer is None:
        end_session()
        return False
    start_session(viewer)
    return viewer
