"""The leaders' map keeps its view in the URL: a link reopens it, and a bad link still opens something."""

from __future__ import annotations

import pytest

from dashboard.leaders.state import DEFAULT_LAYERS, ViewState, next_state, parse_state, state_query

AREAS = {"620900", "620902", "620902001"}
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 13)] + ["2027-01"]


def parse(search: str) -> ViewState:
    return parse_state(search, areas=AREAS, city="620900", months=MONTHS)


def test_a_full_view_survives_the_round_trip_through_the_url() -> None:
    state = ViewState(
        area="620902001",
        month="2026-03",
        layers=("warning", "heat", "orgs"),
        categories=("land", "other"),
        sources=("hotline",),
        period=("2026-01", "2026-03"),
        lang="en",
    )

    query = state_query(state)

    assert query == (
        "?area=620902001&month=2026-03&layers=warning,heat,orgs&cat=land,other&src=hotline"
        "&from=2026-01&to=2026-03&lang=en"
    )
    assert parse(query) == state


def test_an_empty_query_is_the_city_in_the_latest_month() -> None:
    assert parse("") == ViewState(area="620900", month="2027-01")
    assert state_query(parse("")) == "?area=620900&month=2027-01"


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("?area=999999&month=1999-01", ViewState(area="620900", month="2027-01")),
        ("?layers=heat,bogus,warning", ViewState(area="620900", month="2027-01", layers=("warning", "heat"))),
        ("?layers=", ViewState(area="620900", month="2027-01", layers=())),
        ("?month=2026-05", ViewState(area="620900", month="2026-05", layers=DEFAULT_LAYERS)),
        ("?cat=land,theft&src=fax", ViewState(area="620900", month="2027-01", categories=("land",))),
        ("?from=2026-05&to=2026-02", ViewState(area="620900", month="2027-01")),
        ("?lang=en-GB", ViewState(area="620900", month="2027-01", lang="en")),
        ("?lang=fr", ViewState(area="620900", month="2027-01", lang="zh-CN")),
    ],
)
def test_unknown_parts_of_a_link_fall_back_to_their_defaults(search: str, expected: ViewState) -> None:
    assert parse(search) == expected


def test_layers_may_all_be_turned_off() -> None:
    state = next_state(parse(""), "layers", [], months=MONTHS, areas=AREAS)

    assert state.layers == () and parse(state_query(state)).layers == ()


def test_clicking_an_area_selects_it_and_clicking_outside_the_tree_does_nothing() -> None:
    start = parse("")
    feature = {"type": "Feature", "properties": {"code": "620902"}}

    assert next_state(start, "areas", feature, months=MONTHS, areas=AREAS).area == "620902"
    assert next_state(start, "areas", {"properties": {"code": "1"}}, months=MONTHS, areas=AREAS) == start


def test_the_month_slider_counts_the_last_24_months_and_play_wraps_round() -> None:
    start = parse("?month=2027-01")

    assert next_state(start, "month", 0, months=MONTHS, areas=AREAS).month == "2025-02"
    assert next_state(start, "tick", 1, months=MONTHS, areas=AREAS).month == "2025-02"
    assert next_state(parse("?month=2026-05"), "tick", 1, months=MONTHS, areas=AREAS).month == "2026-06"


def test_the_period_follows_the_month_until_it_is_set() -> None:
    start = parse("?month=2026-06")

    ranged = next_state(start, "period", [20, 13], months=MONTHS, areas=AREAS)
    followed = next_state(ranged, "follow", ["follow"], months=MONTHS, areas=AREAS)
    pinned = next_state(start, "follow", [], months=MONTHS, areas=AREAS)

    assert ranged.period == ("2026-03", "2026-10") and ranged.incident_months() == ("2026-03", "2026-10")
    assert followed.period is None and followed.incident_months() == ("2026-06", "2026-06")
    assert pinned.period == ("2026-06", "2026-06")


def test_filters_keep_the_catalogue_order_and_drop_unknown_values() -> None:
    start = parse("")

    assert next_state(start, "categories", ["other", "x", "land"], months=MONTHS, areas=AREAS).categories == (
        "land",
        "other",
    )
    assert next_state(start, "sources", ["hotline", "app"], months=MONTHS, areas=AREAS).sources == (
        "app",
        "hotline",
    )
