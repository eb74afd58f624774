"""Edits of a candidate layout, each returning a new candidate: split a grid by a line, merge neighbours,
redraw the edge two neighbours share, move a block from one grid to its neighbour.

Every reshaping edit rebuilds the grids from one noded arrangement: the grids' boundaries and the drawn
lines are noded together and polygonized into faces, and each grid is the union of its faces. A new vertex
therefore lands in both grids on either side of it, so the layout stays a coverage (as QGIS's topological
editing keeps it). A drawn line that meets the parent's outline must do so at an outline vertex (it is
snapped within SNAP_M metres): grids of the neighbouring parent are not edited and must keep matching ours
vertex for vertex.
New grids get new codes by the code rule (village code + the next free 3-digit segment, never one used
before); households and population follow area shares of the grids they came from.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries.candidate import Candidate
from geo.boundaries.coverage_checks import metric_area
from geo.errors import GeoInputError
from geo.schema import CODE_LENGTH, Col, Level, OpsCol

#: Distance in degrees (about 0.1 mm) within which a point counts as on a line.
_ON_LINE_DEG = 1e-9
#: How far past an edge a drawn line is pushed (about 1 cm); the stub beyond is a dangle, dropped.
_PAST_EDGE_DEG = 1e-7
#: How near an outline vertex a drawn line must meet the parent's outline to be snapped onto it.
SNAP_M = 5.0
_METRES_PER_DEGREE = np.array([85_000.0, 111_000.0])  # about, at Jiuquan's latitude; enough to snap by
#: Length in degrees (about 10 cm) two outlines must run together to share an edge, not only a vertex.
_SHARED_EDGE_DEG = 1e-6
_GRID_SEGMENT = CODE_LENGTH[Level.GRID] - CODE_LENGTH[Level.VILLAGE]


class EditError(GeoInputError):
    """An edit that cannot be made as asked; the message says why."""


def split_grid(candidate: Candidate, code: str, line: shapely.LineString) -> Candidate:
    """Split grid `code` along `line`, which must cross it from edge to edge; every part gets a new code."""
    grid = candidate.grid(code)
    cut = _cut(line, grid[Col.GEOMETRY], candidate)
    owners = _rebuild(candidate, [cut])
    parts = [face for face, owner in owners if owner == code]
    if len(parts) <= len(shapely.get_parts(grid[Col.GEOMETRY])):
        raise EditError(f"split of grid {code}: the line does not cross the grid from edge to edge")
    new_codes = next_grid_codes(candidate, str(grid[Col.PARENT_CODE]), len(parts))
    by_face = dict(zip(map(id, parts), new_codes, strict=True))
    faces = [(face, by_face.get(id(face), owner)) for face, owner in owners]
    names = {new: f"{grid[Col.NAME]}-{number}" for number, new in enumerate(new_codes, 1)}
    return _apply(candidate, faces, sources={new: [code] for new in new_codes}, names=names)


def merge_grids(candidate: Candidate, codes: Sequence[str]) -> Candidate:
    """Merge two or more grids of one village into one with a new code; each must share an edge (not only a
    vertex) with another of them."""
    rows = [candidate.grid(code) for code in dict.fromkeys(codes)]
    if len(rows) < 2:
        raise EditError(f"merge of {', '.join(codes)}: name at least two different grids")
    villages = {str(row[Col.PARENT_CODE]) for row in rows}
    if len(villages) > 1:
        raise EditError(
            f"merge of {', '.join(codes)}: the grids lie in different villages "
            f"({', '.join(sorted(villages))})"
        )
    _refuse_unconnected([str(r[Col.CODE]) for r in rows], [r[Col.GEOMETRY] for r in rows], "merge")
    (new_code,) = next_grid_codes(candidate, villages.pop(), 1)
    merged = set(map(str, codes))
    faces = [
        (geometry, new_code if owner in merged else owner)
        for geometry, owner in zip(candidate.grids[Col.GEOMETRY], candidate.grids[Col.CODE], strict=True)
    ]
    lowest = min(rows, key=lambda row: str(row[Col.CODE]))
    return _apply(
        candidate, faces, sources={new_code: sorted(merged)}, names={new_code: str(lowest[Col.NAME])}
    )


def redraw_edge(candidate: Candidate, first: str, second: str, edge: shapely.LineString) -> Candidate:
    """Replace the edge grids `first` and `second` share by `edge`, drawn across the two from outline to
    outline; the edge moves for both, so no gap or overlap can open. Codes are kept."""
    a, b = candidate.grid(first), candidate.grid(second)
    if a[Col.PARENT_CODE] != b[Col.PARENT_CODE]:
        raise EditError(f"redraw of {first}|{second}: the grids lie in different villages")
    _refuse_unconnected([first, second], [a[Col.GEOMETRY], b[Col.GEOMETRY]], "redraw")
    pair = shapely.coverage_union_all([a[Col.GEOMETRY], b[Col.GEOMETRY]])
    cut = _cut(edge, pair, candidate)
    owners = _rebuild(candidate, [cut], merged=(first, second, pair))
    inside = [face for face, owner in owners if owner == first]
    if len(inside) < 2:
        raise EditError(
            f"redraw of {first}|{second}: the new edge does not cross the two grids from outline to outline"
        )
    share = {id(face): _overlap(face, a[Col.GEOMETRY]) >= _overlap(face, b[Col.GEOMETRY]) for face in inside}
    faces = [
        (face, (first if share[id(face)] else second) if owner == first else owner) for face, owner in owners
    ]
    if {first, second} - {owner for _, owner in faces}:
        raise EditError(f"redraw of {first}|{second}: the new edge leaves one of the grids with nothing")
    return _apply(candidate, faces, sources={first: [first, second], second: [first, second]})


def move_block(candidate: Candidate, block: shapely.Geometry, to_code: str) -> Candidate:
    """Move `block` (a micro-grid's or an address cluster's polygon) out of the grid that holds it into its
    neighbour `to_code`; the block must lie in one grid and share an edge with `to_code`."""
    target = candidate.grid(to_code)
    holders = [
        (str(c), g)
        for c, g in zip(candidate.grids[Col.CODE], candidate.grids[Col.GEOMETRY], strict=True)
        if c != to_code and _overlap(block, g) > 0.5
    ]
    if not holders:
        raise EditError(
            f"move to {to_code}: the block does not lie in another grid of {candidate.parent_code}"
        )
    from_code, holder = holders[0]
    if candidate.grid(from_code)[Col.PARENT_CODE] != target[Col.PARENT_CODE]:
        raise EditError(f"move from {from_code} to {to_code}: the grids lie in different villages")
    clipped = shapely.intersection(shapely.make_valid(block), holder)
    cut = _cut(shapely.boundary(clipped), holder, candidate)
    owners = _rebuild(candidate, [cut])
    moved = [
        (face, to_code if owner == from_code and _overlap(face, clipped) > 0.5 else owner)
        for face, owner in owners
    ]
    if all(owner != from_code for _, owner in moved):
        raise EditError(
            f"move from {from_code} to {to_code}: the block is the whole grid; merge the grids instead"
        )
    taken = shapely.union_all(
        [face for (face, new), (_, old) in zip(moved, owners, strict=True) if new != old]
    )
    if not _share_edge(taken, target[Col.GEOMETRY]):
        raise EditError(
            f"move from {from_code} to {to_code}: the block does not share an edge with {to_code}"
        )
    return _apply(candidate, moved, sources={from_code: [from_code], to_code: [from_code, to_code]})


def move_worker(candidate: Candidate, worker_id: str, to_code: str) -> Candidate:
    """Assign grid worker `worker_id` to grid `to_code` of the candidate."""
    candidate.grid(to_code)
    workers = candidate.workers.copy()
    mine = workers[OpsCol.WORKER_ID] == worker_id
    if not mine.any():
        raise EditError(f"worker {worker_id}: not a grid worker of {candidate.parent_code}")
    workers.loc[mine, Col.GRID_CODE] = to_code
    return candidate.with_grids(candidate.grids, workers, set())


def next_grid_codes(candidate: Candidate, village_code: str, count: int) -> list[str]:
    """`count` new grid codes in `village_code`: the segments after the highest one ever used there."""
    used = [
        int(code[-_GRID_SEGMENT:])
        for code in (*candidate.grids[Col.CODE], *candidate.retired)
        if code.startswith(village_code) and len(code) == CODE_LENGTH[Level.GRID]
    ]
    start = max(used, default=0) + 1
    if start + count - 1 >= 10**_GRID_SEGMENT:
        raise EditError(f"village {village_code}: no grid codes left (segment {start + count - 1} > 999)")
    return [f"{village_code}{number:0{_GRID_SEGMENT}d}" for number in range(start, start + count)]


# ---------------------------------------------------------------- the arrangement


def _rebuild(
    candidate: Candidate,
    lines: list[shapely.Geometry],
    merged: tuple[str, str, shapely.Geometry] | None = None,
) -> list[tuple[shapely.Geometry, str]]:
    """Faces of the grids' boundaries noded with `lines`, each with the code of the grid it lies in. With
    `merged` (two codes and their union), those two grids count as one, owned by the first code."""
    codes = list(map(str, candidate.grids[Col.CODE]))
    geometries = list(candidate.grids[Col.GEOMETRY])
    if merged is not None:
        keep = [i for i, code in enumerate(codes) if code not in merged[:2]]
        codes = [codes[i] for i in keep] + [merged[0]]
        geometries = [geometries[i] for i in keep] + [merged[2]]
    noded = shapely.union_all([*shapely.boundary(np.asarray(geometries, dtype=object)), *lines])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    tree = shapely.STRtree(geometries)
    inner, owner = tree.query(shapely.point_on_surface(faces), predicate="within")
    owners = np.full(len(faces), "", dtype=object)
    owners[inner] = np.asarray(codes, dtype=object)[owner]
    return [(face, str(code)) for face, code in zip(faces, owners, strict=True) if code]


def _apply(
    candidate: Candidate,
    faces: list[tuple[shapely.Geometry, str]],
    *,
    sources: dict[str, list[str]],
    names: dict[str, str] | None = None,
) -> Candidate:
    """The candidate whose grids are the unions of `faces` per code; `sources` names, per new or reshaped
    grid, the old grids whose households, population and workers it shares."""
    old = candidate.grids.set_index(Col.CODE, drop=False)
    new_geometries: dict[str, list[shapely.Geometry]] = {}
    for face, code in faces:
        new_geometries.setdefault(code, []).append(face)
    changed = set(sources)
    rows = []
    for code, parts in new_geometries.items():
        base = old.loc[code] if code in old.index else old.loc[sources[code][0]]
        geometry = _multi(parts)
        if code not in changed and shapely.get_num_coordinates(geometry) == shapely.get_num_coordinates(
            old.loc[code, Col.GEOMETRY]
        ):
            geometry = old.loc[code, Col.GEOMETRY]  # untouched: keep it as drawn, not as rebuilt
        rows.append(
            {
                **base.to_dict(),
                Col.CODE: code,
                Col.GEOMETRY: geometry,
                Col.NAME: (names or {}).get(code, base[Col.NAME]),
            }
        )
    grids = gpd.GeoDataFrame(rows, geometry=Col.GEOMETRY, crs=candidate.grids.crs)
    grids = _share_counts(old, grids, changed, sources)
    grids[Col.AREA_KM2] = [round(metric_area(g) / 1e6, 4) for g in grids[Col.GEOMETRY]]
    grids = grids.sort_values(Col.CODE, kind="stable")
    return candidate.with_grids(grids, _carry_workers(candidate, grids, sources), changed)


def _share_counts(
    old: pd.DataFrame, grids: gpd.GeoDataFrame, changed: set[str], sources: dict[str, list[str]]
) -> gpd.GeoDataFrame:
    """Households and population of reshaped grids: each old grid's, shared by area, totals kept exactly."""
    grids = grids.set_index(Col.CODE, drop=False)
    for column in (Col.HOUSEHOLDS, Col.POPULATION):
        totals = dict.fromkeys(changed, 0)
        for source in sorted({s for group in sources.values() for s in group}):
            takers = [code for code in changed if source in sources[code]]
            shares = np.array(
                [
                    _overlap(grids.loc[c, Col.GEOMETRY], old.loc[source, Col.GEOMETRY], of_second=True)
                    for c in takers
                ]
            )
            for code, amount in zip(
                takers, _largest_remainder(int(old.loc[source, column]), shares), strict=True
            ):
                totals[code] += amount
        for code, total in totals.items():
            grids.loc[code, column] = int(total)
    return grids.reset_index(drop=True)


def _largest_remainder(total: int, shares: np.ndarray) -> list[int]:
    if shares.sum() <= 0:
        return [0] * len(shares)
    exact = total * shares / shares.sum()
    whole = np.floor(exact).astype(int)
    for i in np.argsort(whole - exact)[: total - int(whole.sum())]:
        whole[i] += 1
    return whole.tolist()


def _carry_workers(
    candidate: Candidate, grids: gpd.GeoDataFrame, sources: dict[str, list[str]]
) -> pd.DataFrame:
    """Workers of grids that are gone, dealt in turn to the grids that took their area, largest part first."""
    workers = candidate.workers.copy()
    present = set(grids[Col.CODE])
    geometry = dict(zip(grids[Col.CODE], grids[Col.GEOMETRY], strict=True))
    old = dict(zip(candidate.grids[Col.CODE], candidate.grids[Col.GEOMETRY], strict=True))
    for gone in sorted(set(old) - present):
        takers = [code for code, group in sources.items() if gone in group and code in present]
        takers.sort(key=lambda code: -_overlap(geometry[code], old[gone], of_second=True))
        if not takers:
            continue
        mine = np.flatnonzero((workers[Col.GRID_CODE] == gone).to_numpy())
        for turn, row in enumerate(mine):
            workers.iloc[row, workers.columns.get_loc(Col.GRID_CODE)] = takers[turn % len(takers)]
    return workers


# ---------------------------------------------------------------- small geometry helpers


def _refuse_unconnected(codes: list[str], geometries: list[shapely.Geometry], what: str) -> None:
    """Refuse grids that do not form one group joined by shared edges (a shared vertex is not enough)."""
    reached, frontier = {0}, [0]
    while frontier:
        here = frontier.pop()
        for other in range(len(codes)):
            if other not in reached and _share_edge(geometries[here], geometries[other]):
                reached.add(other)
                frontier.append(other)
    if len(reached) < len(codes):
        apart = ", ".join(codes[i] for i in range(len(codes)) if i not in reached)
        raise EditError(
            f"{what} of {', '.join(codes)}: {apart} share no edge with {codes[0]}'s group "
            "(touching at a vertex is not enough)"
        )


def _share_edge(first: shapely.Geometry, second: shapely.Geometry) -> bool:
    """Whether the outlines run together for more than a vertex's worth (about 10 cm), allowing for the
    rounding of vertices noded into one of them."""
    near = shapely.buffer(shapely.boundary(second), _ON_LINE_DEG * 10)
    return bool(shapely.length(shapely.intersection(shapely.boundary(first), near)) > _SHARED_EDGE_DEG)


def _overlap(first: shapely.Geometry, second: shapely.Geometry, *, of_second: bool = False) -> float:
    """Share of `first`'s area (or `second`'s) that the two have in common."""
    whole = shapely.area(second if of_second else first)
    return float(shapely.area(shapely.intersection(first, second)) / whole) if whole else 0.0


def _multi(parts: list[shapely.Geometry]) -> shapely.Geometry:
    union = shapely.coverage_union_all(parts)
    return union if union.geom_type == "MultiPolygon" else shapely.multipolygons([union])


def _cut(lines: shapely.Geometry, region: shapely.Geometry, candidate: Candidate) -> shapely.Geometry:
    """The drawn `lines` inside `region`, ready to node: an end on the parent's outline moves onto the
    outline vertex within the snapping distance (EditError when there is none); any other end is pushed a
    hair past the edge it stops on, so the noding finds the crossing rather than a dangle a rounding error
    short of it."""
    outline = shapely.boundary(candidate.parent)
    vertices = _outline_vertices(candidate, outline)
    pieces = []
    for part in shapely.get_parts(shapely.intersection(lines, region)):
        if part.geom_type != "LineString" or part.is_closed:
            pieces.append(part)
            continue
        xy = shapely.get_coordinates(part)
        for end, inner in ((0, 1), (-1, -2)):
            if shapely.distance(shapely.Point(xy[end]), outline) <= _ON_LINE_DEG:
                xy[end] = _outline_vertex(xy[end], vertices)
            else:
                step = xy[end] - xy[inner]
                xy[end] = xy[end] + step / max(float(np.hypot(*step)), 1e-15) * _PAST_EDGE_DEG
        pieces.append(shapely.LineString(xy))
    return shapely.union_all(pieces) if pieces else shapely.GeometryCollection()


def _outline_vertices(candidate: Candidate, outline: shapely.Geometry) -> np.ndarray:
    """Vertices the grids have on the parent's outline: those the neighbouring parent's grids share."""
    xy = shapely.get_coordinates(candidate.grids.geometry.values)
    return xy[shapely.distance(shapely.points(xy), outline) <= _ON_LINE_DEG]


def _outline_vertex(point: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """The parent outline's vertex within the snapping distance of `point` on it; the grids of the
    neighbouring parent are not edited, so a new vertex there would break their match with ours."""
    gaps = np.hypot(*((vertices - point) * _METRES_PER_DEGREE).T)
    if gaps.min() > SNAP_M:
        raise EditError(f"the line meets the parent's outline at {point[0]:.6f}, {point[1]:.6f}, "
                        f"{gaps.min():.0f} m from its nearest vertex: end it on an outline vertex (within "
                        f"{SNAP_M:.0f} m) or inside the parent")
    return vertices[gaps.argmin()]
