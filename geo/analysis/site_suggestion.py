"""Where the next mediation rooms should go: new sites among the candidates that bring the most households
within the village band of a room, with the existing governance centres kept as they are.

Households an existing centre already reaches stay covered whatever is chosen, so they leave the model
(an exact reduction: they add the same constant to every choice); households that the same candidates
reach become one demand point. The model left is small enough for an exact solve in well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.analysis.candidate_sites import candidate_sites, check_inside_city
from geo.analysis.coverage import CoverageInputs, household_coverage
from geo.analysis.coverage_cases import CASELOAD_MONTHS
from geo.analysis.coverage_config import CoverageConfig, load_coverage_config
from geo.analysis.location_models import (
    capacitated_covering,
    greedy_capacitated,
    greedy_covering,
    maximal_covering,
    ranked_gains,
    set_covering,
)
from geo.analysis.site_reach import demand_groups, reach_matrix
from geo.errors import GeoInputError, as_choice
from geo.schema import Col, CoverageCol, SuggestMethod

#: The most new sites one suggestion may ask for.
MAX_SITES = 500


@dataclass(frozen=True)
class SiteSuggestion:
    """Ranked new sites and what they change."""

    sites: pd.DataFrame  # rank, site_id, name, site_kind, lon, lat, households_newly_covered, marginal_gain
    households: float  # in the city in the month
    covered_before: float  # within the village band of an existing centre
    covered_after: float
    greedy_after: float  # what the greedy heuristic reaches with as many sites
    method: SuggestMethod


def _as_method(method: SuggestMethod | str) -> SuggestMethod:
    return as_choice(SuggestMethod, method, "method")


def _check_count(sites: int | None, method: SuggestMethod) -> int:
    if method is SuggestMethod.LSCP:
        return 0
    if sites is None or isinstance(sites, bool) or not 1 <= int(sites) <= MAX_SITES:
        raise GeoInputError(f"number of new sites {sites!r}: allowed are 1 to {MAX_SITES}")
    return int(sites)


def suggest_sites(
    inputs: CoverageInputs,
    *,
    month: str,
    sites: int | None = None,
    method: SuggestMethod | str = SuggestMethod.MCLP,
    capacity: float | None = None,
    candidates: pd.DataFrame | None = None,
    pinned: Sequence[str] = (),
    config: CoverageConfig | None = None,
) -> SiteSuggestion:
    """New sites by MCLP (`sites` of them, the most households covered) or LSCP (the fewest that reach
    every household a candidate can reach). With `capacity` (disputes a year one new room can take), a
    room serves no more households than that caseload brings, at the city's dispute rate per household.
    `candidates` (site_id, name, lon, lat) replaces the built-in ones and must lie inside the city;
    `pinned` names candidates already decided on, which the models keep (spopt's predefined facilities)
    and which count among the `sites`."""
    chosen_method = _as_method(method)
    count = _check_count(sites, chosen_method)
    if capacity is not None and (chosen_method is not SuggestMethod.MCLP or not capacity > 0 or pinned):
        raise GeoInputError(f"capacity {capacity!r}: give a caseload above 0, with the mclp method and "
                            "no sites to keep")
    settings = config or load_coverage_config()
    pool = candidate_sites(inputs.centres, inputs.organisations, inputs.gatehouses) if candidates is None \
        else candidates.reset_index(drop=True)
    check_inside_city(pool, inputs.areas)
    households = household_coverage(inputs, month=month, config=settings)
    weights = households[Col.HOUSEHOLDS].to_numpy(dtype=float)
    centres = pd.DataFrame({CoverageCol.LON.value: inputs.centres.geometry.x.to_numpy(),
                            CoverageCol.LAT.value: inputs.centres.geometry.y.to_numpy()})
    before = np.asarray(reach_matrix(households, centres, settings).sum(axis=1)).ravel() > 0
    open_rows = ~before
    reach, demand = demand_groups(reach_matrix(households[open_rows], pool, settings), weights[open_rows])
    kept = _pinned(pool, pinned)
    if chosen_method is SuggestMethod.MCLP and len(kept) > count:
        raise GeoInputError(f"{len(kept)} sites to keep but only {count} new sites asked for: "
                            f"ask for at least {len(kept)}")
    if capacity is not None:
        # A room serves households up to its caseload: gains are what each serves, largest first.
        load = demand * _cases_per_household(inputs, weights.sum())
        picked, served = capacitated_covering(reach, demand, count, load=load, capacity=capacity)
        order = np.argsort(-served, kind="stable")
        order, gains = picked[order], served[order]
        _, greedy_served = greedy_capacitated(reach, demand, len(picked), load=load, capacity=capacity)
        greedy_gain = float(greedy_served.sum())
    else:
        picked = set_covering(reach, pinned=kept) if chosen_method is SuggestMethod.LSCP \
            else maximal_covering(reach, demand, count, pinned=kept)
        order, gains = ranked_gains(reach, demand, picked)
        greedy_gain = _reached(reach, demand, greedy_covering(reach, demand, len(picked)))
    covered_now = float(weights[before].sum())
    return SiteSuggestion(
        sites=_ranked_frame(pool, reach, demand, order, gains),
        households=float(weights.sum()),
        covered_before=covered_now,
        covered_after=covered_now + float(gains.sum()),
        greedy_after=covered_now + greedy_gain,
        method=chosen_method,
    )


def _pinned(pool: pd.DataFrame, pinned: Sequence[str]) -> np.ndarray:
    """Positions in `pool` of the sites a planner has decided on; GeoInputError for an unknown one."""
    ids = pool[CoverageCol.SITE_ID].astype(str).tolist()
    unknown = [site for site in pinned if site not in ids]
    if unknown:
        shown = ", ".join(ids[:5])
        raise GeoInputError(f"site(s) to keep {', '.join(map(repr, unknown))} are not candidates: candidate "
                            f"ids look like {shown} (see `pingan coverage suggest` output or --candidates)")
    return np.asarray([ids.index(site) for site in pinned], dtype=np.int64)


def _cases_per_household(inputs: CoverageInputs, households: float) -> float:
    """Disputes a year per household, from the last twelve months the store holds."""
    reported = pd.to_datetime(inputs.disputes()[Col.REPORTED_AT], errors="coerce", format="mixed")
    last = reported.max()
    recent = reported > last - pd.DateOffset(months=CASELOAD_MONTHS)
    return float(recent.sum()) / households if households > 0 else 0.0


def _reached(reach: object, demand: np.ndarray, columns: np.ndarray) -> float:
    if not len(columns):
        return 0.0
    hit = np.asarray(reach[:, columns].sum(axis=1)).ravel() > 0  # type: ignore[index]
    return float(demand[hit].sum())


def _ranked_frame(
    pool: pd.DataFrame, reach: object, demand: np.ndarray, order: np.ndarray, gains: np.ndarray
) -> pd.DataFrame:
    alone = [_reached(reach, demand, np.asarray([j])) for j in order]
    frame = pool.iloc[order][[CoverageCol.SITE_ID, Col.NAME, CoverageCol.SITE_KIND, CoverageCol.LON,
                              CoverageCol.LAT]].reset_index(drop=True)
    frame.insert(0, CoverageCol.RANK.value, np.arange(1, len(frame) + 1))
    frame[CoverageCol.NEWLY_COVERED.value] = np.round(alone, 1)
    frame[CoverageCol.MARGINAL_GAIN.value] = np.round(gains, 1)
    return frame
