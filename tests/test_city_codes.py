"""No city is built into the library: the city's code is read off area codes (GB/T 2260)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis.area_months import incident_codes
from geo.api import Level, city_code_of, level_of_code
from geo.schema import parent_code


@pytest.mark.parametrize(
    ("code", "level"),
    [("620900", Level.CITY), ("621000", Level.CITY), ("621002", Level.COUNTY), ("621002001", Level.TOWNSHIP)],
)
def test_levels_follow_the_code_rule_for_any_city(code: str, level: Level) -> None:
    assert level_of_code(code) is level


def test_a_county_of_another_city_has_that_city_as_parent() -> None:
    assert parent_code("621002") == "621000"
    assert city_code_of("621002003004") == "621000"


def test_city_level_incident_codes_name_the_city_of_each_county() -> None:
    incidents = pd.DataFrame({"county_code": ["621002", "620902", ""]})
    assert incident_codes(incidents, Level.CITY).tolist() == ["621000", "620900", ""]
