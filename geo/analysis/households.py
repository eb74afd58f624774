"""Where the city's households are in a given month: the address library's points, each standing for its
share of its village's households, and the herder households at the seasonal pasture they use that month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.schema import AreaKind, Col, CoverageCol, Level, OpsCol


def _points(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    geometry = frame.geometry
    return geometry.x.to_numpy(dtype=float), geometry.y.to_numpy(dtype=float)


def herders_in_month(herders: pd.DataFrame, month_of_year: int) -> pd.DataFrame:
    """The one row per herder household whose pasture holds it in `month_of_year` (1-12): from its move-in
    month up to the month before it moves out, the winter stay wrapping over the new year."""
    move_in = herders[OpsCol.MOVE_IN_MONTH].to_numpy(dtype=int)
    move_out = herders[OpsCol.MOVE_OUT_MONTH].to_numpy(dtype=int)
    within = (move_in <= month_of_year) & (month_of_year < move_out)
    wrapping = (move_in > move_out) & ((month_of_year >= move_in) | (month_of_year < move_out))
    return herders[within | wrapping]


def household_points(
    areas: pd.DataFrame, addresses: pd.DataFrame, herders: pd.DataFrame | None, *, month_of_year: int
) -> pd.DataFrame:
    """lon, lat, village code, households, people and pastoral flag of every household point.

    A village's households (from the areas layer) are shared among its addresses, less the herder
    households living there, who are points of their own; people follow each village's household size.
    """
    villages = areas[areas[Col.LEVEL] == Level.VILLAGE.value].set_index(Col.CODE)
    households = pd.to_numeric(villages[Col.HOUSEHOLDS], errors="coerce").fillna(0.0)
    people = pd.to_numeric(villages[Col.POPULATION], errors="coerce").fillna(0.0)
    size = people / households.where(households > 0)
    pastoral_villages = villages.index[villages[Col.KIND] == AreaKind.PASTORAL.value]
    grazing = herders_in_month(herders, month_of_year) if herders is not None else addresses.iloc[:0]
    herder_count = grazing[Col.VILLAGE_CODE].value_counts() if len(grazing) else pd.Series(dtype=float)
    address_count = addresses[Col.VILLAGE_CODE].value_counts()
    settled = (households - herder_count.reindex(households.index).fillna(0.0)).clip(lower=0.0)
    per_address = (settled / address_count.reindex(households.index)).fillna(0.0)
    village_of = pd.concat([addresses[Col.VILLAGE_CODE], grazing[Col.VILLAGE_CODE]], ignore_index=True)
    village_of = village_of.astype(str)
    lon_a, lat_a = _points(addresses)
    lon_h, lat_h = _points(grazing) if len(grazing) else (np.empty(0), np.empty(0))
    weight = np.concatenate([per_address.reindex(addresses[Col.VILLAGE_CODE]).fillna(0.0).to_numpy(),
                             np.ones(len(grazing))])
    points = pd.DataFrame({
        CoverageCol.LON.value: np.concatenate([lon_a, lon_h]),
        CoverageCol.LAT.value: np.concatenate([lat_a, lat_h]),
        Col.VILLAGE_CODE.value: village_of.to_numpy(),
        Col.HOUSEHOLDS.value: weight,
        CoverageCol.PEOPLE.value: weight * size.reindex(village_of).fillna(0.0).to_numpy(),
    })
    is_herder = np.arange(len(points)) >= len(addresses)
    in_pastoral_village = points[Col.VILLAGE_CODE].isin(pastoral_villages).to_numpy()
    points[CoverageCol.PASTORAL.value] = is_herder | in_pastoral_village
    return points
