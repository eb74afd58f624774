"""The wall's digest on a tiny hand-made city, every figure worked out by hand, and the app serving only
the wall.

Two counties side by side, one township, one village and two grids each (boxes of 0.1 degree):

    39.2 +---------+---------+---------+---------+
         | A grid1 | A grid2 | B grid1 | B grid2 |     A = 肃州区 620902, township 东关街道 (2,000 residents)
    39.0 +---------+---------+---------+---------+     B = 金塔县 620921, township 金塔镇 (4,000 residents)
       98.0      98.1      98.2      98.3      98.4

Incidents (March 2024 is the newest month):
  #1 A grid1 03-05 09:10 neighbour       closed 03-08
  #2 A grid1 03-05 09:40 neighbour       open                 (#1 and #2: one group of two in the latest list)
  #3 A grid2 03-20 14:00 land            in progress
  #4 B grid1 03-25 16:30 business        closed 03-26 10:00   (the newest time in the store)
  #5 A grid1 02-10 10:00 marriage_family closed 02-12
  #6 B grid2 01-15 08:00 labour_wages    in progress          (overdue by March's end: open more than 30 days)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from fixtures.accounts import add_accounts, sign_in

from dashboard.app import create_app
from dashboard.data.wall import LatestGroup, WallFeed, coverage, latest_groups
from dashboard.settings import Settings
from dashboard.wall.views import reported_on
from geo.api import LOCAL_TIMEZONE, GeoPackageStore, StoreError, city_today, warning_scores

A, B = "620902", "620921"
A1, B1 = f"{A}001", f"{B}001"
A_GRID1, A_GRID2, B_GRID1, B_GRID2 = f"{A1}001001", f"{A1}001002", f"{B1}001001", f"{B1}001002"
PERSONAL = {
    "reporter_name": "欧阳小明",
    "reporter_phone": "13800000001",
    "address": "东关街道幸福路12号",
    "description": "邻居装修噪音扰民引发争吵",
}


def _area(code: str, name: str, level: str, parent: str | None, west: float, east: float,
          households: int, population: int) -> dict[str, Any]:
    return {
        "code": code, "name": name, "level": level, "parent_code": parent, "kind": "urban",
        "households": households, "population": population, "area_km2": 100.0, "version_id": "v1",
        "valid_from": "2024-01-01", "valid_to": None, "geometry": shapely.box(west, 39.0, east, 39.2),
    }


def _areas() -> gpd.GeoDataFrame:
    rows = [
        _area("620900", "酒泉市", "city", None, 98.0, 98.4, 400, 6000),
        _area(A, "肃州区", "county", "620900", 98.0, 98.2, 200, 2000),
        _area(B, "金塔县", "county", "620900", 98.2, 98.4, 200, 4000),
        _area(A1, "东关街道", "township", A, 98.0, 98.2, 200, 2000),
        _area(B1, "金塔镇", "township", B, 98.2, 98.4, 200, 4000),
        _area(f"{A1}001", "河渠社区", "village", A1, 98.0, 98.2, 200, 2000),
        _area(f"{B1}001", "金园村", "village", B1, 98.2, 98.4, 200, 4000),
        _area(A_GRID1, "河渠社区第1网格", "grid", f"{A1}001", 98.0, 98.1, 100, 1000),
        _area(A_GRID2, "河渠社区第2网格", "grid", f"{A1}001", 98.1, 98.2, 100, 1000),
        _area(B_GRID1, "金园村第1网格", "grid", f"{B1}001", 98.2, 98.3, 100, 2000),
        _area(B_GRID2, "金园村第2网格", "grid", f"{B1}001", 98.3, 98.4, 100, 2000),
    ]
    frame = gpd.GeoDataFrame(rows, crs=4490)
    frame["valid_to"] = pd.Series([None] * len(frame), dtype="string")
    return frame


def _incident(number: int, grid: str, reported: str, category: str, status: str,
              closed: str | None = None) -> dict[str, Any]:
    west = {A_GRID1: 98.0, A_GRID2: 98.1, B_GRID1: 98.2, B_GRID2: 98.3}[grid]
    return {
        "incident_id": f"I{number}", "source": "app", "source_id": str(number), "category": category,
        "severity": 1, "serious": False, "repeat_petition": False, "status": status,
        "outcome": "mediated" if status == "closed" else "", "pre_litigation": False,
        "reported_at": pd.Timestamp(f"2024-{reported}"),
        "closed_at": pd.Timestamp(f"2024-{closed}") if closed else pd.NaT, "satisfaction": "",
        "lon": west + 0.05, "lat": 39.1, "grid_code": grid, "village_code": grid[:12],
        "township_code": grid[:9], "county_code": grid[:6], **PERSONAL,
        "geometry": shapely.Point(west + 0.05, 39.1),
    }


INCIDENTS = [
    _incident(1, A_GRID1, "03-05 09:10", "neighbour", "closed", "03-08 12:00"),
    _incident(2, A_GRID1, "03-05 09:40", "neighbour", "open"),
    _incident(3, A_GRID2, "03-20 14:00", "land", "in_progress"),
    _incident(4, B_GRID1, "03-25 16:30", "business", "closed", "03-26 10:00"),
    _incident(5, A_GRID1, "02-10 10:00", "marriage_family", "closed", "02-12 09:00"),
    _incident(6, B_GRID2, "01-15 08:00", "labour_wages", "in_progress"),
]


def _points(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4490)


def build_wall_store(path: Path) -> Path:
    """The tiny city above, with its centres, mediation organisations and one person in each people layer."""
    centres = [  # the city's and B's centres sit above any township; A1 has a township and a village centre
        {"centre_id": "ZZ620900", "name": "酒泉市综治中心", "level": "city", "area_code": "620900"},
        {"centre_id": "ZZ620921", "name": "金塔县综治中心", "level": "county", "area_code": B},
        {"centre_id": f"ZZ{A1}", "name": "东关街道综治中心", "level": "township", "area_code": A1},
        {"centre_id": f"ZZ{A1}001", "name": "河渠社区综治中心", "level": "village", "area_code": f"{A1}001"},
    ]
    organisations = [
        {"org_id": "ORG1", "org_type": "township_committee", "name": "东关街道调委会", "area_code": A1},
        {"org_id": "ORG2", "org_type": "village_committee", "name": "金园村调委会", "area_code": f"{B1}001"},
        {"org_id": "ORG3", "org_type": "industry_committee", "name": "金塔县物业调委会", "area_code": B},
    ]
    for row in centres + organisations:
        row["geometry"] = shapely.Point(98.1, 39.1)
    GeoPackageStore(path).write({
        "areas": _areas(),
        "incidents": _points(INCIDENTS),
        "centres": _points(centres),
        "mediation_orgs": _points(organisations),
        "grid_workers": pd.DataFrame([{"worker_id": "W1", "person_name": "司马光华", "phone": "13900000002",
                                       "grid_code": A_GRID1}]),
        "mediators": pd.DataFrame([{"mediator_id": "M1", "person_name": "诸葛红英", "phone": "13700000003",
                                    "org_id": "ORG1"}]),
    })
    add_accounts(path, city="620900", county=B)
    return path


@pytest.fixture(scope="module")
def wall_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wall_store(tmp_path_factory.mktemp("wall") / "wall.gpkg")


def _settings(store: Path, cache: Path, **overrides: Any) -> Settings:
    return Settings.from_env({}, store=store, cache_dir=cache, **overrides)


@pytest.fixture(scope="module")
def digest(wall_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return WallFeed(_settings(wall_store, tmp_path_factory.mktemp("cache"))).digest()


def _flat(bounds: Any) -> list[float]:
    (south, west), (north, east) = bounds
    return [south, west, north, east]


def test_the_digest_is_of_the_newest_month_and_dated_by_the_newest_time_in_the_store(digest: Any) -> None:
    assert digest.month == "2024-03"
    assert digest.as_of == "2024-03-26 10:00"  # #4 closed then, after anything was reported
    assert [(c.code, c.name) for c in digest.counties] == [(A, "肃州区"), (B, "金塔县")]
    assert _flat(digest.city.bounds) == pytest.approx([39.0, 98.0, 39.2, 98.4])
    assert _flat(digest.counties[1].bounds) == pytest.approx([39.0, 98.2, 39.2, 98.4])


def test_city_figures_count_this_months_cases_and_every_case_still_in_mediation(digest: Any) -> None:
    city = digest.scopes["620900"].kpis

    assert (city.incidents, city.incidents_previous, city.closed) == (4, 1, 2)
    assert city.closure_rate == pytest.approx(0.5)
    assert city.overdue == 1  # #6, open since January
    assert city.in_mediation == 2  # #3 from March and #6 from January


def test_county_figures_count_only_the_countys_cases(digest: Any) -> None:
    a, b = digest.scopes[A].kpis, digest.scopes[B].kpis

    assert (a.incidents, a.incidents_previous, a.closed, a.overdue, a.in_mediation) == (3, 1, 1, 0, 1)
    assert a.closure_rate == pytest.approx(1 / 3)
    assert (b.incidents, b.incidents_previous, b.closed, b.overdue, b.in_mediation) == (1, 0, 1, 1, 1)


def test_red_areas_and_colours_are_the_warning_index_of_the_month(digest: Any, wall_store: Path) -> None:
    store = GeoPackageStore(wall_store)
    scores = warning_scores(store.read("incidents"), store.read("areas"), month="2024-03")
    red = scores[scores["warning_level"] == "red"]

    for level in ("county", "township", "village", "grid"):
        assert digest.scopes["620900"].kpis.red_areas[level] == int((red["level"] == level).sum())
        assert digest.scopes[A].kpis.red_areas[level] == int(
            ((red["level"] == level) & red["code"].str.startswith(A)).sum())
    grids = scores[scores["level"] == "grid"]
    assert digest.colours["grid"] == dict(zip(grids["code"], grids["warning_level"], strict=True))


def test_the_trend_counts_incidents_and_red_grids_per_month(digest: Any) -> None:
    trend = digest.scopes["620900"].trend

    assert trend.months == ("2024-01", "2024-02", "2024-03")
    assert trend.incidents == (1, 1, 4)
    assert len(trend.red_grids) == 3
    assert digest.scopes[B].trend.incidents == (1, 0, 1)


def test_the_latest_incidents_come_as_groups_of_hour_township_and_category(digest: Any) -> None:
    assert digest.scopes["620900"].latest[:3] == (
        LatestGroup("03-25 16:30", "金塔县", "金塔镇", "business", 1),
        LatestGroup("03-20 14:00", "肃州区", "东关街道", "land", 1),
        LatestGroup("03-05 09:40", "肃州区", "东关街道", "neighbour", 2),  # #1 and #2, the newer time shown
    )
    assert [g.category for g in digest.scopes[B].latest] == ["business", "labour_wages"]


def test_latest_groups_stop_at_the_limit() -> None:
    incidents = pd.DataFrame(INCIDENTS).drop(columns="geometry")
    names = {A1: "东关街道", A: "肃州区", B1: "金塔镇", B: "金塔县"}

    assert [g.time for g in latest_groups(incidents, names, limit=2)] == ["03-25 16:30", "03-20 14:00"]


def test_coverage_counts_centres_and_organisations_per_10000_residents_of_each_township(digest: Any) -> None:
    cover = digest.coverage

    # A1: its township and village centres and its township committee, 3 for 2,000 residents;
    # B1: its village committee, 1 for 4,000. County and city ones belong to no township.
    assert cover.per_10k == {A1: 15.0, B1: 2.5}
    assert (cover.centres, cover.organisations) == (4, 3)
    assert cover.breaks == (5.0, 7.5, 10.0, 12.5)
    assert cover.classes == {A1: 4, B1: 0}


def test_no_coverage_without_centres_or_organisations() -> None:
    assert coverage(_areas(), None, None) is None


def test_the_heat_grid_covers_the_city_and_counts_the_months_located_incidents(digest: Any) -> None:
    heat = digest.heat

    assert heat.incidents == 4
    assert heat.bounds == digest.city.bounds
    assert heat.values.ndim == 2 and heat.values.max() > 0


def test_nothing_in_the_digest_is_about_a_person(digest: Any) -> None:
    shown = repr(digest) + json.dumps(digest.coverage.per_10k)
    for value in [*PERSONAL.values(), "I1", "I2"]:
        assert value not in shown


def test_a_missing_store_raises_store_error_and_the_same_file_back_gives_the_same_digest(
    tmp_path: Path,
) -> None:
    store = build_wall_store(tmp_path / "wall.gpkg")
    feed = WallFeed(_settings(store, tmp_path / "cache"))
    first = feed.digest()
    away = store.rename(tmp_path / "away.gpkg")

    with pytest.raises(StoreError, match="does not exist"):
        feed.digest()

    away.rename(store)
    assert feed.digest() is first


def test_a_changed_store_gives_a_new_version_with_the_new_incident(tmp_path: Path) -> None:
    store = build_wall_store(tmp_path / "wall.gpkg")
    feed = WallFeed(_settings(store, tmp_path / "cache"))
    before = feed.digest()

    GeoPackageStore(store).write(
        {"incidents": _points([_incident(7, B_GRID2, "03-28 11:00", "traffic", "open")])}, mode="append"
    )
    after = feed.digest()

    assert after.version != before.version
    assert after.scopes["620900"].kpis.incidents == before.scopes["620900"].kpis.incidents + 1
    assert after.scopes["620900"].latest[0] == LatestGroup("03-28 11:00", "金塔县", "金塔镇", "traffic", 1)


def test_the_today_tile_counts_each_scope_on_the_citys_day_and_the_day_before(tmp_path: Path) -> None:
    store = build_wall_store(tmp_path / "wall.gpkg")
    # The city's midnight, not the server's.
    midnight = pd.Timestamp.now(tz=LOCAL_TIMEZONE).tz_localize(None).normalize()
    second, minute, day = (pd.Timedelta(seconds=1), pd.Timedelta(minutes=1), pd.Timedelta(days=1))
    reported = [(7, A_GRID1, midnight + minute), (8, B_GRID1, midnight), (9, A_GRID2, midnight - second),
                (10, B_GRID2, midnight - 2 * day)]
    rows = [{**_incident(number, grid, "03-28 11:00", "traffic", "open"), "reported_at": at}
            for number, grid, at in reported]
    GeoPackageStore(store).write({"incidents": _points(rows)}, mode="append")

    digest = WallFeed(_settings(store, tmp_path / "cache")).digest()
    today = city_today()

    assert reported_on(digest.scopes["620900"], today) == (2, 1)
    assert reported_on(digest.scopes[A], today) == (1, 1)
    assert reported_on(digest.scopes[B], today) == (1, 0)
    assert min(digest.scopes["620900"].by_day) == str((midnight - day).date())  # kept from the day before


# ---------------------------------------------------------------- serving only the wall


def test_wall_only_redirects_every_page_to_the_wall_and_lets_dash_and_the_data_through(
    wall_store: Path, tmp_path: Path
) -> None:
    app = create_app(_settings(wall_store, tmp_path / "cache", wall_only=True))
    client = sign_in(app.server.test_client())

    for path in ("/", "/?view=heat", "/leaders"):
        response = client.get(path)
        assert response.status_code == 302, path
        wanted = "/wall" + (path[1:] if path.startswith("/?") else "")
        assert response.headers["Location"] == wanted, path
    assert client.get("/wall").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/walldata/heat-x.png").headers["Content-Type"] == "image/png"


def test_without_wall_only_the_first_page_stays_and_the_wall_is_at_wall(
    wall_store: Path, tmp_path: Path
) -> None:
    client = sign_in(create_app(_settings(wall_store, tmp_path / "cache")).server.test_client())

    assert client.get("/").status_code == 200
    assert client.get("/wall").status_code == 200


def test_wall_only_comes_from_the_environment(wall_store: Path, tmp_path: Path) -> None:
    env = {"PINGAN_STORE": os.fspath(wall_store), "PINGAN_WALL_ONLY": "1"}
    assert Settings.from_env(env).wall_only is True
