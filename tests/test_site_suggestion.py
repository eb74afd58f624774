"""Site suggestion: a hand-made case whose optimum is known, the full city against the greedy baseline,
ranked gains that add up, and clear errors for sites outside the city and impossible requests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures.demo_copy import demo_store_in
from scipy import sparse

from geo.analysis.coverage import CoverageInputs
from geo.analysis.location_models import (
    capacitated_covering,
    greedy_covering,
    maximal_covering,
    ranked_gains,
    set_covering,
)
from geo.analysis.site_suggestion import suggest_sites
from geo.errors import GeoInputError
from geo.schema import CoverageCol
from geo.store import open_store

MONTH = "2026-07"

# Households a..e (weights 2, 2, 2, 2, 1) and three sites: S1 reaches a, b; S2 reaches c, d; S3 reaches
# b, c, e. Two sites: S1 + S2 cover 8, the best by hand; greedy takes S3 first (5) and ends at 7.
WEIGHTS = np.array([2.0, 2.0, 2.0, 2.0, 1.0])
REACH = sparse.csr_matrix(np.array([
    [1, 0, 0],
    [1, 0, 1],
    [0, 1, 1],
    [0, 1, 0],
    [0, 0, 1],
], dtype=bool))


def _covered(columns: np.ndarray) -> float:
    hit = np.asarray(REACH[:, columns].sum(axis=1)).ravel() > 0
    return float(WEIGHTS[hit].sum())


def test_maximal_covering_finds_the_optimum_worked_out_by_hand() -> None:
    chosen = maximal_covering(REACH, WEIGHTS, 2)
    assert sorted(chosen.tolist()) == [0, 1]
    assert _covered(chosen) == 8.0


def test_greedy_falls_short_of_the_optimum_on_the_hand_made_case() -> None:
    greedy = greedy_covering(REACH, WEIGHTS, 2)
    assert greedy[0] == 2
    assert _covered(greedy) == 7.0 < _covered(maximal_covering(REACH, WEIGHTS, 2))


def test_a_pinned_site_stays_in_the_solution() -> None:
    chosen = maximal_covering(REACH, WEIGHTS, 2, pinned=np.array([2]))
    assert 2 in chosen.tolist() and len(chosen) == 2
    assert _covered(chosen) == 7.0


def test_set_covering_needs_every_site_when_each_has_a_household_of_its_own() -> None:
    assert sorted(set_covering(REACH).tolist()) == [0, 1, 2]


def test_capacity_turns_the_choice_to_a_site_with_room_for_its_caseload() -> None:
    # One site. Unlimited, S3 covers the most (b, c, e: 5). S3's households bring heavy caseloads (c and
    # e 4 each): with room for 4 it serves b and three quarters of c (3.5), less than S1's a and b (4).
    load = np.array([1.0, 1.0, 4.0, 1.0, 4.0])
    assert maximal_covering(REACH, WEIGHTS, 1).tolist() == [2]
    chosen, served = capacitated_covering(REACH, WEIGHTS, 1, load=load, capacity=4.0)
    assert chosen.tolist() == [0] and served.tolist() == pytest.approx([4.0])


def test_ranked_gains_put_the_biggest_gain_first_and_add_up() -> None:
    order, gains = ranked_gains(REACH, WEIGHTS, np.array([0, 1, 2]))
    assert order[0] == 2 and gains[0] == 5.0
    assert gains.sum() == _covered(np.array([0, 1, 2]))
    assert list(gains) == sorted(gains, reverse=True)


# ---------------------------------------------------------------- the full city


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> CoverageInputs:
    store: Path = demo_store_in(tmp_path_factory.mktemp("suggest"))
    return CoverageInputs.from_store(open_store(store))


def test_on_the_full_city_the_optimum_covers_at_least_what_greedy_covers(inputs: CoverageInputs) -> None:
    result = suggest_sites(inputs, month=MONTH, sites=15)
    assert len(result.sites) == 15
    assert result.covered_after >= result.greedy_after
    assert result.covered_after > result.covered_before
    gains = result.sites[CoverageCol.MARGINAL_GAIN].to_numpy()
    assert gains.sum() == pytest.approx(result.covered_after - result.covered_before, abs=0.1 * len(gains))
    assert list(gains) == sorted(gains, reverse=True)
    assert (result.sites[CoverageCol.NEWLY_COVERED] >= result.sites[CoverageCol.MARGINAL_GAIN] - 1e-6).all()


def test_set_covering_reaches_at_least_as_many_as_any_fixed_number_of_sites(inputs: CoverageInputs) -> None:
    fewest = suggest_sites(inputs, month=MONTH, method="lscp")
    some = suggest_sites(inputs, month=MONTH, sites=max(1, len(fewest.sites) // 2))
    assert fewest.covered_after >= some.covered_after
    assert fewest.sites[CoverageCol.MARGINAL_GAIN].min() > 0


def test_a_site_already_decided_on_is_kept_and_counted(inputs: CoverageInputs) -> None:
    free = suggest_sites(inputs, month=MONTH, sites=5)
    tenth = str(suggest_sites(inputs, month=MONTH, sites=10).sites[CoverageCol.SITE_ID].iloc[-1])
    assert tenth not in set(free.sites[CoverageCol.SITE_ID])
    kept = suggest_sites(inputs, month=MONTH, sites=5, pinned=[tenth])
    assert tenth in set(kept.sites[CoverageCol.SITE_ID]) and len(kept.sites) == 5
    assert kept.covered_after < free.covered_after  # a weaker site in the five costs households
    with pytest.raises(GeoInputError, match=r"'NOWHERE' are not candidates"):
        suggest_sites(inputs, month=MONTH, sites=5, pinned=["NOWHERE"])


def test_with_a_capacity_the_optimum_still_serves_at_least_what_greedy_serves(inputs: CoverageInputs) -> None:
    free = suggest_sites(inputs, month=MONTH, sites=5)
    tight = suggest_sites(inputs, month=MONTH, sites=5, capacity=1.0)  # one dispute a year per room
    assert tight.covered_after >= tight.greedy_after
    assert tight.covered_after - tight.covered_before < free.covered_after - free.covered_before
    gains = tight.sites[CoverageCol.MARGINAL_GAIN].to_numpy()
    assert gains.sum() == pytest.approx(tight.covered_after - tight.covered_before, abs=0.1 * len(gains))


def test_a_proposed_site_outside_the_city_is_refused_naming_it(inputs: CoverageInputs) -> None:
    proposed = pd.DataFrame({CoverageCol.SITE_ID.value: ["inside", "LANZHOU"], "name": ["a", "b"],
                             CoverageCol.SITE_KIND.value: "given",
                             CoverageCol.LON.value: [98.5, 103.83], CoverageCol.LAT.value: [39.74, 36.06]})
    with pytest.raises(GeoInputError, match=r"1 site\(s\) outside 酒泉市: LANZHOU \(103\.8300, 36\.0600\); .*"
                                            r"longitude 92\.\d+-100\.\d+"):
        suggest_sites(inputs, month=MONTH, sites=1, candidates=proposed)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sites": 0}, r"number of new sites 0: allowed are 1 to 500"),
    ({"sites": None}, r"number of new sites None: allowed are 1 to 500"),
    ({"sites": 3, "method": "pmedian"}, r"unknown method 'pmedian': allowed are mclp, lscp"),
    ({"sites": 3, "capacity": -1.0}, r"capacity -1\.0: give a caseload above 0"),
])
def test_impossible_requests_are_refused(
    inputs: CoverageInputs, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(GeoInputError, match=message):
        suggest_sites(inputs, month=MONTH, **kwargs)  # type: ignore[arg-type]
