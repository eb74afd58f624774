"""金塔's residential-compound gatehouses (门房) run as service posts."""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import STORAGE_EPSG
from geo.demo.addresses import hierarchy_units, plain_columns
from geo.demo.figures import scaled_count
from geo.demo.grid_lookup import GridLookup, spread_counts, with_ancestors
from geo.demo.names import Seed, as_rng, weighted_sample
from geo.errors import GeoInputError
from geo.schema import Col, OpsCol

JINTA: Final = "620921"
_COMPOUND_HEADS: Final = tuple(  # a word list reads best as one string
    "金 阳光 幸福 丽景 胡杨 航天 新城 惠民 鑫盛 锦绣 华庭 康泰 和谐 泰安 世纪 瑞丰".split()  # noqa: SIM905
)
_COMPOUND_TAILS: Final = tuple("苑 家园 花园 小区 佳园 府 新村 里 雅居 名都".split())  # noqa: SIM905


def generate_gatehouses(hierarchy: gpd.GeoDataFrame, seed: Seed) -> gpd.GeoDataFrame:
    """金塔's residential-compound gatehouses run as service posts: one in every urban grid of the county
    as far as they go, the rest where more households live."""
    rng = as_rng(seed, "gatehouses")
    grids = GridLookup(hierarchy)
    urban = grids.under(JINTA, urban_first=True)
    if not grids.urban[urban].any():
        raise GeoInputError(f"金塔县 ({JINTA}) has no urban grids: gatehouses are placed in its town's grids")
    count = scaled_count("gatehouses", hierarchy_units(hierarchy))
    weights = grids.households[urban]
    if count >= len(urban):
        per_grid = spread_counts(rng, count, weights, 1)
        chosen = np.repeat(urban, per_grid)
    else:
        chosen = urban[weighted_sample(rng, weights, count)]
    stems = [h + t for h in _COMPOUND_HEADS for t in _COMPOUND_TAILS]
    order = rng.permutation(len(stems))
    names = [
        stems[order[i % len(stems)]] + (f"{i // len(stems) + 1}期" if i >= len(stems) else "") + "门房"
        for i in range(count)
    ]
    frame = pd.DataFrame({OpsCol.GATEHOUSE_ID: [f"MF{i + 1:03d}" for i in range(count)], Col.NAME: names})
    frame = with_ancestors(frame, grids.codes[chosen])
    return plain_columns(
        gpd.GeoDataFrame(frame, geometry=grids.points(rng, chosen).values, crs=STORAGE_EPSG)
    )
