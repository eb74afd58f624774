"""What the intake page shows, held in the URL's query so a link reopens it:

    /intake?import=20261207T080000-hotline-1a2b&reason=outside_city&lang=en

An import or reason that the page does not know is dropped (all imports, every reason).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANGUAGE, language

ROUTE: Final = "intake"
_TOKEN: Final = re.compile(r"^[\w.:-]{1,128}$")


@dataclass(frozen=True)
class IntakeState:
    import_id: str = ""  # "" for every import
    reason: str = ""  # "" for every reason
    lang: str = DEFAULT_LANGUAGE

    def but(self, **changes: object) -> IntakeState:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def parse_query(search: str | None) -> IntakeState:
    values = parse_qs((search or "").lstrip("?"))

    def one(key: str) -> str:
        value = values.get(key, [""])[-1].strip()
        return value if _TOKEN.match(value) else ""

    lang = language(one("lang")) if one("lang") else DEFAULT_LANGUAGE
    return IntakeState(one("import"), one("reason"), lang)


def state_query(state: IntakeState) -> str:
    pairs = [(key, value) for key, value in (("import", state.import_id), ("reason", state.reason)) if value]
    if state.lang != DEFAULT_LANGUAGE:
        pairs.append(("lang", state.lang))
    return "?" + urlencode(pairs) if pairs else ""
