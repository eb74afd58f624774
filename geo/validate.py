"""Checks that areas form valid coverages and nest in their parents; every problem is collected, not
just the first, so a planner sees them all at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.crs import to_metric
from geo.schema import CODE_LENGTH, Col, Level

#: A parent and the union of its children may differ by this much (rounding of shared vertices).
NESTING_TOLERANCE_M2 = 1.0


def _metric_area(geometry: shapely.Geometry) -> float:
    return float(shapely.transform(geometry, lambda c: np.column_stack(to_metric(c[:, 0], c[:, 1]))).area)


def validate_coverage(codes: pd.Series, geometries: np.ndarray, *, layer: str) -> list[str]:
    """Invalid polygons and edges that do not match a neighbour's exactly (gaps, overlaps, slivers)."""
    problems = []
    for code, reason in zip(codes, shapely.is_valid_reason(geometries), strict=True):
        if reason != "Valid Geometry":
            problems.append(f"{layer} {code}: invalid polygon: {reason}")
    if problems:
        return problems
    bad_edges = shapely.coverage_invalid_edges(geometries)
    for code, edges in zip(codes, bad_edges, strict=True):
        if not shapely.is_empty(edges):
            x, y = shapely.get_coordinates(edges)[0]
            problems.append(f"{layer} {code}: edge does not match its neighbour near {x:.6f}, {y:.6f}")
    return problems


def _code_problems(frame: pd.DataFrame) -> list[str]:
    problems = [f"code {c}: appears more than once" for c in frame.loc[frame[Col.CODE].duplicated(), Col.CODE]]
    for row in frame.itertuples():
        level = Level(row.level)
        if len(row.code) != CODE_LENGTH[level] or not row.code.isdigit():
            problems.append(f"{level.value} {row.code}: expected {CODE_LENGTH[level]} digits")
        elif level not in (Level.CITY, Level.COUNTY) and not row.code.startswith(str(row.parent_code)):
            problems.append(f"{level.value} {row.code}: does not start with its parent code {row.parent_code}")
    return problems


def _nesting_problems(frame: pd.DataFrame) -> list[str]:
    problems = []
    geometry_by_code = dict(zip(frame[Col.CODE], frame[Col.GEOMETRY], strict=True))
    children = frame[frame[Col.PARENT_CODE].notna()]
    for parent_code, group in children.groupby(Col.PARENT_CODE):
        parent = geometry_by_code.get(parent_code)
        if parent is None:
            problems.append(f"parent {parent_code}: missing, but {len(group)} area(s) name it")
            continue
        union = shapely.coverage_union_all(group[Col.GEOMETRY].values)
        difference = _metric_area(shapely.symmetric_difference(union, parent))
        if difference > NESTING_TOLERANCE_M2:
            problems.append(f"children of {parent_code} differ from it by {difference:.1f} m2")
    return problems


def validate_hierarchy(frame: pd.DataFrame) -> list[str]:
    """Every problem in an area hierarchy: codes, polygon validity, coverage per level, nesting."""
    problems = _code_problems(frame)
    for level in Level:
        layer = frame[frame[Col.LEVEL] == level.value]
        if len(layer):
            problems += validate_coverage(layer[Col.CODE], layer[Col.GEOMETRY].values, layer=level.value)
    return problems + _nesting_problems(frame)
