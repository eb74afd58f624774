"""`pingan routes plan | import-gpx | coverage` on a small hand-made pastoral store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import gpxpy
import gpxpy.gpx
import pytest
from shapely.geometry import Point, box

from geo import api
from pingan_cli.main import main

TEAMS_TOML = """
[workday]
start_hour = 8
hours = 9

[[team]]
id = "H1"
name = "马背队"
base = "C1"
mode = "horseback"
serves = ["camp"]
counties = ["620923"]
days_out = 3
visits_per_day = 2
"""
#: (herder, pasture, lon, lat): two camps near the base, one farther out
HOUSEHOLDS = [("H01", "P1", 95.02, 39.51), ("H02", "P1", 95.021, 39.512), ("H03", "P2", 95.05, 39.52),
              ("H04", "P2", 95.052, 39.521), ("H05", "P3", 95.10, 39.55)]


def _frame(rows: list[dict[str, object]], geometry: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4490")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "pastoral.gpkg"
    areas = _frame([
        {"code": "620923", "name": "肃北", "level": "county", "parent_code": "620900", "kind": "pastoral",
         "valid_to": None},
        {"code": "620923103001", "name": "柳梁村", "level": "village", "parent_code": "620923103",
         "kind": "pastoral", "valid_to": None},
    ], [box(94.5, 39.0, 95.5, 40.0), box(94.9, 39.4, 95.2, 39.6)])
    centres = _frame([{"centre_id": "C1", "name": "南营乡综治中心", "level": "township",
                       "area_code": "620923103"}], [Point(95.0, 39.5)])
    households = _frame([{"herder_id": h, "person_name": "x", "county_code": "620923", "season": "summer",
                          "village_code": "620923103001", "pasture_id": p, "move_in_month": 5,
                          "move_out_month": 10} for h, p, _, _ in HOUSEHOLDS],
                        [Point(lon, lat) for _, _, lon, lat in HOUSEHOLDS])
    pastures = _frame([{"pasture_id": p, "season": "summer", "village_code": "620923103001",
                        "county_code": "620923", "name": f"夏季牧场{p}"} for p in ("P1", "P2", "P3")],
                      [box(94.95, 39.45, 95.15, 39.6)] * 3)
    api.open_store(path).write({"areas": areas, "centres": centres, "herder_households": households,
                                "pastures": pastures})
    return path


@pytest.fixture
def teams(tmp_path: Path) -> Path:
    path = tmp_path / "teams.toml"
    path.write_text(TEAMS_TOML, encoding="utf-8")
    return path


def _plan(store: Path, teams: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["routes", "plan", "--store", str(store), "--teams", str(teams), "--team", "H1",
                 "--from", "2026-06-01", "--days", "3", "--out", str(out), "--time-limit", "1"])
    assert code == 0
    return capsys.readouterr().out


def _track(path: Path, points: list[tuple[float, float]], day: dt.date, *, crs_shift: float = 0) -> Path:
    gpx = gpxpy.gpx.GPX()
    segment = gpxpy.gpx.GPXTrackSegment()
    start = dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC)  # 09:00 local
    for n, (lon, lat) in enumerate(points):
        segment.points.append(gpxpy.gpx.GPXTrackPoint(lat + crs_shift, lon + crs_shift,
                                                      time=start + dt.timedelta(minutes=20 * n)))
    track = gpxpy.gpx.GPXTrack()
    track.segments.append(segment)
    gpx.tracks.append(track)
    path.write_text(gpx.to_xml(), encoding="utf-8")
    return path


def test_plan_writes_a_route_and_ordered_waypoints_per_team(store: Path, teams: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = _plan(store, teams, tmp_path / "plan.gpx", capsys)
    assert "H1 马背队: 3 stops, 5 households" in out
    gpx = gpxpy.parse((tmp_path / "plan.gpx").read_text(encoding="utf-8"))
    (route,) = gpx.routes
    assert route.name.startswith("H1")
    assert route.points[0].name == route.points[-1].name == "base"
    names = [w.name for w in gpx.waypoints]
    assert [n.split(" ")[1] for n in names] == ["01", "02", "03"]
    times = [w.time for w in gpx.waypoints]
    assert times == sorted(times)
    per_day = [t.date() for t in times]
    assert max(per_day.count(d) for d in per_day) <= 2  # visits_per_day


def test_a_track_is_imported_once_and_compared_with_the_plan(store: Path, teams: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    _plan(store, teams, tmp_path / "plan.gpx", capsys)
    visited = [(95.0, 39.5), (95.0205, 39.511), (95.051, 39.5205), (95.0, 39.5)]  # camps P1 and P2 only
    track = _track(tmp_path / "trip.gpx", visited, dt.date(2026, 6, 1))
    args = ["routes", "import-gpx", str(track), "--store", str(store), "--teams", str(teams), "--team", "H1",
            "--plan", str(tmp_path / "plan.gpx")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "trip.gpx: imported; team H1, 4 points over 1 day(s)" in out
    assert "planned stops visited within 3000 m: 2 of 3" in out
    assert "missed: H1" in out and "P3" in out
    assert main(args) == 0
    assert "already imported, nothing written" in capsys.readouterr().out
    assert api.open_store(store).count("team_tracks") == 1

    assert main(["routes", "coverage", "--store", str(store), "--month", "2026-06"]) == 0
    out = capsys.readouterr().out
    assert "2026-06: 4 of 5 households visited; 1 not visited for 60 days or more" in out
    assert "H1" in out


def test_the_next_plan_knows_the_days_since_a_camp_was_visited(
    store: Path, teams: Path, tmp_path: Path
) -> None:
    track = _track(tmp_path / "trip.gpx", [(95.099, 39.549), (95.101, 39.551)], dt.date(2026, 5, 20))
    main(["routes", "import-gpx", str(track), "--store", str(store), "--teams", str(teams), "--team", "H1"])
    inputs = api.season_inputs(api.open_store(store), start=dt.date(2026, 6, 1), days=3,
                               roster=api.load_teams(teams))
    since = {s.stop_id: s.days_since_visit for s in inputs.stops}
    assert since == {"P1-0510": None, "P2-0510": None, "P3-0510": 12}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("<gpx><trk><trkseg><trkpt lat=", "not a readable GPX file"),
        ('<?xml version="1.0"?><gpx version="1.1" creator="x"><wpt lat="39.5" lon="95"/></gpx>',
         "holds no track points"),
        ('<?xml version="1.0"?><gpx version="1.1" creator="x"><trk><trkseg><trkpt lat="39.5" lon="95"/>'
         "</trkseg></trk></gpx>", "track point 1 has no <time>"),
    ],
)
def test_a_bad_gpx_gets_one_line_and_writes_nothing(store: Path, teams: Path, tmp_path: Path, content: str,
                                                    message: str, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.gpx"
    bad.write_text(content, encoding="utf-8")
    code = main(["routes", "import-gpx", str(bad), "--store", str(store), "--teams", str(teams),
                 "--team", "H1"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "bad.gpx" in err and len(err.strip().splitlines()) == 1
    assert "team_tracks" not in api.open_store(store).layers()


def test_a_track_in_another_crs_or_for_an_unknown_team_is_refused(
    store: Path, teams: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    projected = _track(tmp_path / "utm.gpx", [(95.0, 39.5)], dt.date(2026, 6, 1))
    text = projected.read_text(encoding="utf-8").replace('lat="39.5"', 'lat="4372000.0"')
    projected.write_text(text.replace('lon="95.0"', 'lon="500000.0"'), encoding="utf-8")
    base = ["--store", str(store), "--teams", str(teams)]
    assert main(["routes", "import-gpx", str(projected), *base, "--team", "H1"]) == 2
    assert "not WGS84 degrees" in capsys.readouterr().err
    elsewhere = _track(tmp_path / "far.gpx", [(98.5, 39.7)], dt.date(2026, 6, 1))
    assert main(["routes", "import-gpx", str(elsewhere), *base, "--team", "H1"]) == 2
    assert "lies outside team H1's counties (620923)" in capsys.readouterr().err
    fine = _track(tmp_path / "ok.gpx", [(95.0, 39.5)], dt.date(2026, 6, 1))
    assert main(["routes", "import-gpx", str(fine), *base, "--team", "H9"]) == 2
    assert "unknown team 'H9': known teams are H1" in capsys.readouterr().err
    assert "team_tracks" not in api.open_store(store).layers()


def test_plan_refuses_days_below_one_and_coverage_a_bad_month(store: Path, teams: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "plan", "--store", str(store), "--teams", str(teams), "--from", "2026-06-01",
                 "--days", "0", "--out", str(tmp_path / "p.gpx")]) == 2
    assert "--days must be above 0, got 0" in capsys.readouterr().err
    assert not (tmp_path / "p.gpx").exists()
    assert main(["routes", "coverage", "--store", str(store), "--month", "June"]) == 2
    assert "month 'June' is not YYYY-MM" in capsys.readouterr().err
