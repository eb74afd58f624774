"""The store protocol on both backends (GeoPackage and PostGIS): round trips, appends, replaces, typed
filters, the state token, unique keys and all-or-nothing writes; then what is the GeoPackage's own (its
file's bytes, its WAL, staged copies of a killed writer), each saying why it is GeoPackage only."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from fixtures.store_faults import fail_writing_layer

from geo.api import GeoPackageStore, StoreError, open_store


def _points(ids: list[int]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"incident_id": [f"app:{i}" for i in ids], "category": ["land"] * len(ids)},
        geometry=[shapely.Point(98.5 + i / 1000, 39.7) for i in ids],
        crs=4490,
    )


def test_round_trip_of_spatial_and_attribute_layers(new_store):
    store = new_store()
    log = pd.DataFrame({"import_id": ["a"], "read": [3]})
    store.write({"incidents": _points([1, 2, 3]), "imports": log})
    assert sorted(store.layers()) == ["imports", "incidents"]
    incidents = store.read("incidents")
    assert incidents.crs.to_epsg() == 4490
    assert list(incidents["incident_id"]) == ["app:1", "app:2", "app:3"]
    assert store.read("imports")["read"].tolist() == [3]


def test_append_adds_rows_and_creates_missing_layers(new_store):
    store = new_store()
    store.write({"incidents": _points([1])})
    store.write(
        {"incidents": _points([2]), "quarantine": pd.DataFrame({"reason": ["bad_date"]})}, mode="append"
    )
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2"]
    assert store.read("quarantine")["reason"].tolist() == ["bad_date"]


def test_a_failed_write_leaves_the_store_unchanged(new_store, monkeypatch):
    store = new_store()
    store.write({"incidents": _points([1, 2])})
    state = store.state()
    fail_writing_layer(store, "quarantine", monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        store.write({"incidents": _points([3]), "quarantine": pd.DataFrame({"reason": ["x"]})}, mode="append")
    assert store.state() == state
    assert store.layers() == ["incidents"]
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2"]


def test_a_failed_write_leaves_the_geopackage_file_as_it_was_and_nothing_beside_it(tmp_path, monkeypatch):
    """GeoPackage only: its bytes, and the staged files a write may make beside it."""
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1, 2])})
    before = (tmp_path / "s.gpkg").read_bytes()
    fail_writing_layer(store, "quarantine", monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        store.write({"incidents": _points([3]), "quarantine": pd.DataFrame({"reason": ["x"]})}, mode="append")
    assert (tmp_path / "s.gpkg").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".gpkg"] == ["s.gpkg"]


def test_layers_in_another_crs_are_refused(new_store):
    store = new_store()
    with pytest.raises(StoreError, match=r"EPSG:3857.*EPSG:4490"):
        store.write({"incidents": _points([1]).to_crs(3857)})


def test_a_missing_layer_says_which_layers_there_are(new_store):
    store = new_store()
    store.write({"incidents": _points([1])})
    with pytest.raises(StoreError, match="has no layer 'areas': it has incidents"):
        store.read("areas")


def test_a_missing_geopackage_says_how_to_build_one(tmp_path):
    """GeoPackage only: a database that is not there is another error (not reachable)."""
    store = open_store(tmp_path / "none.gpkg")
    with pytest.raises(StoreError, match="does not exist: build it with `pingan demo build"):
        store.read("areas")


def test_a_replace_changes_columns_and_geometry_type_and_leaves_other_layers(new_store):
    store = new_store()
    store.write({"areas": gpd.GeoDataFrame({"code": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4490)})
    store.write({"incidents": _points([1])}, mode="append")
    lines = gpd.GeoDataFrame({"name": ["r"], "km": [1.5]},
                             geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4490)
    store.write({"areas": lines})
    assert list(store.read("areas").columns) == ["name", "km", "geometry"]
    assert store.read("areas").geom_type.tolist() == ["LineString"]
    assert len(store.read("incidents")) == 1


def test_unknown_write_mode_is_refused(new_store):
    with pytest.raises(ValueError, match="write mode 'merge': allowed are 'replace', 'append'"):
        new_store().write({}, mode="merge")


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["620900", "620902", "620902", "620921"],
            "level": ["city", "county", "county", "county"],
            "parent_code": [None, "620900", "620900", "620900"],
            "version_id": ["v1", "v1", "v2", "v1"],
            "valid_to": [None, "2024-01-01", None, None],
        },
        geometry=[shapely.box(0, 0, 2, 2), shapely.box(0, 0, 1, 2), shapely.box(0, 0, 1.5, 2),
                  shapely.box(1, 0, 2, 2)],
        crs=4490,
    )


def test_typed_area_reads_pick_levels_parent_version_and_the_current_rows(new_store):
    store = new_store()
    store.write({"areas": _areas()})
    assert sorted(store.read_areas()["code"]) == ["620900", "620902", "620921"]
    current_counties = store.read_areas(levels=["county"])
    assert sorted(current_counties["version_id"]) == ["v1", "v2"]
    assert len(store.read_areas(levels=["county"], current=False)) == 3
    assert sorted(store.read_areas(version_id="v1")["code"]) == ["620900", "620902", "620921"]
    assert sorted(store.read_areas(parent="620900")["code"]) == ["620902", "620921"]
    assert len(store.read_areas(levels=[])) == 3


def test_typed_filters_are_values_never_sql(new_store):
    store = new_store()
    store.write({"areas": _areas()})
    assert len(store.read("areas", equals={"code": "620900' OR '1'='1"})) == 0
    assert len(store.read("areas", equals={"code": []})) == 0
    assert sorted(store.read("areas", equals={"code": ["620902", "620921"]}, unset=["valid_to"])["code"]) == [
        "620902", "620921"]


def test_the_state_token_changes_with_every_write_and_names_a_missing_store(tmp_path):
    """GeoPackage only: a missing file (a database is there or not reachable)."""
    store = GeoPackageStore(tmp_path / "s.gpkg")
    with pytest.raises(StoreError, match="does not exist"):
        store.state()
    store.write({"areas": _areas()})
    before = store.state()
    store.write({"areas": _areas().head(2)})
    assert store.state() != before


def test_a_reader_opening_the_store_is_no_new_state_but_a_commit_it_keeps_in_the_wal_is(tmp_path):
    """GeoPackage only: SQLite's WAL file beside the store."""
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1])})
    before = store.state()
    reader = sqlite3.connect(store.path)  # a dashboard read in progress: SQLite makes an empty WAL
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM incidents").fetchone()
    assert (tmp_path / "s.gpkg-wal").exists()
    assert store.state() == before
    # The reader's snapshot holds the write's pages in the WAL: still a new state, before any checkpoint.
    store.write({"incidents": _points([2])}, mode="append")
    assert (tmp_path / "s.gpkg-wal").stat().st_size > 0
    after = store.state()
    assert after != before
    reader.rollback()
    reader.close()
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2"]


def test_staged_copies_left_by_a_killed_writer_are_removed_at_the_next_write(tmp_path):
    """GeoPackage only: files a new store is built in beside its path."""
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1])})
    leftovers = [tmp_path / ".s.gpkg.abc123.gpkg", tmp_path / ".s.gpkg.abc123.gpkg-journal"]
    for path in leftovers:
        path.write_bytes(b"x" * 1000)
    other = tmp_path / ".other.gpkg.abc.gpkg"
    other.write_bytes(b"x")
    store.write({"incidents": _points([2])}, mode="append")
    assert not any(path.exists() for path in leftovers)
    assert other.exists(), "only this store's leftovers go"
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2"]


def test_the_state_changes_with_each_write_and_not_with_a_read(new_store):
    store = new_store()
    store.write({"incidents": _points([1])})
    before = store.state()
    store.read("incidents")
    assert store.state() == before
    store.write({"incidents": _points([2])}, mode="append")
    assert store.state() != before


def test_a_bookkeeping_write_moves_the_revision_but_not_the_state_pages_cache_by(new_store):
    store = new_store()
    store.write({"incidents": _points([1])})
    state, revision = store.state(), store.revision()
    audit_row = pd.DataFrame({"at": ["2026-12-07T08:00:00Z"], "actor": ["li.lei"], "action": ["sign_in"]})
    store.write({"audit": audit_row}, mode="append")
    assert "audit" in store.layers(), "a layer made by a bookkeeping write is listed at once"
    assert store.state() == state and store.revision() != revision
    other = open_store(getattr(store, "path", None) or getattr(store, "url", ""))
    assert other.state() == state, "every store object of one store sees the same state"
    store.write({"audit": audit_row, "incidents": _points([2])}, mode="append")
    assert store.state() != state, "a write that touches content is a new state, audit rows beside it"


def test_appended_rows_that_repeat_a_unique_key_are_skipped_and_counted_out(new_store):
    store = new_store()
    rows = _points([1, 2]).assign(source="app", source_id=["1", "2"])
    assert store.write({"incidents": rows}) == {"incidents": 2}
    again = _points([2, 3]).assign(source="app", source_id=["2", "3"])
    assert store.write({"incidents": again}, mode="append") == {"incidents": 1}
    assert store.read("incidents")["incident_id"].tolist() == ["app:1", "app:2", "app:3"]
    assert store.count("incidents") == 3
    hotline = _points([2]).assign(incident_id="hotline:2", source="hotline", source_id="2")
    assert store.write({"incidents": hotline}, mode="append") == {"incidents": 1}  # (source, source_id)


def _index_names(store, layer):
    if isinstance(store, GeoPackageStore):
        with sqlite3.connect(store.path) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                      (layer,)).fetchall()
    else:
        with store.reading() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", (layer,))
            rows = cursor.fetchall()
    return {str(name) for (name,) in rows}


def test_incidents_are_indexed_by_id_whether_the_layer_is_made_appended_or_replaced(new_store):
    """The leaders' panel reads its few incidents by id: an index, not a scan of every incident."""
    store = new_store()
    store.write({"imports": pd.DataFrame({"import_id": ["a"]})})
    store.write({"incidents": _points([1])}, mode="append")  # the layer made by an append
    assert "incidents_incident_id_lookup" in _index_names(store, "incidents")
    store.write({"incidents": _points([2, 3])})  # made again by a replace
    assert "incidents_incident_id_lookup" in _index_names(store, "incidents")
    assert store.read("incidents", equals={"incident_id": ["app:3", "app:2"]})["incident_id"].tolist() == [
        "app:2", "app:3"]


def test_held_values_answers_which_asked_values_a_layer_holds_among_the_filtered_rows(new_store):
    store = new_store()
    rows = _points([1, 2, 3]).assign(source=["app", "app", "hotline"], source_id=["1", "2", "3"])
    store.write({"incidents": rows})
    asked = ["1", "3", "9", "1' OR '1'='1"]
    assert store.held_values("incidents", "source_id", asked, equals={"source": "app"}) == {"1"}
    assert store.held_values("incidents", "source_id", []) == set()
    many = [str(i) for i in range(1, 2001)]  # more than one SQLite look-up's worth of values
    assert store.held_values("incidents", "source_id", many) == {"1", "2", "3"}
    with pytest.raises(StoreError, match="has no layer 'quarantine'"):
        store.held_values("quarantine", "raw", ["x"])


def test_a_write_keeps_what_this_store_knew_of_its_layers_and_sees_another_writers(tmp_path, monkeypatch):
    """GeoPackage only: PostGIS lists its tables with one query, nothing kept between calls."""
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1])})
    assert store.layers() == ["incidents"]
    listings = []
    real_list = pyogrio.list_layers
    monkeypatch.setattr(pyogrio, "list_layers", lambda path: listings.append(path) or real_list(path))
    store.write({"incidents": _points([2])}, mode="append")
    assert store.layers() == ["incidents"] and listings == [], "its own write needs no new listing"
    GeoPackageStore(tmp_path / "s.gpkg").write({"areas": _areas()}, mode="append")
    assert sorted(store.layers()) == ["areas", "incidents"]
    store.write({"quarantine": pd.DataFrame({"reason": ["x"]})}, mode="append")
    assert sorted(store.layers()) == ["areas", "incidents", "quarantine"]


def test_values_nulls_and_types_come_back_as_written(new_store):
    store = new_store()
    frame = gpd.GeoDataFrame(
        {"incident_id": ["a", "b"], "severity": [1, 3], "score": [0.5, float("nan")],
         "serious": [True, False], "reported_at": pd.to_datetime(["2026-01-02 08:30", "2026-02-03 23:55"]),
         "note": ["上访", None]},
        geometry=[shapely.Point(98.5, 39.7), shapely.Polygon([(98, 39), (99, 39), (99, 40)])], crs=4490)
    store.write({"incidents": frame})
    back = store.read("incidents")
    assert back["severity"].tolist() == [1, 3] and back["serious"].tolist() == [True, False]
    assert back["score"].iloc[0] == 0.5 and pd.isna(back["score"].iloc[1])
    assert back["reported_at"].tolist() == frame["reported_at"].tolist()
    assert back["note"].iloc[0] == "上访" and pd.isna(back["note"].iloc[1])
    assert shapely.equals_exact(back.geometry.to_numpy(), frame.geometry.to_numpy(), tolerance=1e-9).all()


def test_a_store_that_goes_away_mid_read_is_a_store_error_never_a_file_error(tmp_path, monkeypatch):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.write({"incidents": _points([1])})
    real_stat = type(store.path).stat
    calls = {"n": 0}

    def gone(path, *args, **kwargs):  # the file is there for the first look and gone for the next
        calls["n"] += 1
        if path == store.path and calls["n"] > 1:
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(type(store.path), "stat", gone)
    with pytest.raises(StoreError, match="does not exist"):
        store.revision()
        store.revision()
