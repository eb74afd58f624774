"""Assign points (incidents) to grids: every point gets the grid that covers it, or is flagged outside.

The rule, the same on every path: a point covers-in a grid when it lies inside it or on its boundary
(`geopandas.sjoin(..., predicate="covered_by")`); a point on an edge or vertex shared by several grids
goes to the grid with the lowest code. Points within `edge_tolerance_m` metres (in `geo.crs.to_metric`)
of any grid edge, inside or outside, are flagged `near_edge` for review: the coordinate conversions
alone are uncertain by about 10 m.

`assign_grids` answers from a `GridIndex` (geo.intake.join_index): most points are answered by a look-up,
the rest by an exact GEOS test. `assign_grids_sjoin` is the reference path built on `geopandas.sjoin`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.crs import to_metric
from geo.errors import GeoInputError
from geo.intake.join_index import (
    ARRAY_FIELDS,
    DEFAULT_EDGE_HALO_M,
    FORMAT_VERSION,
    KIND_SHIFT,
    NEAR,
    OUTSIDE,
    PAYLOAD_MASK,
    TOUCH,
    GridIndex,
    build_tree,
)
from geo.schema import Col

FloatArray = NDArray[np.floating[Any]]
IntArray = NDArray[np.int64]

__all__ = ["GridIndex", "JoinResult", "assign_grids", "assign_grids_sjoin", "build_grid_index"]

_ACCEPTED_EPSG: Final = (4490, 4326)
_CHUNK: Final = 1 << 18  # points per pass: keeps temporaries small and in cache
_FIRST_LEAF_WORD: Final = NEAR << KIND_SHIFT


@dataclass(frozen=True, eq=False)
class JoinResult:
    """Per point: row position of its grid in the grids frame (-1 outside), the grid code ("" outside)."""

    grid_idx: IntArray
    codes: NDArray[np.object_]
    outside: NDArray[np.bool_]
    near_edge: NDArray[np.bool_]


def _coordinates(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.atleast_1d(np.asarray(lon, dtype=np.float64)).ravel()
    y = np.atleast_1d(np.asarray(lat, dtype=np.float64)).ravel()
    if x.shape != y.shape:
        raise GeoInputError(f"lon has {x.size} values and lat has {y.size}: they must have the same length")
    return x, y


def _check_tolerance(edge_tolerance_m: float) -> float:
    if not (np.isfinite(edge_tolerance_m) and edge_tolerance_m >= 0):
        raise GeoInputError(f"edge_tolerance_m={edge_tolerance_m!r}: allowed is a number of metres >= 0")
    return float(edge_tolerance_m)


def _result(
    rank: NDArray[np.integer], near: NDArray[np.bool_], rows: IntArray, codes: NDArray[np.object_]
) -> JoinResult:
    """Turn code ranks (-1 outside) into the public result."""
    rows_ext = np.append(rows, -1).astype(np.int64)
    codes_ext = np.append(codes, "")
    return JoinResult(grid_idx=rows_ext[rank], codes=codes_ext[rank], outside=rank < 0, near_edge=near)


def _ranges(ptr: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """For CSR rows: (position in `rows`, index into the values) of every value, row by row."""
    counts = ptr[rows + 1] - ptr[rows]
    owner = np.repeat(np.arange(len(rows)), counts)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, ptr[rows][owner] + offset


def _segment_distance_m(px: FloatArray, py: FloatArray, seg: FloatArray) -> FloatArray:
    x1, y1, x2, y2 = seg.T
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(((px - x1) * dx + (py - y1) * dy) / length2, 0.0, 1.0)
    t = np.where(length2 > 0, t, 0.0)
    return np.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


@dataclass(frozen=True)
class _Edgy:
    """Points in cells near an edge, with the block holding their lists."""

    points: IntArray
    block: IntArray
    base: IntArray  # grid covering the whole cell, -1 none
    touch: NDArray[np.bool_]  # an edge crosses the cell: needs the exact test


def _descend(index: GridIndex, x: FloatArray, y: FloatArray) -> tuple[NDArray[np.int32], _Edgy]:
    """Walk the cell tree: the grid rank of points in pure cells (-1 outside), and the edgy points."""
    x0, y0, sx, sy, _, nx, ny = index.frame
    u = x - x0
    u *= 1.0 / sx
    v = y - y0
    v *= 1.0 / sy
    # The root's outer ring of cells is outside every grid's halo: clamp far and NaN points onto it.
    for coord, size in ((u, nx), (v, ny)):
        np.fmax(coord, 0.0, out=coord)
        np.fmin(coord, size - 0.5, out=coord)
    cell = v.astype(np.int32)
    cell *= int(nx)
    cell += u.astype(np.int32)
    rank = index.root[cell]
    todo = np.flatnonzero(rank < OUTSIDE)
    word = -2 - rank[todo]  # kind << KIND_SHIFT | payload; a block's word is its number
    block = np.zeros(len(todo), dtype=np.int32)
    found: list[tuple[IntArray, NDArray[np.int32], NDArray[np.int32]]] = []
    depth = 0
    while todo.size:
        is_block = word < _FIRST_LEAF_WORD
        if not is_block.all():
            found.append((todo[~is_block], block[~is_block], word[~is_block]))
            todo, word = todo[is_block], word[is_block]
        depth += 1
        scale = 4.0**depth  # a power of two: exact, so every level agrees with the root cell
        quad = (v[todo] * scale).astype(np.int32) & 3
        quad <<= 2
        quad |= (u[todo] * scale).astype(np.int32) & 3
        value = index.children[word * 16 + quad]
        rank[todo] = value
        deeper = np.flatnonzero(value < OUTSIDE)
        todo, word, block = todo[deeper], -2 - value[deeper], word[deeper]
    points, blocks, words = (np.concatenate(c) for c in zip(*found, strict=True)) if found else ([],) * 3
    kind, payload = (
        np.asarray(words, dtype=np.int64) >> KIND_SHIFT,
        np.asarray(words, dtype=np.int64) & PAYLOAD_MASK,
    )
    edgy = _Edgy(
        np.asarray(points, dtype=np.int64), np.asarray(blocks, dtype=np.int64), payload - 1, kind == TOUCH
    )
    return rank, edgy


def _resolve_edgy(
    index: GridIndex, x: FloatArray, y: FloatArray, edgy: _Edgy, rank: NDArray[np.int32]
) -> None:
    """Exact answers where an edge crosses the cell: the block's grids in code order, first hit wins.
    Only grids coded below the one covering the whole cell can change the answer."""
    found = edgy.base.copy()
    ceiling = np.where(found < 0, len(index.codes), found)
    start = index.block_cand_ptr[edgy.block]
    count = index.block_cand_ptr[edgy.block + 1] - start
    open_ = np.flatnonzero(edgy.touch & (count > 0))
    turn = 0
    while open_.size:
        grid = index.block_cand[start[open_] + turn]
        below = grid < ceiling[open_]
        open_, grid = open_[below], grid[below]
        pts = edgy.points[open_]
        hit = shapely.intersects_xy(index.geometries[grid], x[pts], y[pts])
        found[open_[hit]] = grid[hit]
        turn += 1
        open_ = open_[~hit & (count[open_] > turn)]
    rank[edgy.points] = found


def _near_edge_from_index(
    index: GridIndex, x: FloatArray, y: FloatArray, edgy: _Edgy, tol: float
) -> NDArray[np.bool_]:
    near = np.zeros(len(x), dtype=bool)
    if not edgy.points.size:
        return near
    owner, seg_at = _ranges(index.block_seg_ptr, edgy.block)
    px, py = to_metric(x[edgy.points], y[edgy.points])
    close = _segment_distance_m(px[owner], py[owner], index.seg_xy[index.block_seg[seg_at]]) <= tol
    near[edgy.points[owner[close]]] = True
    return near


def _near_edge_exact(
    boundaries_m: NDArray[np.object_], x: FloatArray, y: FloatArray, tol: float
) -> NDArray[np.bool_]:
    """Reference near-edge test: any grid boundary (in metres) within `tol` of the point."""
    near = np.zeros(len(x), dtype=bool)
    finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    tree = shapely.STRtree(boundaries_m)
    points = shapely.points(*to_metric(x[finite], y[finite]))
    hits = tree.query(points, predicate="dwithin", distance=tol)
    near[finite[hits[0]]] = True
    return near


def _boundaries_m(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    boundaries = shapely.boundary(geoms)
    return shapely.transform(boundaries, lambda xy: np.column_stack(to_metric(xy[:, 0], xy[:, 1])))


def validate_grids(
    grids: gpd.GeoDataFrame, code_column: str
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Codes and geometries of usable grids; raises GeoInputError naming every problem found."""
    if not isinstance(grids, gpd.GeoDataFrame):
        raise GeoInputError(f"grids must be a GeoDataFrame, got {type(grids).__name__}")
    code_column = str(code_column)
    if code_column not in grids.columns:
        raise GeoInputError(
            f"grids have no code column {code_column!r}: columns are {', '.join(map(str, grids.columns))}"
        )
    if len(grids) == 0:
        raise GeoInputError("grids are empty: at least one grid polygon is needed")
    epsg = grids.crs.to_epsg() if grids.crs is not None else None
    if epsg not in _ACCEPTED_EPSG:
        raise GeoInputError(
            f"grids have CRS {grids.crs!r}: allowed are EPSG:4490 (CGCS2000) and EPSG:4326 (WGS84)"
        )
    codes = grids[code_column].to_numpy(dtype=object)
    missing = np.flatnonzero(grids[code_column].isna().to_numpy())
    if missing.size:
        raise GeoInputError(
            f"grids rows {missing[:10].tolist()} have no {code_column!r}: every grid needs a code"
        )
    values, counts = np.unique(codes.astype(str), return_counts=True)
    if (counts > 1).any():
        raise GeoInputError(f"duplicate grid codes in {code_column!r}: {', '.join(values[counts > 1][:10])}")
    geoms = np.asarray(grids.geometry.values, dtype=object)
    kinds = grids.geom_type.to_numpy()
    bad = np.flatnonzero(~np.isin(kinds.astype(str), ["Polygon", "MultiPolygon"]))
    if bad.size:
        shown = ", ".join(f"{codes[i]} is {kinds[i] or 'missing'}" for i in bad[:5])
        raise GeoInputError(f"grids must be Polygon or MultiPolygon geometries: {shown}")
    invalid = np.flatnonzero(~shapely.is_valid(geoms))
    if invalid.size:
        shown = "; ".join(f"{codes[i]}: {shapely.is_valid_reason(geoms[i])}" for i in invalid[:5])
        raise GeoInputError(f"grids must be valid polygons; invalid: {shown}")
    return codes, geoms


def code_order(codes: NDArray[np.object_]) -> IntArray:
    """Row positions sorted by code; numbers compare as numbers, text as text."""
    try:
        return np.argsort(
            codes.astype(np.int64)
            if all(isinstance(c, (int, np.integer)) for c in codes)
            else codes.astype(str),
            kind="stable",
        )
    except OverflowError:
        return np.argsort(codes.astype(str), kind="stable")


def index_key(codes: NDArray[np.object_], geoms: NDArray[np.object_], options: tuple[object, ...]) -> str:
    digest = hashlib.sha256(repr((FORMAT_VERSION, *options)).encode())
    digest.update("\x1f".join(map(str, codes)).encode())
    for wkb in shapely.to_wkb(geoms):
        digest.update(wkb)
    return digest.hexdigest()[:24]


def build_grid_index(
    grids: gpd.GeoDataFrame,
    *,
    code_column: str = Col.CODE,
    cell_size_m: float | None = None,
    edge_halo_m: float = DEFAULT_EDGE_HALO_M,
    cache_dir: str | Path | None = None,
) -> GridIndex:
    """Index grids for `geo.intake.join.assign_grids`.

    Parameters
    ----------
    grids
        Polygons or MultiPolygons in EPSG:4490 or EPSG:4326 with unique codes in `code_column`.
    cell_size_m
        Leaf cell size near edges; by default 1/16 of the width of the narrowest grid whose edge
        crosses the cell (see `geo.intake.join_index`).
    edge_halo_m
        Largest `edge_tolerance_m` answered from the index; larger tolerances take a slower exact path.
    cache_dir
        If given, the index is read from / written to ``grid_index_<key>.npz`` there; the key changes
        whenever a code, a geometry or an option changes, so each boundary version has its own file.
    """
    codes, geoms = validate_grids(grids, code_column)
    if cell_size_m is not None and not (np.isfinite(cell_size_m) and cell_size_m > 0):
        raise GeoInputError(f"cell_size_m={cell_size_m!r}: allowed are None or a positive number of metres")
    if not (np.isfinite(edge_halo_m) and edge_halo_m >= 0):
        raise GeoInputError(f"edge_halo_m={edge_halo_m!r}: allowed is a number of metres >= 0")
    order = code_order(codes)
    key = index_key(codes, geoms, (cell_size_m, float(edge_halo_m)))
    path = Path(cache_dir) / f"grid_index_{key}.npz" if cache_dir is not None else None
    ranked, ranked_codes = geoms[order], codes[order].astype(str).astype(object)
    shapely.prepare(ranked)
    if path is not None and path.is_file():
        with np.load(path) as stored:
            if str(stored["key"]) == key:
                arrays: dict[str, Any] = {name: stored[name] for name in ARRAY_FIELDS}
                return GridIndex(
                    key=key, codes=ranked_codes, geometries=ranked, loaded_from_cache=True, **arrays
                )
    built: dict[str, Any] = build_tree(ranked, cell_size_m, float(edge_halo_m))
    index = GridIndex(key=key, codes=ranked_codes, geometries=ranked, rows=order.astype(np.int64), **built)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.stem}.partial.npz")
        index.save(partial)
        partial.replace(path)  # readers see the whole file or none
    return index


def assign_grids(
    lon: ArrayLike, lat: ArrayLike, index: GridIndex, *, edge_tolerance_m: float = DEFAULT_EDGE_HALO_M
) -> JoinResult:
    """Assign lon/lat points (EPSG:4490 degrees) to the grids of `index`; NaN positions are outside.

    Tolerances up to the index's `halo_m` are answered from the index; larger ones test every point
    against all boundaries (exact, slower).
    """
    x, y = _coordinates(lon, lat)
    tol = _check_tolerance(edge_tolerance_m)
    rank = np.empty(len(x), dtype=np.int32)
    near = np.zeros(len(x), dtype=bool)
    for start in range(0, len(x), _CHUNK):
        part = slice(start, start + _CHUNK)
        part_rank, edgy = _descend(index, x[part], y[part])
        _resolve_edgy(index, x[part], y[part], edgy, part_rank)
        rank[part] = part_rank
        if tol <= index.halo_m:
            near[part] = _near_edge_from_index(index, x[part], y[part], edgy, tol)
    if tol > index.halo_m:
        near = _near_edge_exact(_boundaries_m(index.geometries), x, y, tol)
    return _result(rank, near, index.rows, index.codes)


def sjoin_lowest_code(x: FloatArray, y: FloatArray, grids: gpd.GeoDataFrame, code_rank: IntArray) -> IntArray:
    """geopandas.sjoin(points, grids, predicate="covered_by"), then the lowest code per point (-1 none)."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=grids.crs)
    right = gpd.GeoDataFrame(geometry=grids.geometry.values, crs=grids.crs)  # positional index
    pairs = gpd.sjoin(points, right, predicate="covered_by", how="inner")
    best = np.full(len(x), len(right), dtype=np.int64)
    np.minimum.at(best, pairs.index.to_numpy(), code_rank[pairs["index_right"].to_numpy()])
    return np.where(best == len(right), OUTSIDE, best)


def assign_grids_sjoin(
    lon: ArrayLike,
    lat: ArrayLike,
    grids: gpd.GeoDataFrame,
    *,
    code_column: str = Col.CODE,
    edge_tolerance_m: float = DEFAULT_EDGE_HALO_M,
) -> JoinResult:
    """The reference path: `geopandas.sjoin` + lowest code, near-edge by an STRtree distance query."""
    x, y = _coordinates(lon, lat)
    tol = _check_tolerance(edge_tolerance_m)
    codes, geoms = validate_grids(grids, code_column)
    order = code_order(codes)
    code_rank = np.empty(len(order), dtype=np.int64)
    code_rank[order] = np.arange(len(order))
    rank = sjoin_lowest_code(x, y, grids, code_rank)
    near = _near_edge_exact(_boundaries_m(geoms), x, y, tol)
    return _result(rank, near, order.astype(np.int64), codes[order].astype(str).astype(object))
