"""The account menu at the top right of every page but the wall: who is signed in, the pages they may
open, and signing out (a POST with the CSRF token, dashboard/assets/session.js)."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard.data.accounts import Viewer, ViewerKind
from dashboard.i18n import text


def account_menu(viewer: Viewer, lang: str, links: Sequence[tuple[str, str]], *, prefix: str) -> html.Details:
    """`links` are (href, label) of the pages the viewer may open; `prefix` is the app's path prefix."""
    who = text(lang, "account.kiosk") if viewer.kind is ViewerKind.KIOSK else viewer.name
    return html.Details(className="account-menu", children=[
        html.Summary(f"{who} · {text(lang, f'role.{viewer.role.value}')}"),
        html.Nav([html.A(label, href=href) for href, label in links]),
        html.Button(text(lang, "account.sign_out"), className="sign-out", **{
            "data-action": f"{prefix}logout", "data-done": f"{prefix}login?signed_out=1"}),
    ])
