"""Incident exports that open right in QGIS and Excel: a Shapefile with its .cpg and short names."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from fixtures.ingest.crafted_store import build_store

from geo.errors import GeoInputError
from geo.export.incident_files import SHAPEFILE_NAMES, write_incident_file
from geo.intake.ingest import ingest_file
from geo.schema import PERSONAL_FIELDS
from pingan_cli.main import main

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def incidents(tmp_path: Path) -> pd.DataFrame:
    store = build_store(tmp_path / "store.gpkg")
    ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=pd.Timestamp("2024-06-01 12:00"))
    return store.read("incidents")


def test_a_shapefile_keeps_chinese_text_times_and_short_names(incidents: pd.DataFrame,
                                                               tmp_path: Path) -> None:
    path = write_incident_file(incidents, tmp_path / "incidents.shp", file_format="shp")
    assert path.with_suffix(".cpg").read_text().strip().upper() in {"UTF-8", "UTF8"}
    back = pyogrio.read_dataframe(path)
    assert all(len(column) <= 10 for column in back.columns)
    assert "邻里纠纷" in set(back["cat_raw"])
    assert set(SHAPEFILE_NAMES.values()) & set(back.columns) >= {"incident", "township", "reported"}
    assert back.loc[back["incident"] == "hotline:H1", "reported"].iloc[0] == "2023-07-05 14:03:00"
    assert not set(back.columns) & PERSONAL_FIELDS


def test_geojson_times_carry_the_citys_offset(incidents: pd.DataFrame, tmp_path: Path) -> None:
    path = write_incident_file(incidents, tmp_path / "incidents.geojson", file_format="geojson")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    first = next(f["properties"] for f in features if f["properties"]["incident_id"] == "hotline:H1")
    assert first["reported_at"] == "2023-07-05T14:03:00+08:00"


def test_csv_is_utf8_with_bom_and_an_unknown_format_is_refused(incidents: pd.DataFrame,
                                                               tmp_path: Path) -> None:
    path = write_incident_file(incidents, tmp_path / "incidents.csv", file_format="csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "reporter_phone" not in path.read_text(encoding="utf-8-sig").splitlines()[0]
    with pytest.raises(GeoInputError, match="format 'kml': allowed are shp, geojson, csv"):
        write_incident_file(incidents, tmp_path / "x.kml", file_format="kml")


def test_the_cli_writes_a_shapefile_from_the_store(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = build_store(tmp_path / "store.gpkg")
    ingest_file(FIXTURES / "hotline_every_reason.csv", store, now=pd.Timestamp("2024-06-01 12:00"))
    out = tmp_path / "out" / "incidents.shp"
    out.parent.mkdir()
    assert main(["export", "incidents", "--out", str(out), "--store", str(store.path)]) == 0
    assert capsys.readouterr().out.startswith("3 incidents written to")
    assert out.with_suffix(".cpg").is_file() and len(pyogrio.read_dataframe(out)) == 3
    assert main(["export", "incidents", "--out", str(tmp_path / "x.kml"), "--store", str(store.path)]) == 2
