"""Load test of the served dashboard: signed-in leaders and wall kiosks at once, on loopback, with locust.

    python -m bench.load --store var/pingan-demo.gpkg                 # 50 sessions for 60 s
    python -m bench.load --store var/pingan-demo.gpkg --users 20 --seconds 30

`pingan serve` runs in a process of its own on a copy of the store, with a leader account and a wall token
added to it; it is reached over plain HTTP on 127.0.0.1, so its session cookie is not marked Secure
(PINGAN_SECURE_COOKIES=0; an HTTP client keeps Secure cookies for HTTPS only). Four in five sessions are
leaders: they sign in through the form, then open the map (the page, its layout and the router's
callback), change the month and drill down (the map, KPI, panel and trend callbacks of the new view),
a second or two apart. One in five is a kiosk signed in by its token's URL that asks for the wall's refresh
every few seconds. The sessions start five a second and sign in (argon2 takes a quarter of a second of CPU
a sign-in, one at a time); the measured window opens once they all have. Targets (issue 12): no error,
p95 at most 500 ms, the server's memory stable (RSS at the window's end within 10 % of RSS ten seconds
into it). Baseline: the same mix from one session alone, in the same run, before the load.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar, Final

import gevent
import psutil
from locust import HttpUser, between, task
from locust.env import Environment

from geo.api import Col, Layer, Level, add_user, create_wall_token, open_store

TARGET_P95_MS: Final = 500.0
RSS_GROWTH: Final = 0.10
USER: Final = "load-leader"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_store(source: Path, folder: Path) -> dict[str, Any]:
    """A copy of the store with a leader and a wall token of the run's own, and what the sessions ask for."""
    store = Path(shutil.copyfile(source, folder / "load.gpkg"))
    opened = open_store(store)
    password = secrets.token_urlsafe(12)
    areas = opened.read_areas()
    city = str(areas.loc[areas[Col.LEVEL] == Level.CITY.value, Col.CODE].iloc[0])
    add_user(opened, USER, password, role="leader", area_scope=city)
    key = create_wall_token(opened, "load-kiosk").key
    months = sorted(opened.read(Layer.INCIDENTS.value)[Col.REPORTED_AT].astype(str).str[:7].unique())
    drill = list(areas.loc[areas[Col.LEVEL].isin([Level.COUNTY.value, Level.TOWNSHIP.value]), Col.CODE])
    return {"store": store, "password": password, "key": key, "months": months[-12:],
            "areas": [city, *drill[:60]]}


def start_server(store: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "PINGAN_SECURE_COOKIES": "0", "PINGAN_CACHE_DIR": str(folder / "cache")}
    with open(folder / "server.log", "wb") as log:  # the child keeps its own copy of the handle
        server = subprocess.Popen([sys.executable, "-m", "pingan_cli.main", "serve", "--store", str(store),
                                   "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, url
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: see {folder / 'server.log'}") from None
            time.sleep(0.5)
    raise RuntimeError("the server did not start within 180 s")


# ---------------------------------------------------------------- the sessions

PLAN: dict[str, Any] = {}  # what the sessions ask for and where the callbacks are; set before the run


def _body(callback: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A callback request as the page's script sends it, from /_dash-dependencies' entry."""
    def dependency(item: dict[str, Any]) -> dict[str, Any]:
        return {"id": item["id"], "property": item["property"],
                "value": values.get(f"{item['id']}.{item['property']}")}

    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
               for part in callback["output"].strip(".").split("...")]
    inputs = [dependency(item) for item in callback["inputs"]]
    return {"output": callback["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs, "state": [dependency(item) for item in callback["state"]],
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}


class Session(HttpUser):
    abstract = True

    def call(self, name: str, values: dict[str, Any]) -> None:
        body = _body(PLAN["callbacks"][name], values)
        headers = {"X-CSRFToken": self.client.cookies.get("_csrf_token", "")}
        with self.client.post("/_dash-update-component", json=body, headers=headers, name=name,
                              catch_response=True) as answer:
            if answer.status_code not in (200, 204):
                answer.failure(f"{answer.status_code}: {answer.text[:120]}")


class Leader(Session):
    weight = 4
    wait_time = between(1, 3)
    view: ClassVar[dict[str, str]] = {}

    def on_start(self) -> None:
        self.client.get("/login", name="sign-in page")
        token = self.client.cookies.get("_csrf_token", "")
        answer = self.client.post("/login", data={"user": USER, "password": PLAN["password"],
                                                  "_csrf_token": token}, name="sign in",
                                  allow_redirects=False)
        if answer.status_code != 302:
            answer.failure(f"sign-in answered {answer.status_code}")
        self.area, self.month = PLAN["areas"][0], PLAN["months"][-1]

    def _search(self) -> str:
        return f"?area={self.area}&month={self.month}"

    def _view(self) -> None:
        search = {"leaders-url.search": self._search()}
        self.call("map", {**search, "leaders-view-key.data": None})
        self.call("kpis", search)
        self.call("panel", search)
        self.call("trend", {**search, "leaders-trend-key.data": None})

    @task(2)
    def open_the_map(self) -> None:
        self.client.get(f"/{self._search()}", name="page")
        self.client.get("/_dash-layout", name="layout")
        self.call("router", {"app-url.pathname": "/", "app-url.search": self._search()})

    @task(5)
    def change_the_month(self) -> None:
        self.month = random.choice(PLAN["months"])
        self._view()

    @task(3)
    def drill_down(self) -> None:
        self.area = random.choice(PLAN["areas"])
        self._view()


class Kiosk(Session):
    weight = 1
    wait_time = between(3, 6)

    def on_start(self) -> None:
        self.client.get(f"/wall?token={PLAN['key']}", name="wall page")
        self.tick = 0

    @task
    def refresh(self) -> None:
        self.tick += 1
        view = random.choice(["city", "heat", "coverage", PLAN["areas"][1]])
        self.call("wall", {"wall-refresh.n_intervals": self.tick, "wall-view.data": view,
                           "wall-screen.data": {"height": 1080}, "wall-status.data": None,
                           "wall-language.data": "zh-CN"})


def discover(url: str) -> dict[str, dict[str, Any]]:
    """The callbacks the sessions call, found in /_dash-dependencies by their first output."""
    import requests

    client = requests.Session()
    client.get(f"{url}/wall?token={PLAN['key']}")  # any signed-in session may read the dependencies
    dependencies = client.get(f"{url}/_dash-dependencies").json()
    wanted = {"map": "leaders-areas.url", "kpis": "leaders-kpi-data.data", "panel": "leaders-panel-data.data",
              "trend": "leaders-trend.figure", "router": "app-page.children",
              "wall": "wall-view-title.children"}
    found = {}
    for name, first in wanted.items():
        found[name] = next(d for d in dependencies if re.match(rf"^\.*{re.escape(first)}(\.\.\.|$)",
                                                               d["output"]))
    return found


# ---------------------------------------------------------------- the run


#: Seconds after the last session started before the measured window: every session has signed in.
SETTLE_S: Final = 15


def run(url: str, users: int, seconds: float, server: psutil.Process) -> dict[str, Any]:
    """`users` sessions start (five a second) and sign in; once they all have, the figures are reset
    and `seconds` of their use are measured. The sign-ins' own figures are kept apart."""
    env = Environment(user_classes=[Leader, Kiosk], host=url)
    runner = env.create_local_runner()
    rss: list[tuple[float, float]] = []

    def sample_memory() -> None:
        start = time.monotonic()
        while True:
            rss.append((time.monotonic() - start, server.memory_info().rss / 2**20))
            gevent.sleep(1)

    runner.start(user_count=users, spawn_rate=5)
    gevent.sleep(users / 5 + SETTLE_S)
    signing = {name: (entry.num_requests, entry.get_response_time_percentile(0.95))
               for (name, _), entry in env.stats.entries.items() if name in ("sign in", "wall page")}
    env.stats.reset_all()
    sampler = gevent.spawn(sample_memory)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    sampler.kill()
    total = env.stats.total
    return {"stats": env.stats, "requests": total.num_requests, "failures": total.num_failures,
            "p95": total.get_response_time_percentile(0.95), "median": total.median_response_time,
            "rps": total.total_rps, "rss": rss, "errors": list(env.stats.errors.values()),
            "signing": signing}


def print_run(label: str, result: dict[str, Any]) -> None:
    print(f"  {label}: {result['requests']:,} requests, {result['failures']} failed, "
          f"{result['rps']:.1f} a second, median {result['median']:.0f} ms, p95 {result['p95']:.0f} ms")
    for entry in sorted(result["stats"].entries.values(), key=lambda e: e.name):
        p95 = entry.get_response_time_percentile(0.95)
        print(f"    {entry.name:<14} {entry.num_requests:>6} requests  median "
              f"{entry.median_response_time:>5.0f} ms  p95 {p95:>5.0f} ms  failures {entry.num_failures}")
    for error in result["errors"][:5]:
        print(f"    error: {error.name}: {error.error} ({error.occurrences}x)")
    for name, (count, p95) in result["signing"].items():
        print(f"    before the window: {name} {count} requests, p95 {p95:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pingan-load-"))
    try:
        PLAN.update(prepare_store(args.store, folder))
        server, url = start_server(PLAN["store"], folder)
        try:
            PLAN["callbacks"] = discover(url)
            process = psutil.Process(server.pid)
            print(f"load on {url}: {args.users} sessions (four in five leaders, the rest wall kiosks) for "
                  f"{args.seconds:.0f} s, load average {os.getloadavg()[0]:.1f}")
            alone = run(url, 1, args.baseline_seconds, process)
            print_run("baseline: one session alone", alone)
            loaded = run(url, args.users, args.seconds, process)
            print_run(f"{args.users} sessions", loaded)
            settled = next((mb for at, mb in loaded["rss"] if at >= 10), loaded["rss"][0][1])
            end = loaded["rss"][-1][1]
            print(f"  server RSS: {loaded['rss'][0][1]:.0f} MB as the window opened, {settled:.0f} MB 10 s "
                  f"in, {end:.0f} MB at its end ({(end / settled - 1) * 100:+.1f} %), peak "
                  f"{max(mb for _, mb in loaded['rss']):.0f} MB")
            ratio = loaded["p95"] / alone["p95"] if alone["p95"] else float("nan")
            print(f"  p95 {loaded['p95']:.0f} ms against {alone['p95']:.0f} ms alone ({ratio:.1f}x); target "
                  f"<= {TARGET_P95_MS:.0f} ms, no failure, RSS growth <= {RSS_GROWTH:.0%}")
            ok = (loaded["failures"] == 0 and loaded["p95"] <= TARGET_P95_MS
                  and end <= settled * (1 + RSS_GROWTH))
            print("  " + ("met" if ok else "NOT met"))
            return 0 if ok else 1
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
