"""The header bar of the light pages: the title on the left; on the right the page's tools, a link back to
the leaders' map where the page is one a leader reaches from it, and the language switch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from dashboard.i18n import text


def page_header(title: str, lang: str, *, language_href: str, tools: Sequence[Any] = (),
                leaders_link: bool = False) -> html.Header:
    links = [html.A(text(lang, "coverage.leaders_link"), href="/?lang=en" if lang == "en" else "/",
                    className="language-link")] if leaders_link else []
    return html.Header(className="app-header", children=[
        html.H1(title),
        html.Div(className="header-tools", children=[
            *links, *tools,
            html.A(text(lang, "lang.switch"), className="language-link", href=language_href or "?"),
        ]),
    ])
