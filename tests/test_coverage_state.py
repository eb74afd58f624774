"""The coverage page's URL state: a link reopens the same view, a mistyped one falls back to defaults."""

from __future__ import annotations

import pytest

from dashboard.coverage.state import CoverageState, parse_query, state_query


def test_a_link_reopens_the_same_view_and_defaults_stay_out_of_it() -> None:
    state = CoverageState(level="village", measure="mediators_per_10k", specialty="land", sites=20, lang="en")
    assert parse_query(state_query(state)) == state
    assert state_query(CoverageState()) == ""


@pytest.mark.parametrize("query", ["?level=planet", "?measure=beauty", "?specialty=astrology", "?sites=7",
                                   "?sites=ten"])
def test_a_mistyped_link_falls_back_to_the_defaults(query: str) -> None:
    assert parse_query(query) == CoverageState()
