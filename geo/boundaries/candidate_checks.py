"""Every problem of a candidate layout, each with its reason and where it is (for a map to highlight):
codes, polygons and edges (geo.boundaries.coverage_checks), gaps and overreach against the parent and the
villages, slivers, households against the policy, grids without a grid worker.

Coverage and code problems always block a save. Households and grid workers block it only for grids the
candidate created or reshaped: a planner redrawing one corner is told about the rest, not stopped by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd
import shapely

from geo.boundaries.candidate import Candidate
from geo.boundaries.coverage_checks import NESTING_TOLERANCE_M2, coverage_faults, metric_area
from geo.boundaries.grid_policy import GridPolicy, load_grid_policy
from geo.schema import CODE_LENGTH, Col, Level


class ProblemKind(StrEnum):
    CODE = "code"
    INVALID_POLYGON = "invalid_polygon"
    EDGE = "edge"  # an edge that does not match its neighbour's: overlap, gap or a missing vertex
    GAP = "gap"
    OUTSIDE_PARENT = "outside_parent"
    OUTSIDE_VILLAGE = "outside_village"
    SLIVER = "sliver"
    HOUSEHOLDS = "households"
    NO_WORKER = "no_worker"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a candidate: the grid (or parent) code, the kind, what is wrong, whether it
    stops a save, and the geometry to highlight (None when there is nothing to draw)."""

    code: str
    kind: ProblemKind
    detail: str
    blocking: bool = True
    where: shapely.Geometry | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind.value, "detail": self.detail, "blocking": self.blocking}


def check_candidate(candidate: Candidate, *, policy: GridPolicy | None = None) -> list[Problem]:
    """Every problem of `candidate`, blocking ones first; an empty list means it can be saved."""
    rules = policy or load_grid_policy()
    grids = candidate.grids
    problems = _code_problems(candidate)
    faults = coverage_faults(grids[Col.CODE].astype(str), grids[Col.GEOMETRY].to_numpy())
    for code, what, where in faults:
        kind = ProblemKind.INVALID_POLYGON if what.startswith("invalid polygon") else ProblemKind.EDGE
        problems.append(Problem(code, kind, what, where=where))
    if not any(p.kind is ProblemKind.INVALID_POLYGON for p in problems):
        problems += _tiling_problems(candidate, coverage_ok=not faults)
    problems += _policy_problems(candidate, rules)
    return sorted(problems, key=lambda p: not p.blocking)


def _code_problems(candidate: Candidate) -> list[Problem]:
    codes = candidate.grids[Col.CODE]
    problems = [
        Problem("?", ProblemKind.CODE, f"feature {i + 1} has no code")
        for i in range(len(codes))
        if pd.isna(codes.iloc[i]) or not str(codes.iloc[i]).strip()
    ]
    for code in sorted(set(codes[codes.duplicated()].dropna().astype(str))):
        problems.append(Problem(code, ProblemKind.CODE, "code appears more than once"))
    length = CODE_LENGTH[Level.GRID]
    for code in sorted(set(codes.dropna().astype(str)) - {""}):
        if len(code) != length or not code.isdigit():
            problems.append(Problem(code, ProblemKind.CODE, f"a grid code has {length} digits"))
        elif not any(code.startswith(c) for c in candidate.containers):
            problems.append(
                Problem(
                    code,
                    ProblemKind.CODE,
                    f"does not start with a village code of "
                    f"{candidate.parent_code} ({', '.join(sorted(candidate.containers))})",
                )
            )
    return problems


def _tiling_problems(candidate: Candidate, *, coverage_ok: bool) -> list[Problem]:
    """Gaps inside the parent, grids reaching out of it, grids that do not tile their village."""
    geometries = candidate.grids[Col.GEOMETRY].to_numpy()
    union = shapely.coverage_union_all(geometries) if coverage_ok else shapely.union_all(geometries)
    problems = []
    for gap in shapely.get_parts(shapely.difference(candidate.parent, union)):
        area = metric_area(gap)
        if area > NESTING_TOLERANCE_M2:
            x, y = shapely.get_coordinates(shapely.point_on_surface(gap))[0]
            problems.append(
                Problem(
                    candidate.parent_code,
                    ProblemKind.GAP,
                    f"gap of {area:.0f} m2 no grid covers, near {x:.6f}, {y:.6f}",
                    where=gap,
                )
            )
    for code, geometry in zip(candidate.grids[Col.CODE], geometries, strict=True):
        out = shapely.difference(geometry, candidate.parent)
        area = metric_area(out)
        if area > NESTING_TOLERANCE_M2:
            problems.append(
                Problem(
                    str(code),
                    ProblemKind.OUTSIDE_PARENT,
                    f"reaches {area:.0f} m2 outside {candidate.parent_code}",
                    where=out,
                )
            )
    if set(candidate.containers) != {candidate.parent_code}:
        problems += _village_problems(candidate)
    return problems


def _village_problems(candidate: Candidate) -> list[Problem]:
    problems = []
    grids = candidate.grids
    for village, outline in candidate.containers.items():
        mine = grids[grids[Col.CODE].astype(str).str.startswith(village)]
        for code, geometry in zip(mine[Col.CODE], mine[Col.GEOMETRY], strict=True):
            out = shapely.difference(geometry, outline)
            if metric_area(out) > NESTING_TOLERANCE_M2:
                problems.append(
                    Problem(
                        str(code),
                        ProblemKind.OUTSIDE_VILLAGE,
                        f"reaches {metric_area(out):.0f} m2 outside its village {village}",
                        where=out,
                    )
                )
    return problems


def _policy_problems(candidate: Candidate, rules: GridPolicy) -> list[Problem]:
    problems = []
    workers = candidate.workers_per_grid()
    for row in candidate.grids.itertuples(index=False):
        code, geometry = str(getattr(row, Col.CODE)), getattr(row, Col.GEOMETRY)
        mine = code in candidate.changed
        area = metric_area(geometry) if shapely.is_valid(geometry) else 0.0
        if 0 < area < rules.min_grid_area_m2:
            problems.append(
                Problem(
                    code,
                    ProblemKind.SLIVER,
                    f"sliver of {area:.0f} m2, below the least grid area of {rules.min_grid_area_m2:.0f} m2",
                    where=geometry,
                )
            )
        households, kind = int(getattr(row, Col.HOUSEHOLDS)), str(getattr(row, Col.KIND))
        allowed = rules.household_range(kind)
        if allowed and not allowed[0] <= households <= allowed[1]:
            before = "" if mine else " (so before this edit)"
            problems.append(
                Problem(
                    code,
                    ProblemKind.HOUSEHOLDS,
                    f"{households} households, outside the {kind} range {allowed[0]}-{allowed[1]}{before}",
                    blocking=mine,
                )
            )
        if workers.get(code, 0) == 0:
            problems.append(
                Problem(
                    code,
                    ProblemKind.NO_WORKER,
                    "no grid worker assigned" + ("" if mine else " (so before this edit)"),
                    blocking=mine,
                )
            )
    return problems
