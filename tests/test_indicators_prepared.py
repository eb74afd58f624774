"""What the providers prepare per store state (the city's and the counties' answers for every month,
computed in the background) equals what they compute on first ask, and the case metrics geo's own row."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.overview import store as town
from fixtures.overview.store import overview_client, overview_providers

from dashboard.data import Providers
from dashboard.data.indicators import Indicators
from geo.api import Col, Layer, case_metrics, open_store


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Providers:
    providers = overview_providers(tmp_path_factory.mktemp("prepared"))
    providers.indicators.start_preparing().join(timeout=60)
    return providers


@pytest.fixture(scope="module")
def unprepared(tmp_path_factory: pytest.TempPathFactory) -> Providers:
    return overview_providers(tmp_path_factory.mktemp("unprepared"))


@pytest.mark.parametrize(
    ("code", "month"),
    [(code, month) for code in (town.CITY, town.SUZHOU, town.JINTA) for month in town.MONTHS]
    + [(code, town.MONTHS[-1]) for code in (town.DONGGUAN, town.XIGUAN, town.DONGGUAN + "001", town.SW)],
)
def test_prepared_answers_are_those_computed_on_first_ask_and_geos(
    prepared: Providers, unprepared: Providers, code: str, month: str
) -> None:
    data = prepared.indicators.data()
    level = prepared.indicators.level_of(code, month)
    table = case_metrics(data.incidents, data.areas, month=month, level=level)
    expected = table[table["code"] == code].iloc[0].to_dict()

    ready = prepared.indicators.area_metrics(code, (month, month))
    asked = unprepared.indicators.area_metrics(code, (month, month))

    assert prepared.indicators.explain(code, month) == unprepared.indicators.explain(code, month)
    for found in (ready, asked):
        assert found.keys() == expected.keys()
        for key, value in expected.items():
            assert math.isnan(found[key]) if value != value else found[key] == value, key


def test_a_request_during_the_preparation_gets_the_same_answer(tmp_path: Path) -> None:
    providers = overview_providers(tmp_path)
    thread = providers.indicators.start_preparing()
    during = providers.indicators.explain(town.CITY, town.MONTHS[-1])
    thread.join(timeout=60)

    assert not thread.is_alive()
    assert providers.indicators.explain(town.CITY, town.MONTHS[-1]) == during


def test_the_app_has_the_first_clicks_answers_prepared_before_it_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watching: list[Indicators] = []  # no background preparation: whatever is prepared, create_app did
    monkeypatch.setattr(Indicators, "start_preparing", lambda self, **_: watching.append(self))
    overview_client(tmp_path, who=None)

    (indicators,) = watching
    assert indicators.prepared_state() == open_store(tmp_path / "city.gpkg").state()


def test_the_watching_preparation_stops_when_asked(tmp_path: Path) -> None:
    providers = overview_providers(tmp_path)
    thread = providers.indicators.start_preparing(every_s=0.01)

    providers.indicators.stop_preparing()
    thread.join(timeout=60)

    assert not thread.is_alive()


def test_a_new_store_state_is_prepared_without_waiting_for_a_request(tmp_path: Path) -> None:
    providers = overview_providers(tmp_path)
    store = open_store(tmp_path / "city.gpkg")
    thread = providers.indicators.start_preparing(every_s=0.05)
    try:
        first = store.state()
        assert _wait_for(lambda: providers.indicators.prepared_state() == first)
        latest = providers.indicators.explain(town.CITY, town.MONTHS[-1]).incidents

        incidents = store.read(Layer.INCIDENTS)
        extra = incidents.sort_values(Col.REPORTED_AT).tail(1).copy()  # one of the latest month
        extra["incident_id"], extra[Col.SOURCE_ID] = "NEWSTATE1", "NEWSTATE1"
        store.write({Layer.INCIDENTS.value: extra}, mode="append")

        second = store.state()
        assert second != first
        assert _wait_for(lambda: providers.indicators.prepared_state() == second)
        assert providers.indicators.explain(town.CITY, town.MONTHS[-1]).incidents == latest + 1
    finally:
        providers.indicators.stop_preparing()
        thread.join(timeout=60)


def test_while_the_store_keeps_changing_the_first_work_runs_at_every_look_and_the_rest_waits(
    tmp_path: Path,
) -> None:
    providers = overview_providers(tmp_path)
    store = open_store(tmp_path / "city.gpkg")
    latest = store.read(Layer.INCIDENTS).sort_values(Col.REPORTED_AT).tail(1)
    prepared_at_each_look: list[str | None] = []

    def one_more_case() -> None:  # what a stream of POSTs does between two looks
        number = len(prepared_at_each_look)
        prepared_at_each_look.append(providers.indicators.prepared_state())
        if number < 5:
            extra = latest.assign(incident_id=f"STREAM{number}", **{Col.SOURCE_ID.value: f"STREAM{number}"})
            store.write({Layer.INCIDENTS.value: extra}, mode="append")

    quiet_looks: list[int] = []  # how many looks had begun when the quiet work ran

    def quiet_work() -> None:
        quiet_looks.append(len(prepared_at_each_look))

    thread = providers.indicators.start_preparing(every_s=0.01, first=(one_more_case,),
                                                  when_quiet=(quiet_work,))
    try:
        assert _wait_for(lambda: len(prepared_at_each_look) > 6
                         and providers.indicators.prepared_state() == store.state())
    finally:
        providers.indicators.stop_preparing()
        thread.join(timeout=60)
    # The first look prepares (a start); the looks that find a new state each time prepare nothing.
    assert quiet_looks[0] == 1 and all(look > 5 for look in quiet_looks[1:])
    assert prepared_at_each_look[1] is not None
    assert set(prepared_at_each_look[1:5]) == {prepared_at_each_look[1]}
    before = providers.indicators.explain(town.CITY, town.MONTHS[-1]).incidents
    fresh = overview_providers(tmp_path / "fresh")
    assert before == fresh.indicators.explain(town.CITY, town.MONTHS[-1]).incidents + 5


def _wait_for(condition: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    """Whether `condition` came true within `timeout_s` (a generous bound, not a speed check)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_store_whose_times_are_text_gives_every_reader_datetimes_and_the_wall_its_latest_cases(
    tmp_path: Path,
) -> None:
    # The hand-drawn city keeps its times as text, as a store of the first schema did before `pingan
    # store upgrade`; the wall's newest cases sort those times and once met a text column there.
    providers = overview_providers(tmp_path)
    incidents = providers.indicators.data().incidents
    assert incidents[Col.REPORTED_AT].dtype.kind == incidents[Col.CLOSED_AT].dtype.kind == "M"
    latest = providers.wall.with_reach().scopes[town.CITY].latest
    assert latest and latest[0].time == f"{town.MONTHS[-1][5:]}-05 10:00"
