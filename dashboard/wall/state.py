"""What the wall's URL asks for:

    /wall?view=620902&pause=1&lang=en

`view` pins a view (city, a county code, heat, coverage), `pause=1` starts with the rotation paused (the
space bar toggles) and `lang` picks the strings. The server draws the page in the asked language; the
pinned view and the pause are also read in the browser (dashboard/assets/wall.js), which owns the
rotation. A URL is user input: an unknown view falls back to the first one, anything but `pause=1` means
rotating, an unknown language means the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dashboard.components.url_query import QueryValues
from dashboard.i18n import DEFAULT_LANGUAGE

#: Router key of the wall (the path without Dash's prefix and slashes).
ROUTE: Final = "wall"


@dataclass(frozen=True)
class WallQuery:
    view: str | None = None  # None: the rotation starts at the first view
    paused: bool = False
    lang: str = DEFAULT_LANGUAGE


def parse_query(search: str | None) -> WallQuery:
    """The wall's query string as a WallQuery; of a repeated key the last value counts."""
    query = QueryValues(search)
    return WallQuery(view=query.one("view") or None, paused=query.one("pause") == "1", lang=query.lang())
