"""Centres and mediation organisations per township and 10,000 residents, worked out by hand."""

from __future__ import annotations

import pandas as pd

from geo.api import mediation_density


def _townships() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["620902001", "620902002", "620921001"],
            "level": ["township"] * 3,
            "population": [20_000, 10_000, 0],
        }
    )


def test_places_count_in_the_township_of_their_area_code() -> None:
    centres = pd.DataFrame({"area_code": ["620902001", "620902001001", "620902", None]})
    organisations = pd.DataFrame({"area_code": ["620902002003"]})
    result = mediation_density(_townships(), centres, organisations, classes=2)
    assert result is not None
    # 2 places / 20,000 people = 1.0 per 10k; 1 / 10,000 = 1.0; no people: 0
    assert result.per_10k == {"620902001": 1.0, "620902002": 1.0, "620921001": 0.0}
    assert (result.centres, result.organisations) == (4, 1)
    assert result.classes["620921001"] == 0


def test_no_places_layers_means_no_coverage() -> None:
    assert mediation_density(_townships(), None, None) is None
