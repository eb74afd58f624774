"""Incident intake end to end on a hand-drawn store: reasons, flags, grids, formats and transactions.

What the store keeps (accepted rows and their grids, the quarantine, the import log, unique keys that skip
a re-import, a failed import written nowhere) is tested on both backends; how each file format reads
(`ONE_BACKEND`) on the GeoPackage only, since the rows it makes go through the same write."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fixtures.ingest.crafted_store import JT, NE, NW, SE, SW, build_store
from fixtures.store_faults import fail_writing_layer

from geo.errors import SourceFileError
from geo.intake.ingest import ingest_file
from geo.intake.quarantine import read_imports, read_quarantine
from geo.intake.row_checks import Reason
from geo.schema import IMPORTS_LAYER, INCIDENT_COLUMNS
from geo.store import GeoPackageStore, Store

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NOW = pd.Timestamp("2024-06-01 12:00")
#: How a file format reads is the readers' business: one backend is enough.
ONE_BACKEND = pytest.mark.parametrize("new_location", ["gpkg"], indirect=True)


@pytest.fixture
def store(new_location: Callable[[], Path | str]) -> Store:
    return build_store(new_location())


def _incidents(store: Store) -> pd.DataFrame:
    return pd.DataFrame(store.read("incidents")).set_index("source_id")


def _reasons_by_row(store: Store) -> dict[int, str]:
    quarantine = read_quarantine(store)
    return dict(zip(quarantine["row_number"], quarantine["reason"], strict=True))


def test_every_reason_code_comes_from_one_crafted_file(store: Store) -> None:
    summary = ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    assert set(summary.reasons) == {reason.value for reason in Reason}
    assert _reasons_by_row(store) == {
        5: "missing_field", 6: "bad_date", 7: "bad_value", 8: "bad_coordinate", 9: "outside_city",
        10: "duplicate_source_id", 11: "ungeocodable_address", 12: "unreadable_row", 13: "missing_field",
    }
    assert (summary.read, summary.accepted, summary.quarantined) == (12, 3, 9)


def test_quarantined_rows_keep_the_raw_row_file_and_an_actionable_detail(store: Store) -> None:
    ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    quarantine = read_quarantine(store).set_index("row_number")
    assert set(quarantine["file_name"]) == {"hotline_every_reason.csv"}
    assert quarantine.loc[6, "detail"].startswith("来电时间 '2023/13/45 10:00': expected a date")
    assert quarantine.loc[10, "detail"] == "工单编号 'H1' repeats row 2"
    assert quarantine.loc[9, "detail"] == (
        "98.600000, 39.740000 is 5.1 km from the nearest grid (allowed: 1 km)")
    assert json.loads(quarantine.loc[11, "raw"])["事发地址"] == "城东某小区附近"
    assert json.loads(quarantine.loc[12, "raw"])["fields"][-1] == "多余"


def test_address_only_rows_are_geocoded_with_level_and_score(store: Store) -> None:
    ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    incidents = _incidents(store)
    doorplate, village = incidents.loc["H2"], incidents.loc["H3"]
    assert doorplate[["grid_code", "match_level", "match_score", "flags"]].tolist() == [
        NE, "doorplate", 1.0, "geocoded"]
    assert village[["grid_code", "match_level", "flags"]].tolist() == [
        JT, "village", "geocoded,coarse_location"]
    assert pd.isna(incidents.loc["H1", "match_level"])  # it had coordinates


def test_accepted_rows_get_their_grid_all_parent_codes_and_mapped_labels(store: Store) -> None:
    ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    row = _incidents(store).loc["H1"]
    assert row[["incident_id", "grid_code", "village_code", "township_code", "county_code"]].tolist() == [
        "hotline:H1", SW, SW[:12], SW[:9], SW[:6]]
    assert row[["category", "category_raw", "status", "outcome", "satisfaction"]].tolist() == [
        "neighbour", "邻里纠纷", "closed", "mediated", "satisfied"]
    assert row[["reported_at", "closed_at"]].tolist() == [
        pd.Timestamp("2023-07-05 14:03"), pd.Timestamp("2023-07-06 09:00")]
    assert (row["reporter_name"], row["input_crs"], row["row_number"]) == ("王五", "cgcs2000", 2)
    assert list(pd.DataFrame(store.read("incidents")).columns) == [str(c) for c in INCIDENT_COLUMNS]


def test_flags_normalisation_swaps_and_shared_edges(store: Store) -> None:
    summary = ingest_file(FIXTURES / "app_flags.csv", store, now=NOW)
    assert (summary.accepted, summary.quarantined) == (10, 0)
    incidents = _incidents(store)
    assert incidents.loc["A2", "grid_code"] == SE  # full-width digits and stray spaces normalised
    assert incidents.loc["A2", "reporter_phone"] == "13800000002"
    assert (incidents.loc["A3", ["lon", "lat", "grid_code", "flags"]].tolist()
            == [98.505, 39.745, NW, "swapped_coordinates"])
    assert incidents.loc["A4", ["category", "category_raw", "flags"]].tolist() == [
        "other", "医患纠纷", "unknown_category"]
    assert incidents.loc["A9", "flags"] == "unknown_status"
    assert incidents.loc["A10", "flags"] == "closed_before_reported"
    assert summary.flags == {"closed_before_reported": 1, "near_edge": 3, "outside": 1,
                             "swapped_coordinates": 1, "unknown_category": 1, "unknown_status": 1}


@pytest.mark.parametrize(
    ("event", "grid"),
    [("A5", SW), ("A6", NW), ("A7", SE)],  # the four-grid vertex, the west/east edge, the south/north edge
)
def test_points_on_shared_edges_and_vertices_go_to_the_lowest_code(store: Store, event: str,
                                                                   grid: str) -> None:
    ingest_file(FIXTURES / "app_flags.csv", store, now=NOW)
    row = _incidents(store).loc[event]
    assert (row["grid_code"], row["flags"]) == (grid, "near_edge")


def test_a_point_just_outside_the_city_is_kept_flagged_outside_without_a_grid(store: Store) -> None:
    ingest_file(FIXTURES / "app_flags.csv", store, now=NOW)
    row = _incidents(store).loc["A8"]
    assert row["flags"] == "outside"
    assert pd.isna(row["grid_code"]) and pd.isna(row["county_code"])


def test_reimporting_the_same_file_adds_nothing(store: Store) -> None:
    first = ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    before = (len(store.read("incidents")), len(read_quarantine(store)))
    again = ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    counts = (again.read, again.accepted, again.quarantined, again.skipped_existing)
    assert counts == (first.read, 0, 0, first.read)
    assert (len(store.read("incidents")), len(read_quarantine(store))) == before
    log = read_imports(store)
    assert log[["read", "accepted", "quarantined", "skipped_existing"]].values.tolist() == [
        [12, 3, 9, 0], [12, 0, 0, 12]]


def test_a_fixed_row_imports_while_the_rest_is_skipped(store: Store, tmp_path: Path) -> None:
    ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    fixed = tmp_path / "hotline_every_reason.csv"
    text = (FIXTURES / "hotline_every_reason.csv").read_text(encoding="utf-8")
    fixed.write_text(text.replace("2023/13/45", "2023/7/6"), encoding="utf-8")
    summary = ingest_file(fixed, store, now=NOW)
    assert (summary.accepted, summary.quarantined, summary.skipped_existing) == (1, 0, 11)
    assert "H4" in _incidents(store).index


def test_a_failing_import_leaves_the_store_unchanged(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_file(FIXTURES / "app_flags.csv", store, now=NOW)
    state, incidents = store.state(), store.count("incidents")
    digest = hashlib.sha256(store.path.read_bytes()).hexdigest() if isinstance(store, GeoPackageStore) else ""
    fail_writing_layer(store, "quarantine", monkeypatch)  # incidents and the log are written by then
    with pytest.raises(OSError, match="No space left"):
        ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=NOW)
    assert (store.state(), store.count("incidents")) == (state, incidents)
    assert set(store.layers()) == {"areas", "addresses", "incidents", IMPORTS_LAYER}
    if isinstance(store, GeoPackageStore):  # its file's bytes, and no staged copy beside it
        assert hashlib.sha256(store.path.read_bytes()).hexdigest() == digest
        assert list(store.path.parent.glob(f".{store.path.name}.*")) == []


@ONE_BACKEND
def test_gbk_and_bom_miniprogram_files_convert_gcj02_to_wgs84(store: Store) -> None:
    summary = ingest_file(FIXTURES / "miniprogram_gbk.csv", store, now=NOW)
    counts = (summary.source, summary.input_crs, summary.encoding, summary.accepted)
    assert counts == ("miniprogram", "gcj02", "gb18030", 3)
    incidents = _incidents(store)
    # M1 lies east of the edge x = 98.51 in GCJ-02 and 26 m west of it in WGS84.
    assert incidents.loc["M1", "lon"] == pytest.approx(98.5097, abs=1e-7)
    assert incidents.loc["M1", "grid_code"] == SW
    assert incidents.loc["M2", "reported_at"] == pd.Timestamp("2024-03-01 10:15")  # 02:15Z in Jiuquan
    assert incidents.loc["M1", "closed_at"] == pd.Timestamp("2024-03-02 09:00")
    again = ingest_file(FIXTURES / "miniprogram_bom.csv", store, now=NOW)  # the same rows in UTF-8 with BOM
    assert (again.encoding, again.skipped_existing) == ("utf-8-sig", 3)


@ONE_BACKEND
def test_the_crs_option_overrides_the_profile(store: Store) -> None:
    summary = ingest_file(FIXTURES / "miniprogram_bom.csv", store, crs="wgs84", now=NOW)
    assert summary.input_crs == "wgs84"
    assert _incidents(store).loc["M1", "grid_code"] == SE  # taken as WGS84, the point stays east of the edge


@ONE_BACKEND
def test_an_xlsx_hotline_export_with_excel_dates_and_empty_coordinates(store: Store,
                                                                       tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append(["工单编号", "来电时间", "诉求类型", "诉求内容", "事发地址", "经度", "纬度",
                  "办理状态", "办结时间", "满意度", "处理结果", "诉前分流", "来电人", "联系电话"])
    sheet.append(["X1", pd.Timestamp("2023-07-05 14:03").to_pydatetime(), "劳资纠纷", "欠薪", None, 98.505,
                  39.735, "已办结", "2023/7/8 10:00", "基本满意", "诉前调解成功", "是", "何六", 13900000001])
    sheet.append(["X2", "2023/7/5 14:03", "经营纠纷", "押金", "肃州区西关街道新湖社区富康路7号", None, None,
                  "处理中", None, None, None, "否", "吕七", "13900000002"])
    sheet.append(["X3", "2023-07-05 14:03:00", "交通事故纠纷", "剐蹭", None, 98.515, 39.735, "待受理", None,
                  None, None, None, None, None])
    path = tmp_path / "hotline.xlsx"
    book.save(path)
    summary = ingest_file(path, store, now=NOW)
    assert (summary.source, summary.read, summary.accepted, summary.quarantined) == ("hotline", 3, 3, 0)
    incidents = _incidents(store)
    assert incidents["grid_code"].to_dict() == {"X1": SW, "X2": NE, "X3": SE}
    assert incidents.loc["X1", ["satisfaction", "outcome", "pre_litigation"]].tolist() == [
        "basically_satisfied", "pre_litigation_mediated", True]
    assert (incidents["reported_at"] == pd.Timestamp("2023-07-05 14:03")).all()
    assert incidents.loc["X1", "reporter_phone"] == "13900000001"


@ONE_BACKEND
def test_an_open311_file_maps_service_codes_and_names(store: Store) -> None:
    summary = ingest_file(FIXTURES / "open311_requests.json", store, now=NOW)
    counts = (summary.source, summary.read, summary.accepted, summary.reasons)
    assert counts == ("open311", 4, 3, {"unreadable_row": 1})
    incidents = _incidents(store)
    assert incidents["category"].to_dict() == {"638344": "neighbour", "638345": "land", "638346": "other"}
    assert incidents["status"].to_dict() == {"638344": "closed", "638345": "open", "638346": "open"}
    assert pd.isna(incidents.loc["638345", "closed_at"])  # an open request's updated_datetime
    assert incidents.loc["638345", ["grid_code", "flags"]].tolist() == [JT, "geocoded"]


@ONE_BACKEND
def test_a_geojson_file_reads_with_an_explicit_source(store: Store) -> None:
    summary = ingest_file(FIXTURES / "app_events.geojson", store, source="app", now=NOW)
    assert (summary.accepted, summary.reasons) == (2, {"unreadable_row": 1})
    assert _incidents(store)["grid_code"].to_dict() == {"G1": SW, "G2": NE}


@ONE_BACKEND
def test_a_geojson_file_is_recognised_without_a_source(store: Store) -> None:
    summary = ingest_file(FIXTURES / "app_events.geojson", store, now=NOW)
    assert (summary.source, summary.accepted, summary.reasons) == ("app", 2, {"unreadable_row": 1})
    assert summary.read == summary.accepted + summary.quarantined + summary.skipped_existing


@ONE_BACKEND
def test_a_file_without_the_profile_columns_cannot_be_read(store: Store) -> None:
    with pytest.raises(SourceFileError, match=r"no source id column for source 'hotline' \(expected"):
        ingest_file(FIXTURES / "app_flags.csv", store, source="hotline", now=NOW)


APP_HEADER = "event_id,reported_at,category,lon,lat"


@ONE_BACKEND
def test_a_nul_byte_in_one_row_quarantines_that_row_and_imports_the_rest(store: Store,
                                                                         tmp_path: Path) -> None:
    rows = [f"E{i},2024-05-01 10:00:00,邻里纠纷,98.505,39.735" for i in range(1, 201)]
    rows[49] = rows[49].replace("邻里", "邻\x00里")
    path = tmp_path / "app.csv"
    path.write_text("\n".join([APP_HEADER, *rows]) + "\n", encoding="utf-8")
    summary = ingest_file(path, store, now=NOW)
    assert (summary.read, summary.accepted, summary.quarantined) == (200, 199, 1)
    assert summary.read == summary.accepted + summary.quarantined + summary.skipped_existing
    row = read_quarantine(store).iloc[0]
    assert (row["row_number"], row["reason"]) == (51, Reason.UNREADABLE_ROW.value)
    assert "field 'category' holds a NUL byte" in row["detail"]


@ONE_BACKEND
def test_a_utf16_file_without_a_bom_imports(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "app.csv"
    path.write_bytes(f"{APP_HEADER}\nE1,2024-05-01 10:00:00,邻里纠纷,98.505,39.735\n".encode("utf-16-le"))
    summary = ingest_file(path, store, now=NOW)
    assert (summary.encoding, summary.accepted) == ("utf-16-le", 1)


@ONE_BACKEND
@pytest.mark.parametrize(
    ("reported_at", "reason", "stored"),
    [
        ("2024-06-02 11:00:00", None, "2024-06-02 11:00"),  # within a day of the import: clocks differ
        ("2024-06-03 12:00:00", "bad_date", None),  # the future
        ("1999-12-31 23:59:59", "bad_date", None),
        ("2024-02-30 09:15:00", "bad_date", None),
        ("45112.5", None, "2023-07-05 12:00"),  # an Excel serial day number
        ("2023年7月5日 14:03", None, "2023-07-05 14:03"),
        ("2023-07-05T06:03:00Z", None, "2023-07-05 14:03"),
    ],
)
def test_dates(store: Store, tmp_path: Path, reported_at: str, reason: str | None,
               stored: str | None) -> None:
    path = tmp_path / "app.csv"
    path.write_text(f"{APP_HEADER}\nD1,{reported_at},邻里纠纷,98.505,39.735\n", encoding="utf-8")
    summary = ingest_file(path, store, source="app", now=NOW)
    assert list(summary.reasons) == ([reason] if reason else [])
    if stored:
        assert _incidents(store).loc["D1", "reported_at"] == pd.Timestamp(stored)
