"""The GeoPackage store: round trips, appends, and all-or-nothing writes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.api import GeoPackageStore, StoreError, open_store


def _points(ids: list[int]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"incident_id": [f"app:{i}" for i in ids], "category": ["land"] * len(ids)},
        geometry=[shapely.Point(98.5 + i / 1000, 39.7) for i in ids],
        crs=4490,
    )


def test_round_trip_of_spatial_and_attribute_layers(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    log = pd.DataFrame({"import_id": ["a"], "read": [3]})
    store.write({"incidents": _points([1, 2, 3]), "imports": log})
    assert sorted(store.layers()) == ["imports", "incidents"]
    incidents = store.read("incidents")
    assert incidents.crs.to_epsg() == 4490
    assert list(incidents["incident_id"]) == ["app:1", "app:2", "app:3"]
    assert store.read("imports")["read"].tolist() == [3]


def test_append_adds_rows_and_creates_missing_layers(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1])})
    store.write(
        {"incidents": _points([2]), "quarantine": pd.DataFrame({"reason": ["bad_date"]})}, mode="append"
    )
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2"]
    assert store.read("quarantine")["reason"].tolist() == ["bad_date"]


def test_a_failed_write_leaves_the_store_unchanged(tmp_path, monkeypatch):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1, 2])})
    before = (tmp_path / "s.gpkg").read_bytes()
    real_write = pyogrio.write_dataframe

    def disk_full_on_second_layer(frame, path, *, layer, **kwargs):
        if layer == "quarantine":
            raise OSError("No space left on device")
        return real_write(frame, path, layer=layer, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", disk_full_on_second_layer)
    with pytest.raises(OSError, match="No space left"):
        store.write({"incidents": _points([3]), "quarantine": pd.DataFrame({"reason": ["x"]})}, mode="append")
    assert (tmp_path / "s.gpkg").read_bytes() == before
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2"]
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".gpkg"] == ["s.gpkg"]


def test_layers_in_another_crs_are_refused(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    with pytest.raises(StoreError, match=r"EPSG:3857.*EPSG:4490"):
        store.write({"incidents": _points([1]).to_crs(3857)})


def test_missing_store_and_missing_layer_say_what_to_do(tmp_path):
    store = open_store(tmp_path / "none.gpkg")
    with pytest.raises(StoreError, match="does not exist: build it with `pingan demo build"):
        store.read("areas")
    store.write({"incidents": _points([1])})
    with pytest.raises(StoreError, match="has no layer 'areas': it has incidents"):
        store.read("areas")


def test_unknown_write_mode_is_refused(tmp_path):
    with pytest.raises(ValueError, match="write mode 'merge': allowed are 'replace', 'append'"):
        GeoPackageStore(tmp_path / "s.gpkg").write({}, mode="merge")  # type: ignore[arg-type]
