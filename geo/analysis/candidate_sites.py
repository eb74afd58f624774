"""Where a new mediation room could go: village committee offices with no centre beside them, township
seats and 金塔's gatehouses, or sites a planner proposes, which must lie inside the city."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.crs import to_metric
from geo.errors import GeoInputError
from geo.schema import Col, CoverageCol, Level, OpsCol, OrgType, SiteKind

#: A candidate this close to an existing centre is that centre's room already.
BESIDE_A_CENTRE_M: Final = 200.0

_ORG_SITES: Final = {OrgType.VILLAGE_COMMITTEE.value: SiteKind.VILLAGE_COMMITTEE.value,
                     OrgType.TOWNSHIP_COMMITTEE.value: SiteKind.TOWNSHIP_SEAT.value}


def _frame(ids: object, names: object, kind: object, geometry: object) -> pd.DataFrame:
    points = pd.Series(geometry)
    return pd.DataFrame({CoverageCol.SITE_ID.value: ids, Col.NAME.value: names,
                         CoverageCol.SITE_KIND.value: kind,
                         CoverageCol.LON.value: shapely.get_x(points.to_numpy()),
                         CoverageCol.LAT.value: shapely.get_y(points.to_numpy())})


def candidate_sites(
    centres: pd.DataFrame, organisations: pd.DataFrame, gatehouses: pd.DataFrame | None
) -> pd.DataFrame:
    """site_id, name, site_kind, lon, lat of every candidate not already beside a centre."""
    orgs = organisations[organisations[OpsCol.ORG_TYPE].isin(list(_ORG_SITES))]
    parts = [_frame(orgs[OpsCol.ORG_ID].to_numpy(), orgs[Col.NAME].to_numpy(),
                    orgs[OpsCol.ORG_TYPE].map(_ORG_SITES).to_numpy(), orgs.geometry.to_numpy())]
    if gatehouses is not None and len(gatehouses):
        parts.append(_frame(gatehouses[OpsCol.GATEHOUSE_ID].to_numpy(), gatehouses[Col.NAME].to_numpy(),
                            SiteKind.GATEHOUSE.value, gatehouses.geometry.to_numpy()))
    sites = pd.concat(parts, ignore_index=True)
    if not len(centres) or not len(sites):
        return sites
    tree = cKDTree(np.column_stack(to_metric(centres.geometry.x.to_numpy(), centres.geometry.y.to_numpy())))
    gap, _ = tree.query(np.column_stack(to_metric(sites[CoverageCol.LON], sites[CoverageCol.LAT])), k=1)
    return sites[gap > BESIDE_A_CENTRE_M].reset_index(drop=True)


def check_inside_city(sites: pd.DataFrame, areas: pd.DataFrame) -> None:
    """GeoInputError naming every site that lies outside the city's boundary, and the city's extent."""
    city = areas[areas[Col.LEVEL] == Level.CITY.value]
    if not len(city):
        raise GeoInputError("the store has no city boundary to check candidate sites against")
    outline = shapely.union_all(city.geometry.to_numpy())
    lon, lat = sites[CoverageCol.LON].to_numpy(dtype=float), sites[CoverageCol.LAT].to_numpy(dtype=float)
    points = shapely.points(lon, lat)
    outside = ~shapely.covers(outline, points)
    if outside.any():
        west, south, east, north = outline.bounds
        named = [f"{row[CoverageCol.SITE_ID]} ({row[CoverageCol.LON]:.4f}, {row[CoverageCol.LAT]:.4f})"
                 for _, row in sites[outside].head(5).iterrows()]
        raise GeoInputError(
            f"{int(outside.sum())} site(s) outside {city[Col.NAME].iloc[0]}: {', '.join(named)}; "
            f"sites must lie inside the city's boundary (longitude {west:.2f}-{east:.2f}, "
            f"latitude {south:.2f}-{north:.2f})"
        )


#: Columns a file of proposed sites must have (lon and lat in CGCS2000 / WGS84 degrees).
PROPOSED_COLUMNS: Final = (
    CoverageCol.SITE_ID.value, Col.NAME.value, CoverageCol.LON.value, CoverageCol.LAT.value
)


def read_proposed_sites(path: str | Path) -> pd.DataFrame:
    """Sites a planner proposes, from a UTF-8 CSV with site_id, name, lon, lat."""
    try:
        text_columns = {CoverageCol.SITE_ID.value: str, Col.NAME.value: str}
        frame = pd.read_csv(path, dtype=text_columns, encoding="utf-8-sig")
    except (OSError, ValueError) as error:
        raise GeoInputError(f"{path}: cannot read proposed sites ({error})") from None
    missing = [name for name in PROPOSED_COLUMNS if name not in frame.columns]
    if missing:
        raise GeoInputError(f"{path}: proposed sites need the columns {', '.join(PROPOSED_COLUMNS)}; "
                            f"missing {', '.join(missing)}")
    for name in (CoverageCol.LON.value, CoverageCol.LAT.value):
        values = pd.to_numeric(frame[name], errors="coerce")
        if values.isna().any():
            row = int(np.flatnonzero(values.isna().to_numpy())[0]) + 2
            shown = frame[name].iloc[row - 2]
            raise GeoInputError(f"{path}: row {row}: {name} {shown!r} is not a number of degrees")
        frame[name] = values
    frame[CoverageCol.SITE_KIND.value] = SiteKind.GIVEN.value
    return frame[[*PROPOSED_COLUMNS[:2], CoverageCol.SITE_KIND.value, *PROPOSED_COLUMNS[2:]]]
