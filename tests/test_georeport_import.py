"""Open311 GeoReport v2 files at full fidelity: the spec's own examples (JSON and XML) and Jiuquan copies."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from fixtures.ingest.crafted_store import SW, build_store

from geo.errors import GeoInputError, SourceFileError
from geo.intake.georeport import quote_leading_zero_numbers
from geo.intake.ingest import ingest_file
from geo.intake.profiles import load_profile
from geo.intake.quarantine import read_quarantine
from geo.intake.readers import read_raw_table
from geo.intake.service_codes import load_service_table
from geo.store import GeoPackageStore

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NOW = pd.Timestamp("2024-06-01 12:00")


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return build_store(tmp_path / "store.gpkg")


@pytest.mark.parametrize("name", ["georeport_spec_example.json", "georeport_spec_example.xml"])
def test_the_spec_examples_read_with_the_code_keeping_its_zeros(name: str) -> None:
    table = read_raw_table(FIXTURES / name)
    assert table.file_format == "open311"
    assert table.frame["service_code"].tolist() == ["006", "006"]
    assert table.frame["service_request_id"].tolist() == ["638344", "638349"]
    assert table.frame.loc[0, "status_notes"] == "Duplicate request."
    assert table.frame.loc[0, "lat"] == "37.762221815"


@pytest.mark.parametrize("name", ["georeport_spec_example.json", "georeport_spec_example.xml"])
def test_the_spec_examples_rows_are_quarantined_outside_the_city(store: GeoPackageStore, name: str) -> None:
    summary = ingest_file(FIXTURES / name, store, now=NOW)
    assert (summary.source, summary.read, summary.accepted, summary.reasons) == (
        "open311", 2, 0, {"outside_city": 2})


def test_leading_zero_numbers_become_text_but_strings_and_plain_numbers_stay() -> None:
    text = '[{"a":006, "b": "x:007,", "c": 0.5, "d": [01, 2], "e": -0012}]'
    assert json.loads(quote_leading_zero_numbers(text)) == [
        {"a": "006", "b": "x:007,", "c": 0.5, "d": ["01", 2], "e": "-0012"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n  {"service_request_id": 1,\n   "status" "open"}\n]', "line 3 column 13"),
        ("<service_requests>\n<request><status>open</request>\n</service_requests>", "line 2 column"),
        ("<services><service/></services>", "root is <services>"),
        ('<!DOCTYPE x [<!ENTITY a "aaa">]><service_requests/>', "document type declaration"),
    ],
)
def test_a_broken_georeport_file_names_line_and_column(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "requests.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceFileError, match=message):
        read_raw_table(path)


@pytest.mark.parametrize("name", ["georeport_jiuquan.json", "georeport_jiuquan.xml"])
def test_a_jiuquan_copy_keeps_every_georeport_field(store: GeoPackageStore, name: str) -> None:
    summary = ingest_file(FIXTURES / name, store, now=NOW)
    assert (summary.accepted, summary.quarantined) == (2, 0)
    incidents = pd.DataFrame(store.read("incidents")).set_index("source_id")
    first = incidents.loc["638344"]
    assert first["grid_code"] == SW
    assert first[["service_name", "status_notes", "media_url"]].tolist() == [
        "Sidewalk and Curb Issues", "Duplicate request.",
        "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg"]
    assert first[["address_id", "zipcode", "category_raw"]].tolist() == ["545483", "94122", "006"]
    # -08:00 is 16 hours behind Beijing: 06:37:38 there is 22:37:38 here
    assert first["expected_at"] == pd.Timestamp("2010-04-15 22:37:38")
    assert first["closed_at"] == pd.Timestamp("2010-04-15 07:37:38")
    assert pd.isna(incidents.loc["638349", "status_notes"])


def test_an_unmapped_code_is_counted_in_the_summary_not_silently_other(store: GeoPackageStore) -> None:
    summary = ingest_file(FIXTURES / "georeport_jiuquan.json", store, now=NOW)
    assert summary.unmapped_categories == {"006": 2}
    assert summary.as_dict()["unmapped_categories"] == {"006": 2}
    assert summary.flags["unknown_category"] == 2
    incidents = pd.DataFrame(store.read("incidents"))
    assert set(incidents["category"]) == {"other"}


def test_a_code_added_to_the_service_table_maps_its_rows(store: GeoPackageStore, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    builtin = (Path(__file__).parents[1] / "geo" / "config" / "sources" / "open311.toml").read_text("utf-8")
    builtin = builtin.replace("open311_services.toml", "_services.toml")
    (profiles / "open311.toml").write_text(builtin, "utf-8")
    table = (Path(__file__).parents[1] / "geo" / "config" / "open311_services.toml").read_text("utf-8")
    (profiles / "_services.toml").write_text(table + '"006" = "property_management"\n', "utf-8")
    summary = ingest_file(FIXTURES / "georeport_jiuquan.xml", store, now=NOW, profile_dirs=[profiles])
    assert summary.unmapped_categories == {}
    assert set(pd.DataFrame(store.read("incidents"))["category"]) == {"property_management"}


def test_the_service_table_lists_one_service_per_category_and_refuses_a_bad_value(tmp_path: Path) -> None:
    table = load_service_table()
    assert [s.code for s in table.services][:2] == ["neighbour", "marriage_family"]
    assert table.category_of("unpaid_wages") == "labour_wages"
    assert "006" not in table.codes
    bad = tmp_path / "services.toml"
    bad.write_text('[codes]\n"006" = "sidewalks"\n', encoding="utf-8")
    with pytest.raises(GeoInputError, match=r"\[codes\] '006' = 'sidewalks': allowed are neighbour"):
        load_service_table(bad)
    assert load_profile("open311").categories["unpaid_wages"] == "labour_wages"


def test_a_bad_expected_datetime_quarantines_the_row(store: GeoPackageStore, tmp_path: Path) -> None:
    rows = json.loads(quote_leading_zero_numbers((FIXTURES / "georeport_jiuquan.json").read_text("utf-8")))
    rows[1]["expected_datetime"] = "next tuesday"
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    summary = ingest_file(path, store, now=NOW)
    assert (summary.accepted, summary.reasons) == (1, {"bad_date": 1})
    assert read_quarantine(store)["detail"].iloc[0] == (
        "expected_datetime 'next tuesday': expected a date like 2023-07-05 14:03:00 or 2023/7/5 14:03")
