"""The planners' workbench as a planner uses it, on a copy of the demo store: each edit tool performed
through the page (split by a drawn line, merge, redraw a shared edge, move a block, free vertex edit with
the EditControl), with what the planner then sees: the grids on the map, the validation list, the
problems highlighted on the map and the impact table; a save that lands in the history, the second
planner's refused save, and a roll back saved as a new version."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import shapely
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from geo.api import check_candidate, open_candidate, open_store, redraw_edge, save_candidate

from .conftest import SCREENSHOT_DIR
from .planner_helpers import (
    DIFF_OUTLINES,
    PROBLEM_FEATURES,
    WAIT_MS,
    Pair,
    Township,
    Workbench,
    township_of_about_40,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

#: A save writes the whole store once; on a busy machine that takes a while.
SAVE_MS = 90_000


@pytest.fixture(scope="module")
def store_copy(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("planner") / "demo.gpkg"
    shutil.copyfile(demo_store, path)
    return path


@pytest.fixture(scope="module")
def township(store_copy: Path) -> Township:
    areas = open_store(store_copy).read_areas()
    return Township(areas, township_of_about_40(areas))


@pytest.fixture(scope="module")
def app_url(serve_module: Callable[[Any], str], store_copy: Path,
            tmp_path_factory: pytest.TempPathFactory) -> str:
    settings = Settings.from_env({}, store=store_copy, cache_dir=tmp_path_factory.mktemp("planner-cache"))
    return serve_module(create_app(settings).server)


@pytest.fixture
def bench(page: Page, app_url: str, township: Township) -> Workbench:
    workbench = Workbench(page)
    workbench.open(f"{app_url}/planner?parent={township.code}&lang=en", len(township.grids))
    return workbench


def _changes(bench: Workbench) -> dict[str, str]:
    return {row[0]: row[1] for row in bench.impact_rows()}


def test_the_workbench_shows_the_townships_grids_on_the_map_and_in_the_table(
    bench: Workbench, page: Page, township: Township
) -> None:
    assert bench.codes() == sorted(township.grids.index)
    expect(page.locator("#planner-grid-table tbody tr")).to_have_count(len(township.grids), timeout=WAIT_MS)
    header = page.locator("#planner-grid-table thead").inner_text()
    for column in ("Households", "Population", "Workers", "Incidents this year"):
        assert column in header
    expect(page.locator("#planner-history tbody tr").first).to_contain_text("v2023-11-01", timeout=WAIT_MS)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "planner-open.png"))


def test_split_by_a_drawn_line(bench: Workbench, page: Page, township: Township) -> None:
    code = township.inner[0]
    x, y = township.inside_point(code)
    west, _, east, _ = township.grids[code].bounds
    bench.select(code, (x, y))
    bench.draw("polyline", [(west - (east - west) * 0.1, y), (east + (east - west) * 0.1, y)])
    bench.apply()
    changes = _changes(bench)
    assert changes[code] == "removed" and list(changes.values()).count("added") == 2
    assert code not in bench.codes() and len(bench.codes()) == len(township.grids) + 1
    expect(page.locator("#planner-problem-list")).to_contain_text("problem(s)", timeout=WAIT_MS)


def test_merge_selected_neighbours(bench: Workbench, page: Page, township: Township) -> None:
    pair = township.pairs()[0]
    bench.tool("merge")
    bench.select(pair.first, township.inside_point(pair.first))
    bench.select(pair.second, township.inside_point(pair.second))
    bench.apply()
    changes = _changes(bench)
    assert changes[pair.first] == changes[pair.second] == "removed"
    assert list(changes.values()).count("added") == 1
    assert len(bench.codes()) == len(township.grids) - 1
    expect(page.locator("#planner-impact")).to_contain_text("grid worker(s) change grid", timeout=WAIT_MS)
    page.screenshot(path=str(SCREENSHOT_DIR / "planner-workbench.png"))


def test_redraw_a_shared_edge(bench: Workbench, page: Page, township: Township) -> None:
    pair = township.pairs()[0]
    normal, middle = township.side_of(pair)
    d = pair.q - pair.p
    bent = [pair.p - d * 0.15, middle + normal * 0.2 * np.hypot(*d), pair.q + d * 0.15]
    bench.tool("redraw")
    bench.select(pair.first, township.inside_point(pair.first))
    bench.select(pair.second, township.inside_point(pair.second))
    bench.draw("polyline", bent)
    bench.apply()
    changes = _changes(bench)
    assert changes[pair.first] == changes[pair.second] == "reshaped"
    assert bench.codes() == sorted(township.grids.index)  # codes kept
    expect(page.locator("#planner-problem-list")).not_to_contain_text("edge mismatch", timeout=WAIT_MS)


def test_move_a_block_to_the_neighbour(bench: Workbench, township: Township) -> None:
    pair = township.pairs()[0]
    into_second, middle = township.side_of(pair)
    d = pair.q - pair.p
    length = float(np.hypot(*d))
    over = into_second * length * 0.05  # the block's edge drawn a little into the taker
    block = [pair.p + d * 0.25 + over, pair.p + d * 0.75 + over, middle - into_second * length * 0.3]
    bench.tool("move")
    bench.select(pair.second, township.inside_point(pair.second))
    bench.draw("polygon", block)
    bench.apply()
    changes = _changes(bench)
    assert changes[pair.first] == changes[pair.second] == "reshaped"
    assert bench.codes() == sorted(township.grids.index)


def test_free_vertex_edit_with_the_edit_control_stays_a_coverage(
    bench: Workbench, page: Page, township: Township
) -> None:
    code = township.inner[0]
    bench.tool("vertex")
    bench.select(code, township.inside_point(code))
    page.locator("#planner-map .leaflet-draw-edit-edit").click()
    vertex = shapely.get_coordinates(township.grids[code])[0]
    x, y = bench.screen(*vertex)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 8, steps=5)
    page.mouse.up()
    page.locator("#planner-map .leaflet-draw-actions a", has_text="Save").click()
    page.wait_for_timeout(300)
    bench.apply()
    changes = _changes(bench)
    assert changes[code] == "reshaped" and len(changes) >= 2  # a neighbour gave or took the area
    expect(page.locator("#planner-problem-list")).not_to_contain_text("edge mismatch", timeout=WAIT_MS)
    expect(page.locator("#planner-problem-list")).not_to_contain_text("gap", timeout=WAIT_MS)
    page.screenshot(path=str(SCREENSHOT_DIR / "planner-vertex.png"))


def test_a_sliver_is_listed_and_highlighted_on_the_map(
    bench: Workbench, page: Page, township: Township
) -> None:
    code = township.inner[0]
    ring = shapely.get_coordinates(shapely.get_exterior_ring(shapely.get_parts(township.grids[code])[0]))
    corner, before, after = ring[1], ring[0], ring[2]
    metres = np.array([85_000.0, 111_000.0])

    def towards(target: np.ndarray, m: float) -> np.ndarray:
        step = (target - corner) * metres
        return corner + (target - corner) * m / float(np.hypot(*step))

    a, b = towards(before, 30), towards(after, 30)  # a corner triangle of about 450 m2
    bench.select(code, township.inside_point(code))
    bench.zoom_to(*corner, 17)
    bench.draw("polyline", [a + (a - b) * 0.5, b + (b - a) * 0.5])
    bench.apply()
    sliver = page.locator("#planner-problem-list .problem.blocking", has_text="sliver")
    expect(sliver).to_have_count(1, timeout=WAIT_MS)
    page.wait_for_function(f"() => ({PROBLEM_FEATURES})() >= 1")
    page.screenshot(path=str(SCREENSHOT_DIR / "planner-sliver.png"))
    page.locator("#planner-author").fill("王芳")
    page.locator("#planner-reason").fill("切角")
    page.locator("#planner-save").click()
    expect(page.locator("#planner-save-message")).to_contain_text("problem(s) stop it", timeout=SAVE_MS)


def _bent_edge(township: Township, pair: Pair, share: float) -> list[np.ndarray]:
    """The pair's shared edge bent by `share` of its length into the second grid, from a little past
    either end (the stubs outside the pair are dropped)."""
    normal, middle = township.side_of(pair)
    d = pair.q - pair.p
    return [pair.p - d * 0.15, middle + normal * share * np.hypot(*d), pair.q + d * 0.15]


def _savable_redraws(township: Township, store: Any) -> list[tuple[Pair, list[np.ndarray]]]:
    """Small redraws of grids within the households policy that keep them within it, so neither the save
    nor a roll back to the layout before is refused."""
    found = []
    candidate = open_candidate(store, township.code)
    outside = {p.code for p in check_candidate(candidate)}
    for pair in township.pairs():
        if {pair.first, pair.second} & outside:
            continue
        bent = _bent_edge(township, pair, 0.04)
        edited = redraw_edge(candidate, pair.first, pair.second, shapely.LineString(bent))
        if not [p for p in check_candidate(edited) if p.blocking]:
            found.append((pair, bent))
    return found


def test_save_history_the_second_planners_refusal_and_a_roll_back(
    bench: Workbench, page: Page, township: Township, store_copy: Path
) -> None:
    store = open_store(store_copy)
    savable = _savable_redraws(township, store)
    (pair, bent) = savable[0]
    (other, other_bent) = next(
        (p, b) for p, b in savable[1:] if not {p.first, p.second} & {pair.first, pair.second})
    bench.tool("redraw")
    bench.select(pair.first, township.inside_point(pair.first))
    bench.select(pair.second, township.inside_point(pair.second))
    bench.draw("polyline", bent)
    bench.apply()
    # Meanwhile another planner saves an edit of the same township through the library.
    first = redraw_edge(open_candidate(store, township.code), other.first, other.second,
                        shapely.LineString(other_bent))
    save_candidate(store, first, effective=dt.date(2026, 11, 1), author="李雷", reason="调整界线")
    page.locator("#planner-effective").fill("2026-11-15")
    page.locator("#planner-author").fill("王芳")
    page.locator("#planner-reason").fill("调整界线")
    page.locator("#planner-save").click()
    expect(page.locator("#planner-save-message")).to_contain_text("someone saved first", timeout=SAVE_MS)
    expect(page.locator("#planner-save-message")).to_contain_text("李雷 saved", timeout=SAVE_MS)
    expect(page.locator("#planner-history tbody tr").first).to_contain_text("李雷", timeout=WAIT_MS)
    with page.expect_download() as download:  # nothing is lost: the refused candidate goes to QGIS
        page.locator("#planner-export").click()
    exported = pyogrio.read_dataframe(download.value.path())
    assert {pair.first, pair.second} <= set(exported["code"]) and len(exported) == len(township.grids)
    # Reopened on the newest layout, the edit saves; then the first version comes back as a new one.
    page.reload()
    bench.open(page.url, len(township.grids))
    bench.tool("redraw")
    bench.select(pair.first, township.inside_point(pair.first))
    bench.select(pair.second, township.inside_point(pair.second))
    bench.draw("polyline", bent)
    bench.apply()
    page.locator("#planner-effective").fill("2026-11-15")
    page.locator("#planner-author").fill("王芳")
    page.locator("#planner-reason").fill("调整界线")
    page.locator("#planner-save").click()
    expect(page.locator("#planner-save-message")).to_contain_text("Saved version", timeout=SAVE_MS)
    expect(page.locator("#planner-history tbody tr").first).to_contain_text("王芳", timeout=WAIT_MS)
    page.locator("#planner-version").click()
    page.locator(".dash-dropdown-content").get_by_role("option", name="v2023-11-01 (2023-11-01)").click()
    page.locator("#planner-diff").click()
    expect(page.locator("#planner-diff-table")).to_contain_text("grid(s) differ", timeout=WAIT_MS)
    page.wait_for_function(f"() => ({DIFF_OUTLINES})() >= 2")  # the earlier grids of both saves
    page.locator("#planner-rollback").click()
    loaded = "Loaded the layout of version v2023-11-01"
    expect(page.locator("#planner-message")).to_contain_text(loaded, timeout=WAIT_MS)
    page.locator("#planner-effective").fill("2026-11-30")
    page.locator("#planner-reason").fill("回退")
    page.locator("#planner-save").click()
    expect(page.locator("#planner-save-message")).to_contain_text("Saved version", timeout=SAVE_MS)
    expect(page.locator("#planner-history tbody tr")).to_have_count(4, timeout=WAIT_MS)
    expect(page.locator("#planner-history tbody tr").first).to_contain_text("回退", timeout=WAIT_MS)
