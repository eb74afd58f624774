"""What the intake page shows, held in the URL's query so a link reopens it:

    /intake?import=20261207T080000-hotline-1a2b&reason=outside_city&lang=en

An import or reason that the page does not know is dropped (all imports, every reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.i18n import DEFAULT_LANGUAGE

ROUTE: Final = "intake"
_TOKEN: Final = re.compile(r"^[\w.:-]{1,128}$")


@dataclass(frozen=True)
class IntakeState(Changeable):
    import_id: str = ""  # "" for every import
    reason: str = ""  # "" for every reason
    lang: str = DEFAULT_LANGUAGE


def parse_query(search: str | None) -> IntakeState:
    query = QueryValues(search)

    def token(key: str) -> str:
        return query.one(key) if _TOKEN.match(query.one(key)) else ""

    return IntakeState(token("import"), token("reason"), query.lang())


def state_query(state: IntakeState) -> str:
    pairs = [(key, value) for key, value in (("import", state.import_id), ("reason", state.reason)) if value]
    return query_string(pairs, state.lang)
