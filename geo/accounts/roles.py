"""What each role may do. The dashboard checks these on the server for every page, callback and export."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from geo.schema import Level, city_code_of, level_of_code


class Role(StrEnum):
    WALL = "wall"  # a kiosk: aggregates only, by a long-lived device token bound to /wall
    LEADER = "leader"  # maps, explanations, incident details with personal fields masked
    PLANNER = "planner"  # the boundary workbench and its versions, and what a leader sees
    CLERK = "clerk"  # intake and the quarantine
    ADMIN = "admin"  # users, roles and the audit log, and everything else


class Right(StrEnum):
    WALL = "wall"
    MAPS = "maps"
    PERSONAL_FIELDS = "personal_fields"
    BOUNDARIES = "boundaries"
    INTAKE = "intake"
    USERS = "users"


RIGHTS: Final[dict[Role, frozenset[Right]]] = {
    Role.WALL: frozenset({Right.WALL}),
    Role.LEADER: frozenset({Right.WALL, Right.MAPS}),
    Role.PLANNER: frozenset({Right.WALL, Right.MAPS, Right.BOUNDARIES}),
    Role.CLERK: frozenset({Right.INTAKE, Right.PERSONAL_FIELDS}),
    Role.ADMIN: frozenset(Right),
}


def may(role: Role | str, right: Right) -> bool:
    """Whether `role` has `right` (an unknown role has none)."""
    try:
        return right in RIGHTS[Role(role)]
    except ValueError:
        return False


def in_scope(scope: str, code: str) -> bool:
    """Whether area `code` lies in a user's scope: the scope itself or below it. Codes below a county nest
    by prefix; a county's code does not begin with its city's (620902 lies in 620900)."""
    if level_of_code(scope) is Level.CITY:
        return code == scope or city_code_of(code) == scope
    return code.startswith(scope)
