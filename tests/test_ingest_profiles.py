"""Source profiles: the built-in channels, recognition by headers, and clear errors for bad TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import GeoInputError
from geo.intake.profiles import Field, detect_profile, load_profile, profile_from_toml, profile_paths
from geo.intake.readers import GEOMETRY_LAT, GEOMETRY_LON
from geo.schema import IncidentCategory, IncidentStatus, Outcome

HOTLINE_HEADERS = ["工单编号", "来电时间", "诉求类型", "诉求内容", "事发地址", "经度", "纬度",
                   "办理状态", "办结时间", "满意度"]


def test_the_built_in_channels_and_their_default_crs() -> None:
    crs = {name: load_profile(name).crs for name in profile_paths()}
    assert crs == {"app": "wgs84", "hotline": "cgcs2000", "miniprogram": "gcj02", "open311": "wgs84"}


def test_the_hotline_profile_reads_the_12345_export_headers() -> None:
    hotline = load_profile("hotline")
    assert set(HOTLINE_HEADERS) <= hotline.all_headers()
    assert hotline.headers(Field.ADDRESS) == ("事发地址",)


def test_shared_labels_map_to_the_schema_enums() -> None:
    app = load_profile("app")
    assert app.categories["交通事故纠纷"] is IncidentCategory.TRAFFIC
    assert app.statuses["已办结"] is IncidentStatus.CLOSED
    assert app.outcomes["诉前调解不成"] is Outcome.PRE_LITIGATION_FAILED
    assert app.booleans["是"] is True


@pytest.mark.parametrize(
    ("headers", "source"),
    [
        (HOTLINE_HEADERS, "hotline"),
        (["event_id", "reported_at", "category", "lon", "lat"], "app"),
        (["report_id", "submitted_at", "type", "lng", "lat"], "miniprogram"),
        (["service_request_id", "requested_datetime", "lat", "long", "address"], "open311"),
    ],
)
def test_a_file_is_recognised_by_its_headers(headers: list[str], source: str) -> None:
    assert detect_profile(headers).name == source


def test_a_geojson_file_is_recognised_by_its_property_names_and_point() -> None:
    names = ["event_id", "reported_at", "category", "status", GEOMETRY_LON, GEOMETRY_LAT]
    assert detect_profile(names).name == "app"
    with pytest.raises(GeoInputError, match="no source profile matches"):
        detect_profile(["event_id", "reported_at"])  # without the point the place is missing


def test_unrecognised_headers_name_the_sources_to_choose_from() -> None:
    with pytest.raises(GeoInputError, match=r"no source profile matches its headers .* pass --source"):
        detect_profile(["a", "b"])


def test_a_user_folder_adds_and_replaces_profiles(tmp_path: Path) -> None:
    (tmp_path / "hotline.toml").write_text('crs = "bd09"\n[columns]\nsource_id = "id"\nreported_at = "t"\n'
                                           'address = "addr"\n', encoding="utf-8")
    assert load_profile("hotline", search_dirs=[tmp_path]).crs == "bd09"
    assert load_profile(tmp_path / "hotline.toml").headers(Field.SOURCE_ID) == ("id",)


MINIMAL = "crs = 'wgs84'\n[columns]\nsource_id = 'id'\nreported_at = 't'\naddress = 'a'\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("crs = 'wgs84'\n[columns]\nsource_id = 'id'\n", "must map reported_at; lon and lat, or address"),
        ("[columns]\nsource_id = 'id'\nreported_at = 't'\naddress = 'a'\n", "no crs"),
        ("crs = 'mars'\n", "unknown CRS 'mars'"),
        ("crs = 'wgs84'\ncolour = 'red'\n", "unknown key"),
        ("crs = 'wgs84'\n[columns]\nwhen = 't'\n", r"\[columns\] has unknown field\(s\) when"),
        (f"{MINIMAL}[categories]\n'噪音' = 'noise'\n",
         r"\[categories\] '噪音' = 'noise': allowed values are business"),
        (f"{MINIMAL}[defaults]\nseverity = 5\n", "severity = 5: allowed are 1, 2, 3"),
        ("crs = 'wgs84\n", "not valid TOML"),
    ],
)
def test_bad_profiles_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        profile_from_toml(text, name="court", origin="court.toml")


def test_an_unknown_source_lists_the_known_ones() -> None:
    with pytest.raises(GeoInputError, match="unknown source 'fax': allowed are app, hotline, miniprogram"):
        load_profile("fax")
