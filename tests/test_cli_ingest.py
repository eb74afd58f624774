"""The `pingan ingest`, `pingan join` and `pingan quarantine` contract: output, files and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from fixtures.ingest.crafted_store import NW, SE, SW, build_store, crafted_areas

from pingan_cli import ingest_commands, main

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(autouse=True)
def _commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ingest commands, whether or not main.py lists them yet."""
    if ingest_commands not in main._GROUPS:
        monkeypatch.setattr(main, "_GROUPS", (*main._GROUPS, ingest_commands))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    build_store(tmp_path / "store.gpkg")
    return tmp_path / "store.gpkg"


def test_ingest_prints_a_json_summary_and_exits_0_with_quarantined_rows(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main.main(["ingest", str(FIXTURES / "hotline_every_reason.csv"), "--store", str(store_path)])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    counts = (summary["source"], summary["read"], summary["accepted"], summary["quarantined"])
    assert counts == ("hotline", 12, 3, 9)
    assert summary["read"] == summary["accepted"] + summary["quarantined"] + summary["skipped_existing"]
    assert summary["reasons"]["missing_field"] == 2
    assert summary["flags"] == {"coarse_location": 1, "geocoded": 2}


def test_ingest_options_choose_the_source_crs_and_encoding(store_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main.main(["ingest", str(FIXTURES / "miniprogram_gbk.csv"), "--store", str(store_path),
                      "--source", "miniprogram", "--crs", "wgs84", "--encoding", "gbk"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (summary["input_crs"], summary["encoding"], summary["accepted"]) == ("wgs84", "gbk", 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "missing.csv: no such file"),
        (["app_flags.csv", "--source", "hotline"], "no source id column for source 'hotline'"),
        (["app_flags.csv", "--source", "fax"], "unknown source 'fax': allowed are app, hotline, miniprogram"),
        (["app_flags.csv", "--crs", "mars"], "unknown CRS 'mars'"),
    ],
)
def test_ingest_exits_2_with_one_line_when_the_file_cannot_be_read(
    store_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    args = [str(FIXTURES / args[0]), *args[1:]]
    code = main.main(["ingest", *args, "--store", str(store_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_ingest_reads_a_user_profile_from_a_folder(store_path: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "court.toml").write_text(
        'crs = "wgs84"\n[columns]\nsource_id = "案号"\nreported_at = "收案日期"\ncategory = "案由"\n'
        'lon = "经度"\nlat = "纬度"\n[categories]\n"民间借贷纠纷" = "business"\n', encoding="utf-8")
    data = tmp_path / "court.csv"
    data.write_text("案号,收案日期,案由,经度,纬度\n"
                    "(2024)甘0902民初1号,2024-01-05,民间借贷纠纷,98.505,39.735\n", encoding="utf-8")
    code = main.main(["ingest", str(data), "--store", str(store_path), "--profile-dir", str(folder)])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["source"], summary["accepted"], summary["flags"]) == (0, "court", 1, {})


def test_join_writes_a_csv_of_ids_grids_and_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grids = tmp_path / "grids.geojson"
    crafted_areas().query("level == 'grid'").to_file(grids, driver="GeoJSON")
    points = tmp_path / "points.csv"
    points.write_text("no,lon,lat\np1,98.51,39.74\np2,98.51,39.745\np3,98.515,39.74\np4,98.9,39.74\n",
                      encoding="utf-8")
    out = tmp_path / "out" / "joined.csv"
    code = main.main(["join", "--points", str(points), "--grids", str(grids), "--out", str(out),
                      "--id-column", "no"])
    assert code == 0
    joined = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert joined.to_dict(orient="list") == {
        "no": ["p1", "p2", "p3", "p4"], "grid_code": [SW, NW, SE, ""],
        "flags": ["near_edge", "near_edge", "near_edge", "outside"]}
    assert "4 points, 3 in a grid" in capsys.readouterr().err


def test_join_output_neutralises_ids_that_excel_would_run(tmp_path: Path) -> None:
    grids = tmp_path / "grids.geojson"
    crafted_areas().query("level == 'grid'").to_file(grids, driver="GeoJSON")
    points = tmp_path / "points.csv"
    points.write_text('no,lon,lat\n"=HYPERLINK(""http://x"")",98.51,39.74\n', encoding="utf-8")
    out = tmp_path / "joined.csv"
    assert main.main(["join", "--points", str(points), "--grids", str(grids), "--out", str(out),
                      "--id-column", "no"]) == 0
    joined = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert joined["no"].tolist() == ["'=HYPERLINK(\"http://x\")"]


def test_join_without_a_grid_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    points = tmp_path / "points.csv"
    points.write_text("lon,lat\n98.5,39.7\n", encoding="utf-8")
    code = main.main(["join", "--points", str(points), "--grids", str(tmp_path / "none.gpkg"),
                      "--out", str(tmp_path / "o.csv")])
    assert code == 2
    assert "not a readable vector file" in capsys.readouterr().err


def test_quarantine_list_and_export(store_path: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    main.main(["ingest", str(FIXTURES / "hotline_every_reason.csv"), "--store", str(store_path)])
    capsys.readouterr()
    assert main.main(["quarantine", "list", "--store", str(store_path), "--reason", "bad_date"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("hotline_every_reason.csv:6\tbad_date\t来电时间 '2023/13/45 10:00'")
    assert listed[-1] == "1 quarantined row(s); bad_date 1"
    assert main.main(["quarantine", "list", "--store", str(store_path), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 9 and "raw" not in records[0]
    out = tmp_path / "quarantine.csv"
    assert main.main(["quarantine", "export", "--store", str(store_path), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese text
    exported = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(exported) == 9
    raw = json.loads(exported.loc[exported["row_number"] == "11", "raw"].item())
    assert raw["事发地址"] == "城东某小区附近"


def test_quarantine_on_a_missing_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["quarantine", "list", "--store", str(tmp_path / "none.gpkg")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hotline.csv", b"\x00\x01binary", "binary content"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "binary content"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "deep.json: JSON nested deeper than 64 levels"),
    ],
    # Short ids: the id goes into PYTEST_CURRENT_TEST, which the command inherits, and 200 KB of brackets
    # there would make the environment too large to start it.
    ids=["binary", "png", "deep-json"],
)
def test_the_real_command_exits_2_with_one_line_and_no_traceback(tmp_path: Path, name: str, content: bytes,
                                                                 message: str) -> None:
    root = Path(__file__).resolve().parents[1]
    broken = tmp_path / name
    broken.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "pingan_cli.main", "ingest", str(broken), "--store", str(tmp_path / "s.gpkg")],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr
