"""The wartime micro-grid layer on the hand-drawn village, on both backends: a grid cut into micro-grids
that tile it, saved as a new version (and through `pingan boundaries wartime`), refused a second time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely
from fixtures.planner_store import SW

from geo.api import (
    GeoInputError,
    boundary_history,
    open_store,
    save_micro_grids,
    validate_hierarchy,
    wartime_micro_grids,
)
from pingan_cli.main import main


def test_micro_grids_tile_their_grid_share_its_households_and_save_as_a_version(
    village_location: Path | str,
) -> None:
    store = open_store(village_location)
    micro = wartime_micro_grids(store, SW, count=4, seed=1)
    assert list(micro["code"]) == [f"{SW}{n:02d}" for n in range(1, 5)]
    assert micro["households"].sum() == 400 and micro["population"].sum() == 1000
    grid = store.read_areas(levels=["grid"]).set_index("code").geometry[SW]
    assert shapely.coverage_is_valid(micro.geometry.values)
    union = shapely.coverage_union_all(micro.geometry.values)
    assert shapely.area(shapely.symmetric_difference(union, grid)) < 1e-12
    version = save_micro_grids(store, micro, effective=dt.date(2025, 3, 1), author="王芳", reason="战时")
    current = store.read_areas(levels=["micro_grid"])
    assert sorted(current["code"]) == list(micro["code"]) and set(current["version_id"]) == {version}
    assert validate_hierarchy(store.read_areas()) == []
    assert boundary_history(store).iloc[-1]["author"] == "王芳"
    with pytest.raises(GeoInputError, match="has 4 micro-grids already"):
        wartime_micro_grids(store, SW, count=3)


def test_bad_requests_are_refused_with_the_reason(village_location: Path | str) -> None:
    store = open_store(village_location)
    with pytest.raises(GeoInputError, match="count 1 is not between 2 and 99"):
        wartime_micro_grids(store, SW, count=1)
    with pytest.raises(GeoInputError, match="no current grid has this code"):
        wartime_micro_grids(store, "620902001001999", count=3)
    with pytest.raises(GeoInputError, match="needs an author and a reason"):
        save_micro_grids(store, wartime_micro_grids(store, SW, count=3), effective=dt.date(2025, 3, 1),
                         author="王芳", reason=" ")


def test_the_cli_saves_a_wartime_layer(
    village_location: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["boundaries", "wartime", SW, "--count", "3", "--effective", "2025-03-01", "--reason", "战时",
                 "--author", "王芳", "--store", str(village_location)]) == 0
    assert f"3 micro-grids of {SW}" in capsys.readouterr().out
    assert len(open_store(village_location).read_areas(levels=["micro_grid"])) == 3
