"""Measure a store against the seed's figures: `pingan demo check`."""

from __future__ import annotations

import pandas as pd

from geo.demo.figures import FigureCheck, compare_figures
from geo.schema import (
    AreaKind,
    CentreLevel,
    Col,
    IncidentCol,
    IncidentStatus,
    Layer,
    Level,
    OpsCol,
    OrgType,
    Outcome,
)
from geo.store import Store


def _hierarchy_figures(areas: pd.DataFrame) -> dict[str, float]:
    current = areas[areas[Col.VALID_TO].isna()]
    counts = current[Col.LEVEL].value_counts()
    villages = current[current[Col.LEVEL] == Level.VILLAGE.value]
    return {
        "counties": int(counts.get(Level.COUNTY.value, 0)),
        "townships": int(counts.get(Level.TOWNSHIP.value, 0)),
        "urban_communities": int((villages[Col.KIND] == AreaKind.URBAN.value).sum()),
        "villages": len(villages),
        "grids": int(counts.get(Level.GRID.value, 0)),
    }


def operations_figures(
    *,
    grid_workers: pd.DataFrame,
    centres: pd.DataFrame,
    mediation_orgs: pd.DataFrame,
    mediators: pd.DataFrame,
    gatehouses: pd.DataFrame,
) -> dict[str, float]:
    """The seed figures these layers reproduce, measured, for `figures.compare_figures`."""
    by_type = mediation_orgs[OpsCol.ORG_TYPE].value_counts()
    by_level = centres[Col.LEVEL].value_counts()
    certified = mediators[~mediators[OpsCol.EXPERT].astype(bool)]
    type_figures = {
        "township_committees": OrgType.TOWNSHIP_COMMITTEE,
        "village_committees": OrgType.VILLAGE_COMMITTEE,
        "industry_committees": OrgType.INDUSTRY_COMMITTEE,
        "personal_studios": OrgType.PERSONAL_STUDIO,
        "featured_studios": OrgType.FEATURED_STUDIO,
        "legal_service_orgs": OrgType.LEGAL_SERVICE,
        "counselling_rooms": OrgType.COUNSELLING_ROOM,
    }
    return {
        "grid_workers": len(grid_workers),
        "centres": len(centres),
        **{f"centres_{level.value}": int(by_level.get(level.value, 0)) for level in CentreLevel},
        **{name: int(by_type.get(org_type.value, 0)) for name, org_type in type_figures.items()},
        "resident_orgs": int(mediation_orgs[OpsCol.RESIDENT_IN_CENTRE].astype(bool).sum()),
        "court_linked_orgs": int(mediation_orgs[OpsCol.COURT_LINKED].astype(bool).sum()),
        "mediators": len(certified),
        "experts": len(mediators) - len(certified),
        "gold_mediators": int(certified[OpsCol.GOLD].astype(bool).sum()),
        "court_invited_mediators": int(certified[OpsCol.COURT_INVITED].astype(bool).sum()),
        "gatehouses": len(gatehouses),
    }


def _share(numerator: pd.Series, denominator: pd.Series) -> float:
    total = int(denominator.sum())
    return float(numerator.sum()) / total if total else float("nan")


def incident_figures(incidents: pd.DataFrame) -> dict[str, float]:
    """Disputes a year over the months the store covers, and the seed's closure and court rates."""
    reported = pd.to_datetime(incidents[Col.REPORTED_AT])
    months = (reported.dt.year * 12 + reported.dt.month).nunique()
    closed = incidents[Col.STATUS] == IncidentStatus.CLOSED.value
    outcome = incidents[Col.OUTCOME]
    pre_litigation = outcome.isin(
        [Outcome.PRE_LITIGATION_MEDIATED.value, Outcome.PRE_LITIGATION_FAILED.value]
    )
    court_bound = pre_litigation | (outcome == Outcome.LITIGATED.value)
    repeat = incidents[IncidentCol.REPEAT_PETITION].astype(bool)
    return {
        "disputes_per_year": len(incidents) * 12 / months if months else 0.0,
        "closure_rate": float(closed.mean()) if len(incidents) else float("nan"),
        "pre_litigation_diversion_rate": _share(pre_litigation, court_bound),
        "pre_litigation_success_rate": _share(
            outcome == Outcome.PRE_LITIGATION_MEDIATED.value, pre_litigation
        ),
        "repeat_petition_closure_rate": _share(repeat & closed, repeat),
    }


def check_demo_store(store: Store) -> list[FigureCheck]:
    """Every seed figure beside the store's value; a figure whose layer is missing fails."""
    measured = _hierarchy_figures(store.read(Layer.AREAS.value))
    measured |= operations_figures(
        grid_workers=store.read(Layer.GRID_WORKERS.value),
        centres=store.read(Layer.CENTRES.value),
        mediation_orgs=store.read(Layer.MEDIATION_ORGS.value),
        mediators=store.read(Layer.MEDIATORS.value),
        gatehouses=store.read(Layer.GATEHOUSES.value),
    )
    measured |= incident_figures(store.read(Layer.INCIDENTS.value))
    return compare_figures(measured, require_all=True)
