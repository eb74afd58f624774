"""What the admin page shows, held in the URL's query: the audit log of one actor and/or one action.

    /admin?actor=li.lei&action=sign_in_failed&lang=en
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANGUAGE, language
from geo.api import AuditAction

ROUTE: Final = "admin"
_ACTOR: Final = re.compile(r"^[\w.:-]{1,64}$")


@dataclass(frozen=True)
class AdminState:
    actor: str = ""  # "" for everyone
    action: str = ""  # "" for every action
    lang: str = DEFAULT_LANGUAGE

    def but(self, **changes: object) -> AdminState:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def parse_query(search: str | None) -> AdminState:
    values = parse_qs((search or "").lstrip("?"))

    def one(key: str) -> str:
        return values.get(key, [""])[-1].strip()

    actor = one("actor") if _ACTOR.match(one("actor")) else ""
    action = one("action") if one("action") in {a.value for a in AuditAction} else ""
    return AdminState(actor, action, language(one("lang")) if one("lang") else DEFAULT_LANGUAGE)


def state_query(state: AdminState) -> str:
    pairs = [(key, value) for key, value in (("actor", state.actor), ("action", state.action)) if value]
    if state.lang != DEFAULT_LANGUAGE:
        pairs.append(("lang", state.lang))
    return "?" + urlencode(pairs) if pairs else ""
