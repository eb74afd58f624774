"""What the planner page shows, held in the URL's query so a link reopens the same area:

    /planner?parent=620981003&lang=en

An unknown parent falls back to the first township with grids. The edits themselves live in the
server's session (dashboard/data/planner.py), not in the URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.i18n import DEFAULT_LANGUAGE

ROUTE: Final = "planner"


@dataclass(frozen=True)
class PlannerState(Changeable):
    parent: str
    lang: str = DEFAULT_LANGUAGE


def parse_state(search: str | None, *, parents: Sequence[str]) -> PlannerState:
    query = QueryValues(search)
    parent = query.one("parent")
    return PlannerState(parent if parent in parents else (parents[0] if parents else ""), query.lang())


def state_query(state: PlannerState) -> str:
    return query_string([("parent", state.parent)], state.lang)
