"""Benchmark of the leaders' map: server time of the callbacks' functions, bytes a month change sends, the
leaders' map and the wall at province scale (bench/dashboard_province.py), and first paint in headless
Chromium, each beside its target and a baseline measured in the same run.

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
- province scale: see bench/dashboard_province.py;
- first paint, "warm browser cache": the same page loaded a second time (bundles and geometry files are
  immutable); the first visitor of a freshly started server beside a later one with a cold cache. Each
  load prints its bytes on the wire, responses, how many came compressed and when plotly.js was asked
  for (after the first polygons: the chart is mounted once the map has painted).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import logging
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from bench.accounts import bench_account, sign_in
from bench.dashboard_province import bench_province
from bench.dashboard_views import (
    ROWS,
    TARGET_SERVER_MS,
    drill_path,
    geo_full_tables_ms,
    month_changes_ms,
    report,
    server_ms,
    view_change,
    wire_bytes,
)
from bench.first_load import PAINTED_AT, Load, describe, load_page
from bench.timing import once
from dashboard.data import Providers
from dashboard.leaders.state import ViewState
from dashboard.settings import Settings
from geo.demo import build_demo_store  # bench is a tool beside the CLI: it may build the demo

if TYPE_CHECKING:
    from playwright.sync_api import Page

TARGET_BYTES: Final = 15_000
TARGET_PAINT_S: Final = 1.0


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
    cold, warm = month_changes_ms(providers, (city, county), months)
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
        scores_s = once(providers.indicators.data)
        answers_s = once(providers.indicators.prepare)  # create_app starts it in the background
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
