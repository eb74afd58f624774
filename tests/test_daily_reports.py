"""Cases reported per day of the city: the day is Beijing's (UTC+8) whatever the zone of the times given or
of the server, and only cases with an area count for one."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.api import GeoInputError, city_today, reports_by_day

A, B = "620902", "620921"


def _incidents(times: list[str], counties: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({"reported_at": pd.to_datetime(times), "county_code": counties})


def test_each_day_counts_the_cases_of_each_area_from_the_first_day_asked() -> None:
    times = ["2026-12-05 23:59:59", "2026-12-06 00:00:00", "2026-12-06 23:59:59", "2026-12-07 08:00:00"]
    frame = _incidents(times, [A, A, B, A])
    assert reports_by_day(frame, since="2026-12-06", level="county") == {
        "2026-12-06": {A: 1, B: 1}, "2026-12-07": {A: 1}}
    assert reports_by_day(frame, since="2026-12-06", level="city") == {
        "2026-12-06": {"620900": 2}, "2026-12-07": {"620900": 1}}
    assert reports_by_day(frame, since="2026-12-08", level="county") == {}


def test_zoned_times_fall_on_the_citys_day_and_cases_without_an_area_count_for_none() -> None:
    times = pd.to_datetime(["2026-12-06 15:59:59", "2026-12-06 16:00:00"], utc=True)
    utc = pd.DataFrame({"reported_at": times, "county_code": [A, A]})
    assert reports_by_day(utc, since="2026-12-06", level="county") == {
        "2026-12-06": {A: 1}, "2026-12-07": {A: 1}}
    outside = _incidents(["2026-12-07 08:00:00", "2026-12-07 09:00:00", "2026-12-07 10:00:00"], [None, "", B])
    assert reports_by_day(outside, since="2026-12-07", level="county") == {"2026-12-07": {B: 1}}


def test_the_citys_today_turns_at_beijing_midnight() -> None:
    assert city_today(pd.Timestamp("2026-12-06 15:59:59", tz="UTC")) == "2026-12-06"
    assert city_today(pd.Timestamp("2026-12-06 16:00", tz="UTC")) == "2026-12-07"
    assert city_today(pd.Timestamp("2026-12-06 08:00", tz="America/Los_Angeles")) == "2026-12-07"
    assert city_today() == pd.Timestamp.now(tz="Asia/Shanghai").strftime("%Y-%m-%d")


def test_a_naive_now_and_a_malformed_day_are_refused() -> None:
    with pytest.raises(GeoInputError, match="give an instant with its zone"):
        city_today(pd.Timestamp("2026-12-06 16:00"))
    with pytest.raises(GeoInputError, match="since='7 Dec': expected a day as YYYY-MM-DD"):
        reports_by_day(_incidents([], []), since="7 Dec", level="county")
