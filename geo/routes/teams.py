"""Service teams: who travels, from which base, how fast, for how long and to which kinds of stop.

The demo's teams are in geo/config/route_teams.toml; a centre with its own teams passes its own file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from geo.errors import GeoInputError, as_choice
from geo.files import read_toml
from geo.routes.distance import TravelMode

DEFAULT_TEAMS_FILE: Final = Path(__file__).resolve().parents[1] / "config" / "route_teams.toml"

#: Speed along the way, km per working hour: a horse covers about 30 km in a working day of 8-9 hours;
#: a four-wheel drive on dirt tracks about 25 km/h.
SPEED_KMH: Final[dict[TravelMode, float]] = {TravelMode.HORSEBACK: 3.5, TravelMode.VEHICLE: 25.0}


class StopKind(StrEnum):
    CAMP = "camp"  # herder households on one pasture with the same move dates
    COURT = "court"  # an itinerant court sitting for the open disputes of one pastoral grid


@dataclass(frozen=True)
class Workday:
    """Working hours every team keeps: planned arrivals fall within them, travel pauses overnight."""

    start_hour: int = 8
    hours: int = 9

    @property
    def minutes(self) -> int:
        return self.hours * 60


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    base: str  # centre_id of the centre the team sets out from and returns to
    mode: TravelMode
    serves: frozenset[StopKind]
    counties: tuple[str, ...]
    days_out: int
    visits_per_day: int
    speed_kmh: float

    @property
    def metres_per_minute(self) -> float:
        return self.speed_kmh * 1000 / 60


@dataclass(frozen=True)
class TeamRoster:
    teams: tuple[Team, ...]
    workday: Workday

    def team(self, team_id: str) -> Team:
        """The team with this id; GeoInputError naming the known ids otherwise."""
        for team in self.teams:
            if team.team_id == team_id:
                return team
        known = ", ".join(t.team_id for t in self.teams)
        raise GeoInputError(f"unknown team {team_id!r}: known teams are {known}")

    def select(self, team_ids: list[str] | tuple[str, ...]) -> TeamRoster:
        """The roster cut to these teams (all of them when empty)."""
        if not team_ids:
            return self
        return TeamRoster(tuple(self.team(t) for t in team_ids), self.workday)




def _positive(entry: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = entry.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise GeoInputError(f"{where}: {key} must be a whole number above 0, got {value!r}")
    return value


def _team(entry: dict[str, Any], where: str) -> Team:
    missing = [key for key in ("id", "name", "base", "mode", "serves", "counties") if key not in entry]
    if missing:
        raise GeoInputError(f"{where}: missing {', '.join(missing)}")
    mode = as_choice(TravelMode, entry["mode"], "mode", where=where)
    return Team(
        team_id=str(entry["id"]),
        name=str(entry["name"]),
        base=str(entry["base"]),
        mode=mode,
        serves=frozenset(as_choice(StopKind, kind, "stop kind", where=where) for kind in entry["serves"]),
        counties=tuple(str(code) for code in entry["counties"]),
        days_out=_positive(entry, "days_out", where, 14),
        visits_per_day=_positive(entry, "visits_per_day", where, 4),
        speed_kmh=float(entry.get("speed_kmh", SPEED_KMH[mode])),
    )


def load_teams(path: Path | None = None) -> TeamRoster:
    """The teams and the workday of a TOML file (default: the demo's geo/config/route_teams.toml)."""
    file = path or DEFAULT_TEAMS_FILE
    data = read_toml(file, "teams file")
    entries = data.get("team", [])
    if not entries:
        raise GeoInputError(f"{file}: no [[team]] entries")
    teams = tuple(_team(entry, f"{file} team {entry.get('id', n + 1)!r}") for n, entry in enumerate(entries))
    ids = [team.team_id for team in teams]
    repeated = sorted({t for t in ids if ids.count(t) > 1})
    if repeated:
        raise GeoInputError(f"{file}: team ids repeat: {', '.join(repeated)}")
    day = data.get("workday", {})
    workday = Workday(_positive(day, "start_hour", f"{file} workday", 8),
                      _positive(day, "hours", f"{file} workday", 9))
    if workday.start_hour + workday.hours > 24:
        raise GeoInputError(f"{file} workday: start_hour + hours must stay within the day")
    return TeamRoster(teams, workday)
