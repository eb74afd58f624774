"""Split parent polygons into child polygons that form one exact coverage across all parents.

Children are Voronoi cells of seed points, cut by their parent. The cutting is done on the linework of
all parents at once: every parent boundary and every clipped Voronoi edge is noded together and
polygonized, so two children on either side of a parent boundary share the very same vertices. That is
what makes each level a valid coverage (shapely.coverage_is_valid) and not merely a gap-free one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

_OVERHANG = 1.0  # map units (metres in the metric CRS)


@dataclass(frozen=True)
class Parent:
    geometry: shapely.Geometry
    seeds: NDArray[np.float64]  # (n, 2) points inside the parent, one per child


def _voronoi_edges(parent: Parent) -> shapely.Geometry | None:
    if len(parent.seeds) < 2:
        return None
    points = shapely.multipoints(parent.seeds)
    edges = shapely.voronoi_polygons(
        points, only_edges=True, extend_to=shapely.envelope(parent.geometry).buffer(1.0)
    )
    # Clip a little beyond the parent: an edge that crosses the boundary is noded exactly onto it, while
    # one clipped exactly at it would end a hair short and leave two cells unseparated. The overhang is a
    # dangle, which polygonize ignores.
    return shapely.intersection(edges, shapely.buffer(parent.geometry, _OVERHANG))


def tessellate(parents: Sequence[Parent]) -> list[list[shapely.Geometry]]:
    """Children of each parent, in seed order; together they are one valid coverage.

    A child whose Voronoi cell is cut into several pieces by its parent's shape comes back as a MultiPolygon.
    """
    lines = [shapely.boundary(p.geometry) for p in parents]
    lines += [edges for p in parents if (edges := _voronoi_edges(p)) is not None]
    noded = shapely.union_all(lines)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    inside = shapely.point_on_surface(faces)

    parent_geoms = np.array([p.geometry for p in parents], dtype=object)
    tree = shapely.STRtree(parent_geoms)
    face_idx, parent_idx = tree.query(inside, predicate="within")
    by_child: list[list[list[shapely.Geometry]]] = [[[] for _ in p.seeds] for p in parents]
    for f, k in zip(face_idx, parent_idx, strict=True):
        seeds = parents[k].seeds
        point = shapely.get_coordinates(inside[f])[0]
        nearest = int(np.argmin(((seeds - point) ** 2).sum(axis=1)))
        by_child[k][nearest].append(faces[f])

    result: list[list[shapely.Geometry]] = []
    for k, children in enumerate(by_child):
        merged = []
        for s, pieces in enumerate(children):
            if not pieces:
                raise ValueError(
                    f"parent {k}: seed {s} at {parents[k].seeds[s]} got no area; seeds must lie inside"
                )
            merged.append(shapely.coverage_union_all(pieces))
        result.append(merged)
    return result


def sample_seeds(
    polygon: shapely.Geometry,
    count: int,
    rng: np.random.Generator,
    *,
    centre: tuple[float, float] | None = None,
    spread: float | None = None,
    min_distance: float = 0.0,
) -> NDArray[np.float64]:
    """`count` points inside `polygon`, Gaussian around `centre` (or uniform), at least `min_distance` apart.

    The spacing is relaxed step by step when the polygon is too small to honour it, so this always returns.
    """
    shapely.prepare(polygon)
    minx, miny, maxx, maxy = polygon.bounds
    chosen: list[NDArray[np.float64]] = []
    spacing = min_distance
    for attempt in range(200):
        batch = 256
        if centre is not None and spread is not None:
            proposals = rng.normal(loc=centre, scale=spread, size=(batch, 2))
        else:
            proposals = rng.uniform((minx, miny), (maxx, maxy), size=(batch, 2))
        proposals = proposals[shapely.contains_xy(polygon, proposals[:, 0], proposals[:, 1])]
        for point in proposals:
            if all(np.hypot(*(point - other)) >= spacing for other in chosen):
                chosen.append(point)
                if len(chosen) == count:
                    return np.array(chosen)
        if attempt % 10 == 9:
            spacing *= 0.7
            if centre is not None and spread is not None:
                spread *= 1.3
    raise ValueError(f"could not place {count} seeds inside a polygon of area {polygon.area:.0f}")
