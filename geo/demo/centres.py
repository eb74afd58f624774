"""The demo's comprehensive governance centres (综治中心) at city, county, township and village level."""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import STORAGE_EPSG
from geo.demo.addresses import areas_at, hierarchy_units, plain_columns
from geo.demo.figures import scaled_count
from geo.demo.grid_lookup import GridLookup
from geo.demo.names import Seed, as_rng
from geo.schema import CITY_CODE, AreaKind, CentreLevel, Col, Level, OpsCol

_CITY_SEAT_COUNTY: Final = "620902"  # the city government sits in 肃州区


def generate_centres(hierarchy: gpd.GeoDataFrame, seed: Seed) -> gpd.GeoDataFrame:
    """Comprehensive governance centres at four levels: the city's and each county's in the county seat's
    urban grid, each township's in its most populated grid, and a village centre in the most
    populated grid of the largest villages (all communities first), as many as the seed has."""
    rng = as_rng(seed, "centres")
    grids = GridLookup(hierarchy)
    counties = areas_at(hierarchy, Level.COUNTY)[Col.CODE].tolist()
    townships = areas_at(hierarchy, Level.TOWNSHIP)[Col.CODE].tolist()
    villages = areas_at(hierarchy, Level.VILLAGE)
    city_county = _CITY_SEAT_COUNTY if _CITY_SEAT_COUNTY in counties else counties[0]
    places: list[tuple[CentreLevel, str, int]] = [(CentreLevel.CITY, CITY_CODE, grids.seat(city_county))]
    places += [(CentreLevel.COUNTY, code, grids.seat(code)) for code in counties]
    places += [(CentreLevel.TOWNSHIP, code, grids.busiest(code)) for code in townships]
    village_count = min(scaled_count("centres_village", hierarchy_units(hierarchy)), len(villages))
    ranked = villages.assign(_urban=villages[Col.KIND] == AreaKind.URBAN.value).sort_values(
        ["_urban", Col.HOUSEHOLDS, Col.CODE], ascending=[False, False, True]
    )
    chosen = sorted(ranked[Col.CODE].iloc[:village_count])
    places += [(CentreLevel.VILLAGE, code, grids.busiest(code)) for code in chosen]
    levels, codes, grid_index = zip(*places, strict=True)
    grid_index_array = np.asarray(grid_index)
    frame = pd.DataFrame(
        {
            OpsCol.CENTRE_ID: [f"ZZ{code}" for code in codes],
            Col.NAME: [f"{grids.names[code]}综治中心" for code in codes],
            Col.LEVEL: [level.value for level in levels],
            OpsCol.AREA_CODE: list(codes),
            Col.GRID_CODE: grids.codes[grid_index_array],
        }
    )
    return plain_columns(
        gpd.GeoDataFrame(frame, geometry=grids.points(rng, grid_index_array).values, crs=STORAGE_EPSG)
    )
