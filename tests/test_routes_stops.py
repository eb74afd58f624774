"""Itinerant court sittings from disputes, and the teams file's checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from geo import api

START = dt.date(2026, 6, 1)
GRIDS = pd.DataFrame({"code": ["620923103001001", "620923001001001"], "name": ["牧区网格", "城区网格"],
                      "level": ["grid", "grid"], "kind": ["pastoral", "urban"]})


def _incident(
    grid: str, status: str, outcome: str | None, reported: str, closed: str | None
) -> dict[str, object]:
    return {"grid_code": grid, "county_code": grid[:6], "status": status, "outcome": outcome,
            "reported_at": pd.Timestamp(reported), "closed_at": pd.Timestamp(closed) if closed else pd.NaT,
            "lon": 95.0, "lat": 39.5}


def test_a_sitting_gathers_a_pastoral_grids_open_and_recently_court_bound_disputes() -> None:
    pastoral, urban = GRIDS["code"]
    incidents = pd.DataFrame([
        _incident(pastoral, "open", None, "2026-05-20", None),
        _incident(pastoral, "closed", "litigated", "2026-03-01", "2026-05-01"),  # 31 days before: in
        _incident(pastoral, "closed", "litigated", "2026-01-01", "2026-02-01"),  # too long ago
        _incident(pastoral, "closed", "mediated", "2026-05-01", "2026-05-10"),  # settled
        _incident(pastoral, "open", None, "2026-06-05", None),  # reported after the start
        _incident(urban, "open", None, "2026-05-20", None),  # not a pastoral grid
    ])
    (sitting,) = api.court_stops(incidents, GRIDS, START, 7)
    assert sitting.stop_id == f"court-{pastoral}"
    assert sitting.open_cases == 2
    assert (sitting.first_day, sitting.last_day) == (0, 6)
    assert sitting.kind is api.StopKind.COURT


def test_a_teams_file_with_a_bad_mode_names_the_team_and_the_allowed_modes(tmp_path: Path) -> None:
    bad = tmp_path / "teams.toml"
    bad.write_text('[[team]]\nid = "X1"\nname = "x"\nbase = "C1"\nmode = "camel"\nserves = ["camp"]\n'
                   'counties = ["620923"]\n', encoding="utf-8")
    with pytest.raises(api.GeoInputError,
                       match="team 'X1': unknown mode 'camel': allowed are horseback, vehicle"):
        api.load_teams(bad)
    bad.write_text(bad.read_text(encoding="utf-8").replace("camel", "horseback") + "visits_per_day = 0\n",
                   encoding="utf-8")
    with pytest.raises(api.GeoInputError, match="visits_per_day must be a whole number above 0, got 0"):
        api.load_teams(bad)


def test_the_demo_teams_have_their_bases_in_the_demo_centres() -> None:
    roster = api.load_teams()
    assert [t.team_id for t in roster.teams] == ["SB-H1", "SB-H2", "AKS-H1", "SB-V1", "COURT-1"]
    assert {t.mode for t in roster.teams} == set(api.TravelMode)
    assert all(t.base.startswith("ZZ62092") for t in roster.teams)
