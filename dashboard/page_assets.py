"""Each page's own files of dashboard/assets/ are linked into that page's HTML only.

Dash links every file of the assets folder into the HTML of every page, so the leaders' map also fetched
and parsed the wall's, the planner's and the coverage page's styles and scripts, and the sign-in page's
style sheet, each a request of its own before the first paint. The files a page names in its `ASSETS`
are left out of Dash's list (`assets_ignore`) and linked, as Dash links assets, into the HTML of that
page alone. A page is always opened by a full load (the account menu's links are plain links), so a
document never needs the files of another page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import dash
import flask

#: Files of the assets folder that no Dash page loads: the sign-in pages, plain HTML, link it themselves.
NOT_DASH: Final = ("signin.css",)


def own_assets(pages: Iterable[ModuleType]) -> list[str]:
    """Every file some page names as its own (a page's `ASSETS`), and the sign-in page's."""
    return sorted({*NOT_DASH, *(name for page in pages for name in getattr(page, "ASSETS", ()))})


def ignore_pattern(pages: Iterable[ModuleType]) -> str:
    """Dash's `assets_ignore`: the files above, by whole name."""
    return "^(" + "|".join(re.escape(name) for name in own_assets(pages)) + ")$"


def install(app: dash.Dash, pages: Mapping[str, ModuleType], folder: Path) -> None:
    """Link the asking page's own assets after the shared ones (styles with styles, scripts before
    Dash's renderer starts, as Dash places assets)."""
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        page = pages.get(app.strip_relative_path(flask.request.path) or "")
        names = getattr(page, "ASSETS", ())
        css = [f'<link rel="stylesheet" href="{_url(app, folder, n)}">' for n in names if n.endswith(".css")]
        js = [f'<script src="{_url(app, folder, n)}"></script>' for n in names if n.endswith(".js")]
        kwargs["css"] = "\n".join([kwargs.get("css", ""), *css])
        kwargs["scripts"] = "\n".join([kwargs.get("scripts", ""), *js])
        return str(interpolate(**kwargs))

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]


def _url(app: dash.Dash, folder: Path, name: str) -> str:
    """As Dash links an asset: its mtime in the query, so a changed file has a new URL."""
    return f"{app.get_asset_url(name)}?m={(folder / name).stat().st_mtime}"
