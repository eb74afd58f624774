"""kill -9 during a boundary save (`pingan boundaries import ... --yes`): the store stays readable and holds
the previous version or the whole new one, never a part, with nothing left beside it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.planner_store import SE, SW, VILLAGE, build_planner_store, import_arguments

from geo.api import GeoPackageStore, merge_grids, open_candidate, write_layout_file

ROOT = Path(__file__).resolve().parents[1]
COPIES = 150  # about 11,000 incidents: a write long enough to be killed in the middle
MERGED = f"{VILLAGE}005"


def _save(store: Path, layout: Path, policy: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "pingan_cli.main",
         *import_arguments(layout, store, policy, reason="merge", author="test"), "--yes"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _state(store: Path) -> tuple[int, int, int]:
    """Versions, current grids of the village, incidents in the merged grid."""
    opened = GeoPackageStore(store)
    areas = opened.read("areas")
    grids = areas[
        (areas["level"] == "grid") & areas["valid_to"].isna() & areas["code"].str.startswith(VILLAGE)
    ]
    incidents = opened.read("incidents")
    return len(opened.read("boundary_versions")), len(grids), int((incidents["grid_code"] == MERGED).sum())


def _wal_size(store: Path) -> int:
    try:
        return store.with_name(store.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


@pytest.fixture(scope="module")
def prepared(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, Path, tuple[int, int, int], tuple[int, int, int]]:
    folder = tmp_path_factory.mktemp("planner_kill")
    pristine = folder / "pristine.gpkg"
    store = build_planner_store(pristine, incident_copies=COPIES)
    layout = write_layout_file(
        merge_grids(open_candidate(store, VILLAGE), [SW, SE]).grids,
        folder / "merged.geojson",
        file_format="geojson",
    )
    policy = folder / "policy.toml"
    policy.write_text(
        "min_grid_area_m2 = 2000\n[households.urban]\nmin = 100\nmax = 1000\n", encoding="utf-8"
    )
    whole = folder / "whole.gpkg"
    shutil.copy(pristine, whole)
    run = _save(whole, layout, policy)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, out + err
    return pristine, layout, policy, _state(pristine), _state(whole)


@pytest.mark.parametrize("moment", ["reading the store", "first pages written", "mid transaction"])
def test_a_killed_save_leaves_the_previous_version_or_the_whole_new_one(
    prepared: tuple[Path, Path, Path, tuple[int, int, int], tuple[int, int, int]], tmp_path: Path, moment: str
) -> None:
    pristine, layout, policy, before, after = prepared
    assert before != after
    store = tmp_path / "store.gpkg"
    shutil.copy(pristine, store)
    start = time.monotonic()
    when: Callable[[], bool] = {
        "reading the store": lambda: time.monotonic() - start > 1.5,
        "first pages written": lambda: _wal_size(store) > 0,
        "mid transaction": lambda: _wal_size(store) > 256 * 1024,
    }[moment]
    run = _save(store, layout, policy)
    while run.poll() is None and not when():
        time.sleep(0.002)
    if run.poll() is not None:
        pytest.skip(f"the save ended before the moment {moment!r} on this machine")
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=60)

    state = _state(store)
    assert state in (before, after), f"killed {moment}: a part of the save is in the store"
    beside = sorted(path.name for path in tmp_path.iterdir())
    assert set(beside) <= {"store.gpkg", "store.gpkg-wal", "store.gpkg-shm", "store.gpkg.lock"}, beside
    if state == before:
        again = _save(store, layout, policy)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, out + err
        assert _state(store) == after
