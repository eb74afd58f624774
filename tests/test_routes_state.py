"""The routes page's URL: a link reopens the same period and team; unknown values fall back."""

from __future__ import annotations

import datetime as dt

from dashboard.routes.state import RouteState, parse_state, state_query

TEAMS = ["SB-H1", "AKS-H1"]
DEFAULT = dt.date(2026, 6, 1)


def test_a_query_round_trips() -> None:
    state = RouteState(dt.date(2026, 9, 20), 14, "AKS-H1", "en")
    assert state_query(state) == "?from=2026-09-20&days=14&team=AKS-H1&lang=en"
    assert parse_state(state_query(state), teams=TEAMS, default_start=DEFAULT) == state


def test_unknown_values_fall_back_to_the_defaults() -> None:
    state = parse_state("?from=2026-13-40&days=9&team=NOPE&lang=fr", teams=TEAMS, default_start=DEFAULT)
    assert state == RouteState(DEFAULT, 7, "SB-H1", "zh-CN")
    assert parse_state(None, teams=TEAMS, default_start=DEFAULT) == RouteState(DEFAULT, 7, "SB-H1")
