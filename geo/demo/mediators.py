"""The demo's certified people's mediators, gold and court-invited mediators, and the industry experts."""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.demo.addresses import hierarchy_units, plain_columns
from geo.demo.figures import scaled_count
from geo.demo.grid_lookup import spread_counts
from geo.demo.mediation_orgs import MEDIATION_TYPES
from geo.demo.names import Seed, as_rng, local_people, weighted_sample
from geo.demo.org_catalogue import joined_specialties
from geo.schema import Col, OpsCol, OrgType, Specialty

_MIN_MEDIATORS: Final = {
    OrgType.TOWNSHIP_COMMITTEE: 6,
    OrgType.VILLAGE_COMMITTEE: 5,
    OrgType.INDUSTRY_COMMITTEE: 5,
    OrgType.PERSONAL_STUDIO: 1,
    OrgType.FEATURED_STUDIO: 2,
}
_MEDIATOR_WEIGHT: Final = {
    OrgType.TOWNSHIP_COMMITTEE: 3.0,
    OrgType.VILLAGE_COMMITTEE: 1.0,
    OrgType.INDUSTRY_COMMITTEE: 2.0,
    OrgType.PERSONAL_STUDIO: 0.3,
    OrgType.FEATURED_STUDIO: 1.0,
}
_GOLD_WEIGHT: Final = {
    OrgType.FEATURED_STUDIO: 6.0,
    OrgType.PERSONAL_STUDIO: 4.0,
    OrgType.TOWNSHIP_COMMITTEE: 2.0,
    OrgType.INDUSTRY_COMMITTEE: 1.5,
    OrgType.VILLAGE_COMMITTEE: 1.0,
}


def _member_specialties(rng: np.random.Generator, org_specialties: NDArray[np.object_]) -> list[str]:
    """One to three of the organisation's specialties per person."""
    wanted = rng.choice([1, 2, 3], len(org_specialties), p=[0.4, 0.4, 0.2])
    result = []
    for pool_text, k in zip(org_specialties, wanted, strict=True):
        pool = pool_text.split(",")
        picked = rng.choice(len(pool), min(int(k), len(pool)), replace=False)
        result.append(joined_specialties([Specialty(pool[i]) for i in picked]))
    return result


def generate_mediators(hierarchy: gpd.GeoDataFrame, orgs: gpd.GeoDataFrame, seed: Seed) -> pd.DataFrame:
    """Certified people's mediators in the mediation bodies (a few per studio, more per committee, by
    population), with the seed's gold and court-invited mediators, plus the industry experts of the
    expert pool (`expert` true, attached to industry committees, not counted as certified mediators)."""
    rng = as_rng(seed, "mediators")
    units = hierarchy_units(hierarchy)
    households = hierarchy.set_index(Col.CODE)[Col.HOUSEHOLDS]
    bodies = orgs[orgs[OpsCol.ORG_TYPE].isin([t.value for t in MEDIATION_TYPES])].reset_index(drop=True)
    types = [OrgType(t) for t in bodies[OpsCol.ORG_TYPE]]
    area_households = (
        bodies[OpsCol.AREA_CODE].map(households).fillna(households.median()).to_numpy(dtype=float)
    )
    size = np.sqrt(area_households.clip(min=1.0) / np.median(area_households.clip(min=1.0)))
    weights = np.array([_MEDIATOR_WEIGHT[t] for t in types]) * size
    total = scaled_count("mediators", units)
    minimum = np.array([_MIN_MEDIATORS[t] for t in types])
    if minimum.sum() > total:
        minimum = np.minimum(minimum, 1)
    per_org = minimum + spread_counts(rng, total - int(minimum.sum()), weights, 0)
    owner = np.repeat(np.arange(len(bodies)), per_org)

    industry = np.flatnonzero(np.array([t is OrgType.INDUSTRY_COMMITTEE for t in types]))
    experts = scaled_count("experts", units)
    expert_owner = industry[rng.integers(0, len(industry), experts)] if len(industry) else np.array([], int)
    owner = np.concatenate([owner, np.sort(expert_owner)])
    is_expert = np.arange(len(owner)) >= total

    owner_types = [types[i] for i in owner]
    gold_weights = np.where(is_expert, 0.0, [_GOLD_WEIGHT[t] for t in owner_types])
    linked = bodies[OpsCol.COURT_LINKED].to_numpy(dtype=bool)[owner]
    invited_weights = np.where(is_expert, 0.0, np.where(linked, 8.0, 1.0))
    county_codes = bodies[Col.COUNTY_CODE].to_numpy(dtype=str)[owner]
    names, phones = local_people(rng, county_codes)
    frame = pd.DataFrame(
        {
            OpsCol.MEDIATOR_ID: [f"M{i + 1:05d}" for i in range(len(owner))],
            OpsCol.PERSON_NAME: names,
            OpsCol.PHONE: phones,
            OpsCol.ORG_ID: bodies[OpsCol.ORG_ID].to_numpy()[owner],
            OpsCol.SPECIALTIES: _member_specialties(rng, bodies[OpsCol.SPECIALTIES].to_numpy()[owner]),
            OpsCol.GOLD: np.isin(
                np.arange(len(owner)),
                weighted_sample(rng, gold_weights, scaled_count("gold_mediators", units)),
            ),
            OpsCol.COURT_INVITED: np.isin(
                np.arange(len(owner)),
                weighted_sample(rng, invited_weights, scaled_count("court_invited_mediators", units)),
            ),
            OpsCol.EXPERT: is_expert,
        }
    )
    return plain_columns(frame)
