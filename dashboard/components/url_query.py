"""Every page keeps what it shows in its URL's query, so a link or a reload reopens the same view: the
reading, the writing and the changing of such a state, the same on every page."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Self
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import DEFAULT_LANGUAGE, language


class QueryValues:
    """A URL's query. Of a repeated key the last value counts; an absent key reads as ""."""

    def __init__(self, search: str | None, *, keep_blank: bool = False) -> None:
        self.values = parse_qs((search or "").lstrip("?"), keep_blank_values=keep_blank)

    def one(self, key: str) -> str:
        return self.values.get(key, [""])[-1].strip()

    def lang(self) -> str:
        return language(self.one("lang"))


def query_string(pairs: Iterable[tuple[str, str]], lang: str, *, safe: str = "") -> str:
    """`?key=value&...` of `pairs` and of `lang` where it is not the default; "" when there is nothing."""
    every = list(pairs) + ([("lang", lang)] if lang != DEFAULT_LANGUAGE else [])
    return "?" + urlencode(every, safe=safe) if every else ""


class Changeable:
    """`state.but(key=value)`: a frozen page state with some fields changed."""

    def but(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]
