"""Covering models over a households x sites reach matrix: PySAL spopt's maximal covering (MCLP) and set
covering (LSCP) solved with CBC, a capacitated MCLP written in PuLP (spopt's MCLP has no capacities) and
the greedy heuristic they are checked against."""

from __future__ import annotations

import numpy as np
import pulp
from numpy.typing import NDArray
from scipy import sparse
from spopt.locate import LSCP, MCLP

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Reached pairs get cost 0, others this; the models' service radius sits between the two.
_FAR = 2.0
_RADIUS = 1.0


def _solver() -> pulp.LpSolver:
    return pulp.PULP_CBC_CMD(msg=False)


def _cost(reach: sparse.csr_matrix) -> FloatArray:
    return np.where(reach.toarray(), 0.0, _FAR)


def _pinned(n_sites: int, pinned: IntArray) -> IntArray | None:
    if not len(pinned):
        return None
    flags = np.zeros(n_sites, dtype=np.int64)
    flags[pinned] = 1
    return flags


def _opened(model: MCLP | LSCP) -> IntArray:
    return np.asarray([j for j, var in enumerate(model.fac_vars) if (var.value() or 0) > 0.5], dtype=np.int64)


def maximal_covering(
    reach: sparse.csr_matrix, weights: FloatArray, sites: int, *, pinned: IntArray | None = None
) -> IntArray:
    """The `sites` columns (pinned ones included) that reach the most weight."""
    fixed = np.asarray(pinned if pinned is not None else [], dtype=np.int64)
    model = MCLP.from_cost_matrix(_cost(reach), weights, service_radius=_RADIUS, p_facilities=sites,
                                  predefined_facilities_arr=_pinned(reach.shape[1], fixed))
    return _opened(model.solve(_solver(), results=False))


def set_covering(reach: sparse.csr_matrix, *, pinned: IntArray | None = None) -> IntArray:
    """The fewest columns (pinned ones included) that reach every row; rows no column reaches are left
    out, since no choice can cover them."""
    reachable = np.asarray(reach.sum(axis=1)).ravel() > 0
    fixed = np.asarray(pinned if pinned is not None else [], dtype=np.int64)
    model = LSCP.from_cost_matrix(_cost(reach[reachable]), service_radius=_RADIUS,
                                  predefined_facilities_arr=_pinned(reach.shape[1], fixed))
    return _opened(model.solve(_solver(), results=False))


def capacitated_covering(
    reach: sparse.csr_matrix, weights: FloatArray, sites: int, *, load: FloatArray, capacity: float
) -> tuple[IntArray, FloatArray]:
    """The `sites` columns that cover the most weight when a site serves at most `capacity` of load
    (a row's load may be split between sites; each share counts as covered), and the weight each serves."""
    rows, cols = reach.nonzero()
    problem = pulp.LpProblem("capacitated_mclp", pulp.LpMaximize)
    opened = [pulp.LpVariable(f"z{j}", cat="Binary") for j in range(reach.shape[1])]
    share = [pulp.LpVariable(f"x{i}_{j}", lowBound=0, upBound=1) for i, j in zip(rows, cols, strict=True)]
    problem += pulp.lpSum(weights[i] * x for i, x in zip(rows, share, strict=True))
    problem += pulp.lpSum(opened) == sites
    by_row: dict[int, list[pulp.LpVariable]] = {}
    by_col: dict[int, list[tuple[float, pulp.LpVariable]]] = {}
    for i, j, x in zip(rows, cols, share, strict=True):
        problem += x <= opened[j]
        by_row.setdefault(int(i), []).append(x)
        by_col.setdefault(int(j), []).append((float(load[i]), x))
    for xs in by_row.values():
        problem += pulp.lpSum(xs) <= 1
    for j, terms in by_col.items():
        problem += pulp.lpSum(q * x for q, x in terms) <= capacity * opened[j]
    problem.solve(_solver())
    chosen = np.asarray([j for j, z in enumerate(opened) if (z.value() or 0) > 0.5], dtype=np.int64)
    served = np.zeros(reach.shape[1])
    for i, j, x in zip(rows, cols, share, strict=True):
        served[j] += weights[i] * (x.value() or 0.0)
    return chosen, served[chosen]


def greedy_capacitated(
    reach: sparse.csr_matrix, weights: FloatArray, sites: int, *, load: FloatArray, capacity: float
) -> tuple[IntArray, FloatArray]:
    """The greedy heuristic with capacities: open the column that serves the most weight left, each
    serving the same share of every row it reaches until its load reaches `capacity`; a feasible
    solution of `capacitated_covering`'s model, so that model's optimum is at least as good."""
    csc = reach.tocsc()
    left, left_load = weights.astype(float).copy(), load.astype(float).copy()
    chosen: list[int] = []
    served: list[float] = []
    for _ in range(min(sites, reach.shape[1])):
        reach_weight, reach_load = csc.T @ left, csc.T @ left_load
        share = np.where(reach_load > capacity, capacity / np.where(reach_load > 0, reach_load, 1.0), 1.0)
        gains = reach_weight * share
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        rows = csc[:, best].nonzero()[0]
        chosen.append(best)
        served.append(float(gains[best]))
        left[rows] *= 1 - share[best]
        left_load[rows] *= 1 - share[best]
    return np.asarray(chosen, dtype=np.int64), np.asarray(served)


def greedy_covering(reach: sparse.csr_matrix, weights: FloatArray, sites: int) -> IntArray:
    """Open, one at a time, the column that reaches the most weight not yet reached."""
    csc = reach.tocsc()
    left = weights.astype(float).copy()
    chosen: list[int] = []
    for _ in range(min(sites, reach.shape[1])):
        gains = csc.T @ left
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(best)
        left[csc[:, best].nonzero()[0]] = 0.0
    return np.asarray(chosen, dtype=np.int64)


def ranked_gains(
    reach: sparse.csr_matrix, weights: FloatArray, chosen: IntArray
) -> tuple[IntArray, FloatArray]:
    """`chosen` ordered by marginal gain (each adds the most weight on top of those before it), and
    each one's gain."""
    order = greedy_covering(reach[:, chosen], weights, len(chosen))
    rest = [j for j in range(len(chosen)) if j not in set(order.tolist())]  # sites adding nothing
    sequence = np.concatenate([order, np.asarray(rest, dtype=np.int64)]).astype(np.int64)
    covered = np.zeros(reach.shape[0], dtype=bool)
    gains = np.zeros(len(sequence))
    csc = reach.tocsc()
    for rank, j in enumerate(sequence):
        rows = csc[:, chosen[j]].nonzero()[0]
        gains[rank] = weights[rows][~covered[rows]].sum()
        covered[rows] = True
    return chosen[sequence], gains
