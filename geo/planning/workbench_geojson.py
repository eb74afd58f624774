"""GeoJSON in and out of the planners' workbench: a shape drawn in the browser as a geometry, a candidate's
grids at full precision (so vertices sent back unmoved land where they were), and a candidate's problems
with the geometry to highlight."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import shapely

from geo.boundaries.candidate import Candidate
from geo.boundaries.candidate_checks import Problem
from geo.errors import GeoInputError
from geo.schema import Col

#: Decimals of the grids sent for editing (about 1 cm).
EDIT_DECIMALS = 7


def shape_from_geojson(geometry: dict[str, Any]) -> shapely.Geometry:
    """A GeoJSON geometry (as Leaflet sends it, lon/lat in WGS84) as a shapely geometry."""
    try:
        shape = shapely.from_geojson(json.dumps(geometry))
    except (shapely.errors.GEOSException, TypeError, ValueError) as error:
        raise GeoInputError(f"drawn shape: not a GeoJSON geometry ({error})") from error
    if shape.is_empty:
        raise GeoInputError("drawn shape: it is empty")
    return shape


def candidate_geojson(
    candidate: Candidate, properties: Sequence[str] = (Col.CODE, Col.NAME)
) -> dict[str, Any]:
    """The candidate's grids, by code, with `properties`."""
    return layout_geojson(candidate.grids, properties)


def layout_geojson(
    grids: gpd.GeoDataFrame, properties: Sequence[str] = (Col.CODE, Col.NAME)
) -> dict[str, Any]:
    """Grids of a layout (a candidate's, or a version's from version_layout), by code, with `properties`."""
    grids = grids.sort_values(Col.CODE)
    rounded = shapely.set_precision(grids.geometry.values, 10.0**-EDIT_DECIMALS)
    shown = gpd.GeoDataFrame(grids[list(properties)].copy(), geometry=rounded, crs=grids.crs)
    collection: dict[str, Any] = json.loads(shown.to_json(drop_id=True, na="null"))
    return collection


def problems_geojson(problems: Sequence[Problem]) -> dict[str, Any]:
    """One feature per problem that has a place to highlight: code, kind, detail, blocking."""
    features = [
        {"type": "Feature", "geometry": json.loads(shapely.to_geojson(shapely.set_precision(p.where, 1e-7))),
         "properties": p.as_dict()}
        for p in problems
        if p.where is not None and not p.where.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}
