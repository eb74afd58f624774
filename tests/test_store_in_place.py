"""GeoPackage only: writes land in the store file itself, in one SQLite transaction. What is read back
equals what GDAL wrote, the file stays a valid GeoPackage (GDAL's validator), appends are indexed in its
R-tree, and the file is never copied. Unique keys and replaces, which PostGIS shares, are tested on both
backends in tests/test_store.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from fixtures.ingest.crafted_store import build_store

from geo.api import GeoPackageStore
from geo.store import gpkg_rows, gpkg_write

VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")


def _incidents(ids: list[int], source: str = "app") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"source": [source] * len(ids), "source_id": [f"E{i}" for i in ids],
         "reported_at": pd.to_datetime(["2024-03-01 08:00:00"] * len(ids)).astype("datetime64[ms]"),
         "serious": [i % 2 == 0 for i in ids], "severity": ids},
        geometry=[shapely.Point(98.5 + i / 1000, 39.7) for i in ids], crs=4490)


@pytest.fixture
def crafted(tmp_path: Path) -> Path:
    path = tmp_path / "store.gpkg"
    build_store(path)
    return path


def test_every_layer_reads_back_as_gdal_wrote_it_after_an_in_place_rewrite(crafted: Path, tmp_path: Path):
    source = GeoPackageStore(crafted)
    target = GeoPackageStore(tmp_path / "rewritten.gpkg")
    target.write({"meta": pd.DataFrame({"key": ["x"], "value": ["y"]})})
    for layer in source.layers():
        before = source.read(layer)
        assert target.write({layer: before})[layer] == len(before)
        after = target.read(layer)
        pd.testing.assert_frame_equal(pd.DataFrame(after), pd.DataFrame(before), check_like=False)
        assert target.count(layer) == len(before)


def test_an_append_is_in_place_indexed_and_counted(tmp_path: Path):
    path = tmp_path / "s.gpkg"
    store = GeoPackageStore(path)
    store.write({"incidents": _incidents([1, 2])})
    inode = path.stat().st_ino
    store.write({"incidents": _incidents([3, 4])}, mode="append")
    assert path.stat().st_ino == inode, "the file was replaced, not written in place"
    assert store.count("incidents") == 4
    near_new = pyogrio.read_dataframe(path, layer="incidents", bbox=(98.5025, 39.69, 98.5045, 39.71))
    assert sorted(near_new["source_id"]) == ["E3", "E4"]  # found through the R-tree the triggers keep


def _python_with_gdal() -> str | None:
    python = shutil.which("python3", path="/usr/bin")
    if python is None or not VALIDATOR.exists():
        return None
    return python


def test_the_store_stays_a_valid_geopackage_after_in_place_writes(crafted: Path, tmp_path: Path):
    python = _python_with_gdal()
    if python is None:
        if os.environ.get("PINGAN_REQUIRE_SYSTEM") == "1":
            pytest.fail("Debian's python3-gdal (GDAL's GeoPackage validator) is missing")
        pytest.skip("Debian's python3-gdal is not installed: apt-get install python3-gdal")
    store = GeoPackageStore(tmp_path / "v.gpkg")
    store.write({"areas": GeoPackageStore(crafted).read("areas")})
    store.write({"incidents": _incidents([1, 2, 3]), "imports": pd.DataFrame({"import_id": ["i1"]})},
                mode="append")
    store.write({"incidents": _incidents([4])}, mode="append")
    done = subprocess.run([python, str(VALIDATOR), str(store.path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _every_row(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in fid (rowid) order, gpkg_contents without the time of its last change."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        rows = {name: db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
                for name in tables if name != "gpkg_contents"}
        rows["gpkg_contents"] = db.execute(
            "SELECT table_name, min_x, min_y, max_x, max_y FROM gpkg_contents ORDER BY table_name").fetchall()
    return rows


def _all_kinds(ids: list[int]) -> gpd.GeoDataFrame:
    """Text (empty and missing), integers, booleans, floats with NaN, local times to the millisecond
    with NaT, and points with a missing one."""
    frame = _incidents(ids).assign(
        note=["上访 8TH AVE", None, ""][: len(ids)], score=[0.25, float("nan"), 3.0][: len(ids)],
        closed_at=pd.to_datetime(["2024-03-02 09:30:15.123", None, "2024-12-31 23:59:59.999"][: len(ids)],
                                 format="ISO8601").astype("datetime64[ms]"))
    frame.loc[frame.index[-1], "geometry"] = None
    return frame


@pytest.mark.parametrize("frame", [_all_kinds([5, 6, 7]), pd.DataFrame(_all_kinds([5, 6, 7]).drop(
    columns="geometry")).rename(columns={"source_id": "import_id"})], ids=["points", "table"])
def test_appended_rows_encoded_without_gdal_are_stored_byte_for_byte_as_gdal_stores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frame: pd.DataFrame,
) -> None:
    first = frame.iloc[:1].assign(**{frame.columns[1]: "E0"})
    for name in ("direct", "gdal"):
        GeoPackageStore(tmp_path / f"{name}.gpkg").write({"layer": first})
    encoded = []
    real = gpkg_write.encoded_rows
    monkeypatch.setattr(gpkg_write, "encoded_rows",
                        lambda *a, **k: encoded.append(real(*a, **k)) or encoded[-1])
    GeoPackageStore(tmp_path / "direct.gpkg").write({"layer": frame}, mode="append")
    assert encoded and encoded[-1] is not None, "the append went through GDAL"
    monkeypatch.setattr(gpkg_write, "encoded_rows", lambda *a, **k: None)
    GeoPackageStore(tmp_path / "gdal.gpkg").write({"layer": frame}, mode="append")
    assert _every_row(tmp_path / "direct.gpkg") == _every_row(tmp_path / "gdal.gpkg")


def test_an_append_of_values_only_gdal_encodes_goes_through_gdal(tmp_path: Path) -> None:
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"layer": _incidents([1])})
    polygon = _incidents([2]).set_geometry([shapely.box(98.4, 39.6, 98.6, 39.8)])
    micro = _incidents([3]).assign(reported_at=pd.to_datetime(["2024-03-01 08:00:00.000123"]))
    for frame in (polygon, micro):
        rows = gpkg_rows.encoded_rows(frame, geometry_column="geom", geometry_type="POINT", srs_id=4490)
        assert rows is None
        store.write({"layer": frame}, mode="append")
    back = store.read("layer")
    assert back["source_id"].tolist() == ["E1", "E2", "E3"]
    assert back.geometry.iloc[1].equals(shapely.box(98.4, 39.6, 98.6, 39.8))
