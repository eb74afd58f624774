"""The demo's mediation organisations placed in their areas and centres, with their court links.

How the seed's "入驻矛盾纠纷调解组织 832 个、法律服务组织 46 个、心理咨询室 72 个" is read: the seven kinds of
organisation add up to 903 (80 + 510 + 87 + 76 + 32 + 46 + 72), only 785 of them mediation bodies, so
832 cannot count mediation bodies alone. Here 832 is the number of organisations of any kind whose
office is in a governance centre (`resident_in_centre`). They are filled in this order, ties broken at
random: legal service organisations, counselling rooms, township committees and the committees of
villages that have their own centre (all resident, as the seed lists them as 入驻); then featured
studios and industry committees (in the county or city centre); then personal studios; then committees
of villages without a centre, which sit in their township's centre. On the full hierarchy that leaves
71 village committees (those of the smallest villages, which have no centre) in their own villages.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.crs import STORAGE_EPSG
from geo.demo.addresses import hierarchy_units, plain_columns
from geo.demo.figures import scaled_count
from geo.demo.grid_lookup import GridLookup
from geo.demo.names import Seed, as_rng, weighted_sample
from geo.demo.org_catalogue import catalogue_organisations
from geo.errors import GeoInputError
from geo.schema import CITY_CODE, Col, OpsCol, OrgType, parent_code

#: Residency order (lower first) and court-link weight of each kind of organisation.
_RESIDENCY_TIER: Final = {
    OrgType.LEGAL_SERVICE: 0,
    OrgType.COUNSELLING_ROOM: 0,
    OrgType.TOWNSHIP_COMMITTEE: 0,
    OrgType.VILLAGE_COMMITTEE: 0,
    OrgType.FEATURED_STUDIO: 1,
    OrgType.INDUSTRY_COMMITTEE: 1,
    OrgType.PERSONAL_STUDIO: 2,
}
_NO_CENTRE_TIER: Final = 3  # village committees whose village has no centre of its own
_COURT_WEIGHT: Final = {
    OrgType.INDUSTRY_COMMITTEE: 5.0,
    OrgType.FEATURED_STUDIO: 4.0,
    OrgType.TOWNSHIP_COMMITTEE: 3.0,
    OrgType.PERSONAL_STUDIO: 2.0,
    OrgType.VILLAGE_COMMITTEE: 0.3,
}
MEDIATION_TYPES: Final = tuple(_COURT_WEIGHT)


def _home_centre(area: str, centre_areas: set[str]) -> str:
    """The centre an organisation of `area` sits in: its own area's, or the nearest one above it."""
    code: str | None = area
    while code is not None and code not in centre_areas:
        code = parent_code(code)
    return code if code is not None else CITY_CODE


def _residency(
    rng: np.random.Generator, types: list[OrgType], areas: list[str], centres: pd.DataFrame, count: int
) -> tuple[NDArray[np.bool_], list[int]]:
    """Which organisations sit in a centre (`count` of them, by tier, ties at random; see the module
    docstring) and the row in `centres` of the centre each one belongs to."""
    centre_by_area = {area: row for row, area in enumerate(centres[OpsCol.AREA_CODE])}
    if CITY_CODE not in centre_by_area:
        raise GeoInputError(
            f"centres lack the city centre (area_code {CITY_CODE}): make them with generate_centres"
        )
    home = [_home_centre(area, set(centre_by_area)) for area in areas]
    tiers = np.array(
        [
            _RESIDENCY_TIER[t] if h == a else _NO_CENTRE_TIER
            for t, h, a in zip(types, home, areas, strict=True)
        ]
    )
    order = np.lexsort((rng.random(len(types)), tiers))
    resident = np.zeros(len(types), dtype=bool)
    resident[order[:count]] = True
    return resident, [centre_by_area[h] for h in home]


def generate_mediation_orgs(
    hierarchy: gpd.GeoDataFrame, centres: gpd.GeoDataFrame, seed: Seed
) -> gpd.GeoDataFrame:
    """Mediation committees and studios, legal service organisations and counselling rooms.

    Resident organisations take the point of their centre; the others get a point in their area (a
    village committee in its village's most populated grid, county bodies in the county seat's town).
    See the module docstring for how the seed's 832 resident organisations are read.
    """
    rng = as_rng(seed, "mediation_orgs")
    grids = GridLookup(hierarchy)
    units = hierarchy_units(hierarchy)
    drafts = catalogue_organisations(rng, grids, hierarchy, units)
    frame = pd.DataFrame(drafts, columns=[OpsCol.ORG_TYPE, Col.NAME, OpsCol.AREA_CODE, OpsCol.SPECIALTIES])
    types = [OrgType(t) for t in frame[OpsCol.ORG_TYPE]]
    frame[OpsCol.ORG_TYPE] = [t.value for t in types]
    frame.insert(0, OpsCol.ORG_ID, [f"ORG{i + 1:04d}" for i in range(len(frame))])
    frame[Col.COUNTY_CODE] = [CITY_CODE if a == CITY_CODE else a[:6] for a in frame[OpsCol.AREA_CODE]]

    areas = frame[OpsCol.AREA_CODE].tolist()
    resident_count = min(scaled_count("resident_orgs", units), len(frame))
    resident, centre_rows = _residency(rng, types, areas, centres, resident_count)
    frame[OpsCol.RESIDENT_IN_CENTRE] = resident
    frame[OpsCol.CENTRE_ID] = np.where(resident, centres[OpsCol.CENTRE_ID].to_numpy()[centre_rows], None)

    court_weights = np.array([_COURT_WEIGHT.get(t, 0.0) for t in types])
    linked = weighted_sample(rng, court_weights, scaled_count("court_linked_orgs", units))
    frame[OpsCol.COURT_LINKED] = np.isin(np.arange(len(frame)), linked)

    own_grid = np.array(
        [
            grids.busiest(a) if t is OrgType.VILLAGE_COMMITTEE else grids.pick(rng, a, urban_first=True)
            for t, a in zip(types, areas, strict=True)
        ]
    )
    own_points = grids.points(rng, own_grid).to_numpy()
    geometry = np.where(resident, centres.geometry.to_numpy()[centre_rows], own_points)
    return plain_columns(
        gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=STORAGE_EPSG).values, crs=STORAGE_EPSG)
    )
