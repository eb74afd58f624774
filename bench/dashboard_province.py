"""The leaders' map and the wall at province scale (issue 13: callbacks <= 200 ms server time at 30k
grids; issue 15: every callback <= 100 ms cold at 30k grids), on a synthetic store of `--grids` grids in
villages, townships and counties grouped by k-means, with two years of incidents.

Timed, cold (first ask after the store state was prepared, as `create_app` prepares it) and warm:
the drill-down city -> grid, a month change at the city and in a county, the heat and incident-point
layers at every step of the drill-down, and the wall's refresh of every view in its rotation. Baselines
in the same run: the drill-down against reading the whole grid level and cutting an area out of it;
the month change against geo on the full tables; the heat layer against its hexagons snapped to the
map's precision by GEOS, written as GeoJSON text by geopandas and parsed (how it was written before);
the wall's refresh against building its digest again, which it would do without the digest kept per
store state.
"""

from __future__ import annotations

import gc
import itertools
import json
import statistics
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.cluster.vq import kmeans2

from bench.dashboard_views import (
    TARGET_PROVINCE_MS,
    drill_path,
    geo_full_tables_ms,
    month_changes_ms,
    report,
    server_ms,
    timed_ms,
    wire_bytes,
)
from bench.synthetic_grids import synthetic_grids
from bench.timing import once
from dashboard.data import Providers
from dashboard.data.leaders import HEX_RESOLUTION
from dashboard.leaders import views
from dashboard.leaders.state import MapLayer, ViewState
from dashboard.settings import Settings
from dashboard.wall import callbacks as wall_callbacks
from dashboard.wall import views as wall_views
from geo.api import CITY_CODE, Col, GeoPackageStore, city_today, hexagon_counts

# ---------------------------------------------------------------- a province-scale synthetic store


def _clusters(xy: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Group points into `count` clusters (k-means), numbered by their first member so runs agree."""
    if count <= 1 or len(xy) <= count:
        return np.arange(len(xy)) if len(xy) <= count else np.zeros(len(xy), dtype=int)
    _, labels = kmeans2(xy, count, seed=seed, minit="++")
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[labels]


def province_areas(grid_count: int, *, counties: int, townships: int, villages: int) -> gpd.GeoDataFrame:
    """`grid_count` synthetic grids grouped into villages, townships and counties by k-means on their seed
    points; each parent is the union of its grids, so every level is a valid coverage."""
    grids = synthetic_grids(grid_count, seed=30)
    xy = grids[["seed_lon", "seed_lat"]].to_numpy()
    rng = np.random.default_rng(30)
    households = rng.integers(80, 600, grid_count)
    county = _clusters(xy, counties, 1)
    codes = np.empty(grid_count, dtype=object)
    for c in range(county.max() + 1):
        in_county = np.flatnonzero(county == c)
        town = _clusters(xy[in_county], townships, 2 + c)
        for t in range(town.max() + 1):
            in_town = in_county[town == t]
            village = _clusters(xy[in_town], villages, 1000 + c * 100 + t)
            for v in range(village.max() + 1):
                in_village = in_town[village == v]
                for g, index in enumerate(in_village, start=1):
                    codes[index] = f"{CITY_CODE[:4]}{c + 1:02d}{t + 1:03d}{v + 1:03d}{g:03d}"
    rows: list[dict[str, Any]] = [
        {Col.CODE: code, Col.LEVEL: "grid", Col.HOUSEHOLDS: int(h), Col.GEOMETRY: geometry}
        for code, h, geometry in zip(codes, households, grids.geometry.values, strict=True)
    ]
    frame = pd.DataFrame(rows)
    for level, length in (("village", 12), ("township", 9), ("county", 6)):
        prefix = frame.loc[frame[Col.LEVEL] == "grid", Col.CODE].str[:length]
        grouped = frame[frame[Col.LEVEL] == "grid"].groupby(prefix.to_numpy())
        for code, part in grouped:
            rows.append(
                {
                    Col.CODE: code,
                    Col.LEVEL: level,
                    Col.HOUSEHOLDS: int(part[Col.HOUSEHOLDS].sum()),
                    Col.GEOMETRY: shapely.coverage_union_all(part[Col.GEOMETRY].to_numpy()),
                }
            )
    rows.append(
        {
            Col.CODE: CITY_CODE,
            Col.LEVEL: "city",
            Col.HOUSEHOLDS: int(households.sum()),
            Col.GEOMETRY: shapely.coverage_union_all(grids.geometry.values),
        }
    )
    areas = gpd.GeoDataFrame(rows, geometry=Col.GEOMETRY.value, crs=grids.crs)
    lengths = {"city": 0, "county": 0, "township": 6, "village": 9, "grid": 12}
    areas[Col.PARENT_CODE] = [
        CITY_CODE if level == "county" else (code[: lengths[level]] if lengths[level] else None)
        for code, level in zip(areas[Col.CODE], areas[Col.LEVEL], strict=True)
    ]
    areas[Col.NAME] = [
        f"{level[:1].upper()}{code}" for code, level in zip(areas[Col.CODE], areas[Col.LEVEL], strict=True)
    ]
    areas[Col.KIND] = "rural"
    areas[Col.POPULATION] = areas[Col.HOUSEHOLDS] * 3
    areas[Col.AREA_KM2] = 1.0
    areas[Col.VERSION_ID] = "province-synthetic"
    areas[Col.VALID_FROM] = "2024-01-01"
    areas[Col.VALID_TO] = pd.Series([None] * len(areas), dtype="string")
    return areas


def province_incidents(areas: gpd.GeoDataFrame, *, months: int, per_month: int) -> gpd.GeoDataFrame:
    """Incidents over `months` months from 2024-11, placed on grids in proportion to households."""
    rng = np.random.default_rng(620900)
    grids = areas[areas[Col.LEVEL] == "grid"].reset_index(drop=True)
    weight = grids[Col.HOUSEHOLDS].to_numpy(dtype=float) * rng.gamma(2.0, 0.5, len(grids))
    n = months * per_month
    grid = rng.choice(len(grids), n, p=weight / weight.sum())
    start = pd.Timestamp("2024-11-01")
    month = rng.integers(0, months, n)
    reported = pd.Series([start + pd.DateOffset(months=int(m)) for m in range(months)])[month].to_numpy()
    reported = pd.Series(reported) + pd.to_timedelta(rng.random(n) * 27, unit="D")
    handling = pd.to_timedelta(rng.lognormal(np.log(6.0), 1.0, n), unit="D")
    closed = rng.random(n) < 0.93
    points = shapely.point_on_surface(grids.geometry.to_numpy()[grid])
    codes = grids[Col.CODE].to_numpy(dtype=str)[grid]
    frame = pd.DataFrame(
        {
            "incident_id": [f"P{i:07d}" for i in range(n)],
            Col.SOURCE: rng.choice(["app", "hotline", "miniprogram"], n),
            Col.CATEGORY: rng.choice(["neighbour", "marriage_family", "land", "labour_wages", "other"], n),
            "severity": rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05]),
            "serious": rng.random(n) < 0.004,
            "repeat_petition": rng.random(n) < 0.03,
            Col.STATUS: np.where(closed, "closed", "open"),
            Col.OUTCOME: np.where(closed, "mediated", ""),
            Col.REPORTED_AT: reported,
            Col.CLOSED_AT: (reported + handling).where(closed),
            "satisfaction": "",
            "lon": shapely.get_x(points),
            "lat": shapely.get_y(points),
            Col.GRID_CODE: codes,
            Col.VILLAGE_CODE: [c[:12] for c in codes],
            Col.TOWNSHIP_CODE: [c[:9] for c in codes],
            Col.COUNTY_CODE: [c[:6] for c in codes],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=points, crs=areas.crs)


def bench_province(folder: Path, grid_count: int) -> None:
    print(
        f"\nprovince scale: building {grid_count:,} synthetic grids, villages, townships and counties ...",
        flush=True,
    )
    start = time.perf_counter()
    areas = province_areas(grid_count, counties=40, townships=12, villages=8)
    store = folder / "province.gpkg"
    GeoPackageStore(store).write(
        {"areas": areas, "incidents": province_incidents(areas, months=24, per_month=8000)}
    )
    print(
        f"  built in {time.perf_counter() - start:.0f} s: "
        + ", ".join(f"{lv} {n:,}" for lv, n in areas[Col.LEVEL].value_counts().items()),
        flush=True,
    )
    providers = Providers.from_settings(
        Settings.from_env({}, store=store, cache_dir=folder / "province-cache")
    )
    scores_s = once(providers.indicators.data)
    answers_s = once(providers.indicators.prepare)
    simplify_s = once(providers.files.prepare)
    wall_s = once(providers.wall.with_reach)
    gc.freeze()
    print(
        f"  prepared once per store state: scores {scores_s:.1f} s, answers {answers_s:.1f} s, "
        f"simplified geometry {simplify_s:.1f} s, the wall's digest {wall_s:.1f} s"
    )
    report(
        f"state preparation {grid_count:,} grids",
        f"{scores_s + answers_s + wall_s:.1f} s",
        "-",
        f"scores {scores_s:.1f} s, answers {answers_s:.1f} s, wall {wall_s:.1f} s",
    )
    drill_down(providers, grid_count)
    month_change(providers, grid_count)
    incident_layers(providers, grid_count)
    wall_refresh(providers, grid_count, digest_s=wall_s)


def drill_down(providers: Providers, grid_count: int) -> None:
    tree = providers.files.tree()
    month = providers.indicators.months()[-1]
    path = drill_path(providers)
    cold, warm = [], []
    for above, below in itertools.pairwise(path):
        shown, state = ViewState(area=above, month=month), ViewState(area=below, month=month)
        cold.append(server_ms(state, providers, shown))
        warm.append(min(server_ms(state, providers, shown) for _ in range(3)))
    village = path[-2]
    whole = providers.settings.cache_dir / providers.files.level_file("grid")

    def cut_from_whole_level() -> None:
        features = json.loads(whole.read_text(encoding="utf-8"))["features"]
        [f for f in features if f["properties"]["code"].startswith(village)]

    baseline = statistics.median(timed_ms(cut_from_whole_level, 3))
    report(
        f"drill-down {grid_count:,} grids, server (cold, max)",
        f"{max(cold):.1f} ms",
        f"<= {TARGET_PROVINCE_MS:.0f} ms",
        f"{baseline:.0f} ms whole level read and cut",
    )
    report(
        f"drill-down {grid_count:,} grids, server (warm, max)",
        f"{max(warm):.2f} ms",
        f"<= {TARGET_PROVINCE_MS:.0f} ms",
        "",
    )
    sizes = [
        (
            providers.settings.cache_dir
            / providers.files.level_file(tree.child_level(code) or "grid", tree.within(code))
        )
        .stat()
        .st_size
        for code in path[:-1]
    ]
    print(
        "    per step (county, township, village, grid): cold "
        + ", ".join(f"{t:.1f}" for t in cold)
        + " ms; warm "
        + ", ".join(f"{t:.2f}" for t in warm)
        + " ms"
    )
    print(
        "    geometry per view (city, county, township, village): "
        + ", ".join(f"{s / 1000:.0f} KB" for s in sizes)
        + f"; the whole grid level {whole.stat().st_size / 1e6:.1f} MB"
    )


def month_change(providers: Providers, grid_count: int) -> None:
    """The last three month changes at the city and in its first county."""
    months = list(providers.indicators.months())[-4:]
    city, county = drill_path(providers)[:2]
    cold, warm = month_changes_ms(providers, (city, county), months)
    baseline = statistics.median(geo_full_tables_ms(providers, county, m) for m in months[-2:])
    report(
        f"month change {grid_count:,} grids, server (cold, max)",
        f"{max(cold):.1f} ms",
        f"<= {TARGET_PROVINCE_MS:.0f} ms",
        f"{baseline:.0f} ms geo on the full tables",
    )
    report(
        f"month change {grid_count:,} grids, server (warm, max)",
        f"{max(warm):.2f} ms",
        f"<= {TARGET_PROVINCE_MS:.0f} ms",
        "",
    )


def incident_layers(providers: Providers, grid_count: int) -> None:
    """The heat and incident-point layers switched on at every step of the drill-down."""
    month = providers.indicators.months()[-1]
    path = drill_path(providers)
    timings: dict[str, list[float]] = {MapLayer.HEAT: [], MapLayer.POINTS: []}
    sent: dict[str, int] = {}
    for layer, view in ((MapLayer.HEAT, views.heat_view), (MapLayer.POINTS, views.points_view)):
        for code in path:
            state = ViewState(area=code, month=month, layers=(MapLayer.WARNING.value, layer.value))
            start = time.perf_counter()
            shown = view(state, providers)
            timings[layer].append((time.perf_counter() - start) * 1000)
            sent[layer] = max(sent.get(layer, 0), wire_bytes(shown))
    incidents = providers.indicators.data().incidents
    months = ViewState(area=path[0], month=month).incident_months()

    def geojson_by_geopandas() -> Any:  # how the layer was written before: GEOS snapping, GeoJSON text
        cells = hexagon_counts(incidents, resolution=HEX_RESOLUTION["city"], months=months)
        snapped = cells[["count"]].set_geometry(shapely.set_precision(cells.geometry.to_numpy(), 1e-5))
        return json.loads(snapped.to_json(drop_id=True))

    baseline = min(timed_ms(geojson_by_geopandas, 3))
    for layer, label in ((MapLayer.HEAT, "heat layer"), (MapLayer.POINTS, "incident points")):
        report(
            f"{label} {grid_count:,} grids (cold, max of 5)",
            f"{max(timings[layer]):.1f} ms",
            f"<= {TARGET_PROVINCE_MS:.0f} ms",
            f"{baseline:.0f} ms snapped, via GeoJSON text" if layer is MapLayer.HEAT else "",
        )
        print("    per step (city ... grid): " + ", ".join(f"{t:.1f}" for t in timings[layer])
              + f" ms; largest answer {sent[layer] / 1000:.0f} KB")


def wall_refresh(providers: Providers, grid_count: int, *, digest_s: float) -> None:
    """Every view of the wall's rotation drawn from the digest, first time and again."""
    digest = providers.wall.with_reach()
    rotation = wall_views.wall_views(digest.city.code, [(c.code, c.name) for c in digest.counties], "zh")
    cold, warm, sent = [], [], []
    day = city_today()
    for view in rotation:

        def draw(view: wall_views.WallView = view) -> tuple[Any, ...]:
            return wall_callbacks.frame_values(digest, view, rotation, "zh", heat_url="/heat.png",
                                               screen_height=1080, move_map=True, day=day)

        cold.append(timed_ms(draw)[0])
        warm.append(min(timed_ms(draw, 3)))
        sent.append(wire_bytes(draw()))
    report(
        f"wall refresh {grid_count:,} grids, {len(rotation)} views (cold, max)",
        f"{max(cold):.1f} ms",
        f"<= {TARGET_PROVINCE_MS:.0f} ms",
        f"{digest_s * 1000:.0f} ms digest built again",
    )
    report(
        f"wall refresh {grid_count:,} grids (warm, max)",
        f"{max(warm):.2f} ms",
        f"<= {TARGET_PROVINCE_MS:.0f} ms",
        f"largest frame {max(sent) / 1000:.0f} KB",
    )
