"""The offline geocoder on a hand-made address library (see fixtures/ingest/crafted_store.py)."""

from __future__ import annotations

import math

import pytest
from fixtures.ingest.crafted_store import crafted_addresses, crafted_areas

from geo.errors import GeoInputError
from geo.intake.geocode import AddressGeocoder, MatchLevel, normalise_address


@pytest.fixture(scope="module")
def geocoder() -> AddressGeocoder:
    return AddressGeocoder(crafted_areas(), crafted_addresses())


@pytest.mark.parametrize(
    ("address", "level", "score", "code"),
    [
        ("肃州区东关街道河渠社区南大街58号", MatchLevel.DOORPLATE, 1.0, "A000001"),  # the library's own text
        ("甘肃省酒泉市 肃州区 东关街道河渠社区南大街５８号", MatchLevel.DOORPLATE, 1.0, "A000001"),
        ("东关街道河渠社区南大街60号", MatchLevel.DOORPLATE, 0.9, "A000002"),  # no county: 0.7 + 2 x 0.1
        ("新湖社区富康路7号", MatchLevel.DOORPLATE, 0.8, "A000004"),
        ("肃州区西关街道南大街58号", MatchLevel.DOORPLATE, 0.9, "A000003"),  # the township picks the 58
        ("金园村三组5号", MatchLevel.DOORPLATE, 0.8, "A000005"),  # a village group with a number
        ("金塔县东关街道金园村三组9号", MatchLevel.VILLAGE, 0.7, "620921001001"),  # no such number
        ("河渠社区", MatchLevel.VILLAGE, 0.5, "620902001001"),
        ("金塔县东关街道", MatchLevel.TOWNSHIP, 0.4, "620921001"),  # the county settles a shared name
        ("肃州区南大街58号", MatchLevel.COUNTY, 0.2, "620902"),  # 58 is in two communities: ambiguous
        ("肃州", MatchLevel.COUNTY, 0.2, "620902"),
    ],
)
def test_addresses_match_down_the_hierarchy(
    geocoder: AddressGeocoder, address: str, level: MatchLevel, score: float, code: str
) -> None:
    found = geocoder.match(address)
    assert found is not None
    assert (found.level, found.score, found.code) == (level, score, code)


@pytest.mark.parametrize("address", ["城东某小区附近", "", "东关街道", "南大街58号"])
def test_addresses_that_match_nothing_or_stay_ambiguous_give_none(geocoder: AddressGeocoder,
                                                                  address: str) -> None:
    assert geocoder.match(address) is None


def test_a_doorplate_is_placed_at_its_library_point(geocoder: AddressGeocoder) -> None:
    found = geocoder.match("新湖社区富康路7号")
    assert found is not None
    assert (found.lon, found.lat) == (98.515, 39.745)


def test_an_area_match_is_placed_at_a_doorplate_inside_the_area(geocoder: AddressGeocoder) -> None:
    found = geocoder.match("金塔县东关街道")
    assert found is not None
    assert 98.52 < found.lon < 98.54 and 39.73 < found.lat < 39.75


def test_geocode_answers_every_address_in_order(geocoder: AddressGeocoder) -> None:
    frame = geocoder.geocode(["河渠社区", "火星", "河渠社区"])
    assert frame["match_level"].tolist() == ["village", None, "village"]
    assert math.isnan(frame.loc[1, "lon"])
    assert frame.loc[0, "match_code"] == frame.loc[2, "match_code"] == "620902001001"


def test_without_an_address_library_areas_still_match() -> None:
    found = AddressGeocoder(crafted_areas()).match("肃州区西关街道新湖社区富康路7号")
    assert found is not None
    assert (found.level, found.code) == (MatchLevel.VILLAGE, "620902002001")


def test_normalise_address_drops_spaces_full_width_forms_and_the_province() -> None:
    assert normalise_address(" 甘肃省 酒泉市肃州区南大街１２号 ") == "肃州区南大街12号"


def test_a_library_without_its_columns_is_refused() -> None:
    with pytest.raises(GeoInputError, match="address library lacks column"):
        AddressGeocoder(crafted_areas(), crafted_addresses().drop(columns=["road"]))
