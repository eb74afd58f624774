"""The cell tree behind `assign_grids`: most points are answered by two or three array look-ups.

A root raster of cells (square in metres) covers the grids' extent. A cell is

- *pure*: no grid edge comes within the halo (10 m by default, plus a margin) of it, so every point in
  it has the same answer: the value is that grid's rank, or -1 outside;
- *near*: no edge crosses it but one comes within the halo; the answer is known, the near-edge flag needs
  a distance test;
- *touch*: an edge crosses it; the value holds the grid covering the whole cell (if any) and the point
  gets an exact GEOS test against the lower-coded grids whose edges cross the parent cell;
- *block*: split into 4 x 4 children. Every root cell that is not pure is split once, so each near or
  touch cell has a parent block holding the lists it needs (grids whose edge crosses the block, boundary
  segments within its halo).

Grids are held in code order (rank 0 = lowest code), so "the lowest code wins" is "the lowest rank wins",
and testing a touch cell's candidates in rank order stops at the first hit. Every box test is widened by
`_EPS_DEG` (about 1 mm), far more than the rounding of a point's cell index, so a point that rounding puts
in a neighbouring cell still gets the exact answer. Near-edge distances are measured to the straight
chord between a segment's end points in `geo.crs.to_metric`; a long segment drawn straight in degrees
strays from that chord (about 40 m mid-way along a 50 km east-west edge), so each segment's halo is
widened by its stray.

Cell sizes. A grid's width is taken as 4 * area / perimeter (its side for a square, twice the short side
of a long strip). The root cell is 1/16 of the median grid width, but the root has at most
`_MAX_ROOT_CELLS` cells (64 MB). A touch cell is split (4 x 4) until it is at most 1/32 of the width of
the narrowest grid whose edge crosses it, or 1/16 beyond `_FINE_UP_TO_GRIDS` grids. Only points within
about one cell of an edge then need the exact test (about 2.5 / 32 = 8 % of a square grid's area), and
cells along the edges of large rural grids stay large, which keeps the index small. Measured with
bench/join: 1/32 at 1,424 grids lifts throughput by about 15 % for the same build time; at 30,000 grids
it would push the build's peak memory above sjoin's, hence 1/16 there. With 4 x 4
splits a leaf ends between 1/4 and 1 times its target. `cell_size_m` replaces the rule with one target
leaf size for every edge.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.crs import to_metric

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.floating[Any]]

DEFAULT_EDGE_HALO_M: Final = 10.0
FORMAT_VERSION: Final = 3  # part of every cache key: change it when the tree or its tuning changes
_EPS_DEG: Final = 1e-8
_CELLS_ACROSS: Final = 32  # leaf target: this fraction of the narrowest grid width at the cell
_CELLS_ACROSS_MANY: Final = 16  # the same beyond _FINE_UP_TO_GRIDS grids, to keep memory down
_FINE_UP_TO_GRIDS: Final = 5_000
_MAX_ROOT_CELLS: Final = 16_000_000
_MAX_DEPTH: Final = 6
_MIN_LEAF_M: Final = 0.5
_HALO_SAFETY: Final = 1.05  # metres-per-degree varies inside a cell; widen the halo a little
# Cell values (int32): >= 0 the grid of a pure cell, -1 outside; else `encode(kind, payload)` with kinds
# block (payload: child block), near (pure cell within the halo of an edge; payload: grid + 1, 0 outside)
# and touch (an edge crosses the cell; payload: grid covering the whole cell + 1, 0 none).
OUTSIDE: Final = -1
BLOCK, NEAR, TOUCH = 0, 1, 2
KIND_SHIFT: Final = 28
PAYLOAD_MASK: Final = (1 << KIND_SHIFT) - 1
ARRAY_FIELDS: Final = (
    "rows",
    "frame",
    "root",
    "children",
    "block_cand_ptr",
    "block_cand",
    "block_seg_ptr",
    "block_seg",
    "seg_xy",
)


@dataclass(frozen=True, eq=False)
class GridIndex:
    """Grids in code order plus the cell tree over them. Build with `build_grid_index`."""

    key: str  # content hash of codes, geometries and build options: the cache name
    codes: NDArray[np.object_]  # by rank
    geometries: NDArray[np.object_]  # by rank, prepared
    rows: IntArray  # rank -> row position in the frame it was built from
    frame: FloatArray  # x0, y0, cell width, cell height (degrees), halo (m), columns, rows
    root: NDArray[np.int32]  # flat, row by row from the south-west
    children: NDArray[np.int32]  # 16 per block
    block_cand_ptr: IntArray  # per block: grids whose edge touches it, in code order
    block_cand: NDArray[np.int32]
    block_seg_ptr: IntArray  # per block: boundary segments within the halo of it
    block_seg: NDArray[np.int32]
    seg_xy: FloatArray  # unique boundary segments in metres: x1, y1, x2, y2
    loaded_from_cache: bool = False

    @property
    def halo_m(self) -> float:
        return float(self.frame[4])

    def save(self, path: Path) -> None:
        arrays = {name: getattr(self, name) for name in ARRAY_FIELDS}
        np.savez(path, key=np.array(self.key), **arrays)


def _segments(geoms: NDArray[np.object_]) -> tuple[FloatArray, IntArray]:
    """Every ring segment as x1, y1, x2, y2 (degrees) and the rank of its grid."""
    parts, part_grid = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = coord_ring[1:] == coord_ring[:-1]
    start = np.flatnonzero(same_ring)
    seg = np.column_stack([coords[start], coords[start + 1]])
    return seg, part_grid[ring_part[coord_ring[start]]].astype(np.int64)


def _metres_per_degree(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Smallest and middle metres per degree of longitude and latitude over the box, in the metric CRS."""
    west, south, east, north = bounds
    lon_grid, lat_grid = np.meshgrid(np.linspace(west, east, 5), np.linspace(south, north, 5))
    lon, lat = lon_grid.ravel(), lat_grid.ravel()
    step = 1e-4
    x0, y0 = to_metric(lon, lat)
    x1, y1 = to_metric(lon + step, lat)
    x2, y2 = to_metric(lon, lat + step)
    kx = np.hypot(x1 - x0, y1 - y0) / step
    ky = np.hypot(x2 - x0, y2 - y0) / step
    return float(kx.min()), float(ky.min()), float(np.median(kx)), float(np.median(ky))


Box = tuple[FloatArray, FloatArray, FloatArray, FloatArray]


def segment_meets_box(seg: FloatArray, box: Box) -> NDArray[np.bool_]:
    """Column-wise: does segment (rows x1, y1, x2, y2) meet closed box (xmin, ymin, xmax, ymax)?
    (Liang-Barsky clipping.)"""
    t0 = np.zeros(seg.shape[1])
    t1 = np.ones(seg.shape[1])
    ok = np.ones(seg.shape[1], dtype=bool)
    for axis in (0, 1):
        start, delta = seg[axis], seg[axis + 2] - seg[axis]
        low, high = box[axis], box[axis + 2]
        flat = delta == 0
        ok &= ~flat | ((start >= low) & (start <= high))
        with np.errstate(divide="ignore", invalid="ignore"):
            ta, tb = (low - start) / delta, (high - start) / delta
        t0 = np.maximum(t0, np.where(flat, -np.inf, np.minimum(ta, tb)))
        t1 = np.minimum(t1, np.where(flat, np.inf, np.maximum(ta, tb)))
    return ok & (t0 <= t1)


@dataclass(frozen=True)
class _Layout:
    x0: float
    y0: float
    sx: float  # root cell width, degrees
    sy: float
    nx: int
    ny: int
    root_m: float  # root cell size, metres
    kx: float  # fewest metres per degree of longitude in the extent
    ky: float

    def degrees(self, metres: FloatArray) -> tuple[FloatArray, FloatArray]:
        """A conservative widening in degrees for a distance in metres."""
        return metres * _HALO_SAFETY / self.kx + _EPS_DEG, metres * _HALO_SAFETY / self.ky + _EPS_DEG

    def boxes(
        self,
        depth: int,
        ci: IntArray,
        cj: IntArray,
        wx: FloatArray | float = _EPS_DEG,
        wy: FloatArray | float = _EPS_DEG,
    ) -> Box:
        """Cell boxes widened by wx, wy degrees (by default just enough to absorb rounding)."""
        sx, sy = self.sx / 4.0**depth, self.sy / 4.0**depth
        left, bottom = self.x0 + ci * sx, self.y0 + cj * sy
        return left - wx, bottom - wy, left + sx + wx, bottom + sy + wy

    def centres(self, depth: int, ci: IntArray, cj: IntArray) -> tuple[FloatArray, FloatArray]:
        sx, sy = self.sx / 4.0**depth, self.sy / 4.0**depth
        return self.x0 + (ci + 0.5) * sx, self.y0 + (cj + 0.5) * sy


def _layout(
    geoms: NDArray[np.object_], widths_m: FloatArray, reach_m: float, leaf_m: float | None
) -> _Layout:
    west, south, east, north = shapely.total_bounds(geoms)
    kx_min, ky_min, kx, ky = _metres_per_degree((west, south, east, north))
    halo_x = reach_m * _HALO_SAFETY / kx_min + _EPS_DEG
    halo_y = reach_m * _HALO_SAFETY / ky_min + _EPS_DEG
    west, south, east, north = west - 2 * halo_x, south - 2 * halo_y, east + 2 * halo_x, north + 2 * halo_y
    area_m2 = (east - west) * kx * (north - south) * ky
    root_m = max(
        float(np.median(widths_m)) / 16, np.sqrt(area_m2 / _MAX_ROOT_CELLS), leaf_m or 0.0, _MIN_LEAF_M
    )
    sx, sy = root_m / kx, root_m / ky
    # One more ring of cells, outside every halo: look-ups clamp far-away points onto it.
    west, south, east, north = west - sx, south - sy, east + sx, north + sy
    nx, ny = int(np.ceil((east - west) / sx)) + 1, int(np.ceil((north - south) / sy)) + 1
    return _Layout(west, south, sx, sy, nx, ny, root_m, kx_min, ky_min)


def _root_pairs(
    seg: FloatArray, reach: tuple[FloatArray, FloatArray], lay: _Layout
) -> tuple[IntArray, IntArray]:
    """(root cell, segment) for every segment within the halo of a root cell; `seg` is 4 x segments."""
    u = (seg[[0, 2]].T - lay.x0) / lay.sx
    v = (seg[[1, 3]].T - lay.y0) / lay.sy
    pieces = np.maximum(1, np.ceil(np.maximum(np.ptp(u, axis=1), np.ptp(v, axis=1)))).astype(np.int64)
    owner = np.repeat(np.arange(seg.shape[1]), pieces)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t0, t1 = step / pieces[owner], (step + 1) / pieces[owner]
    pu = u[owner, :1] + np.column_stack([t0, t1]) * (u[owner, 1:] - u[owner, :1])
    pv = v[owner, :1] + np.column_stack([t0, t1]) * (v[owner, 1:] - v[owner, :1])
    hu, hv = reach[0].max() / lay.sx, reach[1].max() / lay.sy
    lo_u, hi_u = np.floor(pu.min(axis=1) - hu), np.floor(pu.max(axis=1) + hu)
    lo_v, hi_v = np.floor(pv.min(axis=1) - hv), np.floor(pv.max(axis=1) + hv)
    cells, segs = [], []
    for du in range(int(np.ceil(1 + 2 * hu)) + 1):
        for dv in range(int(np.ceil(1 + 2 * hv)) + 1):
            cu, cv = lo_u + du, lo_v + dv
            keep = (cu <= hi_u) & (cv <= hi_v) & (cu >= 0) & (cv >= 0) & (cu < lay.nx) & (cv < lay.ny)
            cells.append((cv[keep] * lay.nx + cu[keep]).astype(np.int64))
            segs.append(owner[keep])
    n_seg = seg.shape[1]
    key = _unique(np.concatenate(cells) * n_seg + np.concatenate(segs))
    cell, s = key // n_seg, key % n_seg
    near = segment_meets_box(seg[:, s], lay.boxes(0, cell % lay.nx, cell // lay.nx, reach[0][s], reach[1][s]))
    return cell[near], s[near]


def _covering_grids(geoms: NDArray[np.object_], lay: _Layout) -> tuple[IntArray, IntArray]:
    """(root cell, grid rank) for every grid that covers a root cell's centre."""
    bounds = shapely.bounds(geoms)
    iu0 = np.clip(np.floor((bounds[:, 0] - lay.x0) / lay.sx), 0, lay.nx - 1).astype(np.int64)
    iu1 = np.clip(np.floor((bounds[:, 2] - lay.x0) / lay.sx), 0, lay.nx - 1).astype(np.int64)
    iv0 = np.clip(np.floor((bounds[:, 1] - lay.y0) / lay.sy), 0, lay.ny - 1).astype(np.int64)
    iv1 = np.clip(np.floor((bounds[:, 3] - lay.y0) / lay.sy), 0, lay.ny - 1).astype(np.int64)
    width, counts = iu1 - iu0 + 1, (iu1 - iu0 + 1) * (iv1 - iv0 + 1)
    total = np.cumsum(counts)
    edges = np.unique([0, *(np.searchsorted(total, np.arange(4e6, total[-1], 4e6)) + 1), len(geoms)])
    cells, grids = [], []
    for start, end in itertools.pairwise(edges):  # about 4 M centre tests at a time
        group = np.arange(start, min(end, len(geoms)))
        g = np.repeat(group, counts[group])
        k = np.arange(len(g)) - np.repeat(np.cumsum(counts[group]) - counts[group], counts[group])
        cu, cv = iu0[g] + k % width[g], iv0[g] + k // width[g]
        hit = shapely.intersects_xy(geoms[g], *lay.centres(0, cu, cv))
        cells.append(cv[hit] * lay.nx + cu[hit])
        grids.append(g[hit])
    return np.concatenate(cells), np.concatenate(grids)


def _unique(values: IntArray) -> IntArray:
    """Sorted distinct values (numpy's hash-based unique is slow on tens of millions of keys)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if ordered.size else ordered


def _unique_inverse(values: IntArray) -> tuple[IntArray, IntArray]:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.concatenate(([True], ordered[1:] != ordered[:-1])) if ordered.size else np.zeros(0, bool)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def _member(values: IntArray, sorted_set: IntArray) -> NDArray[np.bool_]:
    if not sorted_set.size:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _first_per_group(group: IntArray, value: IntArray, size: int, empty: int) -> IntArray:
    """For each group 0..size-1 the smallest value, or `empty`."""
    out = np.full(size, empty, dtype=np.int64)
    np.minimum.at(out, group, value)
    return out


def _csr(owner: IntArray, value: IntArray, size: int, stride: int) -> tuple[IntArray, NDArray[np.int32]]:
    """Unique (owner, value) pairs as row pointers and values, values ascending within a row."""
    key = _unique(owner * stride + value)
    ptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // stride, minlength=size), out=ptr[1:])
    return (ptr.astype(np.int32) if ptr[-1] < 2**31 else ptr), (key % stride).astype(np.int32)


def _grid_widths_m(geoms: NDArray[np.object_]) -> FloatArray:
    """4 * area / perimeter in metres: the side of a square, twice the short side of a strip."""
    metric = shapely.transform(geoms, lambda xy: np.column_stack(to_metric(xy[:, 0], xy[:, 1])))
    perimeter = shapely.length(metric)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(perimeter > 0, 4 * shapely.area(metric) / perimeter, np.inf)


def encode(kind: int, payload: NDArray[np.int64]) -> NDArray[np.int64]:
    """A non-pure cell value; `decode` inverts it."""
    return -2 - ((kind << KIND_SHIFT) | payload)


def _child_pairs(
    parent_of_pair: IntArray,
    seg_of_pair: IntArray,
    kids: tuple[IntArray, IntArray, int],
    seg4: FloatArray,
    reach: tuple[FloatArray, FloatArray],
    lay: _Layout,
) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
    """(child, segment, segment crosses the child) for every child that a parent's segment comes near.
    In slices, so that the 16-fold candidate arrays stay small."""
    kid_ci, kid_cj, depth = kids
    quad = np.arange(16)
    parts = [(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool))]
    step = 1 << 18
    for start in range(0, len(parent_of_pair), step):
        kid = (parent_of_pair[start : start + step, None] * 16 + quad).ravel()
        seg = np.repeat(seg_of_pair[start : start + step], 16)
        near = segment_meets_box(
            seg4[:, seg], lay.boxes(depth, kid_ci[kid], kid_cj[kid], reach[0][seg], reach[1][seg])
        )
        kid, seg = kid[near], seg[near]
        parts.append((kid, seg, segment_meets_box(seg4[:, seg], lay.boxes(depth, kid_ci[kid], kid_cj[kid]))))
    kid, seg, touch = (np.concatenate(column) for column in zip(*parts, strict=True))
    return kid, seg, touch


def _chord_departure_m(seg: FloatArray, seg_m: FloatArray) -> FloatArray:
    """How far a segment drawn straight in degrees strays from the straight chord in metres, where
    near-edge distances are measured (metres; about 40 m for a 50 km east-west edge). The stray is
    close to a parabola, largest mid-way: that value with a margin bounds it."""
    mx, my = to_metric((seg[:, 0] + seg[:, 2]) / 2, (seg[:, 1] + seg[:, 3]) / 2)
    x1, y1, x2, y2 = seg_m.T
    chord = np.hypot(x2 - x1, y2 - y1)
    with np.errstate(divide="ignore", invalid="ignore"):
        off = np.abs((x2 - x1) * (my - y1) - (y2 - y1) * (mx - x1)) / chord
    return 1.5 * np.where(chord > 0, off, 0.0) + 0.01


def build_tree(geoms: NDArray[np.object_], leaf_m: float | None, halo_m: float) -> dict[str, np.ndarray]:
    n_grids = len(geoms)
    seg, seg_grid = _segments(geoms)
    seg4 = np.ascontiguousarray(seg.T)  # x1, y1, x2, y2 rows: cheap column gathers
    x1, y1 = to_metric(seg[:, 0], seg[:, 1])
    x2, y2 = to_metric(seg[:, 2], seg[:, 3])
    seg_m = np.column_stack([x1, y1, x2, y2])
    flip = (seg_m[:, 0] > seg_m[:, 2]) | ((seg_m[:, 0] == seg_m[:, 2]) & (seg_m[:, 1] > seg_m[:, 3]))
    seg_m[flip] = seg_m[flip][:, [2, 3, 0, 1]]  # a shared edge is stored once for the distance test
    seg_xy, seg_uid = np.unique(seg_m, axis=0, return_inverse=True)
    seg_uid = seg_uid.ravel().astype(np.int64)
    widths = _grid_widths_m(geoms)
    reach_m = halo_m + _chord_departure_m(seg, seg_m)
    lay = _layout(geoms, widths[np.isfinite(widths)], float(reach_m.max(initial=halo_m)), leaf_m)
    reach = lay.degrees(reach_m)
    across = _CELLS_ACROSS if n_grids <= _FINE_UP_TO_GRIDS else _CELLS_ACROSS_MANY
    target_of_grid = np.full(n_grids, leaf_m) if leaf_m else np.maximum(widths / across, _MIN_LEAF_M)

    root_cell, pair_seg = _root_pairs(seg4, reach, lay)
    pair_touch = segment_meets_box(seg4[:, pair_seg], lay.boxes(0, root_cell % lay.nx, root_cell // lay.nx))
    cover_cell, cover_grid = _covering_grids(geoms, lay)
    touching = _unique(root_cell[pair_touch] * n_grids + seg_grid[pair_seg[pair_touch]])
    whole = ~_member(cover_cell * n_grids + cover_grid, touching)
    root_base = _first_per_group(cover_cell[whole], cover_grid[whole], lay.nx * lay.ny, n_grids)
    root = np.where(root_base == n_grids, OUTSIDE, root_base).astype(np.int32)

    special, pair_cell = _unique_inverse(root_cell)
    ci, cj, base, slot = special % lay.nx, special // lay.nx, root_base[special], special
    chunks: list[NDArray[np.int32]] = []
    cand_parts: list[tuple[IntArray, IntArray]] = []
    seg_parts: list[tuple[IntArray, IntArray]] = []
    n_blocks = 0
    quad = np.arange(16)
    for depth in range(_MAX_DEPTH + 1):
        if not len(ci):
            break
        touch_cell = pair_cell[pair_touch]
        has_touch = np.bincount(touch_cell, minlength=len(ci)) > 0
        target = np.full(len(ci), np.inf)
        np.minimum.at(target, touch_cell, target_of_grid[seg_grid[pair_seg[pair_touch]]])
        # Root cells always split, so that every leaf has a block holding its candidate lists.
        split = (depth == 0) | (has_touch & (lay.root_m / 4.0**depth > target) & (depth < _MAX_DEPTH))
        parents = np.flatnonzero(split)
        values = encode(TOUCH, np.where(base == n_grids, 0, base + 1))
        values[~has_touch] = encode(NEAR, np.where(base == n_grids, 0, base + 1))[~has_touch]
        values[parents] = encode(BLOCK, n_blocks + np.arange(len(parents)))
        (root if depth == 0 else chunks[-1])[slot] = values
        # Block lists: grids whose edge touches the parent, segments within its halo.
        parent_local = np.full(len(ci), -1, dtype=np.int64)
        parent_local[parents] = np.arange(len(parents))
        keep = split[pair_cell]
        owner = n_blocks + parent_local[pair_cell[keep]]
        cand_parts.append((owner[pair_touch[keep]], seg_grid[pair_seg[keep & pair_touch]]))
        seg_parts.append((owner, seg_uid[pair_seg[keep]]))
        # Children: 16 per parent, row by row from the south-west.
        kid_ci = (4 * ci[parents][:, None] + quad % 4).ravel()
        kid_cj = (4 * cj[parents][:, None] + quad // 4).ravel()
        kid_base = np.repeat(base[parents], 16)
        kid_of_pair, kid_seg, kid_touch = _child_pairs(
            parent_local[pair_cell[keep]], pair_seg[keep], (kid_ci, kid_cj, depth + 1), seg4, reach, lay
        )
        # A grid touching the parent but not the child covers all of the child or none: test its centre.
        parent_grids = _unique(
            parent_local[pair_cell[keep & pair_touch]] * n_grids + seg_grid[pair_seg[keep & pair_touch]]
        )
        kid_touching = _unique(kid_of_pair[kid_touch] * n_grids + seg_grid[kid_seg[kid_touch]])
        test_kid = ((parent_grids // n_grids)[:, None] * 16 + quad).ravel()
        test_grid = np.repeat(parent_grids % n_grids, 16)
        untouched = ~_member(test_kid * n_grids + test_grid, kid_touching)
        test_kid, test_grid = test_kid[untouched], test_grid[untouched]
        hit = shapely.intersects_xy(
            geoms[test_grid], *lay.centres(depth + 1, kid_ci[test_kid], kid_cj[test_kid])
        )
        np.minimum.at(kid_base, test_kid[hit], test_grid[hit])
        chunks.append(np.where(kid_base == n_grids, OUTSIDE, kid_base).astype(np.int32))
        n_blocks += len(parents)
        special, pair_cell = _unique_inverse(kid_of_pair)
        pair_seg, pair_touch = kid_seg, kid_touch
        ci, cj, base, slot = kid_ci[special], kid_cj[special], kid_base[special], special

    cand_owner, cand_grid = (np.concatenate(column) for column in zip(*cand_parts, strict=True))
    seg_owner, seg_id = (np.concatenate(column) for column in zip(*seg_parts, strict=True))
    cand_ptr, cand = _csr(cand_owner, cand_grid, n_blocks, n_grids)
    seg_ptr, segs = _csr(seg_owner, seg_id, n_blocks, len(seg_xy))
    return {
        "frame": np.array([lay.x0, lay.y0, lay.sx, lay.sy, halo_m, lay.nx, lay.ny], dtype=np.float64),
        "root": root,
        "children": np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int32),
        "block_cand_ptr": cand_ptr,
        "block_cand": cand,
        "block_seg_ptr": seg_ptr,
        "block_seg": segs,
        "seg_xy": seg_xy,
    }
