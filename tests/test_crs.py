"""Coordinate conversions: GCJ-02 / BD-09 against published pairs, inverse accuracy over Jiuquan,
CRS names, the metric CRS and Gauss-Kruger zones."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyproj
import pytest
import shapely

from geo.crs import (
    CRS_NAMES,
    METRIC_CRS,
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_metric,
    from_wgs84,
    gauss_kruger_epsg,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    geodesic_distance_m,
    normalise_crs_name,
    to_metric,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from geo.errors import GeoInputError, UnknownCRSError

Convert = Callable[..., tuple[np.ndarray, np.ndarray]]

# The contract is 0.5 m; the iteration reaches about 1e-7 m, so a much tighter bound catches regressions.
ROUND_TRIP_LIMIT_M = 0.01
PUBLISHED_PAIR_LIMIT_M = 0.5

DUNHUANG = (94.66, 40.14)


def _jiuquan_grid(step_deg: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """A dense lon/lat grid over the whole Jiuquan extent, about 97k points."""
    lon = np.arange(92.3, 100.3 + 1e-9, step_deg)
    lat = np.arange(38.1, 42.9 + 1e-9, step_deg)
    return np.meshgrid(lon, lat)


def _distance_m(a: tuple[np.ndarray, np.ndarray], b: tuple[float, float]) -> float:
    return float(np.max(geodesic_distance_m(a[0], a[1], b[0], b[1])))


# ---------------------------------------------------------------- round trips over Jiuquan

ROUND_TRIPS = [
    pytest.param(wgs84_to_gcj02, gcj02_to_wgs84, id="wgs84-gcj02"),
    pytest.param(wgs84_to_bd09, bd09_to_wgs84, id="wgs84-bd09"),
    pytest.param(gcj02_to_bd09, bd09_to_gcj02, id="gcj02-bd09"),
]


@pytest.mark.parametrize("backwards", [False, True], ids=["there-and-back", "back-and-there"])
@pytest.mark.parametrize(("forward", "inverse"), ROUND_TRIPS)
def test_a_conversion_and_its_inverse_return_to_the_start_everywhere_in_jiuquan(
    forward: Convert, inverse: Convert, backwards: bool
) -> None:
    first, then = (inverse, forward) if backwards else (forward, inverse)
    lon, lat = _jiuquan_grid()
    again_lon, again_lat = then(*first(lon, lat))
    worst = float(np.max(geodesic_distance_m(lon, lat, again_lon, again_lat)))
    assert worst < ROUND_TRIP_LIMIT_M, f"worst round-trip error {worst:.3g} m"


@pytest.mark.parametrize("name", ["gcj02", "bd09"])
def test_named_conversions_round_trip_over_jiuquan(name: str) -> None:
    lon, lat = _jiuquan_grid(step_deg=0.1)
    back = to_wgs84(*from_wgs84(lon, lat, name), name)
    assert float(np.max(geodesic_distance_m(lon, lat, *back))) < ROUND_TRIP_LIMIT_M


def test_gcj02_really_moves_points_in_jiuquan() -> None:
    # Guards the round trips above against passing vacuously with an identity conversion.
    lon, lat = _jiuquan_grid(step_deg=0.1)
    shift = geodesic_distance_m(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert float(np.min(shift)) > 10.0
    assert float(np.max(shift)) < 1000.0


# ---------------------------------------------------------------- published reference pairs
# Pairs are (lon, lat). Sources keep lat first in places; they were reordered, not changed.
# Not used: googollee/eviltransform python/test.py TESTS_bd. Those BD-09 pairs are 10 m and 41 m away
# from the published BD-09 formula. They match (to 0.0 m) an old version that used sin(y * pi)
# where the formula has sin(y * pi * 3000 / 180), with a one-step GCJ-02 inverse.

WGS84_GCJ02_PAIRS = [
    # googollee/eviltransform python/test.py (also go/transform_test.go): shanghai
    pytest.param((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597), id="shanghai"),
    # googollee/eviltransform python/test.py (also go/transform_test.go): shenzhen
    pytest.param((113.912316, 22.543847), (113.9171764808363, 22.540796131694766), id="shenzhen"),
    # googollee/eviltransform python/test.py (also go/transform_test.go): beijing
    pytest.param((116.377817, 39.911954), (116.38404722455657, 39.91334545536069), id="beijing"),
    # hujiulong/gcoord test/unit/crs/GCJ02.spec.ts: GCJ02 [123, 45] to WGS84
    pytest.param((122.99395597, 44.99804071), (123.0, 45.0), id="gcoord-123-45"),
]

GCJ02_BD09_PAIRS = [
    # hujiulong/gcoord test/unit/crs/GCJ02.spec.ts: GCJ02 [123, 45] to BD09
    pytest.param((123.0, 45.0), (123.00636499, 45.00636899), id="gcoord-123-45"),
    # hujiulong/gcoord test/unit/crs/BD09.spec.ts: BD09 [123, 45] to GCJ02
    pytest.param((122.99363304, 44.99365430), (123.0, 45.0), id="gcoord-bd-123-45"),
    # hujiulong/gcoord test/fixtures/china-cities.json: 酒泉市 肃州区
    pytest.param((98.4943595, 39.7328234), (98.5008441, 39.7388949), id="jiuquan-suzhou"),
    # hujiulong/gcoord test/fixtures/china-cities.json: 金昌市 金川区
    pytest.param((102.1880474, 38.5200925), (102.194653, 38.5258128), id="jinchang"),
    # hujiulong/gcoord test/fixtures/china-cities.json: 那曲地区 那曲县
    pytest.param((92.0512438, 31.4762063), (92.0576832, 31.4824421), id="naqu"),
    # hujiulong/gcoord test/fixtures/china-cities.json: 锡林郭勒盟 锡林浩特市
    pytest.param((116.0482308, 43.9334573), (116.0546232, 43.9397782), id="xilinhot"),
]


@pytest.mark.parametrize(("wgs", "gcj"), WGS84_GCJ02_PAIRS)
def test_wgs84_to_gcj02_matches_published_pair(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert _distance_m(wgs84_to_gcj02(*wgs), gcj) < PUBLISHED_PAIR_LIMIT_M


@pytest.mark.parametrize(("wgs", "gcj"), WGS84_GCJ02_PAIRS[:3])
def test_full_precision_pairs_pin_the_formula_constants_to_a_millimetre(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    # These pairs carry 14+ decimals. Swapping the Krasovsky semi-major axis for WGS84's moves points
    # by about 1 cm, which the 0.5 m contract would not notice.
    assert _distance_m(wgs84_to_gcj02(*wgs), gcj) < 0.001


@pytest.mark.parametrize(("wgs", "gcj"), WGS84_GCJ02_PAIRS)
def test_gcj02_to_wgs84_matches_published_pair(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert _distance_m(gcj02_to_wgs84(*gcj), wgs) < PUBLISHED_PAIR_LIMIT_M


@pytest.mark.parametrize(("gcj", "bd"), GCJ02_BD09_PAIRS)
def test_gcj02_to_bd09_matches_published_pair(gcj: tuple[float, float], bd: tuple[float, float]) -> None:
    assert _distance_m(gcj02_to_bd09(*gcj), bd) < PUBLISHED_PAIR_LIMIT_M


@pytest.mark.parametrize(("gcj", "bd"), GCJ02_BD09_PAIRS)
def test_bd09_to_gcj02_matches_published_pair(gcj: tuple[float, float], bd: tuple[float, float]) -> None:
    assert _distance_m(bd09_to_gcj02(*bd), gcj) < PUBLISHED_PAIR_LIMIT_M


def test_jiuquan_sample_from_a_public_city_list_agrees_within_a_metre() -> None:
    # hujiulong/gcoord test/fixtures/china-cities.json, 酒泉市 肃州区: WGS84, GCJ02, BD09 of one place.
    # Its WGS84-GCJ02 pairs sit a steady 0.66-0.69 m south-west of the formula in every city checked
    # (gcoord itself asserts them to 4 decimals only), so the bound here is 1 m, not 0.5 m.
    wgs, gcj, bd = (98.4937175, 39.7319946), (98.4943595, 39.7328234), (98.5008441, 39.7388949)
    assert _distance_m(wgs84_to_gcj02(*wgs), gcj) < 1.0
    assert _distance_m(gcj02_to_wgs84(*gcj), wgs) < 1.0
    assert _distance_m(bd09_to_wgs84(*bd), wgs) < 1.0
    assert _distance_m(wgs84_to_bd09(*wgs), bd) < 1.0


# ---------------------------------------------------------------- outside China

OUTSIDE_CHINA = {
    "tokyo": (139.6917, 35.6895),
    "london": (-0.1276, 51.5072),
    "sydney": (151.2093, -33.8688),
    "moscow": (37.6173, 55.7558),
}


@pytest.mark.parametrize("place", OUTSIDE_CHINA)
def test_points_outside_china_pass_through_gcj02_unchanged(place: str) -> None:
    lon, lat = OUTSIDE_CHINA[place]
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)
    assert to_wgs84(lon, lat, "gcj02") == (lon, lat)


def test_mixed_array_shifts_only_the_points_in_china() -> None:
    lon = np.array([OUTSIDE_CHINA["tokyo"][0], DUNHUANG[0]])
    lat = np.array([OUTSIDE_CHINA["tokyo"][1], DUNHUANG[1]])
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    assert (gcj_lon[0], gcj_lat[0]) == (lon[0], lat[0])
    assert geodesic_distance_m(lon[1], lat[1], gcj_lon[1], gcj_lat[1]) > 10.0


# ---------------------------------------------------------------- CRS names


@pytest.mark.parametrize(
    ("declared", "canonical"),
    [
        ("wgs84", "wgs84"),
        ("WGS84", "wgs84"),
        (" Wgs84 ", "wgs84"),
        ("EPSG:4326", "wgs84"),
        ("epsg:4326", "wgs84"),
        ("cgcs2000", "cgcs2000"),
        ("CGCS2000", "cgcs2000"),
        ("EPSG:4490", "cgcs2000"),
        ("gcj02", "gcj02"),
        ("GCJ02", "gcj02"),
        ("GCJ-02", "gcj02"),
        ("bd09", "bd09"),
        ("BD09", "bd09"),
        ("Bd-09", "bd09"),
    ],
)
def test_normalise_crs_name_accepts_names_and_aliases_in_any_case(declared: str, canonical: str) -> None:
    assert normalise_crs_name(declared) == canonical


def test_unknown_crs_name_raises_and_lists_the_allowed_names() -> None:
    with pytest.raises(UnknownCRSError, match=r"unknown CRS 'mars'.*allowed") as caught:
        normalise_crs_name("mars")
    for name in (*CRS_NAMES, "epsg:4326", "epsg:4490"):
        assert name in str(caught.value)
    assert isinstance(caught.value, GeoInputError)


def test_converting_with_an_unknown_crs_raises() -> None:
    with pytest.raises(UnknownCRSError, match="unknown CRS 'EPSG:3857'"):
        to_wgs84(DUNHUANG[0], DUNHUANG[1], "EPSG:3857")


# ---------------------------------------------------------------- metric CRS and Gauss-Kruger zones


def test_to_metric_and_back_round_trips_over_jiuquan() -> None:
    lon, lat = _jiuquan_grid(step_deg=0.1)
    back_lon, back_lat = from_metric(*to_metric(lon, lat))
    assert float(np.max(geodesic_distance_m(lon, lat, back_lon, back_lat))) < 1e-6


def test_one_square_kilometre_near_dunhuang_has_that_area_in_the_metric_crs() -> None:
    geod = pyproj.Geod(ellps="GRS80")
    sw = DUNHUANG
    se = geod.fwd(*sw, 90.0, 1000.0)[:2]
    nw = geod.fwd(*sw, 0.0, 1000.0)[:2]
    ne = geod.fwd(*nw, 90.0, 1000.0)[:2]
    lon, lat = np.array([sw, se, ne, nw]).T
    square = shapely.Polygon(np.column_stack(to_metric(lon, lat)))
    assert square.area == pytest.approx(1_000_000.0, rel=0.005)


def test_metric_crs_is_an_equal_area_projection_on_the_cgcs2000_ellipsoid() -> None:
    assert METRIC_CRS.is_projected
    assert METRIC_CRS.ellipsoid is not None
    assert METRIC_CRS.ellipsoid.name == "GRS 1980"
    assert METRIC_CRS.axis_info[0].unit_name == "metre"


def _central_meridian(zone_crs: pyproj.CRS) -> float:
    assert zone_crs.coordinate_operation is not None
    params = {p.name: p.value for p in zone_crs.coordinate_operation.params}
    return float(params["Longitude of natural origin"])


def test_gauss_kruger_zone_of_dunhuang_is_the_cgcs2000_zone_at_96e() -> None:
    zone_crs = pyproj.CRS.from_epsg(gauss_kruger_epsg(DUNHUANG[0]))
    assert zone_crs.name == "CGCS2000 / 3-degree Gauss-Kruger zone 32"
    assert zone_crs.geodetic_crs is not None
    assert zone_crs.geodetic_crs.to_epsg() == 4490
    assert _central_meridian(zone_crs) == 96.0


@pytest.mark.parametrize("lon", [98.50, 97.04, 94.66, 95.78, 98.90, 94.88, 94.34, 92.3, 100.3])
def test_every_jiuquan_longitude_lies_within_its_zone(lon: float) -> None:
    assert abs(lon - _central_meridian(pyproj.CRS.from_epsg(gauss_kruger_epsg(lon)))) <= 1.5


@pytest.mark.parametrize(("edge", "zone"), [(97.5, 33), (100.5, 34), (73.5, 25)])
def test_a_longitude_on_a_zone_edge_belongs_to_the_zone_to_its_east(edge: float, zone: int) -> None:
    assert pyproj.CRS.from_epsg(gauss_kruger_epsg(edge)).name.endswith(f"zone {zone}")


@pytest.mark.parametrize("lon", [10.0, 73.4, 136.5, 140.0, -96.0, float("nan"), float("inf")])
def test_longitude_outside_the_cgcs2000_zones_raises(lon: float) -> None:
    allowed = r"no CGCS2000 3-degree zone: allowed 73\.5 <= longitude < 136\.5"
    with pytest.raises(GeoInputError, match=allowed):
        gauss_kruger_epsg(lon)


# ---------------------------------------------------------------- shapes, scalars and NaN

CONVERTERS = [
    pytest.param(wgs84_to_gcj02, id="wgs84_to_gcj02"),
    pytest.param(gcj02_to_wgs84, id="gcj02_to_wgs84"),
    pytest.param(gcj02_to_bd09, id="gcj02_to_bd09"),
    pytest.param(bd09_to_gcj02, id="bd09_to_gcj02"),
    pytest.param(wgs84_to_bd09, id="wgs84_to_bd09"),
    pytest.param(bd09_to_wgs84, id="bd09_to_wgs84"),
    pytest.param(to_metric, id="to_metric"),
    pytest.param(from_metric, id="from_metric"),
]


def _inputs_for(convert: Convert) -> tuple[float, float]:
    """A valid position for the converter: degrees near Dunhuang, or metres in the metric CRS."""
    if convert is from_metric:
        return (-156741.8, 17183.9)
    return DUNHUANG


@pytest.mark.parametrize("convert", CONVERTERS)
def test_scalars_give_scalars_and_arrays_keep_their_shape(convert: Convert) -> None:
    x, y = _inputs_for(convert)
    scalar_x, scalar_y = convert(x, y)
    assert np.shape(scalar_x) == np.shape(scalar_y) == ()
    assert np.isfinite(float(scalar_x)) and np.isfinite(float(scalar_y))

    grid_x, grid_y = convert(np.full((2, 3), x), np.full((2, 3), y))
    assert grid_x.shape == grid_y.shape == (2, 3)
    np.testing.assert_allclose(grid_x, float(scalar_x), rtol=0, atol=1e-12 * max(1.0, abs(x)))

    list_x, _ = convert([x, x], [y, y])
    assert isinstance(list_x, np.ndarray) and list_x.shape == (2,)


@pytest.mark.parametrize("convert", CONVERTERS)
def test_nan_positions_give_nan_and_leave_the_others_converted(convert: Convert) -> None:
    x, y = _inputs_for(convert)
    out_x, out_y = convert(np.array([np.nan, x, x]), np.array([np.nan, y, np.nan]))
    assert np.isnan(out_x[0]) and np.isnan(out_y[0])
    assert np.isnan(out_y[2])
    expected_x, expected_y = convert(x, y)
    assert out_x[1] == pytest.approx(float(expected_x), abs=1e-9)
    assert out_y[1] == pytest.approx(float(expected_y), abs=1e-9)


@pytest.mark.parametrize("convert", CONVERTERS)
def test_all_nan_input_returns_nan(convert: Convert) -> None:
    scalar = convert(np.nan, np.nan)
    assert np.isnan(scalar[0]) and np.isnan(scalar[1])
    many = convert(np.full(4, np.nan), np.full(4, np.nan))
    assert np.isnan(many[0]).all() and np.isnan(many[1]).all()


def test_inverse_with_nan_still_converges_for_the_valid_points() -> None:
    lon = np.array([np.nan, DUNHUANG[0], 98.50])
    lat = np.array([np.nan, DUNHUANG[1], 39.74])
    gcj = wgs84_to_gcj02(lon, lat)
    back_lon, back_lat = gcj02_to_wgs84(*gcj)
    error = geodesic_distance_m(lon[1:], lat[1:], back_lon[1:], back_lat[1:])
    assert float(np.max(error)) < ROUND_TRIP_LIMIT_M
