"""The wall's URL query: a pinned view, a paused start and the language, with anything unknown falling
back to its default."""

from __future__ import annotations

import pytest

from dashboard.wall.state import WallQuery, parse_query


@pytest.mark.parametrize(
    ("search", "query"),
    [
        (None, WallQuery()),
        ("", WallQuery()),
        ("?view=620902", WallQuery(view="620902")),
        ("?pause=1&lang=en", WallQuery(paused=True, lang="en")),
        ("?pause=yes&lang=fr", WallQuery()),  # only pause=1 pauses; an unknown language is the default
        ("?lang=en-GB&view=heat&view=coverage", WallQuery(view="coverage", lang="en")),  # the last one counts
        ("?view=", WallQuery()),
    ],
)
def test_the_query_names_a_view_a_pause_and_a_language(search: str | None, query: WallQuery) -> None:
    assert parse_query(search) == query
