"""What the admin page shows, held in the URL's query: the audit log of one actor and/or one action.

    /admin?actor=li.lei&action=sign_in_failed&lang=en
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from dashboard.components.url_query import Changeable, QueryValues, query_string
from dashboard.i18n import DEFAULT_LANGUAGE
from geo.api import AuditAction

ROUTE: Final = "admin"
_ACTOR: Final = re.compile(r"^[\w.:-]{1,64}$")


@dataclass(frozen=True)
class AdminState(Changeable):
    actor: str = ""  # "" for everyone
    action: str = ""  # "" for every action
    lang: str = DEFAULT_LANGUAGE


def parse_query(search: str | None) -> AdminState:
    query = QueryValues(search)
    actor = query.one("actor") if _ACTOR.match(query.one("actor")) else ""
    action = query.one("action") if query.one("action") in {a.value for a in AuditAction} else ""
    return AdminState(actor, action, query.lang())


def state_query(state: AdminState) -> str:
    pairs = [(key, value) for key, value in (("actor", state.actor), ("action", state.action)) if value]
    return query_string(pairs, state.lang)
