"""Reading incident files as text tables: encodings, formats, row numbers and unreadable rows."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import openpyxl
import pytest

from geo.errors import SourceFileError
from geo.intake.readers import GEOMETRY_LAT, GEOMETRY_LON, cell_text, detect_encoding, read_raw_table

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
HEADER = "report_id,submitted_at,type,content,lng,lat"
ROW = "M1,2024-03-01 10:15,邻里纠纷,楼道堆放杂物,98.505,39.735"
#: A 1x1 PNG: binary, with many NUL bytes.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
       b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")


def _write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")]
)
def test_csv_encodings_are_detected_and_chinese_text_survives(tmp_path: Path, encoding: str,
                                                              detected: str) -> None:
    path = _write(tmp_path / "m.csv", f"{HEADER}\n{ROW}\n", encoding)
    table = read_raw_table(path)
    assert table.encoding == detected
    assert list(table.frame.columns) == ["report_id", "submitted_at", "type", "content", "lng", "lat"]
    assert table.frame.loc[0, "content"] == "楼道堆放杂物"
    assert table.row_numbers.tolist() == [2]


def test_the_committed_gbk_and_bom_files_read_the_same() -> None:
    gbk = read_raw_table(FIXTURES / "miniprogram_gbk.csv")
    bom = read_raw_table(FIXTURES / "miniprogram_bom.csv")
    assert gbk.encoding == "gb18030" and bom.encoding == "utf-8-sig"
    assert gbk.frame.equals(bom.frame)
    assert gbk.frame.loc[1, "nickname"] == "李女士"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected_by_its_nul_bytes(tmp_path: Path, encoding: str) -> None:
    path = _write(tmp_path / "m.csv", f"{HEADER}\n{ROW}\n", encoding)
    table = read_raw_table(path)
    assert table.encoding == encoding
    assert table.frame.loc[0, "content"] == "楼道堆放杂物"
    assert detect_encoding(f"{HEADER}\n{ROW}\n".encode("utf-16")) == "utf-16"  # with a BOM


def test_a_nul_byte_in_one_field_makes_that_row_unreadable_not_the_file(tmp_path: Path) -> None:
    rows = [f"M{i},2024-03-01 10:15,邻里纠纷,内容,98.505,39.735" for i in range(1, 201)]
    rows[99] = rows[99].replace("内容", "内\x00容")
    path = _write(tmp_path / "m.csv", "\n".join([HEADER, *rows]) + "\n", "utf-8")
    table = read_raw_table(path)
    assert (len(table.frame), table.read) == (199, 200)
    assert [(r.row_number, r.detail) for r in table.unreadable] == [
        (101, "field 'content' holds a NUL byte (binary data in text): remove it and import the row")]


def test_an_explicit_encoding_overrides_the_guess(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", f"{HEADER}\n{ROW}\n", "gbk")
    assert read_raw_table(path, encoding="gbk").frame.loc[0, "type"] == "邻里纠纷"
    with pytest.raises(SourceFileError, match="unknown encoding 'klingon'"):
        read_raw_table(path, encoding="klingon")


def test_detect_encoding_prefers_bom_then_utf8_then_gb18030() -> None:
    assert detect_encoding("纠纷".encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding("纠纷".encode()) == "utf-8"
    assert detect_encoding("纠纷".encode("gbk")) == "gb18030"


def test_a_row_with_bytes_invalid_in_the_encoding_is_unreadable_not_fatal(tmp_path: Path) -> None:
    good = f"{HEADER}\n{ROW}\n".encode()
    bad = b"M2,2024-03-01 10:15,\xff\xfe\xfd,x,98.5,39.7\n"
    more = "M3,2024-03-01 10:15,邻里纠纷,x,98.5,39.7\n".encode()
    path = tmp_path / "m.csv"
    path.write_bytes(good + bad + more)
    table = read_raw_table(path, encoding="utf-8")
    assert table.frame["report_id"].tolist() == ["M1", "M3"]
    assert [(r.row_number, r.detail) for r in table.unreadable] == [(3, "bytes not valid in utf-8")]
    assert table.read == 3


def test_a_row_with_more_fields_than_the_header_is_unreadable(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", f"{HEADER}\n{ROW},extra\n{ROW},\n", "utf-8")
    table = read_raw_table(path)
    assert [(r.row_number, r.detail) for r in table.unreadable] == [(2, "7 fields but the header has 6")]
    assert json.loads(table.unreadable[0].raw)["fields"][-1] == "extra"
    assert table.row_numbers.tolist() == [3]  # a trailing empty field is harmless


def test_blank_lines_are_not_rows_but_keep_the_row_numbers_a_clerk_sees(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", f"{HEADER}\n\n{ROW}\n,,,,,\n{ROW}\n", "utf-8")
    table = read_raw_table(path)
    assert table.row_numbers.tolist() == [3, 5]
    assert table.read == 2


def test_a_title_row_above_the_header_is_skipped_when_the_headers_are_expected(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", f"12345工单导出,,,,,\n{HEADER}\n{ROW}\n", "utf-8")
    table = read_raw_table(path, expected_headers=["report_id"])
    assert table.frame.loc[0, "report_id"] == "M1"
    assert table.row_numbers.tolist() == [3]


def test_xlsx_cells_become_text_with_excel_dates_in_iso_form(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["12345热线工单导出"])
    sheet.append(["工单编号", "来电时间", "经度", "纬度", "满意度"])
    sheet.append([202307050001, dt.datetime(2023, 7, 5, 14, 3), 98.505, 39.735, None])
    sheet.append(["H2", "2023/7/5 14:03", "", "", "满意"])
    path = tmp_path / "hotline.xlsx"
    book.save(path)
    table = read_raw_table(path, expected_headers=["工单编号"])
    assert table.file_format == "xlsx"
    assert table.frame.to_dict(orient="records") == [
        {"工单编号": "202307050001", "来电时间": "2023-07-05 14:03:00", "经度": "98.505", "纬度": "39.735",
         "满意度": ""},
        {"工单编号": "H2", "来电时间": "2023/7/5 14:03", "经度": "", "纬度": "", "满意度": "满意"},
    ]
    assert table.row_numbers.tolist() == [3, 4]


def test_geojson_points_carry_their_coordinates_and_other_geometries_are_unreadable() -> None:
    table = read_raw_table(FIXTURES / "app_events.geojson")
    assert table.file_format == "geojson"
    points = table.frame[[GEOMETRY_LON, GEOMETRY_LAT]].values.tolist()
    assert points == [["98.505", "39.735"], ["98.515", "39.745"]]
    problems = [(r.row_number, r.detail) for r in table.unreadable]
    assert problems == [(3, "geometry is Polygon: an incident must be a Point")]


def test_open311_requests_read_as_rows_and_a_non_object_is_unreadable() -> None:
    table = read_raw_table(FIXTURES / "open311_requests.json")
    assert table.file_format == "open311"
    assert table.frame["service_request_id"].tolist() == ["638344", "638345", "638346"]
    assert table.frame.loc[1, "lat"] == ""  # JSON null
    assert [r.row_number for r in table.unreadable] == [4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel .xls"),
        (PNG, "binary content"),
        (random.Random(16).randbytes(4096), "binary content"),
        (b"\x00\x01binary", "binary content"),
        (b"PK\x03\x04not really a zip", "not a readable XLSX"),
        (b"{\"type\": \"Feature\"}", "FeatureCollection or an Open311 array"),
        (b"[1, 2", "not valid JSON"),
    ],
)
def test_files_that_cannot_be_read_at_all_raise_one_clear_error(tmp_path: Path, content: bytes,
                                                                message: str) -> None:
    path = tmp_path / "incidents.csv"
    path.write_bytes(content)
    with pytest.raises(SourceFileError, match=message):
        read_raw_table(path)


def test_json_nested_too_deep_is_one_clear_error_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"deep\.json: JSON nested deeper than 64 levels"):
        read_raw_table(path)


def test_brackets_inside_json_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    path = tmp_path / "requests.json"
    path.write_text(json.dumps([{"service_request_id": "1", "description": "[" * 500 + '\\"{'}]),
                    encoding="utf-8")
    assert read_raw_table(path).frame["service_request_id"].tolist() == ["1"]


def test_a_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match=r"nope\.csv: no such file"):
        read_raw_table(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (12.0, "12"), (98.505, "98.505"), (True, "1"), (dt.date(2023, 7, 5), "2023-07-05"),
     ("x", "x")],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
