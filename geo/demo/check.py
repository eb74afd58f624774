"""Measure a store against the seed's figures: `pingan demo check`."""

from __future__ import annotations

import pandas as pd

from geo.demo.figures import FigureCheck, compare_figures
from geo.demo.operations import operations_figures
from geo.schema import AreaKind, Col, IncidentStatus, Layer, Level, Outcome
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


def _share(numerator: pd.Series, denominator: pd.Series) -> float:
    total = int(denominator.sum())
    return float(numerator.sum()) / total if total else float("nan")


def incident_figures(incidents: pd.DataFrame) -> dict[str, float]:
    """Disputes a year over the months the store covers, and the seed's closure and court rates."""
    reported = pd.to_datetime(incidents[Col.REPORTED_AT])
    months = (reported.dt.year * 12 + reported.dt.month).nunique()
    closed = incidents[Col.STATUS] == IncidentStatus.CLOSED.value
    outcome = incidents[Col.OUTCOME]
    pre_litigation = outcome.isin([Outcome.PRE_LITIGATION_MEDIATED.value, Outcome.PRE_LITIGATION_FAILED.value])
    court_bound = pre_litigation | (outcome == Outcome.LITIGATED.value)
    repeat = incidents["repeat_petition"].astype(bool)
    return {
        "disputes_per_year": len(incidents) * 12 / months if months else 0.0,
        "closure_rate": float(closed.mean()) if len(incidents) else float("nan"),
        "pre_litigation_diversion_rate": _share(pre_litigation, court_bound),
        "pre_litigation_success_rate": _share(outcome == Outcome.PRE_LITIGATION_MEDIATED.value, pre_litigation),
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
