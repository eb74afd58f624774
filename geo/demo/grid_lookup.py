"""Placing the demo's operations records (workers, centres, organisations, gatehouses) in grids.

Every operations generator takes the hierarchy frame and a seed and returns the same frame for the same
seed. Counts come from the seed (`geo.demo.figures`) and scale with the hierarchy, so they equal the
seed's exactly on the full-size hierarchy. `GridLookup` finds the grids under any area; the helpers
spread a count over places, put points in grids and add the codes of the areas above a grid.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.boundaries.counties import CITY_NAME, COUNTIES
from geo.crs import STORAGE_EPSG
from geo.demo.addresses import ancestor_codes, areas_at, sample_points
from geo.errors import GeoInputError
from geo.schema import CITY_CODE, CODE_LENGTH, AreaKind, Col, Level, city_code_of

_SEATS: Final = {c.code: (c.seat_lon, c.seat_lat) for c in COUNTIES}


class GridLookup:
    """The hierarchy's grids with look-ups by the code of any area above them."""

    def __init__(self, hierarchy: gpd.GeoDataFrame) -> None:
        self.frame = areas_at(hierarchy, Level.GRID)
        self.codes = self.frame[Col.CODE].to_numpy(dtype=str)
        self.households = self.frame[Col.HOUSEHOLDS].to_numpy(dtype=np.float64).clip(min=1.0)
        self.urban = self.frame[Col.KIND].to_numpy() == AreaKind.URBAN.value
        self.geometry = self.frame.geometry.to_numpy()
        codes = self.frame[Col.CODE]
        self._members: dict[str, NDArray[np.intp]] = dict(codes.groupby(codes.map(city_code_of)).indices)
        for level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
            self._members.update(codes.groupby(codes.str[: CODE_LENGTH[level]]).indices)
        self.names = hierarchy.set_index(Col.CODE)[Col.NAME].to_dict()
        self.names.setdefault(CITY_CODE, CITY_NAME)

    def under(self, code: str, *, urban_first: bool = False) -> NDArray[np.intp]:
        if code not in self._members:
            raise GeoInputError(f"area {code} has no grids in the hierarchy: every area must contain grids")
        members = self._members[code]
        urban = members[self.urban[members]]
        return urban if urban_first and len(urban) else members

    def busiest(self, code: str) -> int:
        members = self.under(code)
        return int(members[np.argmax(self.households[members])])

    def pick(self, rng: np.random.Generator, code: str, *, urban_first: bool = False) -> int:
        members = self.under(code, urban_first=urban_first)
        weights = self.households[members]
        return int(rng.choice(members, p=weights / weights.sum()))

    def seat(self, county_code: str) -> int:
        """The grid of a county seat: the urban grid nearest the seat's coordinates."""
        members = self.under(county_code, urban_first=True)
        if county_code not in _SEATS:
            return self.busiest(county_code)
        distance = shapely.distance(self.geometry[members], shapely.Point(_SEATS[county_code]))
        return int(members[np.argmin(distance)])

    def points(self, rng: np.random.Generator, indices: NDArray[np.intp]) -> gpd.GeoSeries:
        """A point inside each of the grids at `indices` (EPSG:4490)."""
        x, y = sample_points(self.geometry[indices], rng)
        return gpd.GeoSeries(gpd.points_from_xy(x, y), crs=STORAGE_EPSG)


def spread_counts(
    rng: np.random.Generator, total: int, weights: NDArray[np.float64], minimum: int
) -> NDArray[np.int64]:
    """Counts of at least `minimum` each that add up to `total`, the rest spread by weight."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise GeoInputError(f"cannot give {len(weights)} places at least {minimum} each out of {total}")
    return minimum + rng.multinomial(spare, weights / weights.sum())


def with_ancestors(frame: pd.DataFrame, grid_codes: NDArray[np.str_]) -> pd.DataFrame:
    """Grid, village, township and county codes, in that order, after the frame's own columns."""
    frame[Col.GRID_CODE] = grid_codes
    ancestors = ancestor_codes(pd.Series(grid_codes, index=frame.index))
    for column in (Col.VILLAGE_CODE, Col.TOWNSHIP_CODE, Col.COUNTY_CODE):
        frame[column] = ancestors[column]
    return frame
