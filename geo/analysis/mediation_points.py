"""Where mediation can be had: governance centres and mediation organisations by level, and the
organisations that have a mediator of a given specialty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import as_choice
from geo.schema import (
    CENTRE_KIND,
    CODE_LENGTH,
    Col,
    CoverageCol,
    IncidentCategory,
    Level,
    OpsCol,
    Specialty,
)

#: A dispute kind's specialty (the kinds and the specialties share their names; "other" has none).
SPECIALTY_OF_KIND: dict[str, Specialty] = {
    kind.value: Specialty(kind.value) for kind in IncidentCategory if kind.value in set(Specialty)
}


def as_specialty(name: str) -> Specialty:
    """`name` as a Specialty; GeoInputError naming the allowed ones otherwise."""
    return as_choice(Specialty, name, "specialty")


def _level_of_area_code(codes: pd.Series) -> np.ndarray:
    """Band level of an organisation from its area code's length; the city's own rooms count as county."""
    length = codes.astype(str).str.len().to_numpy()
    return np.select(
        [length >= CODE_LENGTH[Level.VILLAGE], length >= CODE_LENGTH[Level.TOWNSHIP]],
        [Level.VILLAGE.value, Level.TOWNSHIP.value],
        Level.COUNTY.value,
    )


def mediation_points(centres: pd.DataFrame, organisations: pd.DataFrame) -> pd.DataFrame:
    """lon, lat, band level and kind (CENTRE_KIND or the OrgType) of every centre and organisation."""
    centre_level = centres[Col.LEVEL].astype(str).replace({Level.CITY.value: Level.COUNTY.value})
    return pd.DataFrame({
        CoverageCol.LON.value: np.concatenate([centres.geometry.x, organisations.geometry.x]),
        CoverageCol.LAT.value: np.concatenate([centres.geometry.y, organisations.geometry.y]),
        Col.LEVEL.value: np.concatenate(
            [centre_level.to_numpy(), _level_of_area_code(organisations[OpsCol.AREA_CODE])]
        ),
        CoverageCol.POINT_KIND.value: np.concatenate(
            [np.full(len(centres), CENTRE_KIND, dtype=object), organisations[OpsCol.ORG_TYPE].astype(str)]
        ),
    })


def specialist_points(
    organisations: pd.DataFrame, mediators: pd.DataFrame, specialty: Specialty
) -> pd.DataFrame:
    """lon, lat of the organisations with at least one mediator of `specialty`."""
    lists = mediators[OpsCol.SPECIALTIES].fillna("").astype(str).str.split(",")
    has = lists.map(lambda named: specialty.value in named)
    orgs = set(mediators.loc[has.to_numpy(dtype=bool), OpsCol.ORG_ID])
    chosen = organisations[organisations[OpsCol.ORG_ID].isin(orgs)]
    return pd.DataFrame({CoverageCol.LON.value: chosen.geometry.x.to_numpy(dtype=float),
                         CoverageCol.LAT.value: chosen.geometry.y.to_numpy(dtype=float)})


def mediators_by_area(organisations: pd.DataFrame, mediators: pd.DataFrame) -> pd.Series:
    """Each mediator's area code: that of the organisation they belong to."""
    area_of_org = organisations.set_index(OpsCol.ORG_ID)[OpsCol.AREA_CODE].astype(str)
    return mediators[OpsCol.ORG_ID].map(area_of_org).dropna()
