"""What the planner page shows, held in the URL's query so a link reopens the same area:

    /planner?parent=620981003&lang=en

An unknown parent falls back to the first township with grids. The edits themselves live in the
server's session (dashboard/data/planner.py), not in the URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANGUAGE, language

ROUTE: Final = "planner"


@dataclass(frozen=True)
class PlannerState:
    parent: str
    lang: str = DEFAULT_LANGUAGE

    def but(self, **changes: object) -> PlannerState:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def parse_state(search: str | None, *, parents: Sequence[str]) -> PlannerState:
    values = parse_qs((search or "").lstrip("?"))
    parent = values.get("parent", [""])[-1].strip()
    lang = language(values.get("lang", [""])[-1])
    return PlannerState(parent if parent in parents else (parents[0] if parents else ""), lang)


def state_query(state: PlannerState) -> str:
    query = {"parent": state.parent}
    if state.lang != DEFAULT_LANGUAGE:
        query["lang"] = state.lang
    return "?" + urlencode(query)
