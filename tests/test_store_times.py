"""Times in the store are UTC instants (GeoPackage DATETIME with Z, PostGIS timestamptz) while every
figure is computed in the city's time; a store of schema 1 (naive Beijing time) is upgraded in place
with the same index and metrics."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from fixtures.demo_copy import demo_store_in
from fixtures.ingest.crafted_store import build_store

from geo.api import StoreError, case_metrics, migrate_store, open_store, warning_scores
from geo.intake.ingest import ingest_file
from geo.store import GeoPackageStore, PostGISStore, Store
from geo.store.gpkg_write import connect
from pingan_cli.main import main

MONTH = "2026-07"
VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
#: GDAL 3.6's validator knows only the R-tree triggers of its time; a layer written by a newer GDAL has
#: the newer ones (update6/update7 in place of update1), which it reports as missing: a version gap
#: between the validator and the writer, not a defect of the store.
VERSION_GAP = re.compile(r"Req 75: rtree_\w+_update1 trigger missing")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("times"))


def _raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def _figures(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    incidents, areas = store.read("incidents"), store.read_areas(current=False)
    return (warning_scores(incidents, areas, month=MONTH), case_metrics(incidents, areas, month=MONTH))


def _assert_same_figures(before: tuple[pd.DataFrame, pd.DataFrame], after: tuple[pd.DataFrame, pd.DataFrame]
                         ) -> None:
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def _as_schema_1(path: Path) -> None:
    """Rewrite a store's times as schema 1 wrote them: Beijing wall-clock text without a zone."""
    def local_text(text: str | None) -> str | None:
        if text is None:
            return None
        local = pd.Timestamp(text).tz_convert("Asia/Shanghai")
        return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond // 1000:03d}"

    with closing(connect(path)) as connection:  # with the functions the R-tree triggers call
        connection.create_function("local_text", 1, local_text)
        for table in ("incidents", "imports", "quarantine"):
            for row in connection.execute(f"PRAGMA table_info({table})").fetchall():
                if row[2] == "DATETIME":
                    connection.execute(f"UPDATE {table} SET {row[1]} = local_text({row[1]})")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'store_schema'")


@pytest.mark.skipif(not VALIDATOR.exists(), reason="GDAL's validate_gpkg.py (Debian python3-gdal) is absent")
def test_gdal_validator_finds_no_datetime_warning_on_the_demo_store(demo: Path) -> None:
    run = subprocess.run(["/usr/bin/python3", str(VALIDATOR), "-k", "--extra", str(demo)],
                         capture_output=True, text=True, timeout=300, check=False)
    lines = (run.stdout + run.stderr).splitlines()
    assert not [line for line in lines if "DATETIME" in line]
    assert [line for line in lines if not VERSION_GAP.search(line)] == []
    assert run.returncode == 0


def test_times_are_stored_as_utc_datetime_and_read_back_in_city_time(demo: Path) -> None:
    raw = _raw(demo, "SELECT reported_at FROM incidents WHERE reported_at IS NOT NULL LIMIT 1")[0][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", str(raw))
    first = open_store(demo).read("incidents")["reported_at"].iloc[0]
    assert first == pd.Timestamp(str(raw)).tz_convert("Asia/Shanghai").tz_localize(None)
    assert _raw(demo, "SELECT value FROM meta WHERE key = 'store_schema'") == [("2",)]


def test_a_time_with_an_offset_is_kept_as_the_same_instant(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store.gpkg")
    ingest_file(FIXTURES / "georeport_jiuquan.json", store, now=pd.Timestamp("2024-06-01 12:00"))
    # requested 2010-04-14T06:37:38-08:00 and expected 2010-04-15T06:37:38-08:00 (file's own offset)
    assert _raw(store.path, "SELECT reported_at, expected_at FROM incidents WHERE source_id = '638344'") == [
        ("2010-04-14T14:37:38.000Z", "2010-04-15T14:37:38.000Z")]
    row = store.read("incidents", equals={"source_id": "638344"}).iloc[0]
    assert row["expected_at"] == pd.Timestamp("2010-04-15 22:37:38")  # Beijing time, as figures use it


def test_a_schema_1_store_is_upgraded_in_place_with_the_same_index_and_metrics(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _figures(open_store(demo))
    stored = _raw(demo, "SELECT reported_at, closed_at FROM incidents ORDER BY fid")
    old = tmp_path / "old.gpkg"
    shutil.copyfile(demo, old)
    _as_schema_1(old)
    assert _raw(old, "SELECT reported_at FROM incidents WHERE fid = 1")[0][0].endswith(".000")

    _assert_same_figures(before, _figures(open_store(old)))  # still readable: its times are local
    meta = pd.DataFrame({"key": ["x"], "value": ["y"]})
    with pytest.raises(StoreError, match=r"store schema 1 .*pingan store upgrade --store"):
        GeoPackageStore(old).write({"notes": meta})

    assert main(["store", "upgrade", "--store", str(old)]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"incidents\.reported_at\s+33,\d{3} times now in UTC", printed)
    assert _raw(old, "SELECT reported_at, closed_at FROM incidents ORDER BY fid") == stored
    assert _raw(old, "SELECT value FROM meta WHERE key = 'store_schema'") == [("2",)]
    _assert_same_figures(before, _figures(open_store(old)))
    GeoPackageStore(old).write({"notes": meta})  # writable again
    assert main(["store", "upgrade", "--store", str(old)]) == 0  # a second upgrade changes nothing
    assert "incidents.reported_at                    0 times" in capsys.readouterr().out


def _instants(store: Store) -> list[str]:
    """The stored values as UTC text, read past the store layer."""
    if isinstance(store, GeoPackageStore):
        return [str(value) for (value,) in _raw(store.path, "SELECT at FROM times ORDER BY fid")]
    assert isinstance(store, PostGISStore)
    with store.reading() as cursor:
        cursor.execute("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
                       "FROM times ORDER BY pingan_row")
        return [str(value) for (value,) in cursor.fetchall()]


def test_local_times_round_trip_through_utc_on_every_backend(new_store: Callable[[], Store]) -> None:
    store = new_store()
    times = ["2026-11-01 08:00:00", "2026-11-01 07:59:59.250", None]  # the first two either side of 00:00Z
    local = pd.Series(pd.to_datetime(times, format="ISO8601"), dtype="datetime64[ms]")
    store.write({"times": pd.DataFrame({"n": [1, 2, 3], "at": local})})
    assert _instants(store)[:2] == ["2026-11-01T00:00:00.000Z", "2026-10-31T23:59:59.250Z"]
    pd.testing.assert_series_equal(store.read("times")["at"], local, check_names=False)


def test_a_schema_1_postgis_store_is_upgraded_with_the_same_index_and_metrics(
    demo: Path, postgis_url: Callable[[], str]
) -> None:
    url = postgis_url()
    store = open_store(url)
    migrate_store(open_store(demo), store)
    before = _figures(store)
    assert isinstance(store, PostGISStore)
    with store.reading() as cursor:  # the columns as schema 1 made them: timestamp, Beijing time
        for column in ("reported_at", "closed_at"):
            cursor.execute(f"ALTER TABLE incidents ALTER COLUMN {column} TYPE timestamp "
                           f"USING {column} AT TIME ZONE 'Asia/Shanghai'")
    _assert_same_figures(before, _figures(store))
    with pytest.raises(StoreError, match=r"store schema 1 .*reported_at.*pingan store upgrade"):
        store.write({"incidents": store.read("incidents").head(0)}, mode="append")

    assert main(["store", "upgrade", "--store", url]) == 0
    with store.reading() as cursor:
        cursor.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'incidents' "
                       "AND column_name = 'reported_at'")
        assert cursor.fetchone() == ("timestamp with time zone",)
        cursor.execute("SELECT value FROM meta WHERE key = 'store_schema'")
        assert cursor.fetchall() == [("2",)]
    _assert_same_figures(before, _figures(store))


def test_a_schema_1_store_copied_by_migrate_lands_in_the_current_schema(demo: Path, tmp_path: Path) -> None:
    old, copy = tmp_path / "old.gpkg", tmp_path / "copy.gpkg"
    shutil.copyfile(demo, old)
    _as_schema_1(old)
    migrate_store(open_store(old), open_store(copy))
    assert _raw(copy, "SELECT value FROM meta WHERE key = 'store_schema'") == [("2",)]
    assert _raw(copy, "SELECT reported_at FROM incidents ORDER BY fid LIMIT 1") == \
        _raw(demo, "SELECT reported_at FROM incidents ORDER BY fid LIMIT 1")
    GeoPackageStore(copy).write({"notes": pd.DataFrame({"key": ["x"], "value": ["y"]})})  # no upgrade needed
