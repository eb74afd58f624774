"""The demo's full- and part-time grid workers (网格员)."""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.demo.addresses import hierarchy_units, plain_columns
from geo.demo.figures import scaled_count
from geo.demo.grid_lookup import GridLookup, spread_counts, with_ancestors
from geo.demo.names import Seed, as_rng, local_people
from geo.schema import AreaKind, Col, OpsCol

_FULL_TIME_SHARE: Final = {
    AreaKind.URBAN.value: 0.55,
    AreaKind.RURAL.value: 0.2,
    AreaKind.PASTORAL.value: 0.3,
}


def generate_grid_workers(hierarchy: gpd.GeoDataFrame, seed: Seed) -> pd.DataFrame:
    """Full- and part-time grid workers: at least one per grid, more where more households live, and
    more again in town, where community social workers serve as full-time grid workers."""
    rng = as_rng(seed, "grid_workers")
    grids = GridLookup(hierarchy)
    total = scaled_count("grid_workers", hierarchy_units(hierarchy))
    weights = grids.households**0.8 * np.where(grids.urban, 1.3, 1.0)
    per_grid = spread_counts(rng, total, weights, 1)
    owner = np.repeat(np.arange(len(grids.codes)), per_grid)
    kinds = grids.frame[Col.KIND].to_numpy()[owner]
    full_time_share = np.array([_FULL_TIME_SHARE.get(k, 0.3) for k in kinds])
    county_codes = np.array([c[:6] for c in grids.codes[owner]])
    names, phones = local_people(rng, county_codes)
    frame = pd.DataFrame(
        {
            OpsCol.WORKER_ID: [f"W{i + 1:05d}" for i in range(total)],
            OpsCol.PERSON_NAME: names,
            OpsCol.PHONE: phones,
            OpsCol.FULL_TIME: rng.random(total) < full_time_share,
        }
    )
    return plain_columns(with_ancestors(frame, grids.codes[owner]))
