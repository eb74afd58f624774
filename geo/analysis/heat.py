"""Where incidents concentrate: a kernel density surface and H3 hexagon counts, both filtered by a month
range, categories and sources.

Density is a Gaussian kernel density estimate computed in the metric CRS (`geo.crs.METRIC_CRS`), as
a binned estimate: incidents are shared out (linear binning) among square cells of a third of the
bandwidth and the cell totals are smoothed with `scipy.ndimage.gaussian_filter`. Why not
`scipy.stats.gaussian_kde`: it evaluates every kernel at every cell (three years of incidents times a
million cells is 3e10 evaluations), while the binned estimate costs cells times kernel width whatever
the number of incidents, and stays within about 2 % of the exact estimate's peak (tests/test_heat.py).

Bandwidth: 500 m by default, a fixed urban scale. Town grids of 200-600 households are a few hundred
metres across, so 500 m shows hot blocks and streets without smearing a hotspot over its neighbours.
Rules of thumb (Scott, Silverman) assume one cluster: on incidents spread over seven oasis towns a
hundred kilometres apart they give tens of kilometres (19 km for the benchmark's three years, 35 km
for one month), one blob per county.

The surface is returned on a regular longitude/latitude grid in EPSG:4490 (values resampled with a cubic
spline from the metric grid), as a map overlay needs, in incidents per km².
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from scipy import ndimage

from geo.analysis.area_months import as_local_times, month_span, ordinals_of
from geo.crs import STORAGE_EPSG, to_metric
from geo.errors import GeoInputError
from geo.schema import Col, IncidentCategory, IncidentSource

FloatArray = NDArray[np.float64]
Bounds = tuple[float, float, float, float]

DEFAULT_BANDWIDTH_M: Final = 500.0
#: Largest surface returned; over a bigger extent the cells grow (the bandwidth stays).
DEFAULT_MAX_CELLS: Final = 1_000_000
_KERNEL_REACH: Final = 4.0  # bandwidths beyond which the Gaussian is cut (it is 0.03 % of its peak there)
_METRES_PER_DEGREE_LAT: Final = 110_574.0
_METRES_PER_DEGREE_LON_EQUATOR: Final = 111_320.0


@dataclass(frozen=True)
class DensitySurface:
    """Incidents per km² on a regular lon/lat grid; row 0 is the northern edge."""

    values: FloatArray
    bounds: Bounds  # west, south, east, north in EPSG:4490 degrees
    transform: tuple[float, float, float, float, float, float]  # affine: lon = a*col + c, lat = e*row + f
    bandwidth_m: float
    cell_m: float
    incidents: int
    crs: str = f"EPSG:{STORAGE_EPSG}"


def _chosen(
    values: Iterable[str] | None, allowed: type[IncidentCategory] | type[IncidentSource], name: str
) -> set[str] | None:
    if values is None:
        return None
    chosen = {str(v) for v in ([values] if isinstance(values, str) else values)}
    unknown = sorted(chosen - {a.value for a in allowed})
    if unknown:
        raise GeoInputError(
            f"unknown {name} {', '.join(unknown)}: allowed are {', '.join(a.value for a in allowed)}"
        )
    return chosen


def filtered_positions(
    incidents: pd.DataFrame,
    *,
    months: str | tuple[str, str] | None = None,
    categories: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Longitude and latitude (EPSG:4490) of the incidents that pass the filters and have a position."""
    keep = np.ones(len(incidents), dtype=bool)
    if months is not None:
        start, end = month_span(months)
        month = ordinals_of(as_local_times(incidents[Col.REPORTED_AT]))
        keep &= (month >= start) & (month <= end)
    for column, values, enum in (
        (Col.CATEGORY, categories, IncidentCategory),
        (Col.SOURCE, sources, IncidentSource),
    ):
        chosen = _chosen(values, enum, column)
        if chosen is not None:
            keep &= incidents[column].isin(chosen).to_numpy()
    lon, lat = _positions(incidents)
    keep &= np.isfinite(lon) & np.isfinite(lat)
    return lon[keep], lat[keep]


def _positions(incidents: pd.DataFrame) -> tuple[FloatArray, FloatArray]:
    if isinstance(incidents, gpd.GeoDataFrame) and incidents.active_geometry_name is not None:
        points = incidents.geometry
        if points.crs is not None and points.crs.to_epsg() not in (STORAGE_EPSG, 4326):
            points = points.to_crs(STORAGE_EPSG)
        empty = points.isna().to_numpy() | points.is_empty.to_numpy()
        lon = np.where(empty, np.nan, shapely.get_x(points.to_numpy()))
        lat = np.where(empty, np.nan, shapely.get_y(points.to_numpy()))
        return lon.astype(float), lat.astype(float)
    missing = [c for c in ("lon", "lat") if c not in incidents.columns]
    if missing:
        raise GeoInputError(
            f"incidents have no geometry and no {', '.join(missing)} column: positions are needed"
        )
    return (
        pd.to_numeric(incidents["lon"], errors="coerce").to_numpy(dtype=float),
        pd.to_numeric(incidents["lat"], errors="coerce").to_numpy(dtype=float),
    )


def _lonlat_grid(bounds: Bounds, cell_m: float, max_cells: int) -> tuple[int, int, float]:
    """Rows, columns and cell size in metres: cells of `cell_m`, grown when they would exceed `max_cells`."""
    west, south, east, north = bounds
    metres_per_lon = _METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians((south + north) / 2))
    width_m, height_m = (east - west) * metres_per_lon, (north - south) * _METRES_PER_DEGREE_LAT
    cell = max(cell_m, math.sqrt(width_m * height_m / max_cells))
    cols, rows = max(1, math.ceil(width_m / cell)), max(1, math.ceil(height_m / cell))
    return rows, cols, cell


def incident_density(
    incidents: pd.DataFrame,
    *,
    months: str | tuple[str, str] | None = None,
    categories: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    bandwidth_m: float | None = None,
    bounds: Bounds | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> DensitySurface:
    """Kernel density of the incidents that pass the filters, in incidents per km².

    `bounds` (west, south, east, north in degrees) fixes the extent, for example the map view;
    otherwise it is the incidents' extent widened by three bandwidths.
    """
    bandwidth = DEFAULT_BANDWIDTH_M if bandwidth_m is None else float(bandwidth_m)
    if not bandwidth > 0:
        raise GeoInputError(f"bandwidth_m = {bandwidth_m}: it must be a positive number of metres")
    lon, lat = filtered_positions(incidents, months=months, categories=categories, sources=sources)
    if bounds is None:
        if not len(lon):
            return DensitySurface(np.zeros((0, 0)), (math.nan,) * 4, (0.0,) * 6, bandwidth, bandwidth / 2, 0)
        pad_lat = 3 * bandwidth / _METRES_PER_DEGREE_LAT
        pad_lon = pad_lat / math.cos(math.radians(float(np.mean(lat))))
        bounds = (lon.min() - pad_lon, lat.min() - pad_lat, lon.max() + pad_lon, lat.max() + pad_lat)
    west, south, east, north = (float(b) for b in bounds)
    if not (west < east and south < north):
        raise GeoInputError(
            f"bounds {bounds}: expected (west, south, east, north) with west < east, south < north"
        )
    rows, cols, cell = _lonlat_grid((west, south, east, north), bandwidth / 2, max_cells)
    lon_step, lat_step = (east - west) / cols, (north - south) / rows
    centre_lon = west + (np.arange(cols) + 0.5) * lon_step
    centre_lat = north - (np.arange(rows) + 0.5) * lat_step
    grid_lon, grid_lat = np.meshgrid(centre_lon, centre_lat)
    x, y = to_metric(grid_lon.ravel(), grid_lat.ravel())
    # The smoothing grid is a little finer than the output (a third of a bandwidth), which keeps binning
    # and resampling errors near 1 % of the peak.
    values = _metric_density(lon, lat, x, y, bandwidth, max(bandwidth / 3, cell * 2 / 3)).reshape(rows, cols)
    transform = (lon_step, 0.0, west, 0.0, -lat_step, north)
    return DensitySurface(values, (west, south, east, north), transform, bandwidth, cell, len(lon))


def _metric_density(
    lon: FloatArray, lat: FloatArray, x: FloatArray, y: FloatArray, bandwidth: float, cell: float
) -> FloatArray:
    """Density at metric points (x, y) from incidents binned on a metric grid around those points."""
    px, py = to_metric(lon, lat)
    reach = _KERNEL_REACH * bandwidth
    x0, y0 = x.min() - reach, y.min() - reach
    nx = math.ceil((x.max() + reach - x0) / cell) + 1
    ny = math.ceil((y.max() + reach - y0) / cell) + 1
    counts = _linear_binning((px - x0) / cell - 0.5, (py - y0) / cell - 0.5, nx, ny)
    smoothed = ndimage.gaussian_filter(
        counts, sigma=bandwidth / cell, mode="constant", truncate=_KERNEL_REACH
    )
    per_km2 = smoothed / (cell * cell / 1e6)
    # Cubic rather than bilinear resampling: linear interpolation would flatten peaks by a few per cent.
    values = ndimage.map_coordinates(
        per_km2, [(x - x0) / cell - 0.5, (y - y0) / cell - 0.5], order=3, mode="nearest"
    )
    return np.clip(values, 0.0, None)  # the spline rings slightly below 0 next to isolated peaks


def _linear_binning(fx: FloatArray, fy: FloatArray, nx: int, ny: int) -> FloatArray:
    """Each point's weight shared among the four nearest cell centres in proportion to nearness (linear
    binning): the binned estimate then errs by a fraction of a cell squared, not of a cell."""
    ix, iy = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    wx, wy = fx - ix, fy - iy
    # Points farther than the kernel's reach from every output cell fall outside the grid and drop out.
    inside = (ix >= 0) & (ix + 1 < nx) & (iy >= 0) & (iy + 1 < ny)
    ix, iy, wx, wy = ix[inside], iy[inside], wx[inside], wy[inside]
    counts = np.zeros(nx * ny)
    for dx, dy, weight in (
        (0, 0, (1 - wx) * (1 - wy)),
        (1, 0, wx * (1 - wy)),
        (0, 1, (1 - wx) * wy),
        (1, 1, wx * wy),
    ):
        counts += np.bincount((ix + dx) * ny + iy + dy, weights=weight, minlength=nx * ny)
    return counts.reshape(nx, ny)


def hexagon_counts(
    incidents: pd.DataFrame,
    *,
    resolution: int = 7,
    months: str | tuple[str, str] | None = None,
    categories: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Incidents per H3 cell (``h3_cell``, ``count``, hexagon ``geometry`` in EPSG:4490), busiest first.

    Resolution 7 cells are about 5 km² (a township seat), 8 about 0.7 km² (a few town grids). For a
    heat map only: H3 cells do not follow grid boundaries, so they never assign incidents to grids.
    """
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not 0 <= resolution <= 15:
        raise GeoInputError(f"H3 resolution {resolution!r}: allowed are whole numbers 0 to 15")
    lon, lat = filtered_positions(incidents, months=months, categories=categories, sources=sources)
    cells = pd.Series(
        [h3.latlng_to_cell(y, x, resolution) for x, y in zip(lon, lat, strict=True)], dtype=object
    )
    counts = cells.value_counts()
    counts = counts.rename_axis("h3_cell").reset_index(name="count")
    counts = counts.sort_values(["count", "h3_cell"], ascending=[False, True], ignore_index=True)
    counts["count"] = counts["count"].astype(np.int64)
    return gpd.GeoDataFrame(counts, geometry=_hexagons(counts["h3_cell"]), crs=STORAGE_EPSG)


def _hexagons(cells: pd.Series) -> np.ndarray:
    """The cells' outlines as polygons, made in one call (thousands over a province)."""
    boundaries = [h3.cell_to_boundary(cell) for cell in cells]
    if not boundaries:
        return np.empty(0, dtype=object)
    vertices = np.fromiter((len(b) for b in boundaries), dtype=np.int64, count=len(boundaries))
    lat_lon = np.array([vertex for boundary in boundaries for vertex in boundary], dtype=float)
    rings = shapely.linearrings(lat_lon[:, ::-1], indices=np.repeat(np.arange(len(boundaries)), vertices))
    return np.asarray(shapely.polygons(rings))
