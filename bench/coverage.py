"""Benchmark of mediator coverage (target: the full city for one month <= 2 s) and site suggestion (<= 60 s),
against a geopandas `sjoin_nearest` baseline measured in the same run.

    python -m bench.coverage --store var/pingan-demo.gpkg

Two sizes: the household points the store holds (addresses standing for their share of a village's
households, herders at their pasture), and every household a point of its own (each address repeated once
per household it stands for, scattered within 60 m, about 400k points). The baseline finds each household's
nearest mediation point per level with `geopandas.sjoin_nearest` in the same metric CRS; the bench fails
when its band flags differ from the fast path's on more than 0.1 % of households (the fast path measures
the distance on the ellipsoid, the baseline on the plane).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from bench.timing import best_of
from geo.analysis.coverage import CoverageInputs, household_coverage, last_month, mediator_coverage
from geo.analysis.coverage_config import BAND_LEVELS, load_coverage_config
from geo.analysis.mediation_points import mediation_points
from geo.analysis.site_suggestion import suggest_sites
from geo.crs import METRIC_CRS, STORAGE_EPSG
from geo.schema import Col, CoverageCol
from geo.store import open_store

COVERAGE_TARGET_S: Final = 2.0
SUGGESTION_TARGET_S: Final = 60.0
SCATTER_M: Final = 60.0
AGREEMENT: Final = 0.999


def every_household(inputs: CoverageInputs, seed: int = 11) -> CoverageInputs:
    """Each address repeated once per household it stands for, scattered a little around it."""
    points = household_coverage(inputs, month=last_month(inputs))
    per_address = points[Col.HOUSEHOLDS].to_numpy()[: len(inputs.addresses)]
    repeats = np.maximum(np.rint(per_address), 1).astype(int)
    rows = inputs.addresses.iloc[np.repeat(np.arange(len(inputs.addresses)), repeats)].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    metric = rows.geometry.to_crs(METRIC_CRS)
    offset = rng.uniform(-SCATTER_M, SCATTER_M, size=(len(rows), 2))
    moved = gpd.GeoSeries(gpd.points_from_xy(metric.x + offset[:, 0], metric.y + offset[:, 1]),
                          crs=METRIC_CRS)
    return replace(inputs, addresses=gpd.GeoDataFrame(rows, geometry=moved.to_crs(STORAGE_EPSG).values))


def _metric_frame(points: pd.DataFrame) -> gpd.GeoDataFrame:
    xy = gpd.points_from_xy(points[CoverageCol.LON], points[CoverageCol.LAT])
    return gpd.GeoDataFrame(geometry=xy, crs=STORAGE_EPSG).to_crs(METRIC_CRS)


def _sjoin_distances(points: pd.DataFrame, inputs: CoverageInputs) -> dict[str, np.ndarray]:
    """The baseline: nearest mediation point per level with geopandas.sjoin_nearest, distances in km."""
    households = _metric_frame(points)
    sites = mediation_points(inputs.centres, inputs.organisations)
    found: dict[str, np.ndarray] = {}
    for level in BAND_LEVELS:
        chosen = sites[sites[Col.LEVEL] == level.value]
        joined = gpd.sjoin_nearest(households, _metric_frame(chosen), distance_col="d")
        joined = joined[~joined.index.duplicated()]  # ties give two rows
        found[level.value] = joined["d"].sort_index().to_numpy() / 1000.0
    return found


def _agreement(points: pd.DataFrame, baseline: dict[str, np.ndarray]) -> float:
    config = load_coverage_config()
    pastoral = points[CoverageCol.PASTORAL].to_numpy(dtype=bool)
    shares = []
    for level in BAND_LEVELS:
        band = np.where(pastoral, config.pastoral_km[level], config.bands_km[level])
        fast = points[f"{level.value}_km"].to_numpy() <= band
        shares.append(float(np.mean(fast == (baseline[level.value] <= band))))
    return min(shares)


def bench_size(label: str, inputs: CoverageInputs, month: str) -> bool:
    fast_s, report = best_of(lambda: mediator_coverage(inputs, month=month))
    points_s, points = best_of(lambda: household_coverage(inputs, month=month))
    base_s, baseline = best_of(lambda: _sjoin_distances(points, inputs), repeat=1)
    agree = _agreement(points, baseline)
    ok = fast_s <= COVERAGE_TARGET_S and agree >= AGREEMENT
    print(f"{label}: {len(points):,} household points, {len(report):,} areas, month {month}")
    print(f"  full report (distances + every level's aggregates)  {fast_s:7.3f} s  "
          f"(target <= {COVERAGE_TARGET_S} s)")
    kinds_s, _ = best_of(lambda: mediator_coverage(inputs, month=month, by_kind=True), repeat=1)
    print(f"  full report with the distance to each kind (by_kind)  {kinds_s:6.3f} s")
    print(f"  distances only (3 levels, KD-tree + geodesic)        {points_s:7.3f} s")
    print(f"  baseline geopandas sjoin_nearest (3 levels)          {base_s:7.3f} s  "
          f"ratio {base_s / points_s:5.1f}x slower than the KD-tree")
    print(f"  band flags agreeing with the baseline                 {agree:7.2%}  (needs >= {AGREEMENT:.1%})")
    return ok


def bench_suggestion(inputs: CoverageInputs, month: str, sites: int) -> bool:
    mclp_s, mclp = best_of(lambda: suggest_sites(inputs, month=month, sites=sites), repeat=1)
    lscp_s, lscp = best_of(lambda: suggest_sites(inputs, month=month, method="lscp"), repeat=1)
    capacity_s, limited = best_of(lambda: suggest_sites(inputs, month=month, sites=sites, capacity=2),
                                  repeat=1)
    gain, greedy_gain = mclp.covered_after - mclp.covered_before, mclp.greedy_after - mclp.covered_before
    ok = max(mclp_s, lscp_s) <= SUGGESTION_TARGET_S and mclp.covered_after >= mclp.greedy_after
    print(f"site suggestion, month {month}:")
    print(f"  MCLP {sites} sites   {mclp_s:7.3f} s  +{gain:,.0f} households (greedy +{greedy_gain:,.0f}; "
          f"optimum >= greedy: {mclp.covered_after >= mclp.greedy_after})  "
          f"(target <= {SUGGESTION_TARGET_S:.0f} s)")
    print(f"  LSCP          {lscp_s:7.3f} s  {len(lscp.sites)} sites reach everyone a candidate can reach "
          f"(+{lscp.covered_after - lscp.covered_before:,.0f} households)")
    print(f"  MCLP {sites} sites, 2 cases a year per room (PuLP) {capacity_s:6.3f} s  "
          f"+{limited.covered_after - limited.covered_before:,.0f} households")
    return ok and capacity_s <= SUGGESTION_TARGET_S


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="a demo store (pingan demo build)")
    parser.add_argument("--month", help="default: the latest month with disputes")
    parser.add_argument("--sites", type=int, default=20, help="new sites for the MCLP run (default 20)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    inputs = CoverageInputs.from_store(open_store(args.store))
    print(f"read the store in {time.perf_counter() - start:.2f} s (not counted below)")
    month = args.month or last_month(inputs)
    ok = bench_size("store's household points", inputs, month)
    ok &= bench_size("every household a point", every_household(inputs), month)
    ok &= bench_suggestion(inputs, month, args.sites)
    print("OK" if ok else "FAILED: a target or the cross-check was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
