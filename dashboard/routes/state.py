"""What the routes page shows, held in the URL's query so a link reopens it:

    /routes?from=2026-06-01&days=14&team=SB-H1&lang=en

An unknown date, day count or team falls back to its default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.i18n import DEFAULT_LANGUAGE, language

ROUTE: Final = "routes"
#: Periods the page plans: a week or a fortnight out.
DAY_CHOICES: Final = (7, 14)


@dataclass(frozen=True)
class RouteState(Changeable):
    start: dt.date
    days: int
    team: str
    lang: str = DEFAULT_LANGUAGE


def parse_state(search: str | None, *, teams: Sequence[str], default_start: dt.date) -> RouteState:
    one = QueryValues(search).one
    try:
        start = dt.date.fromisoformat(one("from"))
    except ValueError:
        start = default_start
    days = int(one("days")) if one("days").isdigit() and int(one("days")) in DAY_CHOICES else DAY_CHOICES[0]
    team = one("team") if one("team") in teams else (teams[0] if teams else "")
    return RouteState(start, days, team, language(one("lang")))


def state_query(state: RouteState) -> str:
    return query_string([("from", state.start.isoformat()), ("days", str(state.days)), ("team", state.team)],
                        state.lang)
