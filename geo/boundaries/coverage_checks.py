"""Checks that areas form valid coverages and nest in their parents; every problem is collected, not
just the first, so a planner sees them all at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.schema import CODE_LENGTH, Col, Level

#: A parent and the union of its children may differ by this much (rounding of shared vertices).
NESTING_TOLERANCE_M2 = 1.0


def metric_area(geometry: shapely.Geometry) -> float:
    """Area in square metres of a geometry in storage degrees, edges taken as straight in degrees.

    Projecting the vertices instead would bend long edges and turn a sliver between two copies of the
    same edge (one with an extra collinear vertex) into thousands of square metres that are not there.
    """
    parts = shapely.get_parts(geometry)
    parts = parts[~shapely.is_empty(parts)]
    if len(parts) == 0:
        return 0.0
    latitudes = shapely.get_y(shapely.centroid(parts))
    metres_per_degree2 = 111_320.0 * np.cos(np.radians(latitudes)) * 110_574.0
    return float((shapely.area(parts) * metres_per_degree2).sum())


def coverage_faults(codes: pd.Series, geometries: np.ndarray) -> list[tuple[str, str, shapely.Geometry]]:
    """(code, what is wrong, where) for invalid polygons, else for edges that do not match a neighbour's
    exactly (gaps, overlaps, slivers); `where` is the invalid edge, or the polygon, for a map to highlight."""
    faults = []
    for code, reason, geometry in zip(codes, shapely.is_valid_reason(geometries), geometries, strict=True):
        if reason != "Valid Geometry":
            faults.append((str(code), f"invalid polygon: {reason}", geometry))
    if faults:
        return faults
    bad_edges = shapely.coverage_invalid_edges(geometries)
    for code, edges in zip(codes, bad_edges, strict=True):
        if not shapely.is_empty(edges):
            x, y = shapely.get_coordinates(edges)[0]
            faults.append((str(code), f"edge does not match its neighbour near {x:.6f}, {y:.6f}", edges))
    return faults


def validate_coverage(codes: pd.Series, geometries: np.ndarray, *, layer: str) -> list[str]:
    """Invalid polygons and edges that do not match a neighbour's exactly (gaps, overlaps, slivers)."""
    return [f"{layer} {code}: {what}" for code, what, _ in coverage_faults(codes, geometries)]


def _code_problems(frame: pd.DataFrame) -> list[str]:
    problems = [
        f"code {c}: appears more than once" for c in frame.loc[frame[Col.CODE].duplicated(), Col.CODE]
    ]
    for row in frame.itertuples():
        level = Level(row.level)
        if len(row.code) != CODE_LENGTH[level] or not row.code.isdigit():
            problems.append(f"{level.value} {row.code}: expected {CODE_LENGTH[level]} digits")
        elif level not in (Level.CITY, Level.COUNTY) and not row.code.startswith(str(row.parent_code)):
            problems.append(
                f"{level.value} {row.code}: does not start with its parent code {row.parent_code}"
            )
    return problems


def _nesting_problems(frame: pd.DataFrame, valid_levels: list[str]) -> list[str]:
    problems = []
    geometry_by_code = dict(zip(frame[Col.CODE], frame[Col.GEOMETRY], strict=True))
    level_by_code = dict(zip(frame[Col.CODE], frame[Col.LEVEL], strict=True))
    children = frame[frame[Col.PARENT_CODE].notna() & frame[Col.LEVEL].isin(valid_levels)]
    children = children[
        children[Col.PARENT_CODE].map(level_by_code).isin(valid_levels)
        | ~children[Col.PARENT_CODE].isin(level_by_code)
    ]
    for parent_code, group in children.groupby(Col.PARENT_CODE):
        parent = geometry_by_code.get(parent_code)
        if parent is None:
            problems.append(f"parent {parent_code}: missing, but {len(group)} area(s) name it")
            continue
        union = shapely.coverage_union_all(group[Col.GEOMETRY].values)
        difference = metric_area(shapely.symmetric_difference(union, parent))
        if difference > NESTING_TOLERANCE_M2:
            problems.append(f"children of {parent_code} differ from it by {difference:.1f} m2")
    return problems


def validate_hierarchy(frame: pd.DataFrame) -> list[str]:
    """Every problem in an area hierarchy: codes, polygon validity, coverage per level, nesting."""
    problems = _code_problems(frame)
    valid_levels = []
    for level in Level:
        layer = frame[frame[Col.LEVEL] == level.value]
        found = validate_coverage(layer[Col.CODE], layer[Col.GEOMETRY].values, layer=level.value)
        problems += found
        if not found:
            valid_levels.append(level.value)
    # Nesting is measured with a coverage union, which is only defined on a valid coverage.
    return problems + _nesting_problems(frame, valid_levels)
