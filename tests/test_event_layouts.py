"""Temporary event-security layouts on the hand-drawn village, on both backends: a layer of temporary
grids checked with every problem listed, saved as an event, in force only between its dates; and the same
through `pingan events`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pytest
from fixtures.planner_store import SE, SW
from shapely.geometry import box

from geo.api import (
    EventLayoutError,
    GeoInputError,
    current_grids,
    event_layout,
    event_layouts_in_force,
    open_store,
    save_event_layout,
)
from pingan_cli.main import main

START, END = dt.date(2025, 5, 1), dt.date(2025, 5, 3)


def _features(**changes: object) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"temp_code": ["T1", "T2"], "police_station": ["东关派出所", "东关派出所"],
         "responsible_unit": ["市公安局巡警支队", "东关街道"],
         "geometry": [box(98.502, 39.732, 98.508, 39.738), box(98.512, 39.732, 98.518, 39.738)]},
        crs=4490,
    )
    for column, value in changes.items():
        frame[column] = value
    return frame


def test_a_layout_is_saved_with_the_grid_each_temporary_grid_lies_in_and_is_in_force_between_its_dates(
    village_location: Path | str,
) -> None:
    store = open_store(village_location)
    layout = event_layout(_features(), current_grids(store), name="马拉松", starts=START, ends=END)
    assert list(layout["grid_code"]) == [SW, SE]
    assert save_event_layout(store, layout) == 2
    assert list(event_layouts_in_force(store, dt.date(2025, 5, 2))["temp_code"]) == ["T1", "T2"]
    assert len(event_layouts_in_force(store, END)) == 2
    assert event_layouts_in_force(store, dt.date(2025, 4, 30)).empty
    assert event_layouts_in_force(store, dt.date(2025, 5, 4)).empty
    with pytest.raises(GeoInputError, match="already saved"):
        save_event_layout(store, layout)


def test_every_problem_is_listed_and_nothing_is_saved(village_location: Path | str) -> None:
    store = open_store(village_location)
    bad = _features(police_station=["东关派出所", None], temp_code=["T1", "T1"])
    bad.loc[1, "geometry"] = box(98.505, 39.735, 98.509, 39.739)  # overlaps T1
    far = bad.copy()
    far.loc[1, "geometry"] = box(99.0, 40.0, 99.01, 40.01)
    with pytest.raises(EventLayoutError) as refused:
        event_layout(bad, current_grids(store), name="马拉松", starts=END, ends=START)
    shown = str(refused.value)
    for expected in ("ends (2025-05-01) before it starts", "feature 2: no police_station",
                     "T1: temp_code appears more than once"):
        assert expected in shown
    overlap = [p for p in refused.value.problems if p.startswith("T1: ") and "more than once" not in p]
    assert overlap  # the edges of the two overlapping grids do not match
    with pytest.raises(EventLayoutError, match="lies outside every current grid"):
        event_layout(far.assign(temp_code=["T1", "T2"], police_station="东关派出所"), current_grids(store),
                     name="马拉松", starts=START, ends=END)
    with pytest.raises(EventLayoutError, match="declares no CRS"):
        event_layout(_features().set_crs(None, allow_override=True), current_grids(store), name="x",
                     starts=START, ends=END)
    assert event_layouts_in_force(store, START).empty


def test_the_cli_imports_a_layer_and_lists_what_is_in_force(
    village_location: Path | str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layer = tmp_path / "marathon.geojson"
    _features().to_file(layer, driver="GeoJSON")
    assert main(["events", "import", str(layer), "--name", "马拉松", "--start", "2025-05-01",
                 "--end", "2025-05-03", "--store", str(village_location)]) == 0
    assert "2 temporary grid(s), in force 2025-05-01 to 2025-05-03" in capsys.readouterr().out
    assert main(["events", "list", "--on", "2025-05-02", "--store", str(village_location)]) == 0
    out = capsys.readouterr().out
    assert "马拉松\t2025-05-01\t2025-05-03\tT1\t东关派出所" in out and out.rstrip().endswith("on 2025-05-02")
    assert main(["events", "import", str(layer), "--name", "马拉松", "--start", "2025-05-01",
                 "--end", "2025-05-03", "--store", str(village_location)]) == 2
    assert "already saved" in capsys.readouterr().err
