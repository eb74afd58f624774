"""Which households each site could serve: pairs within the household's village band (pastoral households
have the wider one), found with a KD-tree in the metric CRS and kept when the geodesic distance agrees."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from geo.analysis.coverage_config import CoverageConfig
from geo.crs import geodesic_distance_m, to_metric
from geo.schema import CoverageCol, Level

#: The metric CRS's scale error stays under 0.3 % in the city: search this much wider, then keep the
#: pairs whose ellipsoidal distance lies within the band.
_SEARCH_SLACK = 1.005


def reach_matrix(households: pd.DataFrame, sites: pd.DataFrame, config: CoverageConfig) -> sparse.csr_matrix:
    """Households x sites, True where the site lies within the household's village band."""
    lon, lat = households[CoverageCol.LON].to_numpy(), households[CoverageCol.LAT].to_numpy()
    site_lon, site_lat = sites[CoverageCol.LON].to_numpy(), sites[CoverageCol.LAT].to_numpy()
    band_km = np.where(households[CoverageCol.PASTORAL].to_numpy(dtype=bool),
                       config.pastoral_km[Level.VILLAGE], config.bands_km[Level.VILLAGE])
    tree = cKDTree(np.column_stack(to_metric(site_lon, site_lat)))
    near = tree.query_ball_point(np.column_stack(to_metric(lon, lat)), r=band_km * 1000 * _SEARCH_SLACK)
    counts = np.fromiter((len(found) for found in near), dtype=np.int64, count=len(near))
    rows = np.repeat(np.arange(len(near)), counts)
    cols = np.concatenate([np.asarray(found, dtype=np.int64) for found in near]) if len(rows) else rows
    metres = geodesic_distance_m(lon[rows], lat[rows], site_lon[cols], site_lat[cols])
    keep = metres <= band_km[rows] * 1000
    data = np.ones(int(keep.sum()), dtype=bool)
    return sparse.csr_matrix((data, (rows[keep], cols[keep])), shape=(len(lon), len(site_lon)))


def demand_groups(
    reach: sparse.csr_matrix, weights: NDArray[np.float64]
) -> tuple[sparse.csr_matrix, NDArray[np.float64]]:
    """Households that the same sites reach are one demand point to a covering model (summed weights):
    an exact reduction that makes the model a few thousand rows instead of every address."""
    dense_rows = [tuple(reach.indices[reach.indptr[i]:reach.indptr[i + 1]]) for i in range(reach.shape[0])]
    keys = pd.Series(dense_rows, dtype=object)
    codes, uniques = pd.factorize(keys)
    grouped = np.bincount(codes, weights=weights, minlength=len(uniques)).astype(np.float64)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    grouped_reach: sparse.csr_matrix = reach[first]
    return grouped_reach, grouped
