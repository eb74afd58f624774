"""Benchmark of the leaders' map: server time of the callbacks' functions, bytes a month change sends, a
province-scale drill-down, and first paint in headless Chromium, each beside its target and a baseline
measured in the same run.

    python -m bench.dashboard                          # builds the demo store in a temporary folder (~15 s)
    python -m bench.dashboard --store var/pingan-demo.gpkg
    python -m bench.dashboard --grids 30000 --no-browser

Server figures drive the same functions the callbacks call (dashboard/leaders/callbacks.py): `map_outputs`,
`kpi_view`, `panel_view` and `trend_outputs`, on providers built from the settings, exactly as a request
would. "Cold" is the first time an area and month are asked for, as the first clicks after start: the
providers have prepared the store state as `create_app` does (scores, simplified geometry, and the
explanations and case metrics of the city and its counties, and of the townships and villages in the
latest month, in the background; timed here as "state preparation"), and everything else is computed
on that ask; "warm" asks again. Baselines:

- month change and drill-down, "geo on the full tables": what the same answers cost without the
  dashboard's caches and per-area cuts, i.e. geo's `warning_scores` for the month's colours plus
  `explain_warning` and `case_metrics` over every incident;
- month change bytes, "geometry resent": the view's areas as GeoJSON plus their levels, what a page that
  rebuilt its map layer would send;
- province drill-down, "whole level": reading the simplified grid level and cutting one area out of it, as a
  page without per-area files would on every drill-down;
- first paint, "warm browser cache": the same page loaded a second time (bundles and geometry files are
  immutable); the first visitor of a freshly started server beside a later one with a cold cache. Each
  load prints its bytes on the wire, responses, how many came compressed and when plotly.js was asked
  for (after the first polygons: the chart is mounted once the map has painted).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import logging
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from plotly.utils import PlotlyJSONEncoder
from scipy.cluster.vq import kmeans2

from bench.accounts import bench_account, sign_in
from bench.first_load import PAINTED_AT, Load, describe, load_page
from bench.synthetic_grids import synthetic_grids
from dashboard.data import Providers
from dashboard.leaders import callbacks, layout, views
from dashboard.leaders.state import ViewState
from dashboard.settings import Settings
from geo.api import (
    CITY_CODE,
    Col,
    GeoPackageStore,
    case_metrics,
    explain_warning,
    warning_scores,
)
from geo.demo import build_demo_store  # bench is a tool beside the CLI: it may build the demo

if TYPE_CHECKING:
    from playwright.sync_api import Page

TARGET_SERVER_MS: Final = 50.0
TARGET_PROVINCE_MS: Final = 100.0  # issue 15: every callback at 30,000 grids, cold or warm
TARGET_BYTES: Final = 15_000
TARGET_PAINT_S: Final = 1.0
ROWS: list[tuple[str, str, str, str]] = []


def report(figure: str, measured: str, target: str, baseline: str) -> None:
    ROWS.append((figure, measured, target, baseline))
    print(f"  {figure:<46} {measured:>12}   target {target:<9} baseline {baseline}", flush=True)


def timed_ms(call: Callable[[], object], repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def wire_bytes(value: object) -> int:
    """Bytes of a callback output as Dash sends it (plotly's JSON encoder, like dash._utils.to_json)."""
    return len(json.dumps(value, cls=PlotlyJSONEncoder, separators=(",", ":")).encode())


# ---------------------------------------------------------------- what one view change costs


def view_change(state: ViewState, providers: Providers, shown: ViewState) -> tuple[Any, ...]:
    """Every callback that runs on a URL change with the default layers, as the browser would trigger them."""
    shown_map = layout.view_key(views.map_view(shown, providers))
    return (
        callbacks.map_outputs(state, providers, shown_map),
        layout.tiles_data(views.kpi_view(state, providers)),
        views.panel_view(state, providers),
        callbacks.trend_outputs(state, providers, layout.trend_key(shown)),
        callbacks.control_values(
            state, "leaders-month", "?area=x&month=y", list(providers.indicators.months())
        ),
    )


def server_ms(state: ViewState, providers: Providers, shown: ViewState) -> float:
    shown_map = layout.view_key(views.map_view(shown, providers))  # what the browser shows: not timed
    start = time.perf_counter()
    callbacks.map_outputs(state, providers, shown_map)
    views.kpi_view(state, providers)
    views.panel_view(state, providers)
    callbacks.trend_outputs(state, providers, layout.trend_key(shown))
    return (time.perf_counter() - start) * 1000


def geo_full_tables_ms(providers: Providers, code: str, month: str) -> float:
    """The baseline: the same colours, explanation and metrics from geo over every incident."""
    data = providers.indicators.data()
    tree = providers.files.tree()
    level = tree.node(code).level
    child = tree.child_level(code) or level
    start = time.perf_counter()
    warning_scores(data.incidents, data.areas, month=month, level=child)
    explain_warning(data.incidents, data.areas, code=code, month=month)
    case_metrics(data.incidents, data.areas, month=month, level=level)
    return (time.perf_counter() - start) * 1000


def drill_path(providers: Providers) -> list[str]:
    """City, then the first county, township, village and grid down the tree."""
    tree = providers.files.tree()
    path = [tree.city_code]
    while tree.children(path[-1]):
        path.append(tree.children(path[-1])[0])
    return path


def bench_city(providers: Providers, label: str) -> None:
    months = list(providers.indicators.months())[-12:]
    city = providers.files.tree().city_code
    path = drill_path(providers)
    print(
        f"\n{label}: {len(providers.files.tree()):,} areas, {len(providers.indicators.data().incidents):,} "
        f"incidents, months {months[0]}..{months[-1]}"
    )
    county = path[1]

    # Month changes over the last 12 months, at the city and in a county: first visit, then again.
    cold, warm = [], []
    for focus in (city, county):
        for before, after in itertools.pairwise(months):
            shown, state = ViewState(area=focus, month=before), ViewState(area=focus, month=after)
            cold.append(server_ms(state, providers, shown))
            warm.append(min(server_ms(state, providers, shown) for _ in range(3)))
    baseline = statistics.median(geo_full_tables_ms(providers, county, m) for m in months[-3:])
    report(
        "month change, server (cold, median)",
        f"{statistics.median(cold):.1f} ms",
        f"<= {TARGET_SERVER_MS:.0f} ms",
        f"{baseline:.0f} ms geo on the full tables",
    )
    report("month change, server (cold, max)", f"{max(cold):.1f} ms", f"<= {TARGET_SERVER_MS:.0f} ms", "")
    report(
        "month change, server (warm, median)",
        f"{statistics.median(warm):.2f} ms",
        f"<= {TARGET_SERVER_MS:.0f} ms",
        "",
    )

    # Bytes a month change sends, in the county view (the biggest of the default views).
    shown, state = ViewState(area=county, month=months[-2]), ViewState(area=county, month=months[-1])
    outputs = view_change(state, providers, shown)
    sent = sum(wire_bytes(part) for part in outputs)
    areas = providers.files.level_collection(providers.files.tree().child_level(county) or "", county)
    resent = wire_bytes(areas) + wire_bytes(outputs[0][1])
    report(
        "month change, bytes sent (county view)",
        f"{sent / 1000:.1f} KB",
        f"<= {TARGET_BYTES // 1000} KB",
        f"{resent / 1000:.0f} KB geometry resent",
    )

    # Drill-down city -> county -> township -> village -> grid, first visit and again.
    month = months[-1]
    steps_cold, steps_warm, base = [], [], []
    for above, below in itertools.pairwise(path):
        shown, state = ViewState(area=above, month=month), ViewState(area=below, month=month)
        steps_cold.append(server_ms(state, providers, shown))
        steps_warm.append(min(server_ms(state, providers, shown) for _ in range(3)))
        base.append(geo_full_tables_ms(providers, below, month))
    names = "county, township, village, grid"
    report(
        "drill-down, server (cold, max of 4 steps)",
        f"{max(steps_cold):.1f} ms",
        f"<= {TARGET_SERVER_MS:.0f} ms",
        f"{statistics.median(base):.0f} ms geo on the full tables",
    )
    print(
        f"    per step ({names}): cold "
        + ", ".join(f"{t:.1f}" for t in steps_cold)
        + " ms; warm "
        + ", ".join(f"{t:.2f}" for t in steps_warm)
        + " ms"
    )
    report(
        "drill-down, server (warm, max of 4 steps)",
        f"{max(steps_warm):.2f} ms",
        f"<= {TARGET_SERVER_MS:.0f} ms",
        "",
    )


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
                    codes[index] = f"61{c:02d}00{t + 1:03d}{v + 1:03d}{g:03d}"
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
    start = time.perf_counter()
    providers.indicators.data()
    tree = providers.files.tree()
    scores_s = time.perf_counter() - start
    start = time.perf_counter()
    providers.indicators.prepare()
    answers_s = time.perf_counter() - start
    start = time.perf_counter()
    providers.files.prepare()
    simplify_s = time.perf_counter() - start
    gc.freeze()
    print(
        f"  prepared once per store state: scores {scores_s:.1f} s, answers {answers_s:.1f} s, "
        f"simplified geometry {simplify_s:.1f} s"
    )
    report(
        f"state preparation {grid_count:,} grids",
        f"{scores_s + answers_s:.1f} s",
        "-",
        f"scores {scores_s:.1f} s, answers {answers_s:.1f} s",
    )

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


# ---------------------------------------------------------------- the browser


@contextmanager
def served(providers_store: Path, cache: Path) -> Iterator[str]:
    from werkzeug.serving import make_server

    from dashboard.app import create_app

    app = create_app(Settings.from_env({}, store=providers_store, cache_dir=cache))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request would drown the figures
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def bench_browser(store: Path, folder: Path, runs: int = 3) -> None:
    """First paint three ways per run: the first visitor of a server just started, a second visitor with a
    cold browser cache, and that visitor again with a warm one; then a month change and a drill-down."""
    from playwright.sync_api import sync_playwright

    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    account = bench_account(store)
    first: list[Load] = []
    cold: list[Load] = []
    warm: list[Load] = []
    month_change, drill = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(runs):
            with served(store, folder / "browser-cache") as url:  # a new server per run: its first visitor
                for sample in (first, cold):
                    context = browser.new_context(viewport={"width": 1920, "height": 1080})
                    sign_in(context, url, account)  # before the load: first paint is of the page alone
                    page = context.new_page()
                    sample.append(load_page(page, url + "/"))
                    if sample is cold:
                        warm.append(load_page(page, url + "/"))
                        month_change.append(month_change_s(page, store))
                        start = time.perf_counter()
                        page.goto(url + "/?area=620902")
                        page.wait_for_function(PAINTED_AT, polling="raf")
                        drill.append(time.perf_counter() - start)
                    context.close()
        browser.close()
    print("  a first load, median of runs (bytes and responses of the last run):")
    for label, loads in (("first visitor after start", first), ("cold browser cache", cold),
                         ("warm browser cache", warm)):
        print(describe(label, loads))
    paint = {label: statistics.median(x.painted_ms for x in loads) / 1000
             for label, loads in (("first", first), ("cold", cold), ("warm", warm))}
    report(
        "first map paint, cold browser cache (median)",
        f"{paint['cold']:.2f} s",
        f"<= {TARGET_PAINT_S:.0f} s",
        f"{paint['warm']:.2f} s warm browser cache",
    )
    report(
        "first map paint, first visitor after start",
        f"{paint['first']:.2f} s",
        f"<= {TARGET_PAINT_S:.0f} s",
        f"{paint['cold']:.2f} s a later visitor, cold cache",
    )
    report(
        "first load, bytes on the wire (cold cache)",
        f"{cold[-1].wire_bytes / 1e6:.2f} MB",
        "-",
        f"{len(cold[-1].from_network)} responses, {cold[-1].compressed} compressed",
    )
    report(
        "month change round trip in the browser",
        f"{statistics.median(month_change) * 1000:.0f} ms",
        "-",
        f"{statistics.median(drill) * 1000:.0f} ms opening a county by URL",
    )


def month_change_s(page: Page, store: Path) -> float:
    """Seconds from a step back on the month slider until the page shows the month before and is idle."""
    start = time.perf_counter()
    page.locator("#leaders-month [role=slider]").first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => document.querySelector('#kpi-incidents') && "
        "document.querySelector('#leaders-month-text').textContent !== '"
        + providers_last_month(store)
        + "'"
    )
    page.wait_for_load_state("networkidle")
    return time.perf_counter() - start


def providers_last_month(store: Path) -> str:
    import pyogrio

    from geo.store.local_times import local_of_utc

    dates = pyogrio.read_dataframe(store, layer="incidents", columns=["reported_at"], read_geometry=False)
    return str(local_of_utc(pd.to_datetime(dates["reported_at"])).max())[:7]  # the month in city time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", type=Path, help="a store with areas and incidents (default: build the demo)"
    )
    parser.add_argument(
        "--grids", type=int, default=30_000, help="grids of the province-scale store (0: skip)"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium timing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as name:
        folder = Path(name)
        store = folder / "demo.gpkg"
        if args.store:
            shutil.copyfile(args.store, store)  # the store itself is never written
        else:
            print("building the demo store ...", flush=True)
            build_demo_store(store)
        providers = Providers.from_settings(Settings.from_env({}, store=store, cache_dir=folder / "cache"))
        providers.files.prepare()  # as create_app does before the first visitor
        start = time.perf_counter()
        providers.indicators.data()
        scores_s = time.perf_counter() - start
        providers.indicators.prepare()  # what create_app starts in the background: a first click finds it
        answers_s = time.perf_counter() - start - scores_s
        gc.freeze()
        report(
            "state preparation, demo store",
            f"{scores_s + answers_s:.1f} s",
            "-",
            f"scores {scores_s:.1f} s, answers {answers_s:.1f} s",
        )
        bench_city(providers, "city scale (demo store)")
        if args.grids:
            bench_province(folder, args.grids)
        if not args.no_browser:
            print("\nbrowser (headless Chromium, demo store) ...", flush=True)
            bench_browser(store, folder)
    print("\nsummary")
    for figure, measured, target, baseline in ROWS:
        print(f"  {figure:<46} {measured:>12}   target {target:<9} baseline {baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
