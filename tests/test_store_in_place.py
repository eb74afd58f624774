"""GeoPackage only: writes land in the store file itself, in one SQLite transaction. What is read back
equals what GDAL wrote, the file stays a valid GeoPackage (GDAL's validator), appends are indexed in its
R-tree, and the file is never copied. Unique keys and replaces, which PostGIS shares, are tested on both
backends in tests/test_store.py."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from fixtures.ingest.crafted_store import build_store

from geo.api import GeoPackageStore

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
