"""Saving candidate layouts as boundary versions on the hand-drawn store, on both backends: one write, a
fresh join's grids, refusals naming who saved first, history, diff and roll back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fixtures.planner_store import NE, NW, OTHER, SE, SW, VILLAGE, build_planner_store
from shapely.geometry import LineString, MultiPolygon, Polygon

from geo.api import (
    CandidateRefusedError,
    ConcurrentSaveError,
    GeoInputError,
    GridPolicy,
    Store,
    boundary_history,
    candidate_impact,
    candidate_of_version,
    check_candidate,
    diff_versions,
    merge_grids,
    open_candidate,
    save_candidate,
    split_grid,
    validate_hierarchy,
)
from geo.intake.join import assign_grids_sjoin

WIDE = GridPolicy(min_grid_area_m2=2000.0, households={"urban": (100, 1000)})
EFFECTIVE = date(2025, 7, 1)
MERGED = f"{VILLAGE}005"


@pytest.fixture
def store(new_location: Callable[[], Path | str]) -> Store:
    return build_planner_store(new_location())


def _save_merge(store: Store, author: str = "李娜") -> str:
    candidate = merge_grids(open_candidate(store, VILLAGE), [SW, SE])
    saved = save_candidate(
        store, candidate, effective=EFFECTIVE, author=author, reason="两格户数少", policy=WIDE
    )
    return saved.version_id


def test_a_save_opens_new_rows_closes_the_old_and_keeps_every_level_a_valid_coverage(
    store: Store,
) -> None:
    version = _save_merge(store)
    areas = store.read("areas")
    closed = areas[areas["valid_to"].notna()]
    assert sorted(closed["code"]) == [SW, SE] and set(closed["valid_to"]) == {"2025-07-01"}
    opened = areas[areas["version_id"] == version]
    assert opened["code"].tolist() == [MERGED] and opened["valid_from"].tolist() == ["2025-07-01"]
    assert validate_hierarchy(areas[areas["valid_to"].isna()]) == []
    row = store.read("boundary_versions").iloc[-1]
    assert (row["version_id"], row["parent_code"], row["author"], row["based_on"]) == (
        version,
        VILLAGE,
        "李娜",
        "v2024-01-01",
    )


def test_incidents_from_the_effective_date_match_a_fresh_full_join_and_earlier_ones_keep_their_grid(
    store: Store,
) -> None:
    before = store.read("incidents").set_index("incident_id")
    _save_merge(store)
    after = store.read("incidents").set_index("incident_id").loc[before.index]
    areas = store.read("areas")
    grids = areas[(areas["level"] == "grid") & areas["valid_to"].isna()]
    later = after["reported_at"] >= pd.Timestamp(EFFECTIVE)
    fresh = assign_grids_sjoin(after.loc[later, "lon"], after.loc[later, "lat"], grids)
    assert after.loc[later, "grid_code"].tolist() == list(fresh.codes)
    assert (after.loc[later & before["grid_code"].isin([SW, SE]), "grid_code"] == MERGED).all()
    assert after.loc[~later, "grid_code"].tolist() == before.loc[~later, "grid_code"].tolist()
    assert after["village_code"].tolist() == before["village_code"].tolist()


def test_the_second_of_two_saves_from_one_version_is_refused_naming_who_saved_first(
    store: Store,
) -> None:
    late = split_grid(open_candidate(store, VILLAGE), NE, LineString([(98.51, 39.74), (98.52, 39.75)]))
    _save_merge(store, author="李娜")
    with pytest.raises(ConcurrentSaveError, match=r"李娜 saved v2025-07-01-620902001001 at 20\d\d-"):
        save_candidate(store, late, effective=date(2025, 8, 1), author="王强", reason="r", policy=WIDE)
    assert len(store.read("boundary_versions")) == 2


def test_a_candidate_with_problems_is_not_saved_and_nothing_is_written(store: Store) -> None:
    state = store.read("areas")
    merged = merge_grids(open_candidate(store, VILLAGE), [SW, SE])  # 800 households, above 300-500
    with pytest.raises(CandidateRefusedError, match=f"{MERGED}: 800 households"):
        save_candidate(store, merged, effective=EFFECTIVE, author="a", reason="r")
    pd.testing.assert_frame_equal(store.read("areas"), state)


def test_history_diff_and_roll_back(store: Store) -> None:
    version = _save_merge(store)
    history = boundary_history(store)
    assert history["version_id"].tolist() == ["v2024-01-01", version]
    diff = diff_versions(store, "v2024-01-01", version)
    assert dict(zip(diff["code"], diff["change"], strict=True)) == {
        SW: "removed",
        SE: "removed",
        MERGED: "added",
    }
    rollback = candidate_of_version(store, "v2024-01-01", parent_code=VILLAGE)
    assert sorted(rollback.grids["code"]) == [SW, SE, NW, NE]
    again = save_candidate(
        store, rollback, effective=date(2025, 10, 1), author="a", reason="回退", policy=WIDE
    )
    areas = store.read("areas")
    current = areas[
        (areas["level"] == "grid") & areas["valid_to"].isna() & areas["code"].str.startswith(VILLAGE)
    ]
    assert sorted(current["code"]) == [SW, SE, NW, NE]
    assert (
        len(areas[areas["code"] == SW]) == 2
    )  # the first row closed, the rolled-back one open: history kept
    assert set(diff_versions(store, version, again.version_id)["change"]) == {"added", "removed"}


def test_the_impact_preview_lists_what_moves_and_the_warning_levels(store: Store) -> None:
    candidate = merge_grids(open_candidate(store, VILLAGE), [SW, SE])
    impact = candidate_impact(
        candidate,
        areas=store.read("areas"),
        incidents=store.read("incidents"),
        addresses=store.read("addresses"),
        workers=store.read("grid_workers"),
        effective=EFFECTIVE,
        month="2025-12",
    )
    incidents = store.read("incidents")
    expected = incidents[
        (incidents["reported_at"] >= pd.Timestamp(EFFECTIVE)) & incidents["grid_code"].isin([SW, SE])
    ]
    assert sorted(impact.incidents["incident_id"]) == sorted(expected["incident_id"])
    assert set(impact.incidents["grid_after"]) == {MERGED}
    assert len(impact.addresses) == 6 and len(impact.workers) == 4
    assert set(impact.warnings["month"]) == {f"2025-{m:02d}" for m in range(1, 13)}
    assert set(impact.warnings["code"]) == {SW, SE, MERGED}
    assert impact.warnings.loc[impact.warnings["code"] == MERGED, "warning_level_before"].isna().all()


def test_a_save_that_would_break_the_hierarchy_outside_the_parent_is_refused(store: Store) -> None:
    """SE gains a vertex on the village outline that the neighbouring village's grid lacks: the village's
    own checks pass, the whole hierarchy would not."""
    candidate = open_candidate(store, VILLAGE)
    grids = candidate.grids.copy()
    notched = Polygon([(98.51, 39.73), (98.52, 39.73), (98.52, 39.735), (98.52, 39.74), (98.51, 39.74)])
    grids.loc[grids["code"] == SE, "geometry"] = gpd.GeoSeries([MultiPolygon([notched])], crs=4490).values
    edited = candidate.with_grids(grids, candidate.workers, {SE})
    assert [p for p in check_candidate(edited, policy=WIDE) if p.blocking] == []
    with pytest.raises(
        GeoInputError, match=rf"hierarchy would have 2 new problem\(s\): grid {OTHER}: edge does not match"
    ):
        save_candidate(store, edited, effective=EFFECTIVE, author="a", reason="r", policy=WIDE)
    assert len(store.read("boundary_versions")) == 1
