"""The workbench provider on the hand-drawn village: sessions, edits by tool with undo, figures, problems
and impact, a save with its history, the second planner's refused save, and a roll back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyogrio
import pytest
from fixtures.planner_store import NE, NW, SE, SW, TOWNSHIP, VILLAGE, build_planner_store
from shapely.geometry import LineString

from dashboard.data.planner import PlannerData, apply_tool
from dashboard.settings import Settings
from geo.api import ConcurrentSaveError, EditError, open_candidate, open_store, redraw_edge, save_candidate

# SW's diagonal, corner to corner (a line meets the village's outline only at a vertex of it).
ACROSS_SW = {"type": "LineString", "coordinates": [[98.50, 39.73], [98.51, 39.74]]}
# The SW|SE edge bent east a little: both keep households within the policy (300-500).
NORTH_BENT = {"type": "LineString", "coordinates": [[98.51, 39.74], [98.508, 39.745], [98.51, 39.75]]}
BENT = {"type": "LineString", "coordinates": [[98.51, 39.73], [98.512, 39.735], [98.51, 39.74]]}


@pytest.fixture
def data(tmp_path: Path) -> PlannerData:
    path = tmp_path / "village.gpkg"
    build_planner_store(path)
    return PlannerData(Settings.from_env({}, store=path, cache_dir=tmp_path / "cache"))


def test_the_parents_are_the_township_and_villages_with_grids(data: PlannerData) -> None:
    assert [code for code, _, _ in data.parents()] == [TOWNSHIP, VILLAGE, f"{TOWNSHIP}002"]


def test_an_edit_by_tool_then_undo_and_the_figures_follow(data: PlannerData) -> None:
    token, session = data.session(None, VILLAGE)
    assert data.session(token, VILLAGE)[0] == token
    assert data.session(token, TOWNSHIP)[0] != token  # another area, another session
    split = data.edit(token, "split", [SW], ACROSS_SW)
    assert SW not in set(split.grids["code"]) and len(split.grids) == 5
    figures = data.figures(split)
    assert list(figures.columns) == ["code", "name", "households", "population", "workers", "incidents"]
    assert figures["incidents"].sum() == data.figures(data.base(token))["incidents"].sum()
    impact = data.impact(split, dt.date(2025, 1, 1))
    assert {"added", "removed"} <= set(impact.grids["change"])
    exported = pyogrio.read_dataframe(io.BytesIO(data.export(token)))
    assert sorted(exported["code"]) == sorted(split.grids["code"])
    data.undo(token)
    assert SW in set(session.candidate.grids["code"])


def test_each_tool_asks_for_what_it_needs(data: PlannerData) -> None:
    candidate = data.base(data.session(None, VILLAGE)[0])
    with pytest.raises(EditError, match="split: select 1 grid"):
        apply_tool(candidate, "split", [], ACROSS_SW)
    with pytest.raises(EditError, match="split: draw a line"):
        apply_tool(candidate, "split", [SW], None)
    with pytest.raises(EditError, match="merge: select at least 2"):
        apply_tool(candidate, "merge", [SW], None)
    with pytest.raises(EditError, match="not one of"):
        apply_tool(candidate, "erase", [SW], None)
    with pytest.raises(EditError, match="share no edge"):
        apply_tool(candidate, "merge", [SW, NE], None)
    assert len(apply_tool(candidate, "merge", [SW, SE], None).grids) == 3


def test_a_save_lands_in_the_history_and_a_second_planner_is_refused_naming_the_first(
    data: PlannerData, tmp_path: Path
) -> None:
    token, _ = data.session(None, VILLAGE)
    data.edit(token, "redraw", [SW, SE], BENT)
    saved = data.save(token, effective=dt.date(2025, 6, 1), author="王芳", reason="调整西南与东南格界线")
    history = data.history(VILLAGE)
    assert history.loc[0, "version_id"] == saved.version_id and history.loc[0, "author"] == "王芳"
    other, _ = data.session(None, VILLAGE)
    data.edit(other, "redraw", [NW, NE], NORTH_BENT)
    store = open_store(tmp_path / "village.gpkg")
    north = LineString(NORTH_BENT["coordinates"])
    first = redraw_edge(open_candidate(store, VILLAGE), NW, NE, north)
    save_candidate(store, first, effective=dt.date(2025, 7, 1), author="李雷", reason="调整北侧界线")
    with pytest.raises(ConcurrentSaveError, match="李雷 saved"):
        data.save(other, effective=dt.date(2025, 8, 1), author="王芳", reason="调整北侧界线")


def test_a_roll_back_is_the_earlier_layout_saved_as_a_new_version(data: PlannerData) -> None:
    token, _ = data.session(None, VILLAGE)
    data.edit(token, "redraw", [SW, SE], BENT)
    merged = data.save(token, effective=dt.date(2025, 6, 1), author="王芳", reason="调整")
    base = data.history(VILLAGE).iloc[-1]["version_id"]
    back = data.roll_back_to(token, base)
    assert back.grids.loc[back.grids["code"] == SE, "geometry"].iloc[0].bounds[0] == 98.51
    rolled = data.save(token, effective=dt.date(2025, 9, 1), author="王芳", reason="回退")
    history = data.history(VILLAGE)
    assert list(history["version_id"][:2]) == [rolled.version_id, merged.version_id]
    assert set(data.diff(merged.version_id, rolled.version_id)["code"]) >= {SW, SE}

