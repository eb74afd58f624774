"""Which grid points fall in once a parent's grids change, by the join's rule (geo.intake.join: covered-by,
lowest code on shared edges), answered only where it can change: inside the parent's bounding box,
against the grids that reach into it. A point there lies in a grid that reaches into the box, so the
answer equals a fresh join on the whole layer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.crs import STORAGE_EPSG
from geo.intake.join import assign_grids_sjoin
from geo.schema import CODE_LENGTH, Col, Level


def layer_with(grids: pd.DataFrame, parent_code: str, candidate_grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The grid layer with `parent_code`'s grids replaced by the candidate's (code and geometry)."""
    others = grids[~grids[Col.CODE].astype(str).str.startswith(parent_code)]
    return gpd.GeoDataFrame(
        pd.concat(
            [others[[Col.CODE, Col.GEOMETRY]], candidate_grids[[Col.CODE, Col.GEOMETRY]]], ignore_index=True
        ),
        geometry=Col.GEOMETRY,
        crs=STORAGE_EPSG,
    )


def in_box(lon: pd.Series, lat: pd.Series, parent: shapely.Geometry) -> NDArray[np.bool_]:
    """Points inside the parent's bounding box (the only ones whose grid a change of its grids can move)."""
    x0, y0, x1, y1 = shapely.bounds(parent)
    x, y = lon.to_numpy(dtype=float), lat.to_numpy(dtype=float)
    return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def regrid(lon: pd.Series, lat: pd.Series, layer: gpd.GeoDataFrame, parent: shapely.Geometry) -> pd.Series:
    """The grid code of each point in the parent's box on `layer` ("" outside every grid); points outside
    the box are left out of the result (index kept)."""
    box = in_box(lon, lat, parent)
    near = layer[shapely.intersects(layer.geometry.values, shapely.box(*shapely.bounds(parent)))]
    if not box.any() or near.empty:
        return pd.Series([], dtype=object, index=lon.index[:0])
    joined = assign_grids_sjoin(lon[box], lat[box], near, code_column=Col.CODE)
    return pd.Series(joined.codes, index=lon.index[box], dtype=object)


def codes_above(grid_code: str) -> dict[str, str]:
    """The village, township and county codes a grid code implies (the code rule of geo.schema)."""
    return {
        Col.VILLAGE_CODE: grid_code[: CODE_LENGTH[Level.VILLAGE]],
        Col.TOWNSHIP_CODE: grid_code[: CODE_LENGTH[Level.TOWNSHIP]],
        Col.COUNTY_CODE: grid_code[: CODE_LENGTH[Level.COUNTY]],
    }
