"""A store that is truncated, damaged or another kind of file: one line naming the file and what is wrong,
exit 2, from every command that reads it, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_warning_index import tiny_areas, tiny_incidents

from geo.api import GeoPackageStore, StoreError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.gpkg"
    GeoPackageStore(path).write({"areas": tiny_areas(), "incidents": tiny_incidents()})
    return path


def _truncated(good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "truncated.gpkg"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3 + 17])
    return path


def _newer(good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "newer.gpkg"
    path.write_bytes(good.read_bytes())
    GeoPackageStore(path).write({"meta": pd.DataFrame({"key": ["store_schema"], "value": ["99"]})})
    return path


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "notes.gpkg"
    path.write_text("incident_id,category\napp:1,land\n", encoding="utf-8")
    return path


def test_a_foreign_file_is_named_as_not_a_geopackage(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"notes\.gpkg is not readable: it is not a GeoPackage"):
        GeoPackageStore(_foreign(tmp_path)).read("incidents")


def test_a_truncated_store_is_named_as_truncated(good: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"truncated\.gpkg is not readable: the file is truncated"):
        GeoPackageStore(_truncated(good, tmp_path)).read("incidents")


def test_a_store_of_a_newer_schema_is_refused_with_what_to_do(good: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"newer\.gpkg has store schema 99, newer than .*: upgrade pingan"):
        GeoPackageStore(_newer(good, tmp_path)).read("incidents")


@pytest.mark.parametrize("kind", ["truncated", "foreign", "newer"])
@pytest.mark.parametrize(
    "argv",
    [
        ["index", "--month", "2024-03"],
        ["ingest", str(ROOT / "tests" / "fixtures" / "ingest" / "app_events.geojson"), "--source", "app"],
    ],
)
def test_every_command_answers_one_line_and_exit_2(
    good: Path, tmp_path: Path, kind: str, argv: list[str]
) -> None:
    store = {"truncated": _truncated, "newer": _newer}.get(kind, lambda _, folder: _foreign(folder))(
        good, tmp_path)
    before = store.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pingan_cli.main", *argv, "--store", str(store)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(store) in lines[0], done.stderr
    assert ("newer than" if kind == "newer" else "not readable") in lines[0], done.stderr
    assert store.read_bytes() == before  # nothing was written into the damaged file
