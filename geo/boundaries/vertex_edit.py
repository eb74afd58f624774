"""Free vertex editing of one grid: the planner drags the grid's outline to a new polygon; the polygon is
snapped onto the vertices of the neighbours and the parent's outline, and the layout is rebuilt on one
noded arrangement (as the other edits in geo.boundaries.edits), so it stays a coverage.

Area the polygon takes from neighbours goes to the edited grid; area it gives up goes to the neighbour that
shares the longest edge with that piece. Codes are kept.
"""

from __future__ import annotations

import shapely

from geo.boundaries.candidate import Candidate
from geo.boundaries.edits import EditError, _apply, _cut, _rebuild
from geo.schema import Col

#: Snapping distance in degrees (about 2 m): an edited vertex this near a neighbour's vertex lands on it,
#: and vertices the browser sent back unmoved (rounded on the way) land on their old place.
SNAP_DEG = 2e-5


def reshape_grid(candidate: Candidate, code: str, polygon: shapely.Geometry) -> Candidate:
    """Grid `code` redrawn as `polygon` (clipped to the parent), its neighbours adjusted to match."""
    grid = candidate.grid(code)
    if polygon.geom_type not in ("Polygon", "MultiPolygon") or polygon.is_empty:
        raise EditError(f"vertex edit of {code}: the edited shape is not a polygon")
    vertices = shapely.multipoints(shapely.get_coordinates(candidate.grids.geometry.values))
    snapped = shapely.make_valid(shapely.snap(polygon, vertices, SNAP_DEG))
    if not shapely.intersects(snapped, grid[Col.GEOMETRY]):
        raise EditError(f"vertex edit of {code}: the edited shape no longer overlaps the grid")
    cut = _cut(shapely.boundary(snapped), candidate.parent, candidate)
    owners = _rebuild(candidate, [cut])
    inside = shapely.buffer(snapped, 0)
    faces = []
    touched = {code}
    for face, owner in owners:
        within = shapely.area(shapely.intersection(face, inside)) > 0.5 * shapely.area(face)
        if within:
            touched.add(owner)
            faces.append((face, code))
        elif owner == code:
            faces.append((face, _nearest_neighbour(face, owners, code)))
            touched.add(faces[-1][1])
        else:
            faces.append((face, owner))
    if all(new == old for (_, new), (_, old) in zip(faces, owners, strict=True)):
        raise EditError(f"vertex edit of {code}: the outline did not change")
    lost = [c for c in touched if c not in {owner for _, owner in faces}]
    if lost:
        raise EditError(f"vertex edit of {code}: it would swallow the whole of {', '.join(sorted(lost))}")
    group = sorted(touched)
    return _apply(candidate, faces, sources={c: group for c in group})


def _nearest_neighbour(face: shapely.Geometry, owners: list[tuple[shapely.Geometry, str]], code: str) -> str:
    """The grid other than `code` whose faces share the longest edge with `face`."""
    outline = shapely.boundary(face)
    best, length = "", 0.0
    shared: dict[str, float] = {}
    for other, owner in owners:
        if owner != code and other is not face:
            shared[owner] = shared.get(owner, 0.0) + float(
                shapely.length(shapely.intersection(outline, shapely.boundary(other)))
            )
    for owner, value in shared.items():
        if value > length:
            best, length = owner, value
    if not best:
        raise EditError(f"vertex edit of {code}: area it gives up touches no neighbour to take it")
    return best
