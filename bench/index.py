"""Benchmark of the warning index: every level for one month (target < 1 s) and for all months (< 10 s),
against a naive baseline measured in the same run.

    python -m bench.index                      # synthetic incidents over the committed demo grids
    python -m bench.index --store var/pingan-demo.gpkg

The baseline, "per-area pandas loop", scores each area in force one at a time by filtering the
incident frame on its code and counting with pandas, from timestamps rather than month numbers. It is
also the cross-check: the bench fails when its scores differ from the fast path.

Synthetic data: 36 months from 2023-11, about 930 incidents a month over the 1,424 demo grids, placed
by households times a seeded risk per grid, township and county (so every level has hot and quiet
areas), with the seed's outcome mix (52 % of court-bound cases diverted, 62 % of those mediated). The
areas get a second boundary version from 2025-07 (households up 3 %), so months switch versions.
"""

from __future__ import annotations

import argparse
import sys
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bench.timing import best_of
from geo.analysis.area_months import (
    LEVEL_CODE_COLUMN,
    areas_in_force,
    in_force_pairs,
    month_label,
    month_ordinal,
    prepare_incidents,
)
from geo.analysis.case_metrics import case_metrics
from geo.analysis.heat import hexagon_counts, incident_density
from geo.analysis.warning_config import Factor, WarningConfig, load_warning_config
from geo.analysis.warning_index import warning_levels, warning_scores, warning_scores_all_months
from geo.boundaries.hierarchy_files import read_hierarchy
from geo.schema import CITY_CODE, Col, IncidentCategory, IncidentSource, Level, Outcome
from geo.store import GeoPackageStore

MONTHS: Final = 36
PER_MONTH: Final = 930
FIRST_MONTH: Final = "2023-11"  # as the demo store
SECOND_VERSION_FROM: Final = "2025-07-01"
_CATEGORIES: Final = dict(
    zip(IncidentCategory, (0.28, 0.18, 0.10, 0.10, 0.12, 0.10, 0.07, 0.05), strict=True)
)
_SOURCES: Final = dict(zip(IncidentSource, (0.45, 0.35, 0.15, 0.05), strict=True))
_OUTCOMES: Final = {  # closed cases; court-bound 20 %, of which 52 % diverted, 62 % of those mediated
    Outcome.MEDIATED: 0.45,
    Outcome.MEDIATION_FAILED: 0.08,
    Outcome.ADVISED: 0.27,
    Outcome.LITIGATED: 0.20 * 0.48,
    Outcome.PRE_LITIGATION_MEDIATED: 0.20 * 0.52 * 0.62,
    Outcome.PRE_LITIGATION_FAILED: 0.20 * 0.52 * 0.38,
}


def synthetic_areas() -> gpd.GeoDataFrame:
    """The demo hierarchy as two boundary versions (2023-11 to 2025-07, then 2025-07 on)."""
    first = read_hierarchy()
    first = first[first[Col.LEVEL] != Level.MICRO_GRID.value].assign(
        **{
            Col.VALID_FROM: f"{FIRST_MONTH}-01",
            Col.VALID_TO: SECOND_VERSION_FROM,
            Col.VERSION_ID: "v2023-11-01",
        }
    )
    second = first.assign(
        **{
            Col.VALID_FROM: SECOND_VERSION_FROM,
            Col.VALID_TO: None,
            Col.VERSION_ID: "v2025-07-01",
            Col.HOUSEHOLDS: (first[Col.HOUSEHOLDS] * 1.03).round().astype("int64"),
        }
    )
    return gpd.GeoDataFrame(pd.concat([first, second], ignore_index=True), crs=first.crs)


def _points_in(geometries: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    bounds = shapely.bounds(geometries)
    lon, lat = np.full(len(geometries), np.nan), np.full(len(geometries), np.nan)
    todo = np.arange(len(geometries))
    while len(todo):
        x = rng.uniform(bounds[todo, 0], bounds[todo, 2])
        y = rng.uniform(bounds[todo, 1], bounds[todo, 3])
        inside = shapely.contains_xy(geometries[todo], x, y)
        lon[todo[inside]], lat[todo[inside]] = x[inside], y[inside]
        todo = todo[~inside]
    return lon, lat


def synthetic_incidents(areas: gpd.GeoDataFrame, *, seed: int = 620900) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    grids = areas[(areas[Col.LEVEL] == Level.GRID.value) & areas[Col.VALID_TO].notna()].reset_index(drop=True)
    codes = grids[Col.CODE].to_numpy(dtype=str)
    risk = rng.gamma(2.0, 0.5, len(codes))
    for length in (6, 9):  # counties and townships differ too
        parents, index = np.unique([c[:length] for c in codes], return_inverse=True)
        risk *= rng.lognormal(0.0, 0.35, len(parents))[index]
    weight = grids[Col.HOUSEHOLDS].to_numpy(dtype=float) * risk
    start = pd.Timestamp(f"{FIRST_MONTH}-01")
    per_month = rng.poisson(PER_MONTH, MONTHS)
    month = np.repeat(np.arange(MONTHS), per_month)
    n = len(month)
    month_start = pd.DatetimeIndex([start + pd.DateOffset(months=int(m)) for m in range(MONTHS + 1)])
    span = (month_start[month + 1] - month_start[month]).total_seconds().to_numpy()
    reported = pd.Series(month_start[month] + pd.to_timedelta(rng.random(n) * span, unit="s"))
    grid = rng.choice(len(codes), n, p=weight / weight.sum())
    handling = pd.to_timedelta(rng.lognormal(np.log(6.0), 1.0, n) + 0.2, unit="D")  # median 6 days, long tail
    now = month_start[-1]
    closed = ((reported + handling) < now).to_numpy() & (rng.random(n) > 0.01)
    status = np.where(closed, "closed", np.where(rng.random(n) < 0.5, "open", "in_progress"))
    outcome = np.where(closed, rng.choice([o.value for o in _OUTCOMES], n, p=list(_OUTCOMES.values())), "")
    source = rng.choice([s.value for s in _SOURCES], n, p=list(_SOURCES.values()))
    rated = rng.choice(["满意", "基本满意", "不满意"], n, p=[0.8, 0.15, 0.05])
    lon, lat = _points_in(grids.geometry.to_numpy()[grid], rng)
    grid_codes = codes[grid]
    frame = pd.DataFrame(
        {
            "incident_id": [f"I{i + 1:06d}" for i in range(n)],
            Col.SOURCE: source,
            Col.SOURCE_ID: np.arange(n).astype(str),
            Col.CATEGORY: rng.choice([c.value for c in _CATEGORIES], n, p=list(_CATEGORIES.values())),
            "severity": rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05]),
            "serious": rng.random(n) < 0.004,
            "repeat_petition": rng.random(n) < 0.03,
            Col.STATUS: status,
            Col.OUTCOME: outcome,
            "pre_litigation": np.isin(
                outcome, [Outcome.PRE_LITIGATION_MEDIATED, Outcome.PRE_LITIGATION_FAILED]
            ),
            Col.REPORTED_AT: reported,
            Col.CLOSED_AT: (reported + handling).where(closed),
            "satisfaction": np.where(closed & (source == IncidentSource.HOTLINE.value), rated, ""),
            "lon": lon,
            "lat": lat,
            Col.GRID_CODE: grid_codes,
            Col.VILLAGE_CODE: [c[:12] for c in grid_codes],
            Col.TOWNSHIP_CODE: [c[:9] for c in grid_codes],
            Col.COUNTY_CODE: [c[:6] for c in grid_codes],
            "flags": "",
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=areas.crs)


# ---------------------------------------------------------------- the naive baseline


def naive_scores(
    incidents: pd.DataFrame, areas: pd.DataFrame, month: str, config: WarningConfig
) -> pd.DataFrame:
    """Per-area pandas loop: filter the incidents of each area in force, then count with pandas."""
    prepared = prepare_incidents(incidents, overdue_days=config.overdue_days)
    start = pd.Timestamp(f"{month}-01")
    end, previous, year_ago = (
        start + pd.DateOffset(months=1),
        start - pd.DateOffset(months=1),
        start - pd.DateOffset(years=1),
    )
    data_start = prepared[Col.REPORTED_AT].min().to_period("M").start_time
    limit = pd.Timedelta(days=config.overdue_days)
    weights = config.weights
    rows = []
    current = areas_in_force(areas, month_ordinal(month))
    codes_then = {
        when: set(areas[Col.CODE].iloc[in_force_pairs(areas, [month_ordinal(when.strftime("%Y-%m"))])[0]])
        if when >= data_start
        else set()
        for when in (previous, year_ago)
    }
    for area in current.itertuples(index=False):
        code, level = getattr(area, Col.CODE), Level(getattr(area, Col.LEVEL))
        if LEVEL_CODE_COLUMN[level] not in prepared.columns:
            continue  # micro-grids, when the incidents carry no micro-grid code
        if level is Level.CITY:
            mine = prepared[prepared[Col.COUNTY_CODE] != ""]
        else:
            mine = prepared[prepared[LEVEL_CODE_COLUMN[level]] == code]
        closed_at = mine[Col.CLOSED_AT].where(mine[Col.STATUS] == "closed", pd.Timestamp.max)
        closed_at = closed_at.fillna(mine[Col.REPORTED_AT])

        def weighted(lo: pd.Timestamp, hi: pd.Timestamp, rows_of: pd.DataFrame = mine) -> float:
            part = rows_of[(rows_of[Col.REPORTED_AT] >= lo) & (rows_of[Col.REPORTED_AT] < hi)]
            return float(
                (
                    part[Col.CATEGORY].map(config.category_weights)
                    * part["severity"].map(config.severity_weights)
                ).sum()
            )

        in_month = mine[(mine[Col.REPORTED_AT] >= start) & (mine[Col.REPORTED_AT] < end)]
        unresolved = (mine[Col.REPORTED_AT] < end) & (closed_at >= end)
        overdue = unresolved & (end - mine[Col.REPORTED_AT] > limit)
        late = (closed_at >= start) & (closed_at < end) & (closed_at - mine[Col.REPORTED_AT] > limit)
        per = 1000.0 / max(float(getattr(area, Col.HOUSEHOLDS)), config.households_floor)
        now = weighted(start, end)
        points = {
            Factor.INCIDENTS: weights[Factor.INCIDENTS] * now * per,
            Factor.UNRESOLVED: weights[Factor.UNRESOLVED] * unresolved.sum() * per,
            Factor.OVERDUE: weights[Factor.OVERDUE]
            * (overdue.sum() + (late & mine["handling_days"].notna()).sum())
            * per,
            Factor.REPEAT_PETITIONS: weights[Factor.REPEAT_PETITIONS]
            * in_month["repeat_petition"].sum()
            * per,
            Factor.SERIOUS: weights[Factor.SERIOUS] * in_month["serious"].sum() * per,
            Factor.MONTH_ON_MONTH: weights[Factor.MONTH_ON_MONTH]
            * max(0.0, now - weighted(previous, start))
            * per
            * (code in codes_then[previous]),
            Factor.YEAR_ON_YEAR: weights[Factor.YEAR_ON_YEAR]
            * max(0.0, now - weighted(year_ago, year_ago + pd.DateOffset(months=1)))
            * per
            * (code in codes_then[year_ago]),
        }
        rows.append({"month": month, Col.LEVEL: level.value, Col.CODE: code, "score": sum(points.values())})
    table = pd.DataFrame(rows)
    table["warning_level"], table["rank"] = warning_levels(table, config)
    return table


# ---------------------------------------------------------------- measuring


def _colour_table(scores: pd.DataFrame) -> str:
    counts = scores.groupby([Col.LEVEL, "warning_level"]).size().unstack(fill_value=0)
    return counts.reindex(columns=["red", "yellow", "blue"], fill_value=0).to_string()


def _months_with_every_colour(scores: pd.DataFrame) -> str:
    """Per level, in how many months red, yellow and blue all occur (from the 13th month on, when the
    year-on-year factor has something to compare with)."""
    later = scores[
        scores["month"] >= sorted(scores["month"].unique())[min(12, scores["month"].nunique() - 1)]
    ]
    every = later.groupby([Col.LEVEL, "month"])["warning_level"].nunique().eq(3).groupby(level=0).sum()
    return ", ".join(f"{level} {every.get(level, 0)}" for level in ("county", "township", "village", "grid"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.index", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", help="a GeoPackage store with areas and incidents (default: synthetic data)"
    )
    parser.add_argument("--month", help="the month to time (default: the last month with incidents)")
    parser.add_argument(
        "--naive-months", type=int, default=2, help="months the naive baseline runs (default 2)"
    )
    args = parser.parse_args(argv)
    if args.store:
        store = GeoPackageStore(args.store)
        areas, incidents = store.read("areas"), store.read("incidents")
        source = args.store
    else:
        areas = synthetic_areas()
        incidents = synthetic_incidents(areas)
        source = "synthetic"
    config = load_warning_config()
    prepared = prepare_incidents(incidents, overdue_days=config.overdue_days)
    month = args.month or month_label(int(prepared["month"].max()))
    print(f"data: {source}: {len(incidents):,} incidents, {len(areas):,} area rows; month {month}")

    one, scores = best_of(lambda: warning_scores(incidents, areas, month=month, config=config))
    every, all_scores = best_of(lambda: warning_scores_all_months(incidents, areas, config=config), repeat=2)
    n_months = all_scores["month"].nunique()
    sample = sorted(all_scores["month"].unique())[-args.naive_months :]
    naive_one, naive = best_of(lambda: naive_scores(incidents, areas, month, config), repeat=1)
    worst = _compare(scores, naive)
    for other in sample:
        if other != month:
            worst = max(
                worst,
                _compare(
                    all_scores[all_scores["month"] == other], naive_scores(incidents, areas, other, config)
                ),
            )
    print(f"one month, all levels ({len(scores):,} areas):   {one * 1000:8.1f} ms   (target < 1000 ms)")
    print(
        f"all {n_months} months, all levels ({len(all_scores):,} rows): "
        f"{every * 1000:8.1f} ms   (target < 10000 ms)"
    )
    print(
        f"naive baseline 'per-area pandas loop', one month: {naive_one * 1000:8.1f} ms; "
        f"all months estimated {naive_one * n_months:6.1f} s"
    )
    print(f"speed-up: one month x{naive_one / one:,.0f}; all months x{naive_one * n_months / every:,.0f}")
    print(
        f"largest score difference from the baseline over {len(set(sample) | {month})} month(s): {worst:.2e}"
    )
    _report_outputs(incidents, areas, month, scores, config)
    fixed_all = warning_scores_all_months(incidents, areas, config=config.with_mode("fixed"))
    counted = max(1, n_months - 12)
    print(f"\nof {counted} months with a year to compare, months with red, yellow and blue areas:")
    print(f"  quantile: {_months_with_every_colour(all_scores)}")
    print(f"  fixed:    {_months_with_every_colour(fixed_all)}")
    ok = one < 1.0 and every < 10.0 and worst < 1e-9
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def _compare(fast: pd.DataFrame, naive: pd.DataFrame) -> float:
    joined = fast.merge(naive, on=["month", Col.LEVEL, Col.CODE], suffixes=("", "_naive"), validate="1:1")
    if len(joined) != len(fast) or len(joined) != len(naive):
        return float("inf")
    if not (joined["warning_level"] == joined["warning_level_naive"]).all():
        return float("inf")
    return float((joined["score"] - joined["score_naive"]).abs().max())


def _report_outputs(
    incidents: pd.DataFrame, areas: pd.DataFrame, month: str, scores: pd.DataFrame, config: WarningConfig
) -> None:
    print(f"\ncolours in {month}, quantile mode:\n{_colour_table(scores)}")
    fixed = warning_scores(incidents, areas, month=month, config=config.with_mode("fixed"))
    print(f"\ncolours in {month}, fixed thresholds:\n{_colour_table(fixed)}")
    timing, metrics = best_of(lambda: case_metrics(incidents, areas, month=month), repeat=1)
    first = month_label(int(prepare_incidents(incidents, overdue_days=30)["month"].min()))
    whole = case_metrics(incidents, areas, month=(first, month), level=Level.CITY).iloc[0]
    print(
        f"\ncase metrics, one month, all levels: {timing * 1000:.0f} ms; city {first}..{month}: closure "
        f"{whole['closure_rate']:.3f}, diversion {whole['pre_litigation_diversion_rate']:.3f}, "
        f"pre-litigation success {whole['pre_litigation_success_rate']:.3f}, "
        f"mediation success {whole['mediation_success_rate']:.3f}"
    )
    city = metrics[metrics[Col.CODE] == CITY_CODE].iloc[0]
    print(
        f"city {month}: {city['incidents']} incidents, closure {city['closure_rate']:.3f}, "
        f"overdue {city['overdue']}"
    )
    timing, surface = best_of(lambda: incident_density(incidents, months=month), repeat=1)
    print(
        f"density {month}: {surface.values.shape} cells of {surface.cell_m:.0f} m in {timing * 1000:.0f} ms; "
        f"all months: {best_of(lambda: incident_density(incidents), repeat=1)[0] * 1000:.0f} ms"
    )
    timing, hexes = best_of(lambda: hexagon_counts(incidents, resolution=8), repeat=1)
    print(f"H3 resolution 8, all months: {len(hexes):,} cells in {timing * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
