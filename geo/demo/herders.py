"""The herder households of 肃北 and 阿克塞 and the seasonal pastures they move between."""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORAGE_EPSG, to_metric_geometry
from geo.demo.addresses import areas_at, plain_columns, sample_points
from geo.demo.names import Seed, as_rng, local_people
from geo.demo.plan import PASTORAL_COUNTIES
from geo.errors import GeoInputError
from geo.schema import AreaKind, Col, Level, OpsCol, Season

HERDER_SHARE: Final = 0.6  # share of a pastoral village's households that move between pastures


def _pasture_shape(
    rng: np.random.Generator, village: shapely.Geometry, half: shapely.Geometry, taken: shapely.Geometry
) -> shapely.Geometry | None:
    """An irregular blob in one half of the village that does not overlap the pastures already drawn."""
    room = shapely.difference(shapely.intersection(village, half), taken)
    if room.is_empty or room.area <= 0:
        return None
    radius = 0.28 * np.sqrt(village.area)
    for _ in range(12):
        x, y = sample_points(np.array([room]), rng)
        angles = np.sort(rng.uniform(0, 2 * np.pi, 14))
        radii = radius * rng.uniform(0.5, 1.1, 14)
        blob = shapely.Polygon(
            np.column_stack([x[0] + radii * np.cos(angles), y[0] + 0.8 * radii * np.sin(angles)])
        )
        shape = shapely.intersection(room, shapely.make_valid(blob))
        parts = [p for p in shapely.get_parts(shape) if isinstance(p, shapely.Polygon) and p.area > 0]
        if parts:
            return max(parts, key=lambda p: p.area)
    return None


def _village_pastures(
    rng: np.random.Generator, code: str, name: str, village: shapely.Geometry, per_season: int
) -> list[dict[str, object]]:
    """Summer pastures in the southern (mountain) half, winter pastures in the northern half: in both
    counties the Qilian and Altun ranges lie to the south, the lower winter grounds to the north."""
    minx, miny, maxx, maxy = village.bounds
    middle = (miny + maxy) / 2
    halves = {
        Season.SUMMER: shapely.box(minx, miny, maxx, middle),
        Season.WINTER: shapely.box(minx, middle, maxx, maxy),
    }
    label = {Season.SUMMER: "夏季牧场", Season.WINTER: "冬春草场"}
    rows: list[dict[str, object]] = []
    taken: shapely.Geometry = shapely.Polygon()
    for season in Season:
        for number in range(1, per_season + 1):
            shape = _pasture_shape(rng, village, halves[season], taken)
            if shape is None:
                shape = _pasture_shape(rng, village, shapely.box(minx, miny, maxx, maxy), taken)
            if shape is None:
                continue
            taken = shapely.union(taken, shape)
            rows.append(
                {
                    OpsCol.SEASON: season.value,
                    Col.VILLAGE_CODE: code,
                    Col.NAME: f"{name}{label[season]}{number}号",
                    Col.GEOMETRY: shape,
                }
            )
    return rows


def generate_herders(hierarchy: gpd.GeoDataFrame, seed: Seed) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Herder households of 肃北 and 阿克塞 and the pastures they move between.

    Returns (households, pastures). Each household has two rows, one per season, with its camp as a
    point inside that season's pasture and the months it moves in and out (to the summer pasture in
    May or June, back in September or October). Pastures are polygons inside pastoral villages.
    """
    rng = as_rng(seed, "herders")
    villages = areas_at(hierarchy, Level.VILLAGE)
    pastoral = villages[
        villages[Col.CODE].str[:6].isin(PASTORAL_COUNTIES) & (villages[Col.KIND] == AreaKind.PASTORAL.value)
    ].reset_index(drop=True)
    if pastoral.empty:
        raise GeoInputError(
            f"no pastoral villages in {', '.join(PASTORAL_COUNTIES)}: herders need kind 'pastoral'"
        )
    pasture_rows: list[dict[str, object]] = []
    household_rows: list[dict[str, object]] = []
    for village in pastoral.itertuples():
        code, name, geometry = getattr(village, Col.CODE), getattr(village, Col.NAME), village.geometry
        herders = max(2, round(HERDER_SHARE * float(getattr(village, Col.HOUSEHOLDS))))
        pastures = _village_pastures(rng, code, name, geometry, int(np.clip(round(herders / 40), 1, 6)))
        first = len(pasture_rows)
        pasture_rows += pastures
        by_season = {
            s: [first + i for i, p in enumerate(pastures) if p[OpsCol.SEASON] == s.value] for s in Season
        }
        by_season = {s: rows or [first + i for i in range(len(pastures))] for s, rows in by_season.items()}
        summer_in = rng.choice([5, 6], herders)
        summer_out = rng.choice([9, 10], herders)
        for h in range(herders):
            for season, move_in, move_out in (
                (Season.SUMMER, summer_in[h], summer_out[h]),
                (Season.WINTER, summer_out[h], summer_in[h]),
            ):
                household_rows.append(
                    {
                        "_household": len(household_rows) // 2,
                        OpsCol.SEASON: season.value,
                        Col.VILLAGE_CODE: code,
                        "_pasture": int(rng.choice(by_season[season])),
                        OpsCol.MOVE_IN_MONTH: int(move_in),
                        OpsCol.MOVE_OUT_MONTH: int(move_out),
                    }
                )
    pastures = gpd.GeoDataFrame(pasture_rows, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    pastures.insert(0, OpsCol.PASTURE_ID, [f"P{i + 1:04d}" for i in range(len(pastures))])
    pastures.insert(3, Col.COUNTY_CODE, pastures[Col.VILLAGE_CODE].str[:6])
    pastures.insert(5, Col.AREA_KM2, [round(to_metric_geometry(g).area / 1e6, 3) for g in pastures.geometry])

    camps = pd.DataFrame(household_rows)
    household_ids = camps.pop("_household").to_numpy()
    pasture_index = camps.pop("_pasture").to_numpy()
    county_codes = camps[Col.VILLAGE_CODE].str[:6].to_numpy(dtype=str)
    names, phones = local_people(rng, county_codes[::2])
    camps.insert(0, OpsCol.HERDER_ID, [f"H{i + 1:05d}" for i in household_ids])
    camps.insert(1, OpsCol.PERSON_NAME, names[household_ids])
    camps.insert(2, OpsCol.PHONE, phones[household_ids])
    camps.insert(3, Col.COUNTY_CODE, county_codes)
    camps.insert(6, OpsCol.PASTURE_ID, pastures[OpsCol.PASTURE_ID].to_numpy()[pasture_index])
    x, y = sample_points(pastures.geometry.to_numpy()[pasture_index], rng)
    households = gpd.GeoDataFrame(camps, geometry=gpd.points_from_xy(x, y), crs=STORAGE_EPSG)
    return plain_columns(households), plain_columns(pastures)
