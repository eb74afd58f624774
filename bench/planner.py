"""Benchmark of the planners' workbench on the township with the number of grids nearest 40: an edit with
its validation (target <= 300 ms) and the impact preview (target <= 1 s), each against a naive recompute
of everything in the same run.

    python -m bench.planner --store var/pingan-demo.gpkg

The edit splits the township's largest grid away from its outline by a line through its middle; the vertex
edit drags one of that grid's vertices inwards (`reshape_grid`); the validation is `check_candidate`.
The edits' baseline validates the whole city's hierarchy with the candidate in place
(`validate_hierarchy`). The impact preview is `candidate_impact`; its baseline joins every incident
and address to the whole candidate grid layer and scores every level in every month, before and after.
Store reads are not timed: a page reads the layers once per store state.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

import geopandas as gpd
import pandas as pd
import shapely

from geo.api import (
    Candidate,
    Layer,
    candidate_from_areas,
    candidate_impact,
    check_candidate,
    open_store,
    reshape_grid,
    split_grid,
    validate_hierarchy,
    warning_scores_all_months,
)
from geo.intake.join import assign_grids_sjoin

EDIT_TARGET_S, IMPACT_TARGET_S = 0.300, 1.0
RUNS = 5


def _median(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _township(areas: pd.DataFrame) -> str:
    grids = areas[areas["level"] == "grid"]
    counts = grids["code"].str[:9].value_counts()
    return str((counts - 40).abs().sort_values(kind="stable").index[0])


def _split_line(candidate: Candidate) -> tuple[str, shapely.LineString]:
    """The largest grid that does not touch the township's outline, and a line across its middle."""
    outline = shapely.boundary(candidate.parent)
    inner = candidate.grids[shapely.distance(candidate.grids.geometry.values, outline) > 0]
    grid = inner.iloc[int(shapely.area(inner.geometry.values).argmax())]
    x0, _, x1, _ = grid.geometry.bounds
    y = shapely.get_y(shapely.point_on_surface(grid.geometry))
    return str(grid["code"]), shapely.LineString([(x0 - 1e-4, y), (x1 + 1e-4, y)])


def _dragged_outline(candidate: Candidate, code: str) -> shapely.Polygon:
    """Grid `code`'s outline with its first vertex dragged a fifth of the way towards its centre (inwards,
    so it stays inside the township), as the EditControl sends it back."""
    outline = shapely.get_parts(candidate.grid(code).geometry)[0]
    xy = shapely.get_coordinates(shapely.get_exterior_ring(outline))
    centre = shapely.get_coordinates(shapely.centroid(outline))[0]
    xy[0] = xy[-1] = xy[0] + (centre - xy[0]) * 0.2
    return shapely.Polygon(xy)


def _with_candidate(areas: pd.DataFrame, candidate: Candidate) -> gpd.GeoDataFrame:
    others = areas[~((areas["level"] == "grid") & areas["code"].str.startswith(candidate.parent_code))]
    grids = candidate.grids.assign(version_id="candidate", valid_from="2023-11-01", valid_to=None)
    return gpd.GeoDataFrame(pd.concat([others, grids], ignore_index=True), geometry="geometry", crs=4490)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="var/pingan-demo.gpkg")
    args = parser.parse_args()
    store = open_store(args.store)
    areas = store.read(Layer.AREAS)
    current = areas[areas["valid_to"].isna()]
    workers, incidents = store.read(Layer.GRID_WORKERS), store.read(Layer.INCIDENTS)
    addresses = store.read(Layer.ADDRESSES)
    township = _township(current)
    base = candidate_from_areas(current, workers, township, all_codes=set(areas["code"]))
    code, line = _split_line(base)
    print(f"township {township}: {len(base.grids)} grids; split {code}")

    def edit() -> list[object]:
        return list(check_candidate(split_grid(base, code, line)))

    candidate = split_grid(base, code, line)
    kinds = sorted({p.kind.value for p in check_candidate(candidate) if p.blocking})
    print(f"candidate: {len(candidate.grids)} grids, problems that stop a save: {', '.join(kinds) or 'none'}")

    def edit_naive() -> list[str]:
        return validate_hierarchy(_with_candidate(current, split_grid(base, code, line)))

    effective = date(2026, 1, 1)

    def impact() -> object:
        return candidate_impact(candidate, areas=areas, incidents=incidents, addresses=addresses,
                                workers=workers, effective=effective)

    def impact_naive() -> object:
        after = _with_candidate(areas, candidate)
        grids = after[(after["level"] == "grid") & after["valid_to"].isna()]
        joined = assign_grids_sjoin(incidents["lon"], incidents["lat"], grids)
        assign_grids_sjoin(addresses.geometry.x, addresses.geometry.y, grids)
        moved = incidents.assign(grid_code=joined.codes)
        warning_scores_all_months(incidents, areas)
        return warning_scores_all_months(moved, after)

    dragged = _dragged_outline(base, code)

    def vertex_edit() -> list[object]:
        return list(check_candidate(reshape_grid(base, code, dragged)))

    def vertex_edit_naive() -> list[str]:
        return validate_hierarchy(_with_candidate(current, reshape_grid(base, code, dragged)))

    rows = [("edit + validation", edit, edit_naive, EDIT_TARGET_S),
            ("vertex edit + val.", vertex_edit, vertex_edit_naive, EDIT_TARGET_S),
            ("impact preview", impact, impact_naive, IMPACT_TARGET_S)]
    for name, fast, naive, target in rows:
        fast_s, naive_s = _median(fast), _median(naive, runs=3)
        verdict = "ok" if fast_s <= target else "OVER TARGET"
        print(f"{name:18s} {fast_s * 1000:8.1f} ms  naive recompute {naive_s * 1000:8.1f} ms  "
              f"ratio {naive_s / fast_s:5.1f}x  target <= {target * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
