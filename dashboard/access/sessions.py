"""Sessions: a signed cookie naming the viewer (Flask-Login), its secret kept in a file beside the store,
and the limits that end it.

A person's session ends after `IDLE_LIMIT` without a request or `PERSON_LIMIT` after signing in; a
kiosk's after `KIOSK_LIMIT` (its URL carries the wall token, so reloading signs it in again). The viewer
is looked up again on every request, so a disabled account or a revoked token ends its sessions at once.
The cookie is HttpOnly and SameSite=Lax, and Secure unless the settings say the server is reached over
plain HTTP (browsers keep Secure cookies from http://localhost and http://127.0.0.1 too).
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Final

import flask
import flask_login

from dashboard.data.accounts import Accounts, Viewer, ViewerKind
from dashboard.settings import Settings

IDLE_LIMIT: Final = timedelta(hours=1)
PERSON_LIMIT: Final = timedelta(hours=12)
KIOSK_LIMIT: Final = timedelta(days=30)
#: The session cookie is rewritten with the time of the last request at most this often.
_SEEN_EVERY_S: Final = 60
_SIGNED_IN_AT: Final = "signed_in_at"
_SEEN_AT: Final = "seen_at"
SESSION_COOKIE: Final = "pingan_session"


def secret_key(path: Path) -> bytes:
    """The key that signs session cookies: read from `path`, or made there (readable by its owner only)
    on the first start, so sessions outlive a restart."""
    if path.is_file():
        key = path.read_bytes().strip()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


def current_viewer() -> Viewer | None:
    """The viewer of the request being answered, or None (anonymous, or outside a request)."""
    if not flask.has_request_context():
        return None
    user = flask_login.current_user
    return user if isinstance(user, Viewer) else None


def sees_personal_fields() -> bool:
    """Whether the viewer of the request may see personal fields unmasked (nobody outside a request)."""
    viewer = current_viewer()
    return viewer is not None and viewer.personal_fields


def start_session(viewer: Viewer) -> None:
    """Sign `viewer` in on a fresh session (nothing of the anonymous one is kept: no fixation)."""
    flask.session.clear()
    flask.session.permanent = True
    flask_login.login_user(viewer)
    now = int(time.time())
    flask.session[_SIGNED_IN_AT] = now
    flask.session[_SEEN_AT] = now


def end_session() -> None:
    flask_login.logout_user()
    flask.session.clear()


def _expired(viewer: Viewer, now: float) -> bool:
    signed_in = float(flask.session.get(_SIGNED_IN_AT, 0))
    if viewer.kind is ViewerKind.KIOSK:
        return now - signed_in > KIOSK_LIMIT.total_seconds()
    seen = float(flask.session.get(_SEEN_AT, 0))
    return now - signed_in > PERSON_LIMIT.total_seconds() or now - seen > IDLE_LIMIT.total_seconds()


def install(server: flask.Flask, settings: Settings, accounts: Accounts) -> None:
    """Sessions on `server`: the signing key, the cookie's flags, the viewer of each request and the
    limits that end a session."""
    server.secret_key = secret_key(settings.secret_key_file)
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=KIOSK_LIMIT,
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    manager = flask_login.LoginManager()
    manager.session_protection = "basic"
    manager.init_app(server)
    manager.user_loader(accounts.viewer)

    @server.before_request
    def end_expired_session() -> None:
        viewer = current_viewer()
        if viewer is None:
            return
        now = time.time()
        if _expired(viewer, now):
            end_session()
        elif now - float(flask.session.get(_SEEN_AT, 0)) > _SEEN_EVERY_S:
            flask.session[_SEEN_AT] = int(now)
