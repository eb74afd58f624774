"""The coverage page's URL state: a link reopens the same view, a mistyped one falls back to defaults."""

from __future__ import annotations

import pytest

from dashboard.coverage.state import CoverageState, parse_query, state_query


def test_a_link_reopens_the_same_view_and_defaults_stay_out_of_it() -> None:
    state = CoverageState(level="village", measure="mediators_per_10k", specialty="land", sites=20,
                          capacity=5, lang="en")
    assert parse_query(state_query(state)) == state
    fewest = CoverageState(method="lscp")
    assert parse_query(state_query(fewest)) == fewest
    assert state_query(CoverageState()) == ""


@pytest.mark.parametrize("query", ["?level=planet", "?measure=beauty", "?specialty=astrology", "?sites=7",
                                   "?sites=ten", "?method=pmedian", "?capacity=3", "?capacity=lots"])
def test_a_mistyped_link_falls_back_to_the_defaults(query: str) -> None:
    assert parse_query(query) == CoverageState()


def test_the_fewest_rooms_method_sets_aside_a_count_and_a_capacity() -> None:
    state = parse_query("?method=lscp&sites=20&capacity=5")
    assert (state.method, state.capacity) == ("lscp", None)
