"""Benchmark of the Open311 intake: cases POSTed to /open311/v2/requests.json on loopback, beside a file
ingest of the same rows (one GeoReport JSON file through `pingan ingest`'s path) in the same run.

    python -m bench.open311                           # builds the demo store in a temporary folder (~30 s)
    python -m bench.open311 --store var/pingan-demo.gpkg --cases 400 --clients 4

The dashboard is served as `pingan serve` does (create_app, waitress with 8 threads) with its background
preparation running, and then the Open311 endpoints alone on a bare app (what the intake itself costs,
without the wall's digest recomputed after every change beside it); `--clients` threads POST over
keep-alive connections, each case a new ``client_request_id`` at a demo incident's position. Targets (issue
17): 200 cases a second sustained with a p95 latency of at most 200 ms. The baseline is the file ingest's
rows a second: one transaction for every row instead of one per case.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import shutil
import statistics
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import dash
import numpy as np
import pandas as pd
import waitress.server

from dashboard.app import create_app, stop_background_work
from dashboard.data.open311 import Open311Desk
from dashboard.open311 import routes as open311_routes
from dashboard.settings import Settings
from geo.api import Col, Layer, add_client, ingest_file, open_store
from geo.demo import build_demo_store

TARGET_RATE = 200.0
TARGET_P95_MS = 200.0
CODES = ("neighbour", "land", "business", "labour_wages", "traffic", "property_management")


def _cases(store: Path, count: int, seed: int = 17) -> list[dict[str, str]]:
    """Positions of demo incidents (inside the grids), reported in the store's newest month."""
    incidents = open_store(store).read(Layer.INCIDENTS.value)
    chosen = incidents.sample(count, replace=count > len(incidents), random_state=seed)
    stamp = pd.Timestamp(incidents[Col.REPORTED_AT].max()).tz_localize("Asia/Shanghai").isoformat()
    return [{"service_code": CODES[i % len(CODES)], "lat": f"{lat:.6f}", "long": f"{lon:.6f}",
             "requested_datetime": stamp, "description": f"第{i}件"}
            for i, (lon, lat) in enumerate(zip(chosen["lon"], chosen["lat"], strict=True))]


def file_ingest_rate(store: Path, cases: list[dict[str, str]], folder: Path) -> float:
    """Rows a second of one GeoReport JSON file of the same cases (ids of their own)."""
    rows = [{"service_request_id": f"F{i}", "requested_datetime": case["requested_datetime"],
             "service_code": case["service_code"], "description": case["description"], "lat": case["lat"],
             "long": case["long"], "status": "open"} for i, case in enumerate(cases)]
    path = folder / "requests.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    summary = ingest_file(path, open_store(store), source="open311")
    elapsed = time.perf_counter() - start
    assert summary.accepted == len(cases), summary.as_dict()
    return len(cases) / elapsed


def _poster(port: int, key: str, cases: list[dict[str, str]], prefix: str, out: list[float],
            failures: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Api-Key": key}
    for number, case in enumerate(cases):
        body = urllib.parse.urlencode({**case, "client_request_id": f"{prefix}-{number}"})
        start = time.perf_counter()
        connection.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
        answer = connection.getresponse()
        text = answer.read()
        out.append((time.perf_counter() - start) * 1000)
        if answer.status != 201:
            failures.append(f"{answer.status} {text[:200]!r}")
    connection.close()


def _endpoints_only(settings: Settings) -> dash.Dash:
    """The Open311 endpoints on a Dash app of their own: no page, no background preparation."""
    app = dash.Dash(__name__)
    app.layout = dash.html.Div()
    open311_routes.install(app, Open311Desk(settings), rate_per_s=settings.open311_rate, burst=100_000)
    return app


def post_rate(store: Path, cases: list[dict[str, str]], clients: int, cache: Path, *,
              whole_dashboard: bool) -> tuple[float, list[float]]:
    """Cases a second and each POST's latency in ms, with `clients` threads POSTing at once."""
    key = add_client(open_store(store), "bench").api_key
    settings = Settings.from_env({}, store=store, cache_dir=cache, open311_rate=100_000)
    app = create_app(settings) if whole_dashboard else _endpoints_only(settings)
    server = waitress.server.create_server(app.server, host="127.0.0.1", port=0, threads=8)
    port = int(server.effective_port)  # type: ignore[union-attr]
    def run() -> None:
        with contextlib.suppress(OSError):  # the loop meets its closed socket once the run is over
            server.run()

    serving = threading.Thread(target=run, daemon=True)
    serving.start()
    try:
        warm: list[float] = []
        _poster(port, key, cases[:1], "warm", warm, [])  # the first POST builds the intake context
        latencies: list[float] = []
        failures: list[str] = []
        shares = [cases[i::clients] for i in range(clients)]
        threads = [threading.Thread(target=_poster, args=(port, key, share, f"c{i}", latencies, failures))
                   for i, share in enumerate(shares)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    finally:
        server.close()
        stop_background_work(app.server)
    if failures:
        raise SystemExit(f"{len(failures)} POSTs failed, first: {failures[0]}")
    return len(cases) / elapsed, latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="a demo store to copy (default: build one)")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pingan-bench-open311-") as name:
        folder = Path(name)
        demo = folder / "demo.gpkg"
        if args.store:
            shutil.copy(args.store, demo)
        else:
            build_demo_store(demo)
        cases = _cases(demo, args.cases)
        for copy in ("file.gpkg", "dashboard.gpkg", "endpoints.gpkg"):
            shutil.copy(demo, folder / copy)
        file_rate = file_ingest_rate(folder / "file.gpkg", cases, folder)
        print(f"{args.cases} cases, {args.clients} clients")
        print(f" file ingest (baseline)      {file_rate:8.1f} rows/s")
        ok = True
        for label, whole in (("whole dashboard", True), ("Open311 endpoints alone", False)):
            work = folder / ("dashboard.gpkg" if whole else "endpoints.gpkg")
            rate, latencies = post_rate(work, cases, args.clients, folder / "cache", whole_dashboard=whole)
            stored = open_store(work).read(Layer.INCIDENTS.value, equals={Col.SOURCE: "open311"})
            p50, p95 = (float(np.percentile(latencies, q)) for q in (50, 95))
            print(f" POST, {label:<24} {rate:8.1f} cases/s (target >= {TARGET_RATE:g}, "
                  f"{rate / file_rate:4.2f} x file ingest)   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms "
                  f"(target <= {TARGET_P95_MS:g})   mean {statistics.fmean(latencies):6.1f} ms   "
                  f"{len(stored)} stored")
            ok = ok and rate >= TARGET_RATE and p95 <= TARGET_P95_MS
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
