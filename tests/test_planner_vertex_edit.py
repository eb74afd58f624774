"""Free vertex editing of one grid on the hand-drawn 2x2 village: the centre vertex dragged, a vertex
dropped near a neighbour's, and the refusals."""

from __future__ import annotations

import pytest
import shapely
from fixtures.planner_store import NE, NW, SE, SW, VILLAGE, planner_areas, planner_workers
from shapely.geometry import Polygon

from geo.api import Candidate, EditError, GridPolicy, candidate_from_areas, check_candidate, reshape_grid

WIDE = GridPolicy(min_grid_area_m2=2000.0, households={"urban": (100, 1000)})


@pytest.fixture
def village() -> Candidate:
    return candidate_from_areas(planner_areas(), planner_workers(), VILLAGE)


def _geometry(candidate: Candidate, code: str) -> shapely.Geometry:
    return candidate.grids.loc[candidate.grids["code"] == code, "geometry"].iloc[0]


def test_dragging_the_shared_centre_vertex_reshapes_all_four_grids_and_keeps_a_coverage(
    village: Candidate,
) -> None:
    # SW's north-east corner (the vertex all four share) dragged from (98.51, 39.74) to the north-east.
    dragged = Polygon([(98.50, 39.73), (98.51, 39.73), (98.513, 39.743), (98.50, 39.74)])
    edited = reshape_grid(village, SW, dragged)
    assert [p for p in check_candidate(edited, policy=WIDE) if p.blocking] == []
    assert shapely.area(shapely.symmetric_difference(_geometry(edited, SW), dragged)) < 1e-12
    # The vertex now lies in NE, which gives that corner up; SE and NW give up a sliver each.
    moved = shapely.get_coordinates(_geometry(edited, NE))
    assert min(abs(moved[:, 0] - 98.513) + abs(moved[:, 1] - 39.743)) < 1e-9
    assert {SW, SE, NW, NE} <= edited.changed
    assert set(edited.grids["code"]) == set(village.grids["code"])  # codes kept
    assert edited.grids["households"].sum() == village.grids["households"].sum()
    assert float(shapely.area(shapely.coverage_union_all(edited.grids.geometry.values))) == pytest.approx(
        float(shapely.area(village.parent))
    )


def test_a_vertex_dropped_within_two_metres_of_a_neighbours_vertex_snaps_onto_it(village: Candidate) -> None:
    # The browser sends the unmoved corners back rounded: 1 m off, they still land on the old vertices.
    sent = Polygon([(98.50, 39.73), (98.51001, 39.73), (98.51, 39.74001), (98.50, 39.74)])
    with pytest.raises(EditError, match="did not change"):
        reshape_grid(village, SW, sent)


def test_area_an_edit_gives_up_goes_to_a_neighbour_along_it(village: Candidate) -> None:
    """SW's shared corner dragged inwards: the piece it gives up goes whole to a neighbour that shares
    an edge with it, so nothing is left uncovered."""
    shrunk = Polygon([(98.50, 39.73), (98.51, 39.73), (98.507, 39.737), (98.50, 39.74)])
    edited = reshape_grid(village, SW, shrunk)
    given = shapely.area(_geometry(village, SW)) - shapely.area(_geometry(edited, SW))
    gained = {code: shapely.area(_geometry(edited, code)) - shapely.area(_geometry(village, code))
              for code in (SE, NW, NE)}
    assert given > 0 and sorted(gained.values())[-1] == pytest.approx(given)
    assert max(gained, key=lambda code: gained[code]) in (SE, NW)  # along an edge, not at NE's corner
    assert [p for p in check_candidate(edited, policy=WIDE) if p.blocking] == []


def test_refusals_name_the_grid_and_why(village: Candidate) -> None:
    with pytest.raises(EditError, match=f"vertex edit of {SW}: the edited shape is not a polygon"):
        reshape_grid(village, SW, shapely.LineString([(98.5, 39.73), (98.51, 39.74)]))
    far = Polygon([(99.0, 40.0), (99.01, 40.0), (99.01, 40.01)])
    with pytest.raises(EditError, match="no longer overlaps"):
        reshape_grid(village, SW, far)
    swallow = Polygon([(98.50, 39.73), (98.52, 39.73), (98.52, 39.74), (98.50, 39.74)])
    with pytest.raises(EditError, match=f"swallow the whole of {SE}"):
        reshape_grid(village, SW, swallow)
    assert NW in set(village.grids["code"])
