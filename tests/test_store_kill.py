"""kill -9 at several moments of an ingest: the store stays readable and equal to the state before the
import or to the whole import, with no staged copy left beside it, and the next import works."""

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
from fixtures.ingest.crafted_store import build_store
from test_concurrent_ingest import _app_file

from geo.api import GeoPackageStore

ROOT = Path(__file__).resolve().parents[1]
ROWS = 12_000


def _ingest(store: Path, source: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "pingan_cli.main", "ingest", str(source), "--store", str(store),
         "--source", "app"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wal_size(store: Path) -> int:
    try:  # the writer's last close removes the WAL at any moment
        return store.with_name(store.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


def _after_seconds(seconds: float) -> Callable[[Path], bool]:
    start = time.monotonic()
    return lambda store: time.monotonic() - start > seconds


def _wal_beyond(size: int) -> Callable[[Path], bool]:
    return lambda store: _wal_size(store) > size


def _rows(store: Path) -> tuple[int, int]:
    opened = GeoPackageStore(store)
    return opened.count("incidents"), opened.count("imports")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[int, int], tuple[int, int]]:
    folder = tmp_path_factory.mktemp("kill")
    pristine = folder / "pristine.gpkg"
    build_store(pristine)
    seed = _ingest(pristine, _app_file(folder / "app_seed.csv", 40))  # the store already holds incidents
    assert seed.wait(timeout=300) == 0
    source = _app_file(folder / "app_big.csv", ROWS)
    whole = folder / "whole.gpkg"
    shutil.copy(pristine, whole)
    run = _ingest(whole, source)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    return pristine, source, _rows(pristine), _rows(whole)


@pytest.mark.parametrize("moment", ["reading the file", "first pages written", "mid transaction"])
def test_a_killed_ingest_leaves_the_store_before_or_after_and_nothing_beside_it(
    prepared: tuple[Path, Path, tuple[int, int], tuple[int, int]], tmp_path: Path, moment: str
) -> None:
    pristine, source, before, after = prepared
    store = tmp_path / "store.gpkg"
    shutil.copy(pristine, store)
    when = {"reading the file": _after_seconds(0.8), "first pages written": _wal_beyond(0),
            "mid transaction": _wal_beyond(256 * 1024)}[moment]
    run = _ingest(store, source)
    while run.poll() is None and not when(store):
        time.sleep(0.002)
    assert run.poll() is None, f"the import ended before the moment {moment!r}"
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=60)

    rows = _rows(store)
    assert rows in (before, after), f"killed {moment}: a part of the import is in the store"
    print(f"killed {moment}: store {'before' if rows == before else 'after'} the import")
    beside = sorted(path.name for path in tmp_path.iterdir())
    assert set(beside) <= {"store.gpkg", "store.gpkg-wal", "store.gpkg-shm", "store.gpkg.lock"}, beside

    again = _ingest(store, source)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _rows(store) == after, "the next import completes the store exactly once"
    assert not store.with_name("store.gpkg-wal").exists() or _wal_size(store) == 0
