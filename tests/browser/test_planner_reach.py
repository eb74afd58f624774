"""A boundary version saved while the server runs reaches the leaders' map and the wall without a restart:
the caches are keyed by the store's state, so the next look after the save sees the new grid codes."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from playwright.sync_api import Page

from dashboard.app import create_app
from dashboard.settings import Settings
from geo.api import GridPolicy, open_candidate, open_store, save_candidate, split_grid

from .planner_helpers import Township, township_of_about_40
from .test_overview import AREA_FILLS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

#: Households are left out of the policy: the test is about the new codes reaching every view.
ANY_HOUSEHOLDS = GridPolicy(min_grid_area_m2=2000.0, households={})
WALL_MONTH_START = dt.date(2026, 10, 1)  # the demo's last month, the one the wall shows


@pytest.fixture
def running(serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path) -> tuple[str, Any, Path]:
    path = tmp_path / "demo.gpkg"
    shutil.copyfile(demo_store, path)
    app = create_app(Settings.from_env({}, store=path, cache_dir=tmp_path / "cache"))
    return serve_wsgi(app.server), app.server.extensions["pingan.providers"], path


def _wait_for_fills(page: Page, codes: list[str]) -> None:
    page.wait_for_function(
        f"(codes) => JSON.stringify(Object.keys(({AREA_FILLS})()).sort()) === JSON.stringify(codes)",
        arg=sorted(codes), timeout=45_000,
    )


def test_a_saved_version_reaches_the_leaders_map_and_the_wall_without_a_restart(
    page: Page, running: tuple[str, Any, Path]
) -> None:
    url, providers, path = running
    store = open_store(path)
    township = Township(store.read_areas(), township_of_about_40(store.read_areas()))
    code = township.inner[0]
    village = code[:12]
    before = sorted(c for c in township.grids.index if c.startswith(village))
    page.goto(f"{url}/?area={village}&lang=en")
    _wait_for_fills(page, before)
    assert set(before) <= set(providers.wall.digest().colours["grid"])

    west, _, east, _ = township.grids[code].bounds
    _, y = township.inside_point(code)
    line = shapely.LineString([(west - 1e-4, y), (east + 1e-4, y)])
    candidate = split_grid(open_candidate(store, township.code), code, line)
    save_candidate(store, candidate, effective=WALL_MONTH_START, author="王芳", reason="拆分",
                   policy=ANY_HOUSEHOLDS)
    after = sorted(c for c in candidate.grids["code"] if c.startswith(village))
    assert code not in after and len(after) == len(before) + 1

    page.goto(f"{url}/?area={village}&lang=en")
    _wait_for_fills(page, after)
    deadline = time.monotonic() + 60
    while True:
        wall_grids = set(providers.wall.digest().colours["grid"])
        if set(after) <= wall_grids or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert set(after) <= wall_grids and code not in wall_grids
