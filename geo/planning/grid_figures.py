"""The figures a planner sees per grid of a candidate layout: code, name, households, population, grid
workers and the incidents of one year that fall in it (by the join's rule, so a new grid has its count
before it is saved)."""

from __future__ import annotations

import pandas as pd

from geo.boundaries.candidate import Candidate
from geo.planning.regrid import regrid
from geo.schema import Col, IncidentCol

WORKERS, INCIDENTS = "workers", "incidents"


def grid_figures(candidate: Candidate, incidents: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """One row per grid of `candidate`, by code: code, name, households, population, workers, incidents
    reported in `year`."""
    times = pd.to_datetime(incidents[Col.REPORTED_AT])
    of_year = incidents[times.dt.year == year]
    codes = regrid(of_year[IncidentCol.LON], of_year[IncidentCol.LAT], candidate.grids, candidate.parent)
    counts = codes[codes != ""].value_counts()
    workers = candidate.workers_per_grid()
    grids = candidate.grids.sort_values(Col.CODE)
    return pd.DataFrame(
        {
            Col.CODE: grids[Col.CODE].astype(str).to_numpy(),
            Col.NAME: grids[Col.NAME].astype(str).to_numpy(),
            Col.HOUSEHOLDS: grids[Col.HOUSEHOLDS].astype(int).to_numpy(),
            Col.POPULATION: grids[Col.POPULATION].astype(int).to_numpy(),
            WORKERS: [workers.get(code, 0) for code in grids[Col.CODE]],
            INCIDENTS: [int(counts.get(code, 0)) for code in grids[Col.CODE]],
        }
    )
