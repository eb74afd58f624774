"""Mediation in the synthetic province (geo.demo.province), so that `pingan coverage report` and
`pingan batch coverage` run on it. Simple documented rules rather than the demo's seed figures:

- addresses: the demo's doorplates (geo.demo.addresses);
- governance centres: one for each city and county, each township, and each urban village, in the
  area's grid with the most households;
- mediation organisations: a committee for each township (in its centre) and each village (in its
  busiest grid, or its centre where it has one), taking the disputes of its kind of area; and in each
  county's centre two industry committees, for traffic and for labour and wages;
- mediators: six in a township committee, three in a village committee, four in an industry committee,
  each with the specialties of the organisation.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import STORAGE_EPSG
from geo.demo.addresses import areas_at, generate_addresses, plain_columns
from geo.demo.grid_lookup import GridLookup
from geo.demo.names import as_rng, local_people
from geo.demo.org_catalogue import area_specialties, joined_specialties
from geo.schema import CODE_LENGTH, AreaKind, CentreLevel, Col, Layer, Level, OpsCol, OrgType, Specialty

_INDUSTRIES: Final = (("道路交通事故", Specialty.TRAFFIC), ("劳动争议", Specialty.LABOUR_WAGES))
_MEDIATORS: Final = {OrgType.TOWNSHIP_COMMITTEE: 6, OrgType.VILLAGE_COMMITTEE: 3,
                     OrgType.INDUSTRY_COMMITTEE: 4}
_COMMITTEES: Final = ((Level.TOWNSHIP, OrgType.TOWNSHIP_COMMITTEE),
                      (Level.VILLAGE, OrgType.VILLAGE_COMMITTEE))


def province_services(areas: gpd.GeoDataFrame, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The addresses, centres, mediation organisations and mediators of a province (by layer name)."""
    rng = as_rng(seed, "province_services")
    grids = GridLookup(areas)
    centres = _centres(areas, grids, rng)
    organisations = _organisations(areas, grids, centres, rng)
    return {Layer.ADDRESSES.value: generate_addresses(areas, seed), Layer.CENTRES.value: centres,
            Layer.MEDIATION_ORGS.value: organisations, Layer.MEDIATORS.value: _mediators(organisations, rng)}


def _centres(areas: gpd.GeoDataFrame, grids: GridLookup, rng: np.random.Generator) -> gpd.GeoDataFrame:
    villages = areas_at(areas, Level.VILLAGE)
    places = [(CentreLevel(level.value), code) for level in (Level.CITY, Level.COUNTY, Level.TOWNSHIP)
              for code in areas_at(areas, level)[Col.CODE]]
    places += [(CentreLevel.VILLAGE, code)
               for code in villages.loc[villages[Col.KIND] == AreaKind.URBAN.value, Col.CODE]]
    grid_of = np.array([grids.busiest(code) for _, code in places])
    frame = pd.DataFrame({
        OpsCol.CENTRE_ID: [f"ZZ{code}" for _, code in places],
        Col.NAME: [f"{grids.names[code]}综治中心" for _, code in places],
        Col.LEVEL: [level.value for level, _ in places],
        OpsCol.AREA_CODE: [code for _, code in places],
        Col.GRID_CODE: grids.codes[grid_of],
    })
    points = grids.points(rng, grid_of).values
    return plain_columns(gpd.GeoDataFrame(frame, geometry=points, crs=STORAGE_EPSG))


def _organisations(
    areas: gpd.GeoDataFrame, grids: GridLookup, centres: gpd.GeoDataFrame, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    drafts: list[tuple[str, str, str, str]] = []
    for level, kind in _COMMITTEES:
        for row in areas_at(areas, level).itertuples():
            code, name, area_kind = getattr(row, Col.CODE), getattr(row, Col.NAME), getattr(row, Col.KIND)
            specialties = area_specialties(area_kind, township=level is Level.TOWNSHIP)
            drafts.append((kind.value, f"{name}人民调解委员会", code, joined_specialties(specialties)))
    for county in areas_at(areas, Level.COUNTY)[Col.CODE]:
        drafts += [(OrgType.INDUSTRY_COMMITTEE.value, f"{grids.names[county]}{trade}纠纷人民调解委员会",
                    county, joined_specialties([specialty])) for trade, specialty in _INDUSTRIES]
    frame = pd.DataFrame(drafts, columns=[OpsCol.ORG_TYPE, Col.NAME, OpsCol.AREA_CODE, OpsCol.SPECIALTIES])
    frame.insert(0, OpsCol.ORG_ID, [f"ORG{i + 1:05d}" for i in range(len(frame))])
    frame[Col.COUNTY_CODE] = frame[OpsCol.AREA_CODE].str[: CODE_LENGTH[Level.COUNTY]]
    centre_of = dict(zip(centres[OpsCol.AREA_CODE], range(len(centres)), strict=True))
    row = frame[OpsCol.AREA_CODE].map(centre_of)
    frame[OpsCol.RESIDENT_IN_CENTRE] = row.notna().to_numpy()
    frame[OpsCol.CENTRE_ID] = centres[OpsCol.CENTRE_ID].to_numpy()[row.fillna(0).astype(int)]
    frame.loc[~frame[OpsCol.RESIDENT_IN_CENTRE], OpsCol.CENTRE_ID] = None
    frame[OpsCol.COURT_LINKED] = False
    own = grids.points(rng, np.array([grids.busiest(code) for code in frame[OpsCol.AREA_CODE]])).to_numpy()
    at_centre = centres.geometry.to_numpy()[row.fillna(0).astype(int)]
    geometry = np.where(frame[OpsCol.RESIDENT_IN_CENTRE], at_centre, own)
    return plain_columns(gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=STORAGE_EPSG).values,
                                          crs=STORAGE_EPSG))


def _mediators(organisations: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    per_org = organisations[OpsCol.ORG_TYPE].map(lambda kind: _MEDIATORS[OrgType(kind)]).to_numpy()
    owner = np.repeat(np.arange(len(organisations)), per_org)
    names, phones = local_people(rng, organisations[Col.COUNTY_CODE].to_numpy(dtype=str)[owner])
    frame = pd.DataFrame({
        OpsCol.MEDIATOR_ID: [f"M{i + 1:06d}" for i in range(len(owner))],
        OpsCol.PERSON_NAME: names,
        OpsCol.PHONE: phones,
        OpsCol.ORG_ID: organisations[OpsCol.ORG_ID].to_numpy()[owner],
        OpsCol.SPECIALTIES: organisations[OpsCol.SPECIALTIES].to_numpy()[owner],
        OpsCol.GOLD: False,
        OpsCol.COURT_INVITED: False,
        OpsCol.EXPERT: False,
    })
    return plain_columns(frame)
